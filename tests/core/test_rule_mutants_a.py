"""The approval (A), acceptance (K, V) and unit (S010) rules at the edges that decide
them, and what a finding of a rule says (docs/lifecycle.md, Rules).

Written for the survivors of `make mutate MODULE=golmud_cli.core.rules.approval` and of
acceptance, units, base and the catalog (docs/testing.md, Mutation testing). Each test
checks one dossier's bytes as `gtx validate` does (load, schema, corrections, rules:
`check_bytes`, no git, a few milliseconds, so mutmut runs these first), starting from
a committed case's dossier that is valid at its stage (tests/cases/valid/base-*) with
one edit, and asserts what a user reads: the code, the severity, the field and the
Chinese and English message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from golmud_cli.core.findings import Finding
from golmud_cli.core.model import Policy, Settings, UnitEntry
from tests.support.rule_cases import base, check, rest_days

D = dt.date


def found(data: dict[str, Any], code: str, **kw: Any) -> list[tuple[str, str | None]]:
    """(severity, field) of each `code` finding, in the file's order."""
    return [(f.severity.value, f.field) for f in check(data, **kw) if f.code == code]


def said(data: dict[str, Any], code: str, **kw: Any) -> list[tuple[str, str | None, str, str]]:
    """(severity, field, Chinese message, English message) of each `code` finding."""
    return [
        (f.severity.value, f.field, f.message_zh, f.message_en)
        for f in check(data, **kw)
        if f.code == code
    ]


def one(data: dict[str, Any], code: str, **kw: Any) -> Finding:
    hits = [f for f in check(data, **kw) if f.code == code]
    assert len(hits) == 1, hits
    return hits[0]


def codes(data: dict[str, Any], **kw: Any) -> set[str]:
    """The error and warning codes of a dossier."""
    return {f.code for f in check(data, **kw) if f.severity.value != "info"}


def test_every_base_dossier_used_here_is_clean() -> None:
    # the edits below are the only reason for a finding
    for stage in ("proposed", "approved", "completed", "accepted", "post_evaluated"):
        assert codes(base(stage)) == set(), stage


# --- A002: the simplified path (三（二）: 总投资在 500 万元以内) ---------------------


def simplified(budget: float, estimate: float | None = None) -> dict[str, Any]:
    d = base("approved")
    d.update(approval_path="simplified", simple_and_mature=True, budget_wan=budget)
    if estimate is not None:
        d["documents"]["investment_estimate"]["amount_wan"] = estimate
    return d


def test_a002_a_budget_of_exactly_the_limit_is_allowed_one_more_is_not() -> None:
    assert found(simplified(500, 500), "A002") == []
    f = one(simplified(500.01, 500), "A002")
    assert (f.severity.value, f.field) == ("error", "budget_wan")
    assert "预算为 500.01" in f.message_zh and "不超过 500 万元" in f.message_zh
    assert "budget is 500.01" in f.message_en and "at most 500 万元" in f.message_en


def test_a002_the_estimate_is_the_total_investment_too() -> None:
    # 三（二）: 总投资在 500 万元以内; the budget may be under the limit and the estimate not
    assert found(simplified(100, 500), "A002") == []
    [(severity, field, zh, en)] = said(simplified(100, 500.5), "A002")
    assert (severity, field) == ("error", "documents.investment_estimate.amount_wan")
    assert "（投资概算为 500.5）" in zh and "(the investment estimate is 500.5)" in en


def test_a002_simple_and_mature_must_be_stated_true() -> None:
    for value in (False, None):
        d = simplified(100, 100)
        d["simple_and_mature"] = value
        [(severity, field, zh, en)] = said(d, "A002")
        assert (severity, field) == ("error", "simple_and_mature")
        assert "（simple_and_mature 不是 true）" in zh
        assert "(simple_and_mature is not true)" in en


def test_a002_reads_the_limit_in_force_and_only_on_the_simplified_path() -> None:
    low = Settings(policy=Policy(simplified_max_budget_wan=Decimal(300)))
    [(_, field, zh, en)] = said(simplified(300.5, 300), "A002", settings=low)
    assert field == "budget_wan"
    assert "不超过 300 万元" in zh and "at most 300 万元" in en
    assert found(simplified(300, 300), "A002", settings=low) == []
    # the standard path has no ceiling and needs no simple_and_mature
    d = simplified(900, 900)
    d.update(approval_path="standard", simple_and_mature=False)
    assert found(d, "A002") == []


# --- A001: the documents of each path (三（二）) ------------------------------------


