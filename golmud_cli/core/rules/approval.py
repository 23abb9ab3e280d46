"""A rules: approval, 三（二） and 二（三）."""

from __future__ import annotations

from collections.abc import Sequence

from golmud_cli.core.deadlines import entered_dates
from golmud_cli.core.lifecycle import Stage
from golmud_cli.core.rules.base import Context, E, Hit, W, far_from_act, rule
from golmud_cli.core.values import ApprovalPath, DocKind

# Enum members the per-dossier checks below read, read once here: a read off an enum
# class goes through EnumType's __getattr__ hook (~0.2 us; core/deadlines.py).
_PATH_PLANNED = ApprovalPath.planned
_PATH_SIMPLIFIED = ApprovalPath.simplified
_PATH_URGENT = ApprovalPath.urgent
_STAGE_APPROVED = Stage.approved


# 三（二）: the documents each approval path asks for.
PATH_DOCUMENTS: dict[ApprovalPath, tuple[DocKind, ...]] = {
    ApprovalPath.standard: (
        DocKind.proposal,
        DocKind.feasibility_study,
        DocKind.preliminary_design,
        DocKind.investment_estimate,
    ),
    # "可以简化审批程序": the feasibility study deep enough to budget and implement.
    ApprovalPath.simplified: (DocKind.feasibility_study,),
    # "可以直接编报可行性研究报告"
    ApprovalPath.planned: (
        DocKind.feasibility_study,
        DocKind.preliminary_design,
        DocKind.investment_estimate,
    ),
    # "可以直接编报项目可行性研究报告、初步设计方案和投资概算"
    ApprovalPath.urgent: (
        DocKind.feasibility_study,
        DocKind.preliminary_design,
        DocKind.investment_estimate,
    ),
}


def a001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if d.approval_path is None:
        hits.append(Hit(("approval_path",), anchor="parent", variant="no_path"))
        return hits
    needed = PATH_DOCUMENTS[d.approval_path]
    for kind in needed:
        # a field of Documents: its attribute, no Documents.get call (and the enum's
        # `_value_`, not the `value` descriptor's Python call)
        if getattr(d.documents, kind._value_) is None:
            hits.append(
                Hit(
                    ("documents", kind.value),
                    {
                        "path_label": d.approval_path.label,
                        "path": d.approval_path.value,
                        "needed": "、".join(k.label for k in needed),
                        "needed_en": ", ".join(k.value for k in needed),
                    },
                    anchor="parent",
                )
            )
    return hits


A001 = rule(
    "A001",
    E,
    "三（二）",
    Stage.approved,
    ("审批路径所需文件齐全", "the approval path's documents exist"),
    (
        "缺少 {field}（{label}）：{path_label}审批路径需要{needed}。",
        "{field} ({label}) is missing: the {path} approval path needs {needed_en}.",
    ),
    variants={
        "no_path": (
            "approval_path（审批路径）未填写：已立项的项目必须说明走常规、简化、已纳入规划还是紧急路径。",
            "approval_path is missing: an approved project must state its path (standard, "
            "simplified, planned or urgent).",
        ),
    },
)(a001)


def a002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if d.approval_path is not _PATH_SIMPLIFIED:
        return hits
    limit = ctx.settings.policy.simplified_max_budget_wan
    if d.budget_wan is None or d.budget_wan > limit:
        hits.append(
            Hit(
                ("budget_wan",),
                {
                    "limit": limit,
                    "why": f"预算为 {d.budget_wan}",
                    "why_en": f"budget is {d.budget_wan}",
                },
                anchor="parent",
            )
        )
    # 三（二）: 总投资在 500 万元以内: the investment estimate is the total investment too
    est = d.documents.investment_estimate
    if est is not None and est.amount_wan is not None and est.amount_wan > limit:
        hits.append(
            Hit(
                ("documents", "investment_estimate", "amount_wan"),
                {
                    "limit": limit,
                    "why": f"投资概算为 {est.amount_wan}",
                    "why_en": f"the investment estimate is {est.amount_wan}",
                },
                anchor="parent",
            )
        )
    if d.simple_and_mature is not True:
        hits.append(
            Hit(
                ("simple_and_mature",),
                {
                    "limit": limit,
                    "why": "simple_and_mature 不是 true",
                    "why_en": "simple_and_mature is not true",
                },
                anchor="parent",
            )
        )
    return hits


A002 = rule(
    "A002",
    E,
    "三（二）",
    Stage.proposed,
    ("简化审批的条件", "conditions of the simplified path"),
    (
        "{field}（{label}）：简化审批仅适用于总投资不超过 {limit} 万元且系统功能相对简单、技术成熟的项目"
        "（{why}）。请改走其他审批路径。",
        "{field} ({label}): the simplified path is only for a total investment of at most "
        "{limit} 万元 and a simple, mature system ({why_en}). Choose another path.",
    ),
)(a002)


def a003(ctx: Context) -> list[Hit]:
    d = ctx.dossier
    if d.approval_path is _PATH_PLANNED and d.in_plan is not True:
        return [Hit(("in_plan",), anchor="parent")]
    return []


