"""B and P rules: filing 三（三）, procurement 三（四）, budget 三（一）, contract 三（六）."""

from __future__ import annotations

from typing import TYPE_CHECKING

from golmud_cli.core.deadlines import Kind, State, compute, entered_dates
from golmud_cli.core.lifecycle import Stage
from golmud_cli.core.rules.base import Context, E, Hit, W, rule
from golmud_cli.core.values import MlpsLevel, Network

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier

# Enum members the per-dossier checks below read, read once here: a read off an enum
# class goes through EnumType's __getattr__ hook (~0.2 us; core/deadlines.py).
_KIND_FILING = Kind.filing
_MLPS_OTHER = MlpsLevel.other
_NETWORK_OTHER = Network.other
_STAGE_APPROVED = Stage.approved
_STAGE_FILED = Stage.filed
_STATE_DONE_LATE = State.done_late


FieldPath = tuple[str, ...]


def missing_filing_fields(d: Dossier) -> list[FieldPath]:
    """Every field of the filing table (附件) that is not filled in, in table order.

    Shared by B001 and `gtx form`, so the form refuses exactly what validate reports.
    """
    # the (path, value) pairs in table order, then one pass: a call a field was most of
    # B001's cost on a complete table (docs/benchmarks.md)
    contact, schedule, mlps, systems = d.contact, d.schedule, d.mlps, d.systems
    data, cloud = d.data_resources, d.cloud
    fields: list[tuple[FieldPath, object]] = [
        (("name",), d.name),
        (("contact", "name"), contact and contact.name),
        (("contact", "phone"), contact and contact.phone),
        (("budget_wan",), d.budget_wan),
        (("funding_source",), d.funding_source),
        (("schedule", "start"), schedule and schedule.start),
        (("schedule", "duration_months"), schedule and schedule.duration_months),
        (("basis",), d.basis),
        (("mlps", "level"), mlps and mlps.level),
    ]
    if mlps and mlps.level is _MLPS_OTHER:
        fields.append((("mlps", "note"), mlps.note))
    fields += [
        (("systems", "count"), systems and systems.count),
        (("systems", "type"), systems and systems.type),
        (("data_resources", "needed"), data and data.needed),
        (("data_resources", "catalog_written"), data and data.catalog_written),
        (("operating_cost_wan",), d.operating_cost_wan),
        (("cloud", "deployed"), cloud and cloud.deployed),
    ]
    if cloud and cloud.deployed:
        fields.append((("cloud", "operator"), cloud.operator))
    fields.append((("network",), d.network))
    if d.network is _NETWORK_OTHER:
        fields.append((("network_note",), d.network_note))
    return [
        path
        for path, value in fields
        if value is None or (isinstance(value, str) and not value.strip())
    ]


def b001(ctx: Context) -> list[Hit]:
    # `False` is a filled answer (否 / 无需求); only a missing value is a gap.
    hits: list[Hit] = []
    for path in missing_filing_fields(ctx.dossier):
        hits.append(Hit(path, anchor="parent"))
    return hits


B001 = rule(
    "B001",
    E,
    "三（三）",
    Stage.filed,
    ("备案表各项填写完整", "every field of the filing table is filled"),
    (
        "{field}（{label}）未填写：备案时须填写备案表的每一项（项目名称、投资额度、运营费用、经费渠道、"
        "数据资源、应用系统、等级保护和分级保护备案情况等）。",
        "{field} ({label}) is missing: filing needs every field of the filing table (name, "
        "investment, operating cost, funding, data resources, systems, MLPS or classified "
        "protection (分级保护), ...).",
    ),
    also=("附件",),
)(b001)


