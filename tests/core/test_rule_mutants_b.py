"""The S, F, H, C, U, R, B, P and G rules where `make mutate` found them unpinned
(docs/testing.md, Mutation testing): each test gives a dossier one edit away from a
valid one and asserts what `gtx validate` reports for it (code, severity, field, line
and both messages), on the boundary that decides it and with each condition alone.

The dossiers are the committed bases of tests/cases/valid/ (every rule met), edited
here and checked in-process from their bytes (no git, no CLI: a few milliseconds
each, so mutmut runs them first). The G rules are explanations only; `gtx rules G0xx`
shows them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from ruamel.yaml import YAML

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.model import Settings
from golmud_cli.core.rules import Digest, FileStatus
from golmud_cli.pipeline.check import check_bytes
from tests.conftest import ROOT

PID = "2024-smart-parking"
FILE = f"dossiers/{PID}/project.yaml"
AS_OF = dt.date(2026, 11, 2)
BASES = ROOT / "tests" / "cases" / "valid"
D = dt.date


def base(stage: str) -> dict[str, Any]:
    """The committed dossier valid at `stage` (tests/cases/valid/base-<stage>)."""
    text = (BASES / f"base-{stage}" / "dossiers" / PID / "project.yaml").read_text("utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def dump(data: Mapping[str, Any], *, flow: bool = False) -> bytes:
    """`data` as YAML; `flow`: each innermost mapping on one line ({a: 1, b: 2})."""
    yaml = YAML()
    yaml.default_flow_style = None if flow else False
    out = io.StringIO()
    yaml.dump(dict(data), out)
    return out.getvalue().encode("utf-8")


def validate(
    data: Mapping[str, Any],
    *,
    today: dt.date = AS_OF,
    files: Mapping[str, FileStatus] | None = None,
    digest: Callable[[str], Digest] | None = None,
    settings: Settings | None = None,
    folder: str = PID,
    flow: bool = False,
) -> list[Finding]:
    """What `gtx validate` finds in a project.yaml holding `data`, its files standing
    as `files` says (ok when not named)."""
    stand = dict(files or {})
    res = check_bytes(
        dump(data, flow=flow),
        file=FILE,
        folder=folder,
        settings=settings or Settings(),
        today=today,
        stat=lambda f: stand.get(f, FileStatus.ok),
        digest=digest,
    )
    return res.findings


def hits(data: Mapping[str, Any], code: str, **kw: Any) -> list[tuple[str, str | None, str]]:
    """(severity, field, English message) of each `code` finding."""
    return [
        (f.severity.value, f.field, f.message_en) for f in validate(data, **kw) if f.code == code
    ]


def test_the_bases_are_valid() -> None:
    # the edits below start from these: a finding of theirs must come from the edit
    for stage in ("approved", "filed", "under_construction", "operating"):
        bad = [f for f in validate(base(stage)) if f.severity is not Severity.info]
        assert bad == [], (stage, bad)


# --- G: what `gtx rules G0xx` explains -------------------------------------------------


def test_gtx_rules_explains_a_git_rule_in_both_languages(cli: Any) -> None:
    # The G rules are built when their module is loaded, as in a fresh gtx process;
    # loading it again here makes that construction part of this test.
    from golmud_cli.core.rules import git

    importlib.reload(git)
    en = cli("rules", "G005", "--lang", "en")
    assert en.exit_code == 0, en.output
    assert en.stdout.splitlines()[:2] == [
        "G005  error  history dropped or rewritten",
        "applies from: any",
    ]
    assert "History and corrections are append-only" in en.stdout
    assert "not a clause of the measures" in en.stdout
    zh = cli("rules", "G005")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines()[:2] == ["G005  错误  流转记录被删改", "适用阶段：任何阶段"]
    assert "流转记录和更正记录只能追加" in zh.stdout


def report(data: Mapping[str, Any], code: str, **kw: Any) -> list[tuple[str, str | None, str, str]]:
    """(severity, field, Chinese message, English message) of each `code` finding."""
    found = validate(data, **kw)
    for f in found:
        # every finding is placed in the file (a rule's anchor that positions() does
        # not know fails here, as it fails `gtx validate`)
        assert f.line is not None and f.column is not None, f
    return [
        (f.severity.value, f.field, f.message_zh, f.message_en) for f in found if f.code == code
    ]


# --- C004, C005: an operating system's MLPS filing and crypto assessment (三（五）) ---------

MLPS_ZH = (
    "：等保三级的系统投入运行须完成等级保护备案（涉密系统为分级保护），并记录备案证明编号和备案日期"
)
MLPS_EN = (
    ": an operating system at mlps.level 3 has its MLPS filing (分级保护 for a classified system)"
)


def test_c004_an_operating_system_without_its_mlps_certificate() -> None:
    d = base("operating")
    del d["documents"]["mlps_certificate"]
    [(severity, field, zh, en)] = report(d, "C004")
    assert (severity, field) == ("error", "documents.mlps_certificate")
    assert zh.startswith("documents.mlps_certificate（等级保护备案证明）缺失" + MLPS_ZH), zh
    assert en.startswith("documents.mlps_certificate (等级保护备案证明) is missing" + MLPS_EN), en


@pytest.mark.parametrize(
    ("edit", "fields"),
    [
        ({"number": None}, ["number"]),
        ({"number": "  "}, ["number"]),
        ({"date": None}, ["date"]),
        ({"number": None, "date": None}, ["number", "date"]),
    ],
    ids=["no-number", "blank-number", "no-date", "neither"],
)
def test_c004_the_certificate_names_its_number_and_date(
    edit: dict[str, Any], fields: list[str]
) -> None:
    d = base("operating")
    cert = d["documents"]["mlps_certificate"]
    for key, value in edit.items():
        if value is None:
            del cert[key]
        else:
            cert[key] = value
    got = report(d, "C004")
    assert [(s, f) for s, f, _, _ in got] == [
        ("error", f"documents.mlps_certificate.{k}") for k in fields
    ]
    for (_, field, zh, en), label in zip(got, fields, strict=True):
        what = {"number": "备案证明编号", "date": "备案日期"}[label]
        assert zh.startswith(f"{field}（等级保护备案证明·{what}）未填写" + MLPS_ZH), zh
        assert en.startswith(f"{field} (等级保护备案证明·{what}) is missing" + MLPS_EN), en


CRYPTO_ZH = "：各部门应当按要求采用密码技术，并定期开展密码应用安全性评估"
CRYPTO_EN = ": systems use cryptography as required and are assessed regularly"


def test_c005_a_level_3_system_without_its_crypto_assessment() -> None:
    d = base("operating")
    del d["documents"]["crypto_assessment"]
    [(severity, field, zh, en)] = report(d, "C005")
    assert (severity, field) == ("error", "documents.crypto_assessment")
    assert zh.startswith("documents.crypto_assessment（密码应用安全性评估报告）缺失" + CRYPTO_ZH), (
        zh
    )
    assert en.startswith(
        "documents.crypto_assessment (密码应用安全性评估报告) is missing" + CRYPTO_EN
    ), en


@pytest.mark.parametrize(
    ("key", "value", "label"),
    [
        ("date", None, "日期"),
        ("result", None, "评估结论"),
        ("evaluator", None, "密评机构"),
        ("evaluator", " ", "密评机构"),
    ],
    ids=["no-date", "no-result", "no-evaluator", "blank-evaluator"],
)
def test_c005_the_assessment_names_its_date_result_and_evaluator(
    key: str, value: str | None, label: str
) -> None:
    d = base("operating")
    if value is None:
        del d["documents"]["crypto_assessment"][key]
    else:
        d["documents"]["crypto_assessment"][key] = value
    field = f"documents.crypto_assessment.{key}"
    [(severity, got, zh, en)] = report(d, "C005")
    assert (severity, got) == ("error", field)
    assert zh.startswith(f"{field}（密码应用安全性评估报告·{label}）未填写" + CRYPTO_ZH), zh
    assert en.startswith(f"{field} (密码应用安全性评估报告·{label}) is missing" + CRYPTO_EN), en


def test_c005_a_failed_crypto_assessment() -> None:
    d = base("operating")
    d["documents"]["crypto_assessment"]["result"] = "fail"
    [(severity, field, zh, en)] = report(d, "C005")
    assert (severity, field) == ("error", "documents.crypto_assessment.result")
    assert zh.startswith(
        f"{field}（密码应用安全性评估报告·评估结论）为 fail（不符合）" + CRYPTO_ZH
    ), zh
    assert en.startswith(f"{field} (密码应用安全性评估报告·评估结论) is fail" + CRYPTO_EN), en


def positioned(
    data: Mapping[str, Any], code: str, **kw: Any
) -> list[tuple[str | None, int | None, int | None]]:
    """(field, line, column) of each `code` finding."""
    return [(f.field, f.line, f.column) for f in validate(data, **kw) if f.code == code]


# --- S002's conditional fields, S005's folder ---------------------------------------------


@pytest.mark.parametrize(
    ("edit", "field", "zh", "en"),
    [
        (
            {"mlps": {"level": "other"}},
            "mlps.note",
            "等级保护备案选择“其他”时须说明",
            "the MLPS level is other",
        ),
        (
            {"cloud": {"deployed": True}},
            "cloud.operator",
            "部署在云平台时须填写运维管理机构",
            "the system is deployed on the cloud",
        ),
        (
            {"network": "other"},
            "network_note",
            "基础网络选择“其他”时须说明",
            "the network is other",
        ),
    ],
    ids=["mlps-other", "on-the-cloud", "network-other"],
)
def test_s002_a_conditional_field_left_out(
    edit: dict[str, Any], field: str, zh: str, en: str
) -> None:
    d = base("approved")
    d.update(edit)
    [(severity, got, message_zh, message_en)] = report(d, "S002")
    assert (severity, got) == ("error", field)
    assert message_zh.endswith(f"）必须填写：{zh}。"), message_zh
    assert message_en.endswith(f") is required: {en}."), message_en


def test_s002_a_blank_mlps_note_points_at_its_key_a_missing_one_at_mlps() -> None:
    d = base("approved")
    d["mlps"] = {"level": "other", "note": " "}
    text = dump(d).decode("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.strip().startswith("note:"))
    assert positioned(d, "S002") == [("mlps.note", line, text[line - 1].index("note") + 1)]
    d["mlps"] = {"level": "other"}
    text = dump(d).decode("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("mlps:"))
    assert positioned(d, "S002") == [("mlps.note", line, 1)]


def test_s005_a_folder_name_that_cannot_be_an_id() -> None:
    [(severity, field, zh, en)] = report(base("approved"), "S005", folder="Smart_Parking")
    assert (severity, field) == ("error", "id")
    assert zh.startswith("文件夹名“Smart_Parking”不是合法的项目编号"), zh
    assert zh.endswith("请把文件夹重命名为 id“2024-smart-parking”。"), zh
    assert en.startswith("the folder name 'Smart_Parking' is not a valid project id"), en


# --- F001-F003: the files a dossier references -------------------------------------------


def test_a_copy_with_other_extensions_references_its_own_files() -> None:
    # the effective dossier (core/corrections.py) is a copy that shares the documents of
    # the one written; a copy whose extensions differ lists its own files, and the
    # original still lists its own after it
    from golmud_cli.core.model import Dossier, Extension
    from golmud_cli.core.rules.structure import referenced_files

    written = Dossier.model_validate(base("operating"))
    own = [f for _, f, _ in referenced_files(written)]
    extension = Extension.model_validate(
        {
            "for": "preliminary_acceptance",
            "requested": D(2025, 1, 10),
            "approved": D(2025, 1, 20),
            "until": D(2025, 4, 30),
            "file": "attachments/extension.pdf",
        }
    )
    copy = written.model_copy(update={"extensions": [extension]})
    assert [(p, f) for p, f, _ in referenced_files(copy)][len(own) :] == [
        (("extensions", 0, "file"), "attachments/extension.pdf")
    ]
    assert [f for _, f, _ in referenced_files(written)] == own
    assert "attachments/extension.pdf" not in own
    # and a copy with other documents but the same extensions lists its own documents
    fewer = written.documents.model_copy(update={"approval_reply": None})
    other = copy.model_copy(update={"documents": fewer})
    referenced_files(copy)
    assert ("documents", "approval_reply", "file") not in [p for p, _, _ in referenced_files(other)]
    assert ("documents", "approval_reply", "file") in [p for p, _, _ in referenced_files(copy)]


def test_f001_an_extensions_file_that_is_missing() -> None:
    d = base("operating")
    d["extensions"] = [
        {
            "for": "preliminary_acceptance",
            "requested": D(2025, 1, 10),
            "approved": D(2025, 1, 20),
            "until": D(2025, 4, 30),
            "file": "attachments/extension.pdf",
        }
    ]
    missing = {"attachments/extension.pdf": FileStatus.missing}
    [(severity, field, _, en)] = report(d, "F001", files=missing)
    assert (severity, field) == ("error", "extensions.0.file")
    assert "references a missing file: attachments/extension.pdf." in en


@pytest.mark.parametrize(
    ("status", "shown", "zh", "en"),
    [
        (FileStatus.absolute, "attachments/proposal.pdf", "是绝对路径", "is absolute"),
        (
            FileStatus.escapes,
            "attachments/proposal.pdf",
            "用 .. 离开了项目文件夹",
            "leaves the project folder with ..",
        ),
        (
            FileStatus.link_out,
            "attachments/proposal.pdf",
            "是指向项目文件夹外的链接",
            "is a link pointing outside the folder",
        ),
        # a name with control characters is shown quoted, as Python writes it
        (
            FileStatus.bad_name,
            "'attachments/proposal.pdf'",
            "含有控制字符或不可用的字符",
            "holds control or unusable characters",
        ),
    ],
    ids=["absolute", "escapes", "link-out", "bad-name"],
)
def test_f002_says_why_a_path_leaves_the_folder(
    status: FileStatus, shown: str, zh: str, en: str
) -> None:
    files = {"attachments/proposal.pdf": status}
    [(severity, field, message_zh, message_en)] = report(base("approved"), "F002", files=files)
    assert (severity, field) == ("error", "documents.proposal.file")
    assert message_zh.startswith(
        f"documents.proposal.file（项目建议书·文件）的路径 {shown} {zh}：附件必须是"
    ), message_zh
    assert message_en.startswith(
        f"documents.proposal.file (项目建议书·文件) path {shown} {en}: an attachment"
    ), message_en


RECORDED = "0123456789abcdef" * 4
SCANNED = "fedcba9876543210" * 4


def test_f003_a_swapped_file_after_one_that_matches() -> None:
    d = base("approved")
    d["documents"]["proposal"]["sha256"] = RECORDED  # the file still matches
    d["documents"]["feasibility_study"]["sha256"] = RECORDED  # rescanned since

    def digest(f: str) -> Digest:
        return Digest(RECORDED if f == "attachments/proposal.pdf" else SCANNED)

    [(severity, field, zh, en)] = report(d, "F003", digest=digest)
    assert (severity, field) == ("warning", "documents.feasibility_study.sha256")
    # twelve hex digits of each, enough to tell them apart
    assert "（登记 0123456789ab…，现为 fedcba987654…）" in zh, zh
    assert "(recorded 0123456789ab..., now fedcba987654...)" in en, en
    assert zh.endswith("删除 documents.feasibility_study 后用 gtx attach 重新登记。"), zh
    assert en.endswith("delete documents.feasibility_study and record it again with gtx attach."), (
        en
    )


def test_f003_a_signed_file_swapped_names_the_act_and_the_document() -> None:
    d = base("approved")
    d["documents"]["approval_reply"]["sha256"] = RECORDED
    d["history"][1]["refs"] = ["approval_reply"]
    [(severity, field, zh, en)] = report(d, "F003", digest=lambda f: Digest(SCANNED))
    assert (severity, field) == ("error", "documents.approval_reply.sha256")
    assert "history（阶段历史）第 2 项（approved）依据这份文件" in zh, zh
    assert "删除 documents.approval_reply，用 gtx attach 登记新文件" in zh, zh
    assert "History entry 2 (approved) rests on it" in en, en
    assert "delete documents.approval_reply, record the new file with gtx attach" in en, en
    assert "(gtx advance --ref approval_reply)" in en, en


def test_f003_a_recorded_file_that_cannot_be_read() -> None:
    d = base("approved")
    d["documents"]["proposal"]["sha256"] = RECORDED

    def digest(f: str) -> Digest:
        return Digest(None, why_zh="权限不足", why_en="permission denied")

    [(severity, field, zh, en)] = report(d, "F003", digest=digest)
    assert (severity, field) == ("warning", "documents.proposal.sha256")
    assert zh.startswith(
        "documents.proposal.sha256（项目建议书·文件的 SHA-256 摘要）：无法读取 attachments/proposal.pdf"
        "（权限不足），无法核对登记的 SHA-256。请放回登记的文件"
    ), zh
    assert en.startswith(
        "documents.proposal.sha256 (项目建议书·文件的 SHA-256 摘要): cannot read "
        "attachments/proposal.pdf (permission denied), so its recorded SHA-256 cannot be "
        "checked. Put the recorded file back"
    ), en


# --- H002, H003: the history --------------------------------------------------------------


def _append(d: dict[str, Any], *entries: tuple[str, dt.date, str]) -> dict[str, Any]:
    for stage, date, role in entries:
        d["history"].append({"stage": stage, "date": date, "role": role})
    d["stage"] = d["history"][-1]["stage"]
    return d


def test_h002_names_the_entry_and_the_stages_a_suspension_may_go_to() -> None:
    d = _append(
        base("under_construction"),
        ("suspended", D(2024, 7, 1), "ndrc"),
        ("completed", D(2024, 8, 1), "unit"),
    )
    [(severity, field, zh, en)] = report(d, "H002", today=AS_OF)
    assert (severity, field) == ("error", "history.6.stage")
    assert zh.startswith(
        "history（阶段历史）第 7 项：不能从 suspended 进入 completed（合法的下一阶段："
        "under_construction, terminated）"
    ), zh
    assert en.startswith(
        "history entry 7: suspended cannot move to completed (legal next stages: "
        "under_construction, terminated)."
    ), en


def test_h002_after_a_final_stage_no_stage_is_legal() -> None:
    d = _append(
        base("approved"),
        ("terminated", D(2024, 7, 1), "ndrc"),
        ("filed", D(2024, 8, 1), "gov_office"),
    )
    [(_, field, zh, en)] = report(d, "H002")
    assert field == "history.3.stage"
    assert "第 4 项：不能从 terminated 进入 filed（合法的下一阶段：-）" in zh, zh
    assert en.startswith(
        "history entry 4: terminated cannot move to filed (legal next stages: -)."
    ), en


def test_h002_a_wrong_role_names_its_entry() -> None:
    d = base("filed")
    d["history"][2]["role"] = "unit"
    [(severity, field, zh, en)] = report(d, "H002")
    assert (severity, field) == ("error", "history.2.role")
    assert zh.startswith("history（阶段历史）第 3 项：进入 filed 应由 gov_office"), zh
    assert en.startswith("history entry 3: entering filed is an act of gov_office"), en


def test_h002_judges_each_history_of_a_run_on_its_own() -> None:
    # one process checks thousands of dossiers in a row, and H002 keeps what it found
    # for each history it walked: a wrong history, a right one, the wrong one again
    good = base("filed")
    bad = base("filed")
    bad["history"][2]["role"] = "unit"
    assert [field for _, field, _ in hits(bad, "H002")] == ["history.2.role"]
    assert hits(good, "H002") == []
    assert [field for _, field, _ in hits(bad, "H002")] == ["history.2.role"]
    assert hits(good, "H002") == []


def test_h003_names_the_entry_that_goes_back() -> None:
    d = base("filed")
    d["history"][2]["date"] = D(2024, 4, 9)  # the day before the approval
    [(severity, field, _, en)] = report(d, "H003")
    assert (severity, field) == ("error", "history.2.date")
    assert en.startswith(
        "history entry 3 is dated 2024-04-09, before the previous entry's 2024-04-10"
    ), en


def test_h003_an_act_of_today_is_recorded_one_of_tomorrow_is_not() -> None:
    d = _append(base("filed"), ("procuring", D(2026, 11, 2), "finance"))
    assert report(d, "H003", today=D(2026, 11, 2)) == []
    [(severity, field, zh, en)] = report(d, "H003", today=D(2026, 11, 1))
    assert (severity, field) == ("error", "history.3.date")
    assert zh.startswith("history（阶段历史）第 4 项的日期 2026-11-02 在今天（2026-11-01）之后"), zh
    assert en.startswith("history entry 4 is dated 2026-11-02, after today (2026-11-01)"), en


def test_h003_of_an_entry_of_today_and_one_of_tomorrow_only_tomorrows_is_reported() -> None:
    d = _append(
        base("filed"),
        ("procuring", D(2026, 11, 1), "finance"),
        ("under_construction", D(2026, 11, 2), "unit"),
    )
    [(severity, field, _, en)] = report(d, "H003", today=D(2026, 11, 1))
    assert (severity, field) == ("error", "history.4.date")
    assert en.startswith("history entry 5 is dated 2026-11-02, after today (2026-11-01)"), en


def test_a_verdict_on_the_day_of_the_last_act_holds_the_next_day_too() -> None:
    # the result cache keeps a verdict for the days on which its comparisons with today
    # come out the same (core/dateinterval.py): an act of today is not in the future
    # tomorrow either, so tomorrow's first check is answered from the cache
    from golmud_cli.core.dateinterval import TrackedDay

    today = TrackedDay(AS_OF)
    found = validate(_append(base("filed"), ("procuring", AS_OF, "finance")), today=today)
    assert [f.code for f in found if f.code == "H003"] == []
    lo, hi = today.interval
    assert lo <= AS_OF.toordinal() < hi


# --- C003: the reason quoted whole ---------------------------------------------------------


def test_c003_quotes_the_whole_phrase_of_an_industry_cloud() -> None:
    d = base("approved")
    d["cloud"] = {"deployed": False, "exemption_reason": "拟新建本系统行业云平台，统一承载业务"}
    [(severity, field, zh, en)] = report(d, "C003")
    assert (severity, field) == ("warning", "cloud.exemption_reason")
    assert "“新建本系统行业云平台”" in zh, zh
    assert "'新建本系统行业云平台'" in en, en


# --- U001, U002: building before approval, procuring before filing (三（五）, 三（四）) ----------


def test_u001_acts_dated_before_the_approval_replys_own_date() -> None:
    # the approval entry is 2024-04-10, but the reply it rests on is dated 2024-06-01:
    # the procurement filing, the procuring entry and the contract came before it
    d = base("under_construction")
    d["documents"]["approval_reply"]["date"] = D(2024, 6, 1)
    got = report(d, "U001")
    assert [(s, f) for s, f, _, _ in got] == [
        ("error", "documents.procurement_filing.date"),
        ("error", "documents.contract.date"),
        ("error", "history.3.date"),
    ]
    for _, _, zh, en in got:
        assert "早于立项批复文件 documents.approval_reply.date 的日期 2024-06-01" in zh, zh
        assert "before the approval reply's own date 2024-06-01" in en, en
    assert got[2][3].startswith("history.3.date (阶段历史·第4项·日期) is dated 2024-05-10"), got[2][
        3
    ]


def test_u001_a_procurement_filing_dated_before_the_approval() -> None:
    d = base("procuring")
    d["documents"]["procurement_filing"]["date"] = D(2024, 4, 9)
    [(severity, field, zh, en)] = report(d, "U001")
    assert (severity, field) == ("error", "documents.procurement_filing.date")
    assert "日期 2024-04-09 早于立项批复日期 2024-04-10：这是未批先建" in zh, zh
    assert "is dated 2024-04-09, before the approval on 2024-04-10" in en, en


UNFILED_ZH = "已存在，但项目尚未备案：通过评审且完成备案的项目才能组织采购。"
UNFILED_EN = "exists but the project is not filed: only a reviewed and filed project procures."


def _documents_of(stage: str, *kinds: str) -> dict[str, Any]:
    """The dossier of `stage` holding also the procurement documents `kinds` of the
    procuring base, dated as there."""
    d, later = base(stage), base("under_construction")["documents"]
    for kind in kinds:
        d["documents"][kind] = later[kind]
    return d


@pytest.mark.parametrize(
    "kinds",
    [("procurement_filing", "contract"), ("contract",)],
    ids=["both", "contract-alone"],
)
def test_u002_procurement_documents_of_a_project_not_yet_filed(kinds: tuple[str, ...]) -> None:
    d = _documents_of("approved", *kinds)
    got = report(d, "U002")
    assert [(s, f) for s, f, _, _ in got] == [("error", f"documents.{k}") for k in kinds]
    for _, _, zh, en in got:
        assert zh.endswith(UNFILED_ZH), zh
        assert en.endswith(UNFILED_EN), en


def test_u002_points_at_the_documents_key_even_in_flow_style() -> None:
    d = _documents_of("approved", "contract")
    text = dump(d, flow=True).decode("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.strip().startswith("contract:"))
    column = text[line - 1].index("contract:") + 1
    assert positioned(d, "U002", flow=True) == [("documents.contract", line, column)]


def test_u002_a_contract_signed_on_the_day_of_the_approval_still_needs_the_filing() -> None:
    d = _documents_of("approved", "procurement_filing", "contract")
    d["documents"]["procurement_filing"]["date"] = D(2024, 4, 1)  # before approval: U001's
    d["documents"]["contract"]["date"] = D(2024, 4, 10)  # the day of the approval
    assert [f for _, f, _, _ in report(d, "U002")] == ["documents.contract"]
    assert [f for _, f, _, _ in report(d, "U001")] == ["documents.procurement_filing.date"]


def test_u002_counts_from_the_later_of_the_approval_and_its_reply() -> None:
    # filed 2024-04-25; a procurement filing of 2024-04-20 came before the filing, but
    # also before the reply of 2024-04-30 it rests on: U001 says so, U002 does not again
    d = base("procuring")
    d["documents"]["approval_reply"]["date"] = D(2024, 4, 30)
    d["documents"]["procurement_filing"]["date"] = D(2024, 4, 20)
    assert report(d, "U002") == []
    assert [f for _, f, _, _ in report(d, "U001")] == ["documents.procurement_filing.date"]
    # with the reply of the approval's day, the same filing is only U002's
    d["documents"]["approval_reply"]["date"] = D(2024, 4, 10)
    [(severity, field, _, en)] = report(d, "U002")
    assert (severity, field) == ("error", "documents.procurement_filing.date")
    assert "is dated 2024-04-20, before the filing on 2024-04-25" in en, en


def test_u002_without_an_approval_entry_nor_a_reply() -> None:
    # the history skips `approved` (H002 says so) and no reply is recorded: U002 has no
    # approval date to compare with and reports the unfiled documents, without failing
    d = _documents_of("approved", "contract")
    del d["documents"]["approval_reply"]
    d["history"][1] = {"stage": "filed", "date": D(2024, 4, 25), "role": "gov_office"}
    d["stage"] = "filed"
    codes = {f.code for f in validate(d)}
    assert "H002" in codes
    assert report(d, "U002") == []  # filed: the contract is after the filing
    d["documents"]["contract"]["date"] = D(2024, 4, 1)
    assert [f for _, f, _, _ in report(d, "U002")] == ["documents.contract.date"]


def test_u001_a_project_never_approved_names_the_document_and_the_entry() -> None:
    # proposed, then procuring and a contract without any approval (H002 says the
    # history skips; U001 says what was built without approval)
    d = _documents_of("proposed", "contract")
    _append(d, ("procuring", D(2024, 5, 10), "finance"))
    got = report(d, "U001")
    assert [(s, f) for s, f, _, _ in got] == [
        ("error", "documents.contract"),
        ("error", "history.1.date"),
    ]
    assert got[0][2].startswith(
        "documents.contract（建设合同）已存在，但项目从未获得立项批复：这是未批先建。"
    )
    assert got[1][3].startswith(
        "history.1.date (阶段历史·第2项·日期) exists but the project was never approved"
    )


def test_u002_leaves_a_contract_before_the_approval_entry_to_u001_without_a_reply() -> None:
    d = _documents_of("approved", "contract")
    del d["documents"]["approval_reply"]
    d["documents"]["contract"]["date"] = D(2024, 4, 1)  # approved 2024-04-10
    assert report(d, "U002") == []
    assert [f for _, f, _, _ in report(d, "U001")] == ["documents.contract.date"]


# --- B001-B003: the filing (三（三）) ---------------------------------------------------------


def _without(d: dict[str, Any], dotted: str) -> dict[str, Any]:
    *parents, last = dotted.split(".")
    node = d
    for key in parents:
        node = node[key]
    del node[last]
    return d


@pytest.mark.parametrize(
    ("deleted", "fields"),
    [
        ("contact.name", ["contact.name"]),
        ("contact.phone", ["contact.phone"]),
        ("contact", ["contact.name", "contact.phone"]),
        ("budget_wan", ["budget_wan"]),
        ("funding_source", ["funding_source"]),
        ("schedule.start", ["schedule.start"]),
        ("schedule.duration_months", ["schedule.duration_months"]),
        ("schedule", ["schedule.start", "schedule.duration_months"]),
        ("basis", ["basis"]),
        ("mlps.level", ["mlps.level"]),
        ("mlps", ["mlps.level"]),
        ("systems.count", ["systems.count"]),
        ("systems.type", ["systems.type"]),
        ("systems", ["systems.count", "systems.type"]),
        ("data_resources.needed", ["data_resources.needed"]),
        ("data_resources.catalog_written", ["data_resources.catalog_written"]),
        ("data_resources", ["data_resources.needed", "data_resources.catalog_written"]),
        ("operating_cost_wan", ["operating_cost_wan"]),
        ("cloud.deployed", ["cloud.deployed"]),
        ("cloud", ["cloud.deployed"]),
        ("network", ["network"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_b001_each_field_of_the_filing_table(deleted: str, fields: list[str]) -> None:
    got = report(_without(base("filed"), deleted), "B001")
    assert [(s, f) for s, f, _, _ in got] == [("error", f) for f in fields]


def test_b001_says_what_the_filing_table_needs() -> None:
    d = base("filed")
    d["basis"] = " "  # blank is not filled in
    [(severity, field, zh, en)] = report(d, "B001")
    assert (severity, field) == ("error", "basis")
    assert zh.startswith("basis（项目建设依据）未填写：备案时须填写备案表的每一项"), zh
    assert en.startswith(
        "basis (项目建设依据) is missing: filing needs every field of the filing table"
    ), en


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"mlps": {"level": "other"}}, "mlps.note"),
        ({"cloud": {"deployed": True}}, "cloud.operator"),
        ({"network": "other"}, "network_note"),
    ],
    ids=["mlps-other", "on-the-cloud", "network-other"],
)
def test_b001_a_conditional_field_of_the_table(edit: dict[str, Any], field: str) -> None:
    d = base("filed")
    d.update(edit)
    assert [(s, f) for s, f, _, _ in report(d, "B001")] == [("error", field)]


def test_b001_an_answer_of_no_is_filled_and_asks_for_nothing_more() -> None:
    d = base("filed")
    d["cloud"] = {"deployed": False, "exemption_reason": "系统涉及公安专网，按规定部署在专网机房"}
    d["mlps"] = {"level": 2}
    d["network"] = "e_gov_intranet"
    assert report(d, "B001") == []


@pytest.mark.parametrize("kind", ["feasibility_study", "approval_reply", "filing_form"])
def test_b002_each_filing_document(kind: str) -> None:
    d = base("filed")
    del d["documents"][kind]
    [(severity, field, zh, en)] = report(d, "B002")
    assert (severity, field) == ("error", f"documents.{kind}")
    assert zh.startswith(f"缺少 documents.{kind}（"), zh
    assert (
        en.startswith(f"documents.{kind} (")
        and "is missing: filing needs the feasibility study" in en
    ), en


def test_b003_says_how_late_the_filing_was() -> None:
    # approved 2024-04-10 + 30 days = 2024-05-10 (a Friday): filed 2024-05-13 is late
    d = base("filed")
    d["history"][2]["date"] = D(2024, 5, 13)
    d["documents"]["filing_form"]["date"] = D(2024, 5, 13)
    [(severity, field, zh, en)] = report(d, "B003")
    assert (severity, field) == ("warning", "history.2.date")
    assert zh.startswith("备案日期 2024-05-13 距立项 2024-04-10 已 33 天，超过 30 天"), zh
    assert en.startswith(
        "filed on 2024-05-13, 33 days after approval on 2024-04-10, more than 30 days"
    ), en
    assert en.endswith("(this limit is local policy, not the measures)"), en


# --- P001-P004: procurement, budget, contract (三（四）, 三（一）, 三（六）, 二（二）) ---------------


def test_p001_a_procurement_filing_without_its_method() -> None:
    d = base("procuring")
    del d["documents"]["procurement_filing"]["method"]
    [(severity, field, zh, en)] = report(d, "P001")
    assert (severity, field) == ("error", "documents.procurement_filing.method")
    assert "未填写采购方式：通过评审且完成备案的项目" in zh, zh
    assert "names no procurement method: a project that passed review and filing" in en, en


def test_p001_a_procurement_filing_missing() -> None:
    d = base("procuring")
    del d["documents"]["procurement_filing"]
    [(severity, field, zh, en)] = report(d, "P001")
    assert (severity, field) == ("error", "documents.procurement_filing")
    assert zh.startswith("documents.procurement_filing（政府采购项目备案表）缺失："), zh
    assert en.startswith("documents.procurement_filing (政府采购项目备案表) is missing: "), en


def test_p001_a_history_that_skipped_the_filing() -> None:
    d = base("procuring")
    del d["history"][2]  # no `filed` entry (H002 says the history skips)
    [(severity, field, zh, en)] = report(d, "P001")
    assert (severity, field) == ("error", "history")
    assert zh.startswith("history（阶段历史）中没有 filed（"), zh
    assert en.startswith("history (阶段历史) has no filed entry: "), en


def test_p002_the_budget_application_missing() -> None:
    d = base("procuring")
    del d["documents"]["budget_application"]
    [(severity, field, zh, en)] = report(d, "P002")
    assert (severity, field) == ("warning", "documents.budget_application")
    assert zh.startswith("缺少 documents.budget_application（"), zh
    assert "is missing: after approval the unit applies to the finance bureau" in en, en


@pytest.mark.parametrize(
    ("key", "value"),
    [("date", None), ("vendor", None), ("vendor", " "), ("amount_wan", None)],
    ids=["no-date", "no-vendor", "blank-vendor", "no-amount"],
)
def test_p003_the_contract_names_its_date_vendor_and_amount(key: str, value: str | None) -> None:
    d = base("under_construction")
    if value is None:
        del d["documents"]["contract"][key]
    else:
        d["documents"]["contract"][key] = value
    [(severity, field, zh, en)] = report(d, "P003")
    assert (severity, field) == ("error", f"documents.contract.{key}")
    assert "未填写：验收以合同文本约定的建设内容为准" in zh, zh
    assert "is missing: acceptance checks against the contract" in en, en


def test_p003_no_contract() -> None:
    d = base("under_construction")
    del d["documents"]["contract"]
    assert [(s, f) for s, f, _, _ in report(d, "P003")] == [("error", "documents.contract")]


@pytest.mark.parametrize(
    ("amount", "over"),
    [("320.5", None), ("320.6", "0.0"), ("352.55", None), ("352.56", "10.0")],
    ids=["equal", "a-tenth-over", "ten-percent", "just-over-ten-percent"],
)
def test_p004_a_contract_over_the_budget(amount: str, over: str | None) -> None:
    # budget 320.5 万元; the second pair with a tolerance of 10 %
    d = base("under_construction")
    d["documents"]["contract"]["amount_wan"] = float(amount)
    limit = 10 if amount.startswith("352") else 0
    settings = Settings.model_validate({"policy": {"contract_over_budget_percent": limit}})
    got = report(d, "P004", settings=settings)
    if over is None:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("warning", "documents.contract.amount_wan")
    assert (
        f"{amount} 万元超出项目预算 budget_wan（项目预算(万元)）320.5 万元{over}%（容许 {limit}%）"
        in zh
    ), zh
    assert (
        f"{amount} 万元 exceeds the budget_wan 320.5 万元 by {over}% (tolerance {limit}%)" in en
    ), en


# --- R002: sanctions and the stage (三（五）) ----------------------------------------------------


def _order(*sanctions: str, resolved: dt.date | None = None) -> dict[str, Any]:
    return {
        "issued": D(2026, 3, 2),
        "by": "ndrc",
        "finding": "未按要求开展密码应用安全性评估",
        "due": D(2026, 12, 31),
        "resolved": resolved,
        "sanctions": list(sanctions),
    }


def test_r002_names_the_order_and_what_its_sanction_requires() -> None:
    d = base("under_construction")
    d["rectifications"] = [_order(), _order("terminate", "suspend_construction")]
    got = report(d, "R002")
    assert [(s, f) for s, f, _, _ in got] == [
        ("error", "rectifications.1.sanctions.0"),
        ("error", "rectifications.1.sanctions.1"),
    ]
    (_, _, zh_t, en_t), (_, _, zh_s, en_s) = got
    assert (
        zh_t
        == "rectifications（整改）第 2 项的处理措施 terminate（终止项目）要求项目处于 terminated（终止）阶段。"
    )
    assert en_t == "rectification order 2's sanction terminate requires the stage terminated."
    assert zh_s == (
        "rectifications（整改）第 2 项的处理措施 suspend_construction（暂停项目建设）要求在 2026-03-02 "
        "或之后有 suspended（暂停建设）或 terminated（终止）的历史记录。"
    )
    assert en_s == (
        "rectification order 2's sanction suspend_construction requires a suspended or "
        "terminated history entry on or after 2026-03-02."
    )


# --- H004-H009: corrections of a recorded date (三（五）) -----------------------------------------


CORRECTED = D(2026, 10, 12)  # the day a correction is made


def _fix(
    entry: int, date: dt.date, role: str, corrected: dt.date = CORRECTED, **kw: Any
) -> dict[str, Any]:
    return {
        "entry": entry,
        "date": date,
        "corrected": corrected,
        "role": role,
        "reason": "批复日期误录为登记日期",
        **kw,
    }


def _corrected(*corrections: dict[str, Any]) -> dict[str, Any]:
    """The filed base (approved 2024-04-10, filed 2024-04-25) whose approval date was
    first corrected to 2024-04-12, then by `corrections`."""
    d = base("filed")
    d["corrections"] = [_fix(2, D(2024, 4, 12), "ndrc", D(2026, 10, 1)), *corrections]
    return d


def test_h004_a_correction_of_an_entry_that_does_not_exist() -> None:
    [(severity, field, zh, en)] = report(_corrected(_fix(5, D(2024, 4, 24), "gov_office")), "H004")
    assert (severity, field) == ("error", "corrections.1.entry")
    assert zh.startswith(
        "corrections（更正记录）第 2 项更正第 5 项流转记录，但 history（阶段历史）只有 3 项"
    ), zh
    assert en.startswith("correction 2 corrects history entry 5, but history has 3 entries"), en


def test_h005_a_correction_by_another_role_than_the_signer() -> None:
    [(severity, field, zh, en)] = report(_corrected(_fix(2, D(2024, 4, 11), "unit")), "H005")
    assert (severity, field) == ("error", "corrections.1.role")
    assert zh.startswith("corrections（更正记录）第 2 项：第 2 项流转记录由 ndrc（"), zh
    assert zh.endswith("更正也只能由 ndrc 作出，而不是 unit。"), zh
    assert en.startswith("correction 2: history entry 2 was signed by ndrc ("), en
    assert en.endswith("so only ndrc may correct it, not unit."), en


@pytest.mark.parametrize(
    ("date", "zh", "en"),
    [
        (
            D(2024, 2, 19),
            "改为 2024-02-19，早于上一项的 2024-02-20",
            "2024-02-19, before the previous entry's 2024-02-20",
        ),
        (
            D(2024, 4, 26),
            "改为 2024-04-26，晚于下一项的 2024-04-25",
            "2024-04-26, after the next entry's 2024-04-25",
        ),
    ],
    ids=["the-day-before-the-previous", "the-day-after-the-next"],
)
def test_h006_a_corrected_date_out_of_order(date: dt.date, zh: str, en: str) -> None:
    [(severity, field, message_zh, message_en)] = report(_corrected(_fix(2, date, "ndrc")), "H006")
    assert (severity, field) == ("error", "corrections.1.date")
    assert message_zh.startswith(f"corrections（更正记录）第 2 项把第 2 项流转记录的日期{zh}"), (
        message_zh
    )
    assert message_en.startswith(f"correction 2 dates history entry 2 {en}"), message_en


def test_h007_a_correction_dated_after_today() -> None:
    fix = _fix(3, D(2024, 4, 26), "gov_office", corrected=D(2026, 11, 3))
    [(severity, field, zh, en)] = report(_corrected(fix), "H007")
    assert (severity, field) == ("error", "corrections.1.corrected")
    assert zh.startswith(
        "corrections（更正记录）第 2 项的更正日期 2026-11-03 在今天（2026-11-02）之后"
    ), zh
    assert en.startswith("correction 2 is dated 2026-11-03, after today (2026-11-02)"), en
    assert report(_corrected(_fix(3, D(2024, 4, 26), "gov_office", corrected=AS_OF)), "H007") == []


def test_h007_a_correction_that_dates_the_act_after_itself() -> None:
    fix = _fix(3, D(2026, 10, 13), "gov_office", corrected=D(2026, 10, 12))
    [(severity, field, zh, en)] = report(_corrected(fix), "H007")
    assert (severity, field) == ("error", "corrections.1.date")
    assert zh.startswith(
        "corrections（更正记录）第 2 项把行为日期改为 2026-10-13，晚于更正日期 2026-10-12"
    ), zh
    assert en.startswith(
        "correction 2 dates the act 2026-10-13, after the correction itself (2026-10-12)"
    ), en


def test_h008_a_correction_dated_before_the_one_above_it() -> None:
    fix = _fix(3, D(2024, 4, 26), "gov_office", corrected=D(2026, 9, 30))
    [(severity, field, zh, en)] = report(_corrected(fix), "H008")
    assert (severity, field) == ("error", "corrections.1.corrected")
    assert zh.startswith(
        "corrections（更正记录）第 2 项的更正日期 2026-09-30 早于上一项更正的 2026-10-01"
    ), zh
    assert en.startswith(
        "correction 2 is dated 2026-09-30, before the correction above it (2026-10-01)"
    ), en


@pytest.mark.parametrize(
    ("reason", "field"),
    [(None, "corrections.1"), (" ", "corrections.1.reason")],
    ids=["no-reason", "blank-reason"],
)
def test_h009_a_correction_without_its_reason(reason: str | None, field: str) -> None:
    fix = _fix(3, D(2024, 4, 26), "gov_office")
    if reason is None:
        del fix["reason"]
    else:
        fix["reason"] = reason
    [(severity, got, zh, en)] = report(_corrected(fix), "H009")
    assert (severity, got) == ("error", field)
    assert zh.startswith("corrections（更正记录）第 2 项没有写更正理由（reason）"), zh
    assert en.startswith("correction 2 gives no reason"), en


# --- R004: no sanction on an order fixed on time -------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "raised"),
    [(D(2026, 10, 8), True), (D(2026, 10, 9), False)],
    ids=["on-the-shifted-due-day", "the-day-after"],
)
def test_r004_an_order_fixed_by_its_shifted_due_day_is_on_time(
    resolved: dt.date, raised: bool
) -> None:
    # due Thursday 2026-10-01, National Day: met until 2026-10-08 (holiday_shift, the default)
    d = base("under_construction")
    fixed = _order("criticism", "defer_investment", resolved=resolved) | {"due": D(2026, 10, 1)}
    d["rectifications"] = [_order(), fixed]
    got = report(d, "R004")
    if not raised:
        assert got == []
        return
    [(severity, field, zh, en)] = got
    assert (severity, field) == ("error", "rectifications.1.sanctions")
    assert zh.startswith(
        "rectifications（整改）第 2 项已于 2026-10-08 按期整改完毕（期限 2026-10-08），却记录了处理措施通报批评、"
    ), zh
    assert en.startswith(
        "rectification order 2 was fixed on 2026-10-08, on time (due 2026-10-08), yet records the "
        "sanctions criticism, defer_investment:"
    ), en


def test_r004_points_at_the_sanctions_key_in_flow_style() -> None:
    d = base("under_construction")
    d["rectifications"] = [_order("criticism", resolved=D(2026, 12, 1))]
    text = dump(d, flow=True).decode("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if "sanctions:" in t)
    column = text[line - 1].index("sanctions:") + 1
    assert positioned(d, "R004", flow=True) == [("rectifications.0.sanctions", line, column)]


def test_p001_a_skipped_filing_points_at_the_history_key_in_flow_style() -> None:
    from ruamel.yaml.comments import CommentedSeq

    d = base("procuring")
    del d["history"][2]
    history = CommentedSeq(d["history"])
    history.fa.set_flow_style()  # history: [{stage: proposed, ...}, ...] on one line
    d["history"] = history
    text = dump(d).decode("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("history: ["))
    assert positioned(d, "P001") == [("history", line, 1)]
