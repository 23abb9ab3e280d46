"""U and R rules: supervision 三（五）: 未批先建 and rectification orders."""

from __future__ import annotations

from golmud_cli.core.deadlines import entered_dates, exempt
from golmud_cli.core.lifecycle import JOINT_ACTS, Role, Stage
from golmud_cli.core.periods import shifter
from golmud_cli.core.rules.base import Context, E, Hit, W, rule
from golmud_cli.core.values import Sanction

# Enum members the per-dossier checks below read, read once here: a read off an enum
# class goes through EnumType's __getattr__ hook (~0.2 us; core/deadlines.py).
_STAGE_APPROVED = Stage.approved
_STAGE_FILED = Stage.filed


def u001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    approved = entered_dates(d).get(_STAGE_APPROVED)
    if approved is not None:
        # The usual answer first: no act dated before the approval nor before the
        # reply (a hit below is an act before the later of the two): one comparison
        # with the earliest act rather than a path, a tuple and two tests an act.
        docs = d.documents
        reply = docs.approval_reply
        bound = approved
        if reply is not None and reply.date is not None and reply.date > approved:
            bound = reply.date
        dates = [h.date for h in d.history if h.stage in _BUILDING_ACTS]
        for doc in (docs.contract, docs.procurement_filing):
            if doc is not None and doc.date is not None:
                dates.append(doc.date)
        if not dates or min(dates) >= bound:
            return hits
    acts: list[tuple[tuple[str | int, ...], object]] = []
    if d.documents.contract is not None:
        acts.append((("documents", "contract", "date"), d.documents.contract.date))
    if d.documents.procurement_filing is not None:
        acts.append(
            (("documents", "procurement_filing", "date"), d.documents.procurement_filing.date)
        )
    for i, h in enumerate(d.history):
        if h.stage in _BUILDING_ACTS:
            acts.append((("history", i, "date"), h.date))
    reply = d.documents.approval_reply
    reply_date = reply.date if reply is not None else None
    for path, date in acts:
        if approved is None:
            hits.append(Hit(path[:2] if path[0] == "documents" else path, variant="unapproved"))
        elif date is not None and date < approved:  # type: ignore[operator]
            hits.append(Hit(path, {"date": date, "approved": approved}))
        elif date is not None and reply_date is not None and date < reply_date:  # type: ignore[operator]
            # 三（五）: 未批先建 read from the documents too: the reply is the approval
            hits.append(Hit(path, {"date": date, "approved": reply_date}, variant="reply"))
    return hits


# the acts of building (U001): a set, one lookup an entry rather than three comparisons
_BUILDING_ACTS = frozenset({Stage.procuring, Stage.under_construction, Stage.completed})


U001 = rule(
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
        "reply": (
            "{field}（{label}）日期 {date} 早于立项批复文件 documents.approval_reply.date 的日期 {approved}："
            "批复文件晚于合同或采购，这是未批先建，审计部门将重点关注。",
            "{field} ({label}) is dated {date}, before the approval reply's own date {approved}: "
            "the reply came after the contract or procurement, building before approval.",
        ),
    },
)(u001)


def u002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    entered = entered_dates(d)
    filed = entered.get(_STAGE_FILED)
    reply = d.documents.approval_reply
    approved = max(
        [x for x in (entered.get(_STAGE_APPROVED), reply.date if reply else None) if x is not None],
        default=None,
    )
    for kind in ("procurement_filing", "contract"):
        doc = getattr(
            d.documents, kind
        )  # a field of Documents: its attribute, no Documents.get call
        if doc is None:
            continue
        if approved is not None and doc.date is not None and doc.date < approved:
            continue  # before approval: U001 says so
        if filed is None:
            hits.append(Hit(("documents", kind), anchor="key", variant="unfiled"))
        elif doc.date is not None and doc.date < filed:
            hits.append(Hit(("documents", kind, "date"), {"date": doc.date, "filed": filed}))
    return hits


U002 = rule(
    "U002",
    E,
    "三（四）",
    Stage.approved,
    ("完成备案后才能采购", "procurement only after filing"),
    (
        "{field}（{label}）日期 {date} 早于备案日期 {filed}：通过评审且完成备案的项目，"
        "才能向市财政局填报政府采购项目备案表并组织采购。",
        "{field} ({label}) is dated {date}, before the filing on {filed}: only a reviewed and "
        "filed project submits its procurement filing and procures.",
    ),
    variants={
        "unfiled": (
            "{field}（{label}）已存在，但项目尚未备案：通过评审且完成备案的项目才能组织采购。",
            "{field} ({label}) exists but the project is not filed: only a reviewed and filed "
            "project procures.",
        ),
    },
    also=("二（四）",),
)(u002)


