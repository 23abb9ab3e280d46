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