@pytest.mark.parametrize(
    ("path", "missing", "needed_zh", "needed_en"),
    [
        (
            "standard",
            "proposal",
            "项目建议书、可行性研究报告、初步设计方案、投资概算",
            "proposal, feasibility_study, preliminary_design, investment_estimate",
        ),
        (
            "planned",
            "preliminary_design",
            "可行性研究报告、初步设计方案、投资概算",
            "feasibility_study, preliminary_design, investment_estimate",
        ),
        (
            "urgent",
            "investment_estimate",
            "可行性研究报告、初步设计方案、投资概算",
            "feasibility_study, preliminary_design, investment_estimate",
        ),
        ("simplified", "feasibility_study", "可行性研究报告", "feasibility_study"),
    ],
)
def test_a001_names_the_missing_document_and_what_the_path_needs(
    path: str, missing: str, needed_zh: str, needed_en: str
) -> None:
    d = base("approved")
    d.update(approval_path=path, in_plan=True, urgency_basis="上级明确要求", simple_and_mature=True)
    del d["documents"][missing]
    [(severity, field, zh, en)] = said(d, "A001")
    assert (severity, field) == ("error", f"documents.{missing}")
    assert zh.endswith(f"审批路径需要{needed_zh}。")
    assert en.endswith(f"the {path} approval path needs {needed_en}.")


def test_a001_the_simplified_path_needs_no_proposal_nor_design() -> None:
    d = simplified(100, 100)
    for kind in ("proposal", "preliminary_design", "investment_estimate"):
        del d["documents"][kind]
    assert found(d, "A001") == []


def test_a001_without_a_path_says_so_once() -> None:
    d = base("approved")
    del d["approval_path"]
    [(severity, field, zh, en)] = said(d, "A001")
    assert (severity, field) == ("error", "approval_path")
    assert zh.startswith("approval_path（审批路径）未填写：")
    assert en.startswith("approval_path is missing: an approved project must state its path")


# --- A003, A004: the planned and urgent paths' conditions --------------------------


def test_a003_the_planned_path_needs_in_plan_true() -> None:
    d = base("proposed")
    d["approval_path"] = "planned"
    for value, expected in (
        (True, []),
        (False, [("error", "in_plan")]),
        (None, [("error", "in_plan")]),
    ):
        d["in_plan"] = value
        assert found(d, "A003") == expected, value
    # another path with in_plan false is not A003's business
    d.update(approval_path="standard", in_plan=False)
    assert found(d, "A003") == []


def test_a004_the_urgent_path_needs_a_reason_that_is_not_blank() -> None:
    d = base("proposed")
    d["approval_path"] = "urgent"
    for value, expected in (
        ("上级明确要求", []),
        ("  ", [("error", "urgency_basis")]),
        (None, [("error", "urgency_basis")]),
    ):
        d["urgency_basis"] = value
        assert found(d, "A004") == expected, value
    d.update(approval_path="standard", urgency_basis=None)
    assert found(d, "A004") == []


# --- A005, A006: the preparers and the sharing chapter ------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("proposal", "prepared_by"),
        ("proposal", "credential"),
        ("feasibility_study", "prepared_by"),
        ("feasibility_study", "credential"),
        ("preliminary_design", "prepared_by"),
        ("preliminary_design", "qualification"),
        ("investment_estimate", "prepared_by"),
        ("investment_estimate", "qualification"),
    ],
)
def test_a005_each_preparer_and_credential_on_its_own(kind: str, field: str) -> None:
    for blank in (None, " "):
        d = base("approved")
        d["documents"][kind][field] = blank
        [(severity, where, zh, en)] = said(d, "A005")
        assert (severity, where) == ("error", f"documents.{kind}.{field}")
        assert "未填写" in zh and "is missing" in en


def test_a005_a_document_not_there_is_skipped_and_the_next_one_checked() -> None:
    # the planned path has no proposal: the feasibility study after it is still read
    d = base("approved")
    d["approval_path"] = "planned"
    del d["documents"]["proposal"]
    assert found(d, "A005") == []
    d["documents"]["feasibility_study"]["credential"] = ""
    assert found(d, "A005") == [("error", "documents.feasibility_study.credential")]


@pytest.mark.parametrize("kind", ["feasibility_study", "preliminary_design"])
def test_a006_each_document_needs_its_sharing_chapter(kind: str) -> None:
    for value in (False, None):
        d = base("approved")
        d["documents"][kind]["sharing_analysis"] = value
        assert found(d, "A006") == [("error", f"documents.{kind}.sharing_analysis")]


def test_a006_the_design_is_checked_without_a_feasibility_study() -> None:
    d = base("approved")
    del d["documents"]["feasibility_study"]
    d["documents"]["preliminary_design"]["sharing_analysis"] = False
    assert found(d, "A006") == [("error", "documents.preliminary_design.sharing_analysis")]


# --- A007: the approval reply and the consulting evaluation --------------------------


def test_a007_a_missing_reply() -> None:
    d = base("approved")
    del d["documents"]["approval_reply"]
    [(severity, field, zh, en)] = said(d, "A007")
    assert (severity, field) == ("error", "documents.approval_reply")
    assert zh.startswith("documents.approval_reply（立项批复）缺失：")
    assert en.startswith("documents.approval_reply (立项批复) is missing: ")