def r001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if exempt(d):
        return hits  # terminated, rejected or provincial: no Golmud deadline applies
    shift = shifter(ctx.settings.policy.holiday_shift, ctx.calendar)
    for i, r in enumerate(d.rectifications):
        if r.resolved is None:
            due = shift(r.due).due
            if ctx.today > due:
                hits.append(
                    Hit(
                        ("rectifications", i, "due"),
                        {
                            "n": i + 1,
                            "finding": r.finding,
                            "due": due,
                            "today": ctx.today,
                            "late": (ctx.today - due).days,
                        },
                    )
                )
    return hits


R001 = rule(
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
    needs="rectifications",
)(r001)


def r002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    for i, r in enumerate(d.rectifications):
        for j, s in enumerate(r.sanctions):
            path = ("rectifications", i, "sanctions", j)
            base = {"n": i + 1, "sanction": s.value, "sanction_label": s.label}
            if s is Sanction.terminate and d.stage is not Stage.terminated:
                hits.append(
                    Hit(
                        path,
                        {
                            **base,
                            "what": "要求项目处于 terminated（终止）阶段",
                            "what_en": "requires the stage terminated",
                        },
                    )
                )
            if s is Sanction.suspend_construction and not any(
                h.stage in (Stage.suspended, Stage.terminated) and h.date >= r.issued
                for h in d.history
            ):
                hits.append(
                    Hit(
                        path,
                        {
                            **base,
                            "what": f"要求在 {r.issued} 或之后有 suspended（暂停建设）或 terminated（终止）的历史记录",
                            "what_en": f"requires a suspended or terminated history entry on or after {r.issued}",
                        },
                    )
                )
    return hits


R002 = rule(
    "R002",
    E,
    "三（五）",
    None,
    ("处理措施与阶段一致", "sanctions agree with the stage"),
    (
        "rectifications（整改）第 {n} 项的处理措施 {sanction}（{sanction_label}）{what}。",
        "rectification order {n}'s sanction {sanction} {what_en}.",
    ),
    needs="rectifications",
)(r002)


# 三（五）: the supervising departments order rectification: 市政府办公室、市委网信办、
# 市发改委、市工商科信局、市财政局、市政务服务监督管理局会同有关部门 (and the audit bureau,
# 三（五） last paragraph). The building unit is the one ordered, never the one ordering.
def r003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for i, r in enumerate(ctx.dossier.rectifications):
        if r.by is Role.unit:
            hits.append(Hit(("rectifications", i, "by")))
    return hits


R003 = rule(
    "R003",
    E,
    "三（五）",
    None,
    ("整改由监管部门下达", "rectification is ordered by a supervising department"),
    (
        "{field}（{label}）为 unit（建设单位）：限期整改由市发改委等监管部门对项目建设单位提出，"
        "建设单位不能自行下达。",
        "{field} ({label}) is unit: rectification is ordered of the building unit by the "
        "supervising departments, not by the unit itself.",
    ),
    needs="rectifications",
)(r003)


def r004(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    shift = shifter(ctx.settings.policy.holiday_shift, ctx.calendar)
    for i, r in enumerate(ctx.dossier.rectifications):
        if r.sanctions and r.resolved is not None and r.resolved <= shift(r.due).due:
            hits.append(
                Hit(
                    ("rectifications", i, "sanctions"),
                    {
                        "n": i + 1,
                        "resolved": r.resolved,
                        "due": shift(r.due).due,
                        "sanctions": "、".join(s.label for s in r.sanctions),
                        "sanctions_en": ", ".join(s.value for s in r.sanctions),
                    },
                    anchor="key",
                )
            )
    return hits


R004 = rule(
    "R004",
    E,
    "三（五）",
    None,
    ("按期整改的不予处理", "no sanction on an order fixed on time"),
    (
        "rectifications（整改）第 {n} 项已于 {resolved} 按期整改完毕（期限 {due}），却记录了处理措施"
        "{sanctions}：只有逾期不整改或者整改后仍不符合要求的，才可以处理。",
        "rectification order {n} was fixed on {resolved}, on time (due {due}), yet records the "
        "sanctions {sanctions_en}: only an order not fixed in time, or still failing after the "
        "fix, may be sanctioned.",
    ),
    needs="rectifications",
)(r004)


def r005(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if JOINT_ACTS.keys().isdisjoint(entered_dates(d)):
        return hits  # no joint act in the history (most of them): no entry to look at
    for i, h in enumerate(d.history):
        joint = JOINT_ACTS.get(h.stage)
        if joint and not set(joint) <= set(h.concurred):
            hits.append(Hit(("history", i, "concurred"), anchor="parent"))
    return hits


R005 = rule(
    "R005",
    W,  # an error once advance/verify record and check finance's signature (report to lead)
    "三（五）",
    None,
    ("暂停、终止由发改委会同财政局", "suspension and termination: NDRC with finance"),
    (
        "{field}（{label}）未包含 finance（市财政局）：暂停项目建设、终止项目由市发改委会同市财政局作出，"
        "请在该历史记录的 concurred 中记录 finance。",
        "{field} ({label}) lacks finance: the NDRC suspends or terminates a project together "
        "with the finance bureau; record finance in that history entry's concurred.",
    ),
)(r005)
