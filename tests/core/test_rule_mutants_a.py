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
import io
from decimal import Decimal
from typing import Any

import pytest
from ruamel.yaml import YAML

from golmud_cli.core.findings import Finding
from golmud_cli.core.model import DEFAULT_SETTINGS, Policy, Settings
from golmud_cli.core.rules import FileStatus
from golmud_cli.pipeline.check import check_bytes
from tests.conftest import ROOT

PID = "2024-smart-parking"
AS_OF = dt.date(2026, 11, 2)  # the cases' day
D = dt.date


def base(stage: str) -> dict[str, Any]:
    """The committed dossier that is valid at `stage` (tests/cases/make_cases.py)."""
    path = ROOT / "tests" / "cases" / "valid" / f"base-{stage}" / "dossiers" / PID / "project.yaml"
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text("utf-8"))
    return data


def check(
    data: dict[str, Any], *, today: dt.date = AS_OF, settings: Settings = DEFAULT_SETTINGS
) -> list[Finding]:
    out = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False  # one field a line, as the cases are written
    yaml.dump(data, out)
    result = check_bytes(
        out.getvalue().encode("utf-8"),
        file=f"dossiers/{PID}/project.yaml",
        folder=PID,
        settings=settings,
        today=today,
        stat=lambda _: FileStatus.ok,  # every attachment is there (F001 is not asked)
    )
    return result.findings


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
