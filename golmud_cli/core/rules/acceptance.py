"""K and V rules: acceptance 三（六） and self-evaluation 三（七）."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from golmud_cli.core.deadlines import (
    Kind,
    State,
    compute,
    entered_dates,
    extension_fault,
    planned_completion,
)
from golmud_cli.core.lifecycle import Role, Stage
from golmud_cli.core.periods import add_months, shifter
from golmud_cli.core.rules.base import Context, E, Hit, W, far_from_act, rule
from golmud_cli.core.values import ExtensionFor

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier


# Enum members the per-dossier checks below read, read once here: a read off an enum
# class goes through EnumType's __getattr__ hook (~0.2 us; core/deadlines.py).
_EXT_FINAL_ACCEPTANCE_REQUEST = ExtensionFor.final_acceptance_request
_EXT_PRELIMINARY_ACCEPTANCE = ExtensionFor.preliminary_acceptance
_KIND_FINAL_ACCEPTANCE_REQUEST = Kind.final_acceptance_request
_KIND_PRELIMINARY_ACCEPTANCE = Kind.preliminary_acceptance
_REPORTED_TO = (Role.ndrc, Role.finance)  # V002: the self-evaluation goes to both
_KIND_SELF_EVALUATION = Kind.self_evaluation
_STAGE_ACCEPTANCE_REQUESTED = Stage.acceptance_requested
_STAGE_COMPLETED = Stage.completed
_STAGE_PRELIMINARILY_ACCEPTED = Stage.preliminarily_accepted
_STAGE_SELF_EVALUATED = Stage.self_evaluated
_STATE_DONE_LATE = State.done_late


def _entry_index(d: Dossier, stage: Stage) -> int:
    return max(i for i, h in enumerate(d.history) if h.stage is stage)


def _late(ctx: Context, kind: Kind) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    months = (  # the number in force (gtx.yaml policy), not the printed one
        ctx.settings.policy.preliminary_acceptance_months
        if kind is _KIND_PRELIMINARY_ACCEPTANCE
        else ctx.settings.policy.final_acceptance_request_months
    )
    for dl in compute(d, ctx.settings.policy, ctx.today, ctx.calendar):
        if dl.kind is kind and dl.state is _STATE_DONE_LATE and dl.done_on is not None:
            target = (
                _STAGE_PRELIMINARILY_ACCEPTED
                if kind is _KIND_PRELIMINARY_ACCEPTANCE
                else _STAGE_ACCEPTANCE_REQUESTED
            )
            hits.append(
                Hit(
                    ("history", _entry_index(d, target), "date"),
                    {
                        "done": dl.done_on,
                        "start": dl.starts,
                        "due": dl.due,
                        "late": (dl.done_on - dl.due).days,
                        "ext": "（含已批准的延期）" if dl.extended else "",
                        "ext_en": " (with the approved extension)" if dl.extended else "",
                        "months": months,
                        "months_en": f"{months} month" + ("" if months == 1 else "s"),
                    },
                )
            )
    return hits


def k001(ctx: Context) -> list[Hit]:
    return _late(ctx, _KIND_PRELIMINARY_ACCEPTANCE)


K001 = rule(
    "K001",
    E,
    "三（六）",
    Stage.preliminarily_accepted,
    ("建成后 3 个月内初步验收", "preliminary acceptance within 3 months of completion"),
    (
        "初步验收日期 {done} 晚于期限 {due}{ext}（建成于 {start}，迟 {late} 天）：项目建成后 {months} 个月内应组织"
        "初步验收；不能按期的，应事先向市发改委申请延期验收。",
        "preliminary acceptance on {done} is after the deadline {due}{ext_en} (completed {start}, "
        "{late} days late): it is due within {months_en} of completion; an extension must be "
        "asked of the NDRC beforehand.",
    ),
)(k001)


def k002(ctx: Context) -> list[Hit]:
    return _late(ctx, _KIND_FINAL_ACCEPTANCE_REQUEST)


K002 = rule(
    "K002",
    E,
    "三（六）",
    Stage.acceptance_requested,
    ("初验后 1 个月内申请竣工验收", "the final acceptance request within 1 month"),
    (
        "申请竣工验收日期 {done} 晚于期限 {due}{ext}（初步验收于 {start}，迟 {late} 天）：通过初步验收后 {months} 个月内"
        "应向市发改委申请竣工验收。",
        "the final acceptance request on {done} is after the deadline {due}{ext_en} "
        "(preliminary acceptance {start}, {late} days late): it is due within {months_en}.",
    ),
)(k002)


def k003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for kind in (
        "construction_summary",
        "financial_report",
        "audit_report",
        "security_risk_assessment",
    ):
        # a field of Documents: its attribute, no Documents.get call
        if getattr(ctx.dossier.documents, kind) is None:
            hits.append(Hit(("documents", kind), anchor="parent"))
    return hits


K003 = rule(
    "K003",
    E,
    "三（六）",
    Stage.acceptance_requested,
    ("竣工验收申请的附件", "the attachments of the acceptance request"),
    (
        "缺少 {field}（{label}）：提交竣工验收申请报告时应一并附上项目建设总结、财务报告、审计报告、安全风险评估报告。",
        "{field} ({label}) is missing: the acceptance request carries the construction summary, "
        "financial report, audit report and security risk assessment.",
    ),
)(k003)


def k004(ctx: Context) -> list[Hit]:
    if ctx.dossier.documents.acceptance_report is None:
        return [Hit(("documents", "acceptance_report"), anchor="parent")]
    return []


K004 = rule(
    "K004",
    E,
    "三（六）",
    Stage.accepted,
    ("竣工验收报告", "the acceptance report"),
    (
        "缺少 {field}（{label}）：竣工验收通过后，建设单位应将验收报告等材料报市发改委。",
        "{field} ({label}) is missing: after acceptance the unit sends the acceptance report to "
        "the NDRC.",
    ),
    also=("三（三）",),
)(k004)


def k005(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    for i, e in enumerate(d.extensions):
        if e.approved is None:
            continue  # pending: it does not count yet, and that is fine
        if e.until is None:
            hits.append(
                Hit(
                    ("extensions", i, "until"),
                    {"what": "未填写", "what_en": "is missing"},
                    anchor="parent",
                )
            )
            continue
        if e.approved and e.requested and e.approved < e.requested:
            hits.append(
                Hit(
                    ("extensions", i, "approved"),
                    {"what": "早于申请日期", "what_en": "is before the request"},
                )
            )
        due = _nominal_due(ctx, e.for_)
        if due is not None:
            if e.until <= due:
                hits.append(
                    Hit(
                        ("extensions", i, "until"),
                        {"until": e.until, "due": due},
                        variant="not_after",
                    )
                )
    return hits


K005 = rule(
    "K005",
    E,
    "三（六）",
    None,
    ("延期须经批准且晚于原期限", "an extension is approved and later than the deadline"),
    (
        "{field}（{label}）{what}：延期验收须经市发改委同意，并写明延期后的期限。",
        "{field} ({label}) {what_en}: an extension needs the NDRC's consent and a new deadline.",
    ),
    variants={
        "not_after": (
            "{field}（{label}）{until} 不晚于原期限 {due}：延期后的期限应在原期限之后。",
            "{field} ({label}) {until} is not after the original deadline {due}.",
        ),
    },
    needs="extensions",
)(k005)


def k006(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    r = ctx.dossier.documents.preliminary_acceptance_report
    if r is None:
        hits.append(
            Hit(
                ("documents", "preliminary_acceptance_report"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    elif r.date is None:
        hits.append(
            Hit(
                ("documents", "preliminary_acceptance_report", "date"),
                {"what": "未填写日期", "what_en": "has no date"},
                anchor="parent",
            )
        )
    return hits


K006 = rule(
    "K006",
    E,
    "三（六）",
    Stage.preliminarily_accepted,
    ("初步验收报告", "the preliminary acceptance report"),
    (
        "{field}（{label}）{what}：初步验收须由建设单位组织专家进行，并留存带日期的初步验收报告。",
        "{field} ({label}) {what_en}: preliminary acceptance is held by experts and recorded "
        "in a dated report.",
    ),
)(k006)


def v001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    for dl in compute(d, ctx.settings.policy, ctx.today, ctx.calendar):
        if dl.kind is not _KIND_SELF_EVALUATION or dl.done_on is None:
            continue
        path = ("history", _entry_index(d, _STAGE_SELF_EVALUATED), "date")
        lo, hi = ctx.settings.policy.self_evaluation_window_months
        params = {
            "done": dl.done_on,
            "due": dl.due,
            "start": dl.starts,
            "opens": dl.opens,
            "lo": lo,
            "hi": hi,
        }
        if dl.state is _STATE_DONE_LATE:
            hits.append(Hit(path, params))
        elif dl.opens is not None and dl.done_on < dl.opens:
            hits.append(Hit(path, params, severity=W, variant="early"))
    return hits


V001 = rule(
    "V001",
    E,
    "三（七）",
    Stage.self_evaluated,
    (
        "验收并运行后 12 至 24 个月内自评价",
        "self-evaluation 12 to 24 months after acceptance and operation",
    ),
    (
        "自评价日期 {done} 晚于期限 {due}（自 {start} 起 {hi} 个月）：项目应在通过验收并投入运行后 {lo} 至 {hi} 个月内"
        "开展自评价。",
        "self-evaluation on {done} is after the deadline {due} ({hi} months from {start}): it is "
        "due {lo} to {hi} months after acceptance and operation.",
    ),
    variants={
        "early": (
            "自评价日期 {done} 早于窗口开启日 {opens}（自 {start} 起 {lo} 个月）：运行不足 {lo} 个月的自评价难以反映绩效。",
            "self-evaluation on {done} is before the window opens on {opens} ({lo} months from "
            "{start}): less than {lo} months of operation says little about performance.",
        ),
    },
)(v001)


def v002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    r = ctx.dossier.documents.self_evaluation_report
    if r is None:
        hits.append(
            Hit(
                ("documents", "self_evaluation_report"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
        return hits
    missing = [x for x in _REPORTED_TO if x not in r.submitted_to]
    if missing:
        names = "、".join(f"{x.value}（{x.label}）" for x in missing)
        hits.append(
            Hit(
                ("documents", "self_evaluation_report", "submitted_to"),
                {
                    "what": f"缺少 {names}",
                    "what_en": "lacks " + ", ".join(x.value for x in missing),
                },
                anchor="parent",
            )
        )
    return hits


V002 = rule(
    "V002",
    E,
    "三（七）",
    Stage.self_evaluated,
    ("自评价报告报送市发改委和市财政局", "the self-evaluation report goes to the NDRC and finance"),
    (
        "{field}（{label}）{what}：自评价报告应报送市发改委（ndrc）和市财政局（finance）。",
        "{field} ({label}) {what_en}: the self-evaluation report goes to ndrc and finance.",
    ),
    also=("二（二）",),
)(v002)


def k007(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    for i, e in enumerate(d.extensions):
        if e.approved is None:
            continue  # pending: it does not count yet
        for dl in compute(d, ctx.settings.policy, ctx.today, ctx.calendar):
            if dl.kind.value != e.for_.value:
                continue
            base = _original_due(ctx, e.for_)
            if base is None:
                continue
            fault = extension_fault(e, base, dl.done_on)
            params = {"due": base, "done": dl.done_on, "act": e.for_.label, "act_en": e.for_.value}
            if fault == "no_request":
                hits.append(
                    Hit(("extensions", i, "requested"), params, anchor="parent", variant=fault)
                )
            elif fault == "late_request":
                hits.append(Hit(("extensions", i, "requested"), {**params, "date": e.requested}))
            elif fault == "after_act":
                hits.append(
                    Hit(
                        ("extensions", i, "approved"), {**params, "date": e.approved}, variant=fault
                    )
                )
    return hits


K007 = rule(
    "K007",
    E,
    "三（六）",
    None,
    ("延期须在到期前申请、在行为前批准", "an extension is asked before the deadline"),
    (
        "{field}（{label}）{date} 晚于原期限 {due}：不能按期的，应当在到期前向市发改委提出延期申请；"
        "逾期后的申请不产生延期，原期限照旧计算。",
        "{field} ({label}) {date} is after the original deadline {due}: an extension is asked "
        "of the NDRC before the deadline; one asked afterwards extends nothing.",
    ),
    variants={
        "no_request": (
            "{field}（{label}）未填写：已批准的延期须写明申请日期，才能确认是在到期前 {due} 申请的。",
            "{field} ({label}) is missing: an approved extension records when it was asked, "
            "to show it was asked before the deadline {due}.",
        ),
        "after_act": (
            "{field}（{label}）{date} 晚于已完成的{act}（{done}）：事后批准的延期不能追认逾期。",
            "{field} ({label}) {date} is after the act it would excuse ({act_en} on {done}): an "
            "extension approved after the fact does not count.",
        ),
    },
    needs="extensions",
)(k007)


def _nominal_due(ctx: Context, kind: ExtensionFor) -> dt.date | None:
    """The deadline an extension extends, without extensions, before the holiday shift."""
    d, policy = ctx.dossier, ctx.settings.policy
    if kind is _EXT_PRELIMINARY_ACCEPTANCE:
        anchor = entered_dates(d).get(_STAGE_COMPLETED)
        return add_months(anchor, policy.preliminary_acceptance_months) if anchor else None
    if kind is _EXT_FINAL_ACCEPTANCE_REQUEST:
        anchor = entered_dates(d).get(_STAGE_PRELIMINARILY_ACCEPTED)
        return add_months(anchor, policy.final_acceptance_request_months) if anchor else None
    return planned_completion(d)


def _original_due(ctx: Context, kind: ExtensionFor) -> dt.date | None:
    """The deadline an extension extends, after the holiday shift, without extensions."""
    nominal = _nominal_due(ctx, kind)
    if nominal is None:
        return None
    return shifter(ctx.settings.policy.holiday_shift, ctx.calendar)(nominal).due


def k008(ctx: Context) -> list[Hit]:
    d = ctx.dossier
    r, requested = d.documents.acceptance_report, entered_dates(d).get(_STAGE_ACCEPTANCE_REQUESTED)
    if r is not None and r.date is not None and requested is not None and r.date < requested:
        return [
            Hit(
                ("documents", "acceptance_report", "date"), {"date": r.date, "requested": requested}
            )
        ]
    return []


K008 = rule(
    "K008",
    E,
    "三（六）",
    Stage.accepted,
    ("验收报告不早于验收申请", "the acceptance report is not dated before the request"),
    (
        "{field}（{label}）{date} 早于申请竣工验收日期 {requested}：竣工验收由市发改委在建设单位"
        "申请后组织，验收报告不能早于申请。",
        "{field} ({label}) {date} is before the acceptance request of {requested}: the NDRC "
        "holds the final acceptance after the request, so its report cannot precede it.",
    ),
)(k008)


# gtx's review tolerance (not the measures'): a report and the act it records are one
# event; more than 30 days apart, a reviewer should look.


def k009(ctx: Context) -> Sequence[Hit]:
    d = ctx.dossier
    r = d.documents.preliminary_acceptance_report
    date = r.date if r is not None else None
    act = entered_dates(d).get(_STAGE_PRELIMINARILY_ACCEPTED)
    return far_from_act("preliminary_acceptance_report", date, act, "act")


K009 = rule(
    "K009",
    W,
    "三（六）",
    Stage.preliminarily_accepted,
    ("初步验收报告日期与初验记录一致", "the preliminary report's date agrees with the act"),
    (
        "{field}（{label}）{date} 与历史中的初步验收日期 {act} 相差 {days} 天（超过 {limit} 天）：初步验收报告"
        "记录的就是这次验收，请核对日期。",
        "{field} ({label}) {date} is {days} days away from the preliminary acceptance entry "
        "{act} (more than {limit}): the report records that act; check the dates.",
    ),
)(k009)


def v003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    r = ctx.dossier.documents.post_evaluation_report
    if r is None:
        hits.append(
            Hit(
                ("documents", "post_evaluation_report"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    elif not (r.evaluator or "").strip():
        hits.append(
            Hit(
                ("documents", "post_evaluation_report", "evaluator"),
                {"what": "未填写", "what_en": "is missing"},
                anchor="parent",
            )
        )
    return hits


V003 = rule(
    "V003",
    E,
    "三（七）",
    Stage.post_evaluated,
    ("后评价报告", "the post-evaluation report"),
    (
        "{field}（{label}）{what}：后评价由市发改委委托具备相应资质的第三方咨询机构开展，须留存后评价报告并写明评价机构。",
        "{field} ({label}) {what_en}: the NDRC has a qualified third-party consultancy carry out "
        "the post-evaluation; keep its report and name the evaluator.",
    ),
)(v003)