@pytest.mark.parametrize(
    ("field", "value", "what_zh", "what_en"),
    [
        ("sharing_opinion", False, "不是 true", "is not true"),
        ("sharing_opinion", None, "不是 true", "is not true"),
        ("number", " ", "未填写", "is missing"),
        ("number", None, "未填写", "is missing"),
        ("date", None, "未填写", "is missing"),
    ],
)
def test_a007_each_part_of_the_reply_on_its_own(
    field: str, value: Any, what_zh: str, what_en: str
) -> None:
    d = base("approved")
    d["documents"]["approval_reply"][field] = value
    [(severity, where, zh, en)] = said(d, "A007")
    assert (severity, where) == ("error", f"documents.approval_reply.{field}")
    assert zh.split("：")[0].endswith(f"）{what_zh}")
    assert en.split(":")[0].endswith(f") {what_en}")


def test_a007_a_consulting_evaluation_must_opine_on_sharing() -> None:
    d = base("approved")
    d["documents"]["consulting_evaluation"] = {"file": "attachments/evaluation.pdf"}
    [(severity, field, zh, en)] = said(d, "A007")
    assert (severity, field) == ("error", "documents.consulting_evaluation.sharing_opinion")
    assert "咨询评估单位的评估报告应当包括" in zh
    assert en.endswith("is not true: the consulting evaluation must assess the sharing chapter.")
    d["documents"]["consulting_evaluation"]["sharing_opinion"] = True
    assert found(d, "A007") == []


# --- A008: the resource catalog ------------------------------------------------------


def test_a008_the_catalog_written_and_the_catalog_document_each_on_its_own() -> None:
    d = base("approved")
    del d["data_resources"]
    [(_, field, zh, en)] = said(d, "A008")
    assert field == "data_resources.catalog_written"
    assert "）不是 true：" in zh and ") is not true: " in en
    d = base("approved")
    d["data_resources"]["catalog_written"] = False
    assert found(d, "A008") == [("error", "data_resources.catalog_written")]
    d = base("approved")
    del d["documents"]["resource_catalog"]
    [(_, field, zh, en)] = said(d, "A008")
    assert field == "documents.resource_catalog"
    assert "（信息资源目录）缺失：" in zh and "(信息资源目录) is missing: " in en


# --- A009: a new department or an unplanned project states platform docking ----------


@pytest.mark.parametrize(
    ("in_plan", "new_department", "docking", "raised"),
    [
        (True, False, False, False),  # planned, existing department: not asked
        (True, True, False, True),  # a new department, planned
        (False, False, False, True),  # unplanned
        (False, None, None, True),
        (False, True, True, False),  # stated: fine
    ],
)
def test_a009_each_condition_on_its_own(
    in_plan: bool, new_department: bool | None, docking: bool | None, raised: bool
) -> None:
    d = base("approved")
    d.update(in_plan=in_plan, new_department=new_department)
    d["documents"]["feasibility_study"]["platform_docking"] = docking
    expected = [("error", "documents.feasibility_study.platform_docking")] if raised else []
    assert found(d, "A009") == expected


def test_a009_an_unplanned_project_without_a_feasibility_study() -> None:
    d = base("approved")
    d["in_plan"] = False
    del d["documents"]["feasibility_study"]
    assert found(d, "A009") == [("error", "documents.feasibility_study.platform_docking")]


def test_a009_in_plan_omitted_is_not_planned() -> None:
    d = base("approved")
    del d["in_plan"]
    [(severity, field, zh, en)] = said(d, "A009")
    assert (severity, field) == ("error", "in_plan")
    assert zh.startswith("in_plan（已纳入政务信息化建设规划）未填写：已立项的项目须说明")
    assert en.startswith("in_plan (已纳入政务信息化建设规划) is missing: an approved project")


# --- A010: a cross-department project (二（三）) ----------------------------------------


def cross(*participants: str, framework: bool = True) -> dict[str, Any]:
    d = base("approved")
    d["cross_department"] = {"lead": "格尔木市公安局", "participants": list(participants)}
    if framework:
        d["documents"]["framework_plan"] = {"file": "attachments/framework-plan.pdf"}
    return d


def test_a010_the_framework_plan_and_a_participant_besides_the_lead() -> None:
    assert found(cross("格尔木市公安局", "格尔木市财政局"), "A010") == []
    [(_, field, zh, en)] = said(cross("格尔木市财政局", framework=False), "A010")
    assert field == "documents.framework_plan"
    assert "（跨部门框架方案）缺失：" in zh and "(跨部门框架方案) is missing: " in en
    for participants in ((), ("格尔木市公安局",)):
        [(_, field, zh, en)] = said(cross(*participants), "A010")
        assert field == "cross_department.participants"
        assert "）没有牵头部门以外的参建部门：" in zh
        assert ") names no department besides the lead: " in en
    assert found(base("approved"), "A010") == []  # not a cross-department project


# --- A011: the reply's date and the approval entry's (gtx's 30 days) ------------------


@pytest.mark.parametrize(
    ("reply", "days"),
    [("2024-05-10", None), ("2024-05-11", 31), ("2024-03-11", None), ("2024-03-10", 31)],
    ids=["30-after", "31-after", "30-before", "31-before"],
)
def test_a011_thirty_days_either_way_is_tolerated(reply: str, days: int | None) -> None:
    # approved 2024-04-10
    d = base("approved")
    d["documents"]["approval_reply"]["date"] = reply
    got = said(d, "A011")
    if days is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("warning", "documents.approval_reply.date")
    assert f"）{reply} 与历史中的立项日期 2024-04-10 相差 {days} 天（超过 30 天）" in zh
    assert f") {reply} is {days} days away from the approval entry 2024-04-10 (more than 30)" in en