A003 = rule(
    "A003",
    E,
    "三（二）",
    Stage.proposed,
    ("已纳入规划路径的条件", "condition of the planned path"),
    (
        "{field}（{label}）不是 true：只有已纳入省、州、市级政务信息化建设规划的项目才能直接编报可行性研究报告。",
        "{field} ({label}) is not true: only a project in a provincial, prefecture or city plan "
        "may go straight to the feasibility study.",
    ),
)(a003)


def a004(ctx: Context) -> list[Hit]:
    d = ctx.dossier
    if d.approval_path is _PATH_URGENT and not (d.urgency_basis or "").strip():
        return [Hit(("urgency_basis",), anchor="parent")]
    return []


A004 = rule(
    "A004",
    E,
    "三（二）",
    Stage.proposed,
    ("紧急路径须说明紧急事由", "the urgent path needs its reason"),
    (
        "{field}（{label}）为空：紧急路径须写明上级明确要求或涉及发展战略、安全稳定等特殊原因。",
        "{field} ({label}) is empty: the urgent path needs the superior requirement or the "
        "strategic or security reason.",
    ),
)(a004)


# A005's documents and the fields each names its preparer in (made once, not a dict a call)
_PREPARERS = (
    ("proposal", ("prepared_by", "credential")),
    ("feasibility_study", ("prepared_by", "credential")),
    ("preliminary_design", ("prepared_by", "qualification")),
    ("investment_estimate", ("prepared_by", "qualification")),
)


