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


def dump(data: Mapping[str, Any]) -> bytes:
    yaml = YAML()
    yaml.default_flow_style = False
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
) -> list[Finding]:
    """What `gtx validate` finds in a project.yaml holding `data`, its files standing
    as `files` says (ok when not named)."""
    stand = dict(files or {})
    res = check_bytes(
        dump(data),
        file=FILE,
        folder=PID,
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