# --- A012: a failed expert review -------------------------------------------------------


def test_a012_only_a_review_recorded_as_failed() -> None:
    d = base("approved")
    review: dict[str, Any] = {"file": "attachments/expert-review.pdf"}
    d["documents"]["expert_review"] = review
    for passed, expected in (
        (None, []),
        (True, []),
        (False, [("error", "documents.expert_review.passed")]),
    ):
        review["passed"] = passed
        assert found(d, "A012") == expected, passed


# --- K001, K002: the acceptance deadlines (三（六）) ----------------------------------
# The base timeline: completed 2024-12-20, preliminary acceptance 2025-02-20, the
# request 2025-03-10, accepted 2025-04-15, operating 2025-05-06.


def at(d: dict[str, Any], **dates: str) -> dict[str, Any]:
    """`d` with the history entries of the stages named moved to those dates."""
    for h in d["history"]:
        h["date"] = dates.get(h["stage"], h["date"])
    return d


@pytest.mark.parametrize(
    ("completed", "late"),
    [("2024-11-20", None), ("2024-11-19", 1), ("2024-11-30", None)],
    ids=["due-day", "day-after", "month-end-clamped"],
)
def test_k001_completed_three_months_before(completed: str, late: int | None) -> None:
    # + 3 months: 2025-02-20 (a Thursday), 2025-02-19, and 2024-11-30 -> 2025-02-28
    got = said(at(base("accepted"), completed=completed), "K001")
    if late is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("error", "history.6.date")
    assert zh == (
        "初步验收日期 2025-02-20 晚于期限 2025-02-19（建成于 2024-11-19，迟 1 天）：项目建成后 3 个月内"
        "应组织初步验收；不能按期的，应事先向市发改委申请延期验收。"
    )
    assert en.startswith(
        "preliminary acceptance on 2025-02-20 is after the deadline 2025-02-19 (completed "
        "2024-11-19, 1 day late): it is due within 3 months of completion;"
    )


def test_k001_late_with_an_approved_extension_says_so() -> None:
    d = at(base("accepted"), completed="2024-11-19", preliminarily_accepted="2025-03-21")
    d["extensions"] = [
        {
            "for": "preliminary_acceptance",
            "requested": "2025-02-10",
            "approved": "2025-02-12",
            "until": "2025-03-20",
        }
    ]
    [(_, field, zh, en)] = said(d, "K001")
    assert field == "history.6.date"
    assert "晚于期限 2025-03-20（含已批准的延期）（建成于 2024-11-19，迟 1 天）" in zh
    assert "after the deadline 2025-03-20 (with the approved extension) (completed" in en
    d["history"][6]["date"] = "2025-03-20"
    assert found(d, "K001") == []


@pytest.mark.parametrize(
    ("prelim", "late"),
    [("2025-02-10", None), ("2025-02-08", None), ("2025-02-07", 3)],
    ids=["due-day", "due-on-saturday-shifted-to-monday", "due-friday"],
)
def test_k002_one_month_after_the_preliminary_acceptance(prelim: str, late: int | None) -> None:
    # the request 2025-03-10 (a Monday); 2025-02-08 + 1 month is a Saturday
    d = at(base("accepted"), preliminarily_accepted=prelim)
    d["documents"]["preliminary_acceptance_report"]["date"] = prelim
    got = said(d, "K002")
    if late is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("error", "history.7.date")
    assert zh == (
        "申请竣工验收日期 2025-03-10 晚于期限 2025-03-07（初步验收于 2025-02-07，迟 3 天）："
        "通过初步验收后 1 个月内应向市发改委申请竣工验收。"
    )
    assert en == (
        "the final acceptance request on 2025-03-10 is after the deadline 2025-03-07 "
        "(preliminary acceptance 2025-02-07, 3 days late): it is due within 1 month."
    )


def test_k002_on_the_leap_day() -> None:
    # 2024-01-31 + 1 month = 2024-02-29 (a Thursday): due that day, late the day after
    history = {
        "proposed": "2023-02-20",
        "approved": "2023-04-10",
        "filed": "2023-04-25",
        "procuring": "2023-05-10",
        "under_construction": "2023-06-05",
        "completed": "2023-12-20",
        "preliminarily_accepted": "2024-01-31",
        "acceptance_requested": "2024-02-29",
        "accepted": "2024-04-15",
    }
    d = at(base("accepted"), **history)
    assert found(d, "K002") == []
    d["history"][7]["date"] = "2024-03-01"
    [(_, _, zh, en)] = said(d, "K002")
    assert "晚于期限 2024-02-29（初步验收于 2024-01-31，迟 1 天）" in zh
    assert "after the deadline 2024-02-29 (preliminary acceptance 2024-01-31, 1 day late)" in en


