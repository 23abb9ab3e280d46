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
from typing import Any

from ruamel.yaml import YAML

from golmud_cli.core.findings import Finding
from golmud_cli.core.model import DEFAULT_SETTINGS, Settings
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
    YAML(typ="safe").dump(data, out)
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
