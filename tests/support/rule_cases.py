"""One dossier's bytes checked as `gtx validate` checks them, in-process (load, schema,
corrections, rules: `check_bytes`; no git, no CLI, a few milliseconds, so mutmut runs
the tests that use it first; docs/testing.md, Mutation testing).

The dossiers are the committed bases of tests/cases/valid/ (every rule met at their
stage, tests/cases/make_cases.py), edited by the test that loads them.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ruamel.yaml import YAML

from golmud_cli.core.findings import Finding
from golmud_cli.core.model import DEFAULT_SETTINGS, Settings
from golmud_cli.core.periods import Calendar, CalendarTable, calendar_from_package
from golmud_cli.core.rules import FileStatus
from golmud_cli.pipeline.check import check_bytes
from tests.conftest import ROOT

PID = "2024-smart-parking"
AS_OF = dt.date(2026, 11, 2)  # the cases' day


def base(stage: str) -> dict[str, Any]:
    """The committed dossier that is valid at `stage` (tests/cases/make_cases.py)."""
    path = ROOT / "tests" / "cases" / "valid" / f"base-{stage}" / "dossiers" / PID / "project.yaml"
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text("utf-8"))
    return data


def dump(data: dict[str, Any]) -> str:
    """`data` as the project.yaml that check() reads: one field a line, as the cases
    are written."""
    out = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return out.getvalue()


def check(
    data: dict[str, Any],
    *,
    today: dt.date = AS_OF,
    settings: Settings = DEFAULT_SETTINGS,
    calendar: Calendar | None = None,
    folder: str = PID,
) -> list[Finding]:
    """The findings of a project.yaml holding `data` in the folder `folder`, each
    placed at its line and column; every attachment stands (F001 is not asked)."""
    result = check_bytes(
        dump(data).encode("utf-8"),
        file=f"dossiers/{folder}/project.yaml",
        folder=folder,
        settings=settings,
        today=today,
        stat=lambda _: FileStatus.ok,
        calendar=calendar,
    )
    return result.findings


def rest_days(*days: dt.date) -> Calendar:
    """The package's calendar with these days made rest days (a newer State Council notice
    in the repository's copy)."""

    def table() -> CalendarTable:
        out = dict(calendar_from_package())
        for day in days:
            rest, work = out.get(day.year, (frozenset(), frozenset()))
            out[day.year] = (rest | {day}, work)
        return out

    return Calendar(table)