def b002(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    docs = ctx.dossier.documents
    # the three fields read as attributes, not by Documents.get (a Python call each)
    for kind, doc in (
        ("feasibility_study", docs.feasibility_study),
        ("approval_reply", docs.approval_reply),
        ("filing_form", docs.filing_form),
    ):
        if doc is None:
            hits.append(Hit(("documents", kind), anchor="parent"))
    return hits


B002 = rule(
    "B002",
    E,
    "三（三）",
    Stage.filed,
    ("备案材料齐全", "the filing documents exist"),
    (
        "缺少 {field}（{label}）：备案须提供可行性研究报告副本、立项批复和格尔木市政务信息系统备案表。",
        "{field} ({label}) is missing: filing needs the feasibility study, the approval reply "
        "and the filing form.",
    ),
)(b002)


def b003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    entered = entered_dates(d)
    approved, filed = entered.get(_STAGE_APPROVED), entered.get(_STAGE_FILED)
    if approved is None or filed is None:
        return hits
    for dl in compute(d, ctx.settings.policy, ctx.today, ctx.calendar):
        if dl.kind is _KIND_FILING and dl.state is _STATE_DONE_LATE:
            idx = max(i for i, h in enumerate(d.history) if h.stage is _STAGE_FILED)
            hits.append(
                Hit(
                    ("history", idx, "date"),
                    {
                        "filed": filed,
                        "approved": approved,
                        "days": (filed - approved).days,
                        "limit": ctx.settings.policy.filing_days,
                    },
                )
            )
    return hits


B003 = rule(
    "B003",
    W,
    "三（三）",
    Stage.filed,
    ("审批结束后立即备案", "filing began immediately after approval"),
    (
        "备案日期 {filed} 距立项 {approved} 已 {days} 天，超过 {limit} 天：《办法》要求审批结束后立即开始备案。",
        "filed on {filed}, {days} days after approval on {approved}, more than {limit} days: "
        "the measures ask for filing to start immediately after approval.",
    ),
    local_policy=True,
)(b003)


def p001(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    d = ctx.dossier
    pf = d.documents.procurement_filing
    if pf is None:
        hits.append(
            Hit(
                ("documents", "procurement_filing"),
                {"what": "缺失", "what_en": "is missing"},
                anchor="parent",
            )
        )
    elif pf.method is None:
        hits.append(
            Hit(
                ("documents", "procurement_filing", "method"),
                {"what": "未填写采购方式", "what_en": "names no procurement method"},
                anchor="parent",
            )
        )
    stages = d.stages
    for s in (_STAGE_APPROVED, _STAGE_FILED):
        if s not in stages:
            hits.append(
                Hit(
                    ("history",),
                    {
                        "what": f"中没有 {s.value}（{s.label}）",
                        "what_en": f"has no {s.value} entry",
                    },
                    anchor="key",
                )
            )
    return hits


P001 = rule(
    "P001",
    E,
    "三（四）",
    Stage.procuring,
    ("通过评审且完成备案后采购", "procurement only after review and filing"),
    (
        "{field}（{label}）{what}：通过评审且完成备案的项目，由建设单位向市财政局填报政府采购项目备案表。",
        "{field} ({label}) {what_en}: a project that passed review and filing submits the "
        "procurement filing form to the finance bureau.",
    ),
    also=("二（四）",),
)(p001)


def p002(ctx: Context) -> list[Hit]:
    if ctx.dossier.documents.budget_application is None:
        return [Hit(("documents", "budget_application"), anchor="parent")]
    return []


P002 = rule(
    "P002",
    W,
    "三（一）",
    Stage.procuring,
    ("已申报部门预算项目支出", "the budget application is recorded"),
    (
        "缺少 {field}（{label}）：获得立项批复后，应向市财政局申报部门预算项目支出。",
        "{field} ({label}) is missing: after approval the unit applies to the finance bureau "
        "for the departmental budget.",
    ),
)(p002)


def p003(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    c = ctx.dossier.documents.contract
    if c is None:
        hits.append(Hit(("documents", "contract"), anchor="parent"))
        return hits
    for f, v in (("date", c.date), ("vendor", c.vendor), ("amount_wan", c.amount_wan)):
        if v is None or (isinstance(v, str) and not v.strip()):
            hits.append(Hit(("documents", "contract", f), anchor="parent"))
    return hits


P003 = rule(
    "P003",
    E,
    "三（六）",
    Stage.under_construction,
    ("建设合同", "the construction contract"),
    (
        "{field}（{label}）未填写：验收以合同文本约定的建设内容为准，须记录合同的日期、承建单位和金额。",
        "{field} ({label}) is missing: acceptance checks against the contract, so record its "
        "date, vendor and amount.",
    ),
)(p003)


def p004(ctx: Context) -> list[Hit]:
    d = ctx.dossier
    c = d.documents.contract
    if c is None or c.amount_wan is None or d.budget_wan is None:
        return []
    limit = ctx.settings.policy.contract_over_budget_percent
    if c.amount_wan * 100 > d.budget_wan * (100 + limit):
        over = (c.amount_wan - d.budget_wan) * 100 / d.budget_wan
        return [
            Hit(
                ("documents", "contract", "amount_wan"),
                {
                    "amount": c.amount_wan,
                    "budget": d.budget_wan,
                    "over": f"{over:.1f}",
                    "limit": limit,
                },
            )
        ]
    return []


P004 = rule(
    "P004",
    W,
    "二（二）",
    Stage.under_construction,
    ("合同金额不超出项目预算", "the contract does not exceed the budget"),
    (
        "{field}（{label}）{amount} 万元超出项目预算 budget_wan（项目预算(万元)）{budget} 万元"
        "{over}%（容许 {limit}%）：资金使用计划由市财政局审核，请核对合同与批复的预算。",
        "{field} ({label}) {amount} 万元 exceeds the budget_wan {budget} 万元 by {over}% "
        "(tolerance {limit}%): finance reviews the spending plan; check the contract against "
        "the approved budget.",
    ),
    local_policy=True,
)(p004)
