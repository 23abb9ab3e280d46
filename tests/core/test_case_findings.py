"""Every finding of every case under tests/cases/, whole, as a user reads it: position,
severity, code, field, label, clause and both messages (tests/cases/findings.txt).

test_cases.py checks which codes each case raises; this pins what each one says, so
a message that lost a fact, a finding pointing at another line, or a field renamed is
a failing test with a diff. After a deliberate change, `.venv/bin/python
tests/cases/record_findings.py` rewrites the file: review its diff and commit it.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CASES = ROOT / "tests" / "cases"
sys.path.insert(0, str(CASES))
try:
    import record_findings
finally:
    sys.path.remove(str(CASES))

RECORDED = record_findings.parse((CASES / "findings.txt").read_text("utf-8"))
# Cases whose point is a symbolic link: mutmut copies tests/ following links, so in its
# copy these hold plain files (docs/testing.md); tests/core/test_rule_mutants.py makes
# their links at run time there. Elsewhere they are compared like every other case.
LINK_CASES = {"invalid/F002-symlink-out", "invalid/F003-recorded-attachment-became-a-link"}


def _has_link(case: Path) -> bool:
    return any(p.is_symlink() for p in case.rglob("*"))


def test_every_case_is_recorded() -> None:
    names = {f"{c.parent.name}/{c.name}" for c in record_findings.cases()}
    assert names == set(RECORDED), (
        "run .venv/bin/python tests/cases/record_findings.py and commit: "
        f"new {sorted(names - set(RECORDED))[:5]}, gone {sorted(set(RECORDED) - names)[:5]}"
    )


@pytest.mark.parametrize("case", record_findings.cases(), ids=lambda p: f"{p.parent.name}-{p.name}")
def test_findings_are_as_recorded(case: Path) -> None:
    name = f"{case.parent.name}/{case.name}"
    if name in LINK_CASES and not _has_link(case):
        pytest.skip("its link is a plain file in this copy of tests/ (mutmut's)")
    now = record_findings.block(case).rstrip("\n") + "\n"
    was = RECORDED.get(name, "")
    diff = "".join(
        difflib.unified_diff(was.splitlines(True), now.splitlines(True), "recorded", "now")
    )
    assert now == was, (
        f"{name}: the findings differ from tests/cases/findings.txt. If the change is meant, "
        f"run .venv/bin/python tests/cases/record_findings.py and commit.\n{diff}"
    )