def a005(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    docs = ctx.dossier.documents
    for kind, fields in _PREPARERS:
        doc = getattr(docs, kind)  # a field of Documents: its attribute, no Documents.get call
        if doc is None:
            continue
        for f in fields:
            if not (getattr(doc, f, None) or "").strip():
                hits.append(Hit(("documents", kind, f), anchor="parent"))
    return hits


A005 = rule(
    "A005",
    E,
    "三（二）",
    Stage.approved,
    ("编制单位及其资信、资质", "preparers and their credentials"),
    (
        "{field}（{label}）未填写：项目建议书、可行性研究报告须由具备相应资信的工程咨询机构编制，"
        "初步设计方案和投资概算须由具备相应资质的工程设计单位编制。",
        "{field} ({label}) is missing: a proposal and a feasibility study must be prepared by a "
        "consulting organisation with the matching credential (资信), a preliminary design and an "
        "investment estimate by a design organisation with the matching qualification (资质).",
    ),
)(a005)


def a006(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    docs = ctx.dossier.documents
    for kind in ("feasibility_study", "preliminary_design"):
        doc = getattr(docs, kind)  # a field of Documents: its attribute, no Documents.get call
        if doc is not None and getattr(doc, "sharing_analysis", None) is not True:
            hits.append(Hit(("documents", kind, "sharing_analysis"), anchor="parent"))
    return hits


A006 = rule(
    "A006",
    E,
    "三（二）",
    Stage.approved,
    ("信息资源共享分析篇（章）", "the information-sharing chapter"),
    (
        "{field}（{label}）不是 true：可行性研究报告、初步设计方案应当包括信息资源共享分析篇（章）。",
        "{field} ({label}) is not true: the feasibility study and the preliminary design must "
        "contain the information-sharing chapter.",
    ),
)(a006)


def a007(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    docs = ctx.dossier.documents
    reply = docs.approval_reply
    if reply is None:
        hits.append(
            Hit(
                ("documents", "approval_reply"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    else:
        if reply.sharing_opinion is not True:
            hits.append(
                Hit(
                    ("documents", "approval_reply", "sharing_opinion"),
                    {"what": "不是 true", "what_en": "is not true"},
                    anchor="parent",
                )
            )
        if not (reply.number or "").strip():
            hits.append(
                Hit(
                    ("documents", "approval_reply", "number"),
                    {"what": "未填写", "what_en": "is missing"},
                    anchor="parent",
                )
            )
        if reply.date is None:
            hits.append(
                Hit(
                    ("documents", "approval_reply", "date"),
                    {"what": "未填写", "what_en": "is missing"},
                    anchor="parent",
                )
            )
    ev = docs.consulting_evaluation
    if ev is not None and ev.sharing_opinion is not True:
        hits.append(
            Hit(
                ("documents", "consulting_evaluation", "sharing_opinion"),
                anchor="parent",
                variant="evaluation",
            )
        )
    return hits


A007 = rule(
    "A007",
    E,
    "三（二）",
    Stage.approved,
    ("批复与评估含共享意见", "the approval and evaluation opine on sharing"),
    (
        "{field}（{label}）{what}：市发改委的批复文件应当包括对信息资源共享分析篇（章）的意见，并有文号和日期。",
        "{field} ({label}) {what_en}: the NDRC's approval reply must opine on the sharing "
        "chapter and carry a number and a date.",
    ),
    variants={
        "evaluation": (
            "{field}（{label}）不是 true：咨询评估单位的评估报告应当包括对信息资源共享分析篇（章）的评估意见。",
            "{field} ({label}) is not true: the consulting evaluation must assess the sharing chapter.",
        ),
    },
)(a007)


def a008(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if d.data_resources is None or d.data_resources.catalog_written is not True:
        hits.append(
            Hit(
                ("data_resources", "catalog_written"),
                {"what": "不是 true", "what_en": "is not true"},
                anchor="parent",
            )
        )
    if d.documents.resource_catalog is None:
        hits.append(
            Hit(
                ("documents", "resource_catalog"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    return hits


A008 = rule(
    "A008",
    E,
    "三（二）",
    Stage.approved,
    ("信息资源目录是审批的必备条件", "the resource catalog is required for approval"),
    (
        "{field}（{label}）{what}：信息资源目录是审批政务信息化项目的必备条件。",
        "{field} ({label}) {what_en}: the information resource catalog is a precondition of "
        "approval.",
    ),
)(a008)


def a009(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    if d.in_plan is None:
        # omitted is not "planned": the planned path's shortcut needs a stated true
        hits.append(Hit(("in_plan",), anchor="parent", variant="no_in_plan"))
        return hits
    if d.new_department is True or d.in_plan is False:
        fs = d.documents.feasibility_study
        if fs is None or fs.platform_docking is not True:
            hits.append(
                Hit(("documents", "feasibility_study", "platform_docking"), anchor="parent")
            )
    return hits


A009 = rule(
    "A009",
    E,
    "三（二）",
    Stage.approved,
    ("新设部门或未列入规划须明确平台对接", "new or unplanned: platform docking stated"),
    (
        "{field}（{label}）不是 true：新设立部门或未列入规划的项目，可行性研究报告中要明确与格尔木市政务资源"
        "整合共享交换平台及政务服务平台对接等情况。",
        "{field} ({label}) is not true: for a new department or an unplanned project the "
        "feasibility study must state docking with the city's sharing/exchange platform and "
        "government service platform.",
    ),
    variants={
        "no_in_plan": (
            "{field}（{label}）未填写：已立项的项目须说明是否已纳入省、州、市级政务信息化建设规划；"
            "未列入规划的，可行性研究报告中要明确与政务资源整合共享交换平台及政务服务平台对接等情况。",
            "{field} ({label}) is missing: an approved project states whether it is in a "
            "provincial, prefecture or city plan; an unplanned one's feasibility study states "
            "docking with the sharing/exchange and government service platforms.",
        ),
    },
)(a009)


def a010(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    cd = d.cross_department
    if cd is None:
        return hits
    if d.documents.framework_plan is None:
        hits.append(
            Hit(
                ("documents", "framework_plan"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    if not [p for p in cd.participants if p.strip() and p != cd.lead]:
        hits.append(
            Hit(
                ("cross_department", "participants"),
                {
                    "what": "没有牵头部门以外的参建部门",
                    "what_en": "names no department besides the lead",
                },
                anchor="parent",
            )
        )
    return hits


A010 = rule(
    "A010",
    E,
    "二（三）",
    Stage.approved,
    ("跨部门项目须有框架方案和参建部门", "a cross-department project has its framework plan"),
    (
        "{field}（{label}）{what}：跨部门项目由牵头部门会同参建部门形成统一框架方案后联合报送。",
        "{field} ({label}) {what_en}: a cross-department project is submitted jointly with a "
        "framework plan agreed by the lead and the participating departments.",
    ),
)(a010)


# 三（二）: the approval reply is the approval act; its date and the `approved` entry's
# are one event. gtx's review tolerance (not the measures'): 30 days.


def a011(ctx: Context) -> Sequence[Hit]:
    reply = ctx.dossier.documents.approval_reply
    date = reply.date if reply is not None else None
    return far_from_act(
        "approval_reply", date, entered_dates(ctx.dossier).get(_STAGE_APPROVED), "approved"
    )


A011 = rule(
    "A011",
    W,
    "三（二）",
    Stage.approved,
    ("批复日期与立项记录一致", "the approval reply's date agrees with the approval entry"),
    (
        "{field}（{label}）{date} 与历史中的立项日期 {approved} 相差 {days} 天（超过 {limit} 天）："
        "立项批复即市发改委的审批行为，两者日期应当一致，请核对。",
        "{field} ({label}) {date} is {days} days away from the approval entry {approved} "
        "(more than {limit}): the reply is the NDRC's act of approval; check the dates.",
    ),
)(a011)


def a012(ctx: Context) -> list[Hit]:
    er = ctx.dossier.documents.expert_review
    if er is not None and er.passed is False:
        return [Hit(("documents", "expert_review", "passed"))]
    return []


A012 = rule(
    "A012",
    E,
    "三（二）",
    Stage.approved,
    ("未通过评审的项目不予实施", "a project that failed review is not carried out"),
    (
        "{field}（{label}）为 false，但项目已立项：未通过审核的项目不予实施；"
        "请按评审意见优化建设方案并重新评审，记录通过的评审意见。",
        "{field} ({label}) is false but the project is approved: a project that failed review "
        "is not carried out; revise the plan, review it again and record the passing review.",
    ),
    also=("二（一）",),
)(a012)
