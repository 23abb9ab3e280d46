"""Dates at the end of the calendar: a period that runs past 9999-12-31 (an act dated in
9999, a construction period of a million months) gives a due date as far off as dates
go, never an internal error in validate, deadlines or status."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from golmud_cli.core.periods import add_days, add_months
from tests.conftest import CASES
from tests.support.deadline_repos import gtx, main_line, project, write_repo


def test_month_and_day_arithmetic_stop_at_the_calendar_ends() -> None:
    assert add_months(dt.date(9999, 6, 1), 8) == dt.date.max
    assert add_months(dt.date(2024, 1, 31), 979_123_456) == dt.date.max
    assert add_months(dt.date(1, 3, 1), -5) == dt.date.min
    assert add_days(dt.date(9999, 12, 20), 30) == dt.date.max
    assert add_days(dt.date(1, 1, 5), -30) == dt.date.min
    # inside the calendar nothing changes
    assert add_months(dt.date(9999, 3, 31), 8) == dt.date(9999, 11, 30)
    assert add_days(dt.date(9999, 12, 1), 30) == dt.date(9999, 12, 31)


@pytest.mark.parametrize("command", ["validate", "deadlines", "status"])
def test_a_huge_construction_period_is_no_internal_error(tmp_path: Path, command: str) -> None:
    repo = write_repo(
        tmp_path / "r",
        [
            project(
                "p1-building",
                main_line("2024-01-10", "2024-02-01", "2024-02-20", "2024-03-01", "2024-06-01"),
                schedule={"start": dt.date(2024, 6, 1), "duration_months": 979_123_456},
            )
        ],
    )
    r = gtx(command, "--repo", str(repo), "--as-of", "2026-11-26", "--lang", "en")
    assert r.exit_code in (0, 1), r.output
    assert "internal error" not in r.output + r.stderr


def test_acts_dated_late_in_9999_give_deadlines_not_an_error(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "r", [project("p1-late", main_line("9999-12-01", "9999-12-20"))]
    )
    r = gtx("deadlines", "--repo", str(repo), "--as-of", "9999-12-25", "--format", "json")
    assert r.exit_code == 0, r.output
    assert '"due": "9999-12-31"' in r.stdout  # the filing period runs past the last day


def test_the_shipped_case_still_loads(tmp_path: Path) -> None:
    dest = tmp_path / "c"
    shutil.copytree(CASES / "valid" / "base-approved", dest, symlinks=True)
    assert gtx("validate", "--repo", str(dest), "--as-of", "2026-11-26").exit_code == 0