def test_k001_k002_read_the_months_in_force() -> None:
    # gtx.yaml's policy: 1 month for the preliminary acceptance, 2 for the request
    policy = Settings(
        policy=Policy(preliminary_acceptance_months=1, final_acceptance_request_months=2)
    )
    # 2025-01-19 + 1 month: 2025-02-19, a day before the preliminary acceptance;
    # 2025-02-20 + 2 months: Sunday 2025-04-20 -> Monday 2025-04-21, a day before the request
    d = at(base("accepted"), completed="2025-01-19", acceptance_requested="2025-04-22")
    d["history"][8]["date"] = "2025-04-25"
    [(_, _, zh, en)] = said(d, "K001", settings=policy)
    assert "（建成于 2025-01-19，迟 1 天）：项目建成后 1 个月内" in zh
    assert "it is due within 1 month of completion" in en
    [(_, _, zh, en)] = said(d, "K002", settings=policy)
    assert "通过初步验收后 2 个月内" in zh and "it is due within 2 months." in en


# --- K003, K004, K006: the documents of acceptance ----------------------------------


@pytest.mark.parametrize(
    "kind", ["construction_summary", "financial_report", "audit_report", "security_risk_assessment"]
)
def test_k003_each_attachment_of_the_request_on_its_own(kind: str) -> None:
    d = base("acceptance_requested")
    del d["documents"][kind]
    assert found(d, "K003") == [("error", f"documents.{kind}")]


def test_k006_the_preliminary_report_missing_or_undated() -> None:
    d = base("preliminarily_accepted")
    del d["documents"]["preliminary_acceptance_report"]["date"]
    [(_, field, zh, en)] = said(d, "K006")
    assert field == "documents.preliminary_acceptance_report.date"
    assert "（初步验收报告·日期）未填写日期：" in zh and "(初步验收报告·日期) has no date: " in en
    del d["documents"]["preliminary_acceptance_report"]
    [(_, field, zh, en)] = said(d, "K006")
    assert field == "documents.preliminary_acceptance_report"
    assert "（初步验收报告）缺失：" in zh and "(初步验收报告) is missing: " in en


# --- K005: an extension that counts ------------------------------------------------------


def extension(**fields: str | None) -> dict[str, Any]:
    d = base("accepted")
    d["extensions"] = [{"for": "preliminary_acceptance", **fields}]
    return d


def test_k005_a_pending_extension_needs_nothing_yet() -> None:
    assert found(extension(requested="2025-02-01"), "K005") == []


def test_k005_an_approved_extension_without_until() -> None:
    [(severity, field, zh, en)] = said(
        extension(requested="2025-02-01", approved="2025-02-02"), "K005"
    )
    assert (severity, field) == ("error", "extensions.0.until")
    assert "（延期验收·第1项·延期至）未填写：" in zh
    assert "(延期验收·第1项·延期至) is missing: " in en


def test_k005_consent_before_the_request() -> None:
    d = extension(requested="2025-02-01", approved="2025-01-31", until="2025-04-20")
    [(severity, field, zh, en)] = said(d, "K005")
    assert (severity, field) == ("error", "extensions.0.approved")
    assert "（延期验收·第1项·批准日期）早于申请日期：" in zh
    assert "(延期验收·第1项·批准日期) is before the request: " in en
    # consent on the day of the request, or no request recorded (K007's), is not K005's
    d = extension(requested="2025-02-01", approved="2025-02-01", until="2025-04-20")
    assert found(d, "K005") == []
    assert found(extension(approved="2025-02-01", until="2025-04-20"), "K005") == []


@pytest.mark.parametrize(
    ("kind", "until", "due"),
    [
        ("preliminary_acceptance", "2025-03-20", "2025-03-20"),  # completed 2024-12-20 + 3
        ("final_acceptance_request", "2025-03-20", "2025-03-20"),  # 2025-02-20 + 1
        ("construction", "2025-02-01", "2025-02-01"),  # the schedule: 2024-06-01 + 8 months
    ],
)
def test_k005_until_on_the_original_deadline_is_not_after_it(
    kind: str, until: str, due: str
) -> None:
    d = base("accepted")
    ext = {"for": kind, "requested": "2024-12-01", "approved": "2024-12-02", "until": until}
    d["extensions"] = [ext]
    [(severity, field, zh, en)] = said(d, "K005")
    assert (severity, field) == ("error", "extensions.0.until")
    assert f"）{until} 不晚于原期限 {due}：" in zh
    assert en.endswith(f") {until} is not after the original deadline {due}.")
    ext["until"] = (D.fromisoformat(due) + dt.timedelta(days=1)).isoformat()
    assert found(d, "K005") == []


def test_k005_without_the_act_its_deadline_counts_from_there_is_no_deadline() -> None:
    # approved, not yet completed: the preliminary acceptance has no deadline yet
    d = base("approved")
    d["extensions"] = [
        {
            "for": "preliminary_acceptance",
            "requested": "2024-04-20",
            "approved": "2024-04-21",
            "until": "2024-05-01",
        }
    ]
    assert found(d, "K005") == []
    d["extensions"][0]["for"] = "final_acceptance_request"
    assert found(d, "K005") == []


