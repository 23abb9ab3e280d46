"""U and R rules: supervision 三（五）: 未批先建 and rectification orders."""

from __future__ import annotations

from collections.abc import Iterator

from golmud_cli.deadlines import exempt
from golmud_cli.lifecycle import Stage
from golmud_cli.model import Sanction
from golmud_cli.periods import no_shift, shift_to_working_day
from golmud_cli.rules import Context, E, Hit, rule


@rule(
    "U001",
    E,
    "三（五）",
    None,
    ("未批先建", "building before approval (未批先建)"),
    (
        "{field}（{label}）日期 {date} 早于立项批复日期 {approved}：这是未批先建，审计部门将重点关注。",
        "{field} ({label}) is dated {date}, before the approval on {approved}: building before "
        "approval (未批先建), which the audit bureau looks at first.",
    ),
    variants={
        "unapproved": (
            "{field}（{label}）已存在，但项目从未获得立项批复：这是未批先建。",
            "{field} ({label}) exists but the project was never approved: building before approval.",
        ),
    },
)
def U001(ctx: Context) -> Iterator[Hit]:
    d = ctx.dossier
    approved = d.entered(Stage.approved)
    acts: list[tuple[tuple[str | int, ...], object]] = []
    if d.documents.contract is not None:
        acts.append((("documents", "contract", "date"), d.documents.contract.date))
    if d.documents.procurement_filing is not None:
        acts.append(
            (("documents", "procurement_filing", "date"), d.documents.procurement_filing.date)
        )
    for i, h in enumerate(d.history):
        if h.stage in (Stage.procuring, Stage.under_construction, Stage.completed):
            acts.append((("history", i, "date"), h.date))
    for path, date in acts:
        if approved is None:
            yield Hit(path[:2] if path[0] == "documents" else path, variant="unapproved")
        elif date is not None and date < approved:  # type: ignore[operator]
            yield Hit(path, {"date": date, "approved": approved})


@rule(
    "R001",
    E,
    "三（五）",
    None,
    ("整改不逾期", "no rectification order is overdue"),
    (
        "rectifications（整改）第 {n} 项“{finding}”应于 {due} 前完成整改，至 {today} 仍未完成（逾期 {late} 天）："
        "逾期不整改的，市发改委可以会同市财政局通报批评、暂缓安排投资计划、暂停拨付运维经费、暂停项目建设直至终止项目。",
        "rectification order {n} '{finding}' was due by {due} and is still open on {today} "
        "({late} days late): the NDRC with finance may criticise, defer investment, suspend "
        "O&M funds, suspend or terminate the project.",
    ),
)
def R001(ctx: Context) -> Iterator[Hit]:
    d = ctx.dossier
    if exempt(d):
        return  # terminated, rejected or provincial: no Golmud deadline applies
    shift = shift_to_working_day if ctx.settings.policy.holiday_shift else no_shift
    for i, r in enumerate(d.rectifications):
        if r.resolved is None:
            due = shift(r.due).due
            if ctx.today > due:
                yield Hit(
                    ("rectifications", i, "due"),
                    {
                        "n": i + 1,
                        "finding": r.finding,
                        "due": due,
                        "today": ctx.today,
                        "late": (ctx.today - due).days,
                    },
                )


@rule(
    "R002",
    E,
    "三（五）",
    None,
    ("处理措施与阶段一致", "sanctions agree with the stage"),
    (
        "rectifications（整改）第 {n} 项的处理措施 {sanction}（{sanction_label}）{what}。",
        "rectification order {n}'s sanction {sanction} {what_en}.",
    ),
)
def R002(ctx: Context) -> Iterator[Hit]:
    d = ctx.dossier
    for i, r in enumerate(d.rectifications):
        for j, s in enumerate(r.sanctions):
            path = ("rectifications", i, "sanctions", j)
            base = {"n": i + 1, "sanction": s.value, "sanction_label": s.label}
            if s is Sanction.terminate and d.stage is not Stage.terminated:
                yield Hit(
                    path,
                    {
                        **base,
                        "what": "要求项目处于 terminated（终止）阶段",
                        "what_en": "requires the stage terminated",
                    },
                )
            if s is Sanction.suspend_construction and not any(
                h.stage in (Stage.suspended, Stage.terminated) and h.date >= r.issued
                for h in d.history
            ):
                yield Hit(
                    path,
                    {
                        **base,
                        "what": f"要求在 {r.issued} 或之后有 suspended（暂停建设）或 terminated（终止）的历史记录",
                        "what_en": f"requires a suspended or terminated history entry on or after {r.issued}",
                    },
                )
