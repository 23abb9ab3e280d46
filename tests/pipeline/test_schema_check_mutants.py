"""What `gtx validate` says about a project.yaml or gtx.yaml that does not fit the model,
from pipeline/schema_check.py: each kind of pydantic error worded in both languages with
the field and its label, and the partial dossier the rules still see (written for `make
mutate`, docs/testing.md; quick: the model only, no repository).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from golmud_cli.core.model import Dossier, Settings
from golmud_cli.edges.loader import load
from golmud_cli.pipeline.schema_check import validate
from tests.conftest import ROOT

BASE: dict[str, Any] = load(
    (ROOT / "dossiers" / "2023-hotline-12345" / "project.yaml").read_bytes(), "x", "x"
).data
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"


def _with(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(fields)
    return data


def _check(model: type[BaseModel], data: Any) -> tuple[Any, list[Any], list[Any]]:
    dropped: list[Any] = []
    instance, findings = validate(model, data, file="f.yaml", project="p", dropped=dropped)
    return instance, findings, dropped


def test_a_sample_dossier_fits() -> None:
    instance, findings, dropped = _check(Dossier, copy.deepcopy(BASE))
    assert isinstance(instance, Dossier) and instance.id == BASE["id"]
    assert (findings, dropped) == ([], [])


@pytest.mark.parametrize(
    ("data", "en", "zh"),
    [
        (None, "the file is empty: start from the template that gtx new writes.",
         "文件是空的：请从 gtx new 生成的模板开始填写。"),
        ([1], "the top level must be a mapping (key: value), not a list.",
         "文件顶层必须是映射（键: 值），而不是列表。"),
        ("text", "the top level must be a mapping (key: value), not a text.",
         "文件顶层必须是映射（键: 值），而不是一段文本。"),
        (3, "the top level must be a mapping (key: value), not a number.",
         "文件顶层必须是映射（键: 值），而不是数字。"),
        (1.5, "the top level must be a mapping (key: value), not a number.",
         "文件顶层必须是映射（键: 值），而不是数字。"),
        (True, "the top level must be a mapping (key: value), not a boolean.",
         "文件顶层必须是映射（键: 值），而不是布尔值。"),
        (dt.date(2025, 1, 1), "the top level must be a mapping (key: value), not date.",
         "文件顶层必须是映射（键: 值），而不是date。"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_mapping_is_one_s002_on_the_whole_file(
    data: Any, en: str, zh: str
) -> None:
    instance, findings, dropped = _check(Dossier, data)
    assert instance is None and dropped == []
    assert [(f.code, f.field, f.label, f.file, f.project) for f in findings] == [
        ("S002", None, "", "f.yaml", "p")
    ]
    assert (findings[0].message_en, findings[0].message_zh) == (en, zh)
    assert findings[0].severity.value == "error" and findings[0].clause is None


# (what is written, the finding's field, its English message, its Chinese message)
ROWS: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    ("typo", _with(budjet_wan=5), "S004", "budjet_wan",
     "unknown key budjet_wan: did you mean budget_wan (项目预算(万元))?",
     "未知的键 budjet_wan：是不是 budget_wan（项目预算(万元)）？"),
    ("no such key", _with(zzzzzz=1), "S004", "zzzzzz",
     "unknown key zzzzzz: remove it, or correct it against schema/dossier.schema.json.",
     "未知的键 zzzzzz：请删除，或对照 schema/dossier.schema.json 改正。"),
    ("a key with brackets", _with(**{"a[b]": 1}), "S004", "a[b]",
     "unknown key a[b]: remove it, or correct it against schema/dossier.schema.json.",
     "未知的键 a[b]：请删除，或对照 schema/dossier.schema.json 改正。"),
    ("nested typo", _with(contact={**BASE["contact"], "phon": "1"}), "S004", "contact.phon",
     "unknown key phon: did you mean phone (项目联系人·联系电话)?",
     "未知的键 phon：是不是 phone（项目联系人·联系电话）？"),
    ("phone as a number", _with(contact={**BASE["contact"], "phone": 979123456}), "S002",
     "contact.phone",
     "contact.phone (项目联系人·联系电话): text is expected but a number was written, which "
     "loses leading zeros (0979123456 would become 979123456). Quote it as written, "
     'e.g. "0979123456".',
     "contact.phone（项目联系人·联系电话）：这里需要文本，但写成了数字：数字会丢失前导零"
     '（0979123456 会变成 979123456）。请按原样加上英文双引号，例如 "0979123456"。'),
    ("date format", _with(schedule={"start": "2025/01/01"}), "S002", "schedule.start",
     "schedule.start (计划建设时间·开工时间): a date is written YYYY-MM-DD, e.g. 2024-05-01 "
     "(got 2025/01/01).",
     "schedule.start（计划建设时间·开工时间）：日期须写成 YYYY-MM-DD，例如 2024-05-01"
     "（当前为 2025/01/01）。"),
    ("no such date", _with(schedule={"start": "2025-02-30"}), "S002", "schedule.start",
     "schedule.start (计划建设时间·开工时间): 2025-02-30 is not a real date (check the days "
     "of that month).",
     "schedule.start（计划建设时间·开工时间）：日期 2025-02-30 不存在（请核对月份天数）。"),
    ("a number for a date", _with(schedule={"start": 5}), "S002", "schedule.start",
     "schedule.start (计划建设时间·开工时间): a date is expected here, written YYYY-MM-DD, "
     "e.g. 2024-05-01.",
     "schedule.start（计划建设时间·开工时间）：这里需要日期，写成 YYYY-MM-DD，例如 2024-05-01。"),
    ("quoted number", _with(budget_wan="680"), "S002", "budget_wan",
     "budget_wan (项目预算(万元)): write the number without quotes: 680.",
     "budget_wan（项目预算(万元)）：数字不要加引号：写成 680（去掉引号）。"),
    ("text for a number", _with(budget_wan="abc"), "S002", "budget_wan",
     "budget_wan (项目预算(万元)): a number (万元) is expected here.",
     "budget_wan（项目预算(万元)）：这里需要数字（万元）。"),
    ("a fraction of a month",
     _with(schedule={"start": "2025-01-01", "duration_months": 1.5}), "S002",
     "schedule.duration_months",
     "schedule.duration_months (计划建设时间·建设时间（预计工期，月）): a whole number is "
     "expected here.",
     "schedule.duration_months（计划建设时间·建设时间（预计工期，月））：这里需要整数。"),
    ("yes for true", _with(cloud={"deployed": "yes"}), "S002", "cloud.deployed",
     "cloud.deployed (云平台部署): only true or false is allowed here (in YAML 1.2 yes/no "
     "are text).",
     "cloud.deployed（云平台部署）：这里只能写 true 或 false（YAML 1.2 中 yes/no 是文本）。"),
    ("not a funding source", _with(funding_source="xyz"), "S002", "funding_source",
     "funding_source (资金来源): 'xyz' is not allowed; choose one of: municipal (市级财政资金), "
     "municipal_social (政府和社会联合建设), service_purchase (政府购买服务), om_only "
     "(需要政府运行维护), central (中央财政资金), provincial (省级财政资金).",
     "funding_source（资金来源）：取值 'xyz' 不在允许范围内，可选：municipal（市级财政资金）、"
     "municipal_social（政府和社会联合建设）、service_purchase（政府购买服务）、"
     "om_only（需要政府运行维护）、central（中央财政资金）、provincial（省级财政资金）。"),
    ("budget below zero", _with(budget_wan=-1), "S002", "budget_wan",
     "budget_wan (项目预算(万元)): -1 is out of range: must be > 0.",
     "budget_wan（项目预算(万元)）：取值 -1 超出范围：须 > 0。"),
    ("no month at all", _with(schedule={"start": "2025-01-01", "duration_months": 0}), "S002",
     "schedule.duration_months",
     "schedule.duration_months (计划建设时间·建设时间（预计工期，月）): 0 is out of range: "
     "must be ≥ 1.",
     "schedule.duration_months（计划建设时间·建设时间（预计工期，月））：取值 0 超出范围：须 ≥ 1。"),
    ("a number for a mapping", _with(contact=5), "S002", "contact",
     "contact (项目联系人): a mapping (key: value) is expected here.",
     "contact（项目联系人）：这里需要一个映射（键: 值）。"),
    ("text for a list", _with(cross_department={"lead": "a", "participants": "x"}), "S002",
     "cross_department.participants",
     "cross_department.participants (跨部门项目·参建部门): a list (items starting with -) is "
     "expected here.",
     "cross_department.participants（跨部门项目·参建部门）：这里需要一个列表（- 开头的各项）。"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "data", "code", "field", "en", "zh"), ROWS, ids=[r[0] for r in ROWS]
)
def test_a_wrong_field_is_named_with_its_label_and_the_fix(
    what: str, data: dict[str, Any], code: str, field: str, en: str, zh: str
) -> None:
    instance, findings, dropped = _check(Dossier, data)
    assert [(f.code, f.field) for f in findings] == [(code, field)], what
    # where the editor jumps: an unknown key itself, else the wrong value
    assert findings[0].anchor == ("key" if code == "S004" else "value")
    assert (findings[0].message_en, findings[0].message_zh) == (en, zh)
    if code == "S002":
        assert zh.startswith(f"{field}（{findings[0].label}）：")
    # the rest of the dossier is still read: only the wrong field is left out
    assert isinstance(instance, Dossier), what
    assert dropped == [tuple(field.split("."))]
    assert instance.id == BASE["id"]


def test_a_blank_or_misformed_required_field_leaves_no_dossier() -> None:
    instance, findings, dropped = _check(Dossier, _with(name="  "))
    assert [(f.code, f.field, f.message_en) for f in findings] == [
        ("S002", "name", "name (项目名称): must not be empty.")
    ]
    assert findings[0].message_zh == "name（项目名称）：不能为空。"
    assert (instance, dropped) == (None, [("name",)])
    instance, findings, _ = _check(Dossier, _with(id="Bad ID"))
    assert instance is None
    assert [(f.field, f.anchor) for f in findings] == [("id", "value")]
    assert findings[0].message_en == (
        "id (项目编号): 'Bad ID' has the wrong form: an id is 3-64 lowercase letters, digits "
        "and hyphens, e.g. 2024-smart-parking."
    )
    assert findings[0].message_zh == (
        "id（项目编号）：“Bad ID”格式不对：项目编号只能用小写字母、数字和连字符，3 到 64 个字符，"
        "例如 2024-smart-parking。"
    )


def test_a_missing_required_field_points_at_where_it_belongs() -> None:
    data = {k: v for k, v in _with(budget_wan=-1).items() if k != "name"}
    instance, findings, dropped = _check(Dossier, data)
    assert [(f.code, f.field, f.anchor) for f in findings] == [
        ("S002", "name", "parent"),
        ("S002", "budget_wan", "value"),
    ]
    assert findings[0].message_en == "name (项目名称): is required but missing; add it."
    assert findings[0].message_zh == "name（项目名称）：必填项缺失，请补充。"
    assert instance is None  # a required top-level field: no dossier to run rules on
    assert dropped == [("budget_wan",)]


def test_a_missing_nested_field_drops_the_mapping_it_belongs_in() -> None:
    instance, findings, dropped = _check(Dossier, _with(cross_department={"participants": ["a"]}))
    assert [(f.field, f.anchor) for f in findings] == [("cross_department.lead", "parent")]
    assert findings[0].message_en == (
        "cross_department.lead (跨部门项目·牵头部门): is required but missing; add it."
    )
    assert dropped == [("cross_department",)]
    assert isinstance(instance, Dossier) and instance.cross_department is None
    documents = {**BASE["documents"], "proposal": {"date": "2023-01-01"}}
    instance, findings, dropped = _check(Dossier, _with(documents=documents))
    assert [f.field for f in findings] == ["documents.proposal.file"]
    assert dropped == [("documents", "proposal")]
    assert isinstance(instance, Dossier) and instance.documents.proposal is None


def test_two_wrong_items_of_a_list_are_both_dropped() -> None:
    first = BASE["history"][0]
    instance, findings, dropped = _check(Dossier, _with(history=[5, first, 6]))
    assert [(f.field, f.message_en) for f in findings] == [
        ("history.0", "history.0 (阶段历史·第1项): a mapping (key: value) is expected here."),
        ("history.2", "history.2 (阶段历史·第3项): a mapping (key: value) is expected here."),
    ]
    # the later item first, so that the earlier one's index still holds
    assert dropped == [("history", 2), ("history", 0)]
    assert isinstance(instance, Dossier) and len(instance.history) == 1
    assert instance.history[0].stage.value == first["stage"]


# gtx.yaml, against the settings model
SETTINGS_ROWS: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("nested typo", {"roles": {"ndrc": {"signerz": []}}}, "S004", "roles.ndrc.signerz",
     "unknown key signerz: did you mean signers (角色与签署人·ndrc·签署人)?"),
    ("unknown policy", {"policy": {"zzzzzz": 1}}, "S004", "policy.zzzzzz",
     "unknown key zzzzzz: remove it, or use one of: preliminary_acceptance_months, "
     "final_acceptance_request_months, self_evaluation_window_months, "
     "simplified_max_budget_wan, filing_days, due_soon_days, holiday_shift, "
     "contract_over_budget_percent."),
    ("unknown top-level key", {"zzzzzz": 1}, "S004", "zzzzzz",
     "unknown key zzzzzz: remove it, or use one of: city, roles, units, policy."),
    ("key with options",
     {"roles": {"ndrc": {"signers": [{"name": "a", "key": 'valid-before="20250101" ' + KEY}]}}},
     "S002", "roles.ndrc.signers.0.key",
     "roles.ndrc.signers.0.key (角色与签署人·ndrc·签署人·第1项·公钥（SSH 公钥或 OpenPGP 指纹）): "
     "the key carries allowed-signers options (valid-before=, cert-authority, ...), which gtx "
     'does not take: write only "type key [comment]" and give validity as from / until.'),
    ("until before from",
     {"roles": {"ndrc": {"signers": [
         {"name": "a", "key": KEY, "from": "2025-02-01", "until": "2025-01-01"}]}}},
     "S002", "roles.ndrc.signers.0",
     "roles.ndrc.signers.0 (角色与签署人·ndrc·签署人·第1项): until is before from: a signer's "
     "validity must start before it ends."),
    ("window backwards", {"policy": {"self_evaluation_window_months": [24, 12]}}, "S002",
     "policy.self_evaluation_window_months",
     "policy.self_evaluation_window_months (政策参数·自评价窗口（月）): write [from, to] months "
     "with from before to, e.g. [12, 24] (三（七）)."),
    ("window of three", {"policy": {"self_evaluation_window_months": [12, 13, 14]}}, "S002",
     "policy.self_evaluation_window_months",
     "policy.self_evaluation_window_months (政策参数·自评价窗口（月）): the list has the wrong "
     "number of items (3)."),
    ("window as text", {"policy": {"self_evaluation_window_months": "12"}}, "S002",
     "policy.self_evaluation_window_months",
     "policy.self_evaluation_window_months (政策参数·自评价窗口（月）): a list (items starting "
     "with -) is expected here."),
    ("roles as a list", {"roles": [1]}, "S002", "roles",
     "roles (角色与签署人): a mapping (key: value) is expected here."),
    ("no such role", {"roles": {"boss": {}}}, "S002", "roles.boss",
     "roles.boss (角色与签署人·boss): 'boss' is not allowed; choose one of: unit, ndrc, "
     "gov_office, finance, audit, cac, tech or service."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "data", "code", "field", "en"), SETTINGS_ROWS, ids=[r[0] for r in SETTINGS_ROWS]
)
def test_a_wrong_setting_is_named_with_the_fix(
    what: str, data: dict[str, Any], code: str, field: str, en: str
) -> None:
    instance, findings, dropped = _check(Settings, data)
    assert [(f.code, f.field, f.message_en) for f in findings] == [(code, field, en)], what
    assert findings[0].anchor == ("key" if code == "S004" else "value")
    assert isinstance(instance, Settings)
    assert dropped[0] == tuple(int(p) if p.isdigit() else p for p in field.split("."))


def test_the_settings_chinese_messages() -> None:
    _, findings, _ = _check(Settings, {"policy": {"zzzzzz": 1}})
    assert findings[0].message_zh.startswith("未知的键 zzzzzz：请删除，或改为以下之一：")
    assert "、filing_days、" in findings[0].message_zh
    _, findings, _ = _check(Settings, {"policy": {"self_evaluation_window_months": [12, 13, 14]}})
    assert findings[0].message_zh == (
        "policy.self_evaluation_window_months（政策参数·自评价窗口（月））：列表的项数不对（现有 3 项）。"
    )


def test_an_unknown_key_with_brackets_is_named_whole_at_any_depth() -> None:
    # pydantic marks some locations with brackets (function-after[...]); a key a clerk
    # wrote with brackets is a key all the same, in a list item or a nested mapping
    history = copy.deepcopy(BASE["history"])
    history[0]["x[1]"] = "a"
    history[1]["y[2]"] = "b"
    documents = copy.deepcopy(BASE["documents"])
    documents["contract"]["z[3]"] = "c"
    _, findings, dropped = _check(Dossier, _with(history=history, documents=documents))
    fields = ["documents.contract.z[3]", "history.0.x[1]", "history.1.y[2]"]
    assert sorted((f.code, f.field) for f in findings) == [("S004", f) for f in fields]
    assert sorted(dropped) == sorted(
        tuple(int(p) if p.isdigit() else p for p in f.split(".")) for f in fields
    )


def test_a_format_version_gtx_does_not_know_is_refused_with_the_one_it_knows() -> None:
    instance, findings, dropped = _check(Dossier, _with(schema_version=2))
    assert [(f.code, f.field, f.message_en, f.message_zh) for f in findings] == [
        (
            "S002",
            "schema_version",
            "schema_version (格式版本): 2 is not allowed; choose one of: 1.",
            "schema_version（格式版本）：取值 2 不在允许范围内，可选：1。",
        )
    ]
    assert (instance, dropped) == (None, [("schema_version",)])  # a required field


def test_an_error_gtx_has_no_words_for_is_shown_as_pydantic_says_it() -> None:
    instance, findings, dropped = _check(Dossier, _with(schema_version=10**30))
    why = "Unable to parse input string as an integer, exceeded maximum size"
    assert [(f.code, f.field, f.anchor) for f in findings] == [("S002", "schema_version", "value")]
    assert findings[0].message_en == f"schema_version (格式版本): invalid value ({why})."
    assert findings[0].message_zh == f"schema_version（格式版本）：取值不符合要求（{why}）。"
    assert (instance, dropped) == (None, [("schema_version",)])


def test_a_signer_missing_its_key_under_a_unit_named_with_brackets_is_dropped_alone() -> None:
    # a unit's name is a key the clerk chose: brackets in it are not pydantic's markers
    unit = "交通局[二]"
    settings = {"units": {unit: {"signers": [{"name": "a"}, {"name": "b", "key": KEY}]}}}
    instance, findings, dropped = _check(Settings, settings)
    assert [(f.code, f.field, f.anchor) for f in findings] == [
        ("S002", f"units.{unit}.signers.0.key", "parent")
    ]
    assert dropped == [("units", unit, "signers", 0)]
    assert isinstance(instance, Settings)
    assert [s.name for s in instance.units[unit].signers] == ["b"]