# --- K007: an extension asked before the deadline, approved before the act -----------
# completed 2024-11-19: the preliminary acceptance was due 2025-02-19, done 2025-03-01


def late_prelim(**fields: str) -> dict[str, Any]:
    d = at(base("accepted"), completed="2024-11-19", preliminarily_accepted="2025-03-01")
    d["extensions"] = [{"for": "preliminary_acceptance", "until": "2025-04-20", **fields}]
    return d


def test_k007_an_approved_extension_without_its_request_date() -> None:
    [(severity, field, zh, en)] = said(late_prelim(approved="2025-02-02"), "K007")
    assert (severity, field) == ("error", "extensions.0.requested")
    assert "未填写：已批准的延期须写明申请日期，才能确认是在到期前 2025-02-19 申请的。" in zh
    assert "to show it was asked before the deadline 2025-02-19." in en


@pytest.mark.parametrize(
    ("requested", "raised"),
    [("2025-02-19", False), ("2025-02-20", True)],
    ids=["due-day", "day-after"],
)
def test_k007_asked_on_the_due_day_counts(requested: str, raised: bool) -> None:
    got = said(late_prelim(requested=requested, approved="2025-02-22"), "K007")
    if not raised:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("error", "extensions.0.requested")
    assert "）2025-02-20 晚于原期限 2025-02-19：" in zh
    assert ") 2025-02-20 is after the original deadline 2025-02-19: " in en


@pytest.mark.parametrize(
    ("approved", "raised"),
    [("2025-03-01", False), ("2025-03-02", True)],
    ids=["act-day", "day-after"],
)
def test_k007_consent_on_the_day_of_the_act_counts(approved: str, raised: bool) -> None:
    got = said(late_prelim(requested="2025-02-10", approved=approved), "K007")
    if not raised:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("error", "extensions.0.approved")
    assert "）2025-03-02 晚于已完成的初步验收（2025-03-01）：" in zh
    assert "(preliminary_acceptance on 2025-03-01): an extension approved after" in en


def test_k007_a_pending_extension_and_one_for_another_deadline_are_not_judged() -> None:
    assert found(late_prelim(requested="2025-03-10"), "K007") == []  # never approved
    # asked after the preliminary acceptance's deadline, but for the request's (due
    # 2025-04-01, made 2025-03-10): in time for that one
    d = late_prelim(requested="2025-03-04", approved="2025-03-05")
    assert found(d, "K007") == [("error", "extensions.0.requested")]
    d["extensions"][0]["for"] = "final_acceptance_request"
    assert found(d, "K007") == []


def test_k007_the_original_deadline_is_shifted_off_a_weekend() -> None:
    # completed 2024-11-22 + 3 months = Saturday 2025-02-22 -> Monday 2025-02-24
    d = late_prelim(requested="2025-02-24", approved="2025-02-25")
    d = at(d, completed="2024-11-22")
    assert found(d, "K007") == []
    d["extensions"][0]["requested"] = "2025-02-25"
    [(_, _, zh, _)] = said(d, "K007")
    assert "）2025-02-25 晚于原期限 2025-02-24：" in zh


# --- K008, K009: the reports' dates ------------------------------------------------------


def test_k008_the_report_on_the_request_day_is_fine_the_day_before_is_not() -> None:
    d = base("accepted")
    d["documents"]["acceptance_report"]["date"] = "2025-03-10"
    assert found(d, "K008") == []
    d["documents"]["acceptance_report"]["date"] = "2025-03-09"
    [(severity, field, zh, en)] = said(d, "K008")
    assert (severity, field) == ("error", "documents.acceptance_report.date")
    assert "）2025-03-09 早于申请竣工验收日期 2025-03-10：" in zh
    assert ") 2025-03-09 is before the acceptance request of 2025-03-10: " in en
    del d["documents"]["acceptance_report"]["date"]
    assert found(d, "K008") == []


@pytest.mark.parametrize(
    ("report", "days"),
    [("2025-03-22", None), ("2025-03-23", 31), ("2025-01-21", None), ("2025-01-20", 31)],
    ids=["30-after", "31-after", "30-before", "31-before"],
)
def test_k009_thirty_days_either_way_is_tolerated(report: str, days: int | None) -> None:
    # preliminary acceptance 2025-02-20
    d = base("accepted")
    d["documents"]["preliminary_acceptance_report"]["date"] = report
    got = said(d, "K009")
    if days is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("warning", "documents.preliminary_acceptance_report.date")
    assert f"）{report} 与历史中的初步验收日期 2025-02-20 相差 {days} 天（超过 30 天）" in zh
    assert f") {report} is {days} days away from the preliminary acceptance entry 2025-02-20" in en


# --- V001, V002, V003: evaluation after acceptance (三（七）) ----------------------------
# operating 2025-05-06 (after accepted 2025-04-15): the window is 2026-05-06 to 2027-05-06


@pytest.mark.parametrize(
    ("evaluated", "expected"),
    [
        ("2026-05-05", ("warning", "早于窗口开启日 2026-05-06（自 2025-05-06 起 12 个月）")),
        ("2026-05-06", None),
        ("2027-05-06", None),
        ("2027-05-07", ("error", "晚于期限 2027-05-06（自 2025-05-06 起 24 个月）")),
    ],
    ids=["day-before-the-window", "opening-day", "due-day", "day-after"],
)
def test_v001_the_window_from_operation(evaluated: str, expected: tuple[str, str] | None) -> None:
    d = at(base("self_evaluated"), self_evaluated=evaluated)
    got = said(d, "V001", today=D(2027, 12, 1))
    if expected is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field, f"自评价日期 {evaluated} " in zh) == (
        expected[0],
        "history.10.date",
        True,
    )
    assert expected[1] in zh
    if severity == "warning":
        assert "less than 12 months of operation" in en and "on 2026-05-06 (12 months" in en
    else:
        assert "after the deadline 2027-05-06 (24 months from 2025-05-06)" in en
        assert "it is due 12 to 24 months after acceptance" in en


def test_v001_the_window_in_force() -> None:
    window = Settings(policy=Policy(self_evaluation_window_months=(6, 18)))
    d = at(base("self_evaluated"), self_evaluated="2025-11-05")
    [(severity, _, zh, en)] = said(d, "V001", settings=window)
    assert severity == "warning"
    assert "早于窗口开启日 2025-11-06（自 2025-05-06 起 6 个月）：运行不足 6 个月" in zh
    assert "less than 6 months of operation" in en
    d = at(base("self_evaluated"), self_evaluated="2026-11-07")
    [(severity, _, zh, en)] = said(d, "V001", settings=window, today=D(2027, 1, 4))
    assert severity == "error"
    assert (
        "晚于期限 2026-11-06（自 2025-05-06 起 18 个月）：项目应在通过验收并投入运行后 6 至 18 个月内"
        in zh
    )
    assert "(18 months from 2025-05-06): it is due 6 to 18 months after" in en


@pytest.mark.parametrize(
    ("submitted", "what_zh", "what_en"),
    [
        (["ndrc"], "缺少 finance（市财政局）", "lacks finance"),
        (["finance", "audit"], "缺少 ndrc（市发改委）", "lacks ndrc"),
        (["audit"], "缺少 ndrc（市发改委）、finance（市财政局）", "lacks ndrc, finance"),
    ],
)
def test_v002_each_recipient_on_its_own(submitted: list[str], what_zh: str, what_en: str) -> None:
    d = base("self_evaluated")
    d["documents"]["self_evaluation_report"]["submitted_to"] = submitted
    [(severity, field, zh, en)] = said(d, "V002")
    assert (severity, field) == ("error", "documents.self_evaluation_report.submitted_to")
    assert f"（自评价报告·报送单位）{what_zh}：" in zh
    assert f"(自评价报告·报送单位) {what_en}: " in en


def test_v002_the_report_missing() -> None:
    d = base("self_evaluated")
    del d["documents"]["self_evaluation_report"]
    [(_, field, zh, en)] = said(d, "V002")
    assert field == "documents.self_evaluation_report"
    assert "（自评价报告）缺失：" in zh and "(自评价报告) is missing: " in en


def test_v003_the_report_and_its_evaluator() -> None:
    d = base("post_evaluated")
    d["documents"]["post_evaluation_report"]["evaluator"] = " "
    [(_, field, zh, en)] = said(d, "V003")
    assert field == "documents.post_evaluation_report.evaluator"
    assert "（后评价报告·评价机构）未填写：" in zh and "(后评价报告·评价机构) is missing: " in en
    del d["documents"]["post_evaluation_report"]["evaluator"]
    assert found(d, "V003") == [("error", "documents.post_evaluation_report.evaluator")]
    del d["documents"]["post_evaluation_report"]
    [(_, field, zh, en)] = said(d, "V003")
    assert field == "documents.post_evaluation_report"
    assert "（后评价报告）缺失：" in zh and "(后评价报告) is missing: " in en


# --- S010: the unit registered in gtx.yaml ------------------------------------------------

UNITS = Settings(units={"格尔木市公安局交通警察大队": UnitEntry(), "格尔木市财政局": UnitEntry()})


def test_s010_a_registered_unit_or_no_units_at_all() -> None:
    assert found(base("proposed"), "S010", settings=UNITS) == []
    d = base("proposed")
    d["unit"] = "格尔木市人民医院"
    assert found(d, "S010") == []  # gtx.yaml registers no unit: nothing to match


def test_s010_suggests_the_nearest_registered_name_an_error_once_the_unit_acted() -> None:
    d = base("proposed")
    d["unit"] = "格尔木市公安局交警大队"
    [(severity, field, zh, en)] = said(d, "S010", settings=UNITS)
    assert (severity, field) == ("error", "unit")
    assert zh == (
        "建设单位「格尔木市公安局交警大队」没有在 gtx.yaml 的 units 中登记（名称须一字不差），"
        "是不是「格尔木市公安局交通警察大队」？推进阶段前须由管理员登记该单位及其签署人。"
    )
    assert en == (
        "the unit '格尔木市公安局交警大队' is not registered under units in gtx.yaml (the name "
        "must match exactly); did you mean '格尔木市公安局交通警察大队'? The administrator "
        "registers the unit and its signers before a stage can advance."
    )


def test_s010_a_draft_with_a_name_like_none_registered_is_a_warning() -> None:
    d = base("draft")
    d["unit"] = "格尔木市人民医院"
    [(severity, field, zh, en)] = said(d, "S010", settings=UNITS)
    assert (severity, field) == ("warning", "unit")
    assert "（名称须一字不差）。推进阶段前" in zh
    assert "(the name must match exactly). The administrator" in en


# --- base.py: what every finding carries ------------------------------------------------------


def test_a_local_policy_rule_says_so_in_both_languages() -> None:
    # B003 rests on gtx.yaml's filing_days (30), not on the measures (三（三）: 立即)
    [f] = [f for f in check(at(base("filed"), filed="2024-05-11")) if f.code == "B003"]
    assert (f.severity.value, f.field, f.label) == (
        "warning",
        "history.2.date",
        "阶段历史·第3项·日期",
    )
    assert f.message_zh.endswith("审批结束后立即开始备案。（此数值为本地政策，非《办法》规定）")
    assert f.message_en.endswith(
        "to start immediately after approval. (this limit is local policy, not the measures)"
    )
    assert f.clause == "三（三）"
    # a rule on the measures themselves carries no such note
    [g] = [g for g in check(at(base("accepted"), completed="2024-11-19")) if g.code == "K001"]
    assert "本地政策" not in g.message_zh and "local policy" not in g.message_en
    assert (g.clause, g.label) == ("三（六）", "阶段历史·第7项·日期")


def test_v001_judges_the_self_evaluation_only() -> None:
    # the preliminary acceptance was late (K001) and the filing too (B003): V001 reads
    # the self-evaluation's deadline, met here, and says nothing of the others
    d = at(base("self_evaluated"), completed="2024-11-19", filed="2024-05-11")
    assert {"K001", "B003"} <= {f.code for f in check(d)}
    assert found(d, "V001") == []


# --- the repository's calendar (edges/calendar.py), not the package's ------------------------


def test_k001_k007_shift_the_due_day_in_the_repositorys_calendar() -> None:
    # completed 2024-11-19: due Wednesday 2025-02-19, a rest day in this repository's
    # calendar, so Thursday 2025-02-20 is on time there (and late in the package's)
    d = at(base("accepted"), completed="2024-11-19")
    mine = rest_days(D(2025, 2, 19))
    assert found(d, "K001") == [("error", "history.6.date")]
    assert found(d, "K001", calendar=mine) == []
    late = late_prelim(requested="2025-02-20", approved="2025-02-22")
    assert found(late, "K007") == [("error", "extensions.0.requested")]
    assert found(late, "K007", calendar=mine) == []


def test_v001_shifts_the_due_day_in_the_repositorys_calendar() -> None:
    # due Thursday 2027-05-06; with that day a rest day, Friday 2027-05-07 is on time
    d = at(base("self_evaluated"), self_evaluated="2027-05-07")
    later = D(2027, 12, 1)
    assert found(d, "V001", today=later) == [("error", "history.10.date")]
    assert found(d, "V001", today=later, calendar=rest_days(D(2027, 5, 6))) == []


def test_k005_k007_read_every_extension_after_a_pending_or_faulty_one() -> None:
    # a pending extension, then one approved without `until`, then one ending on the
    # original deadline: each later one is still judged
    d = extension()
    d["extensions"] = [
        {"for": "preliminary_acceptance", "requested": "2025-02-01"},
        {"for": "preliminary_acceptance", "requested": "2025-02-01", "approved": "2025-02-02"},
        {
            "for": "preliminary_acceptance",
            "requested": "2025-02-01",
            "approved": "2025-02-02",
            "until": "2025-03-20",
        },
    ]
    assert found(d, "K005") == [("error", "extensions.1.until"), ("error", "extensions.2.until")]
    late = late_prelim(requested="2025-02-20", approved="2025-02-22")
    late["extensions"].insert(0, {"for": "preliminary_acceptance", "requested": "2025-02-20"})
    assert found(late, "K007") == [("error", "extensions.1.requested")]


def test_k007_an_extension_for_a_later_deadline_is_matched_past_the_earlier_ones() -> None:
    # the request's extension, asked after its deadline (2025-04-01; done 2025-04-10):
    # the filing and the preliminary acceptance come first among the deadlines
    d = at(base("accepted"), acceptance_requested="2025-04-10")
    d["history"][8]["date"] = "2025-04-15"
    d["extensions"] = [
        {
            "for": "final_acceptance_request",
            "requested": "2025-04-02",
            "approved": "2025-04-03",
            "until": "2025-04-30",
        }
    ]
    d = at(d, preliminarily_accepted="2025-03-01")
    assert found(d, "K007") == [("error", "extensions.0.requested")]
