"""The calendar is a value passed in (core/periods.py: Calendar), not a module setting:
two calendars give their own answers side by side, each reads its table once, and a
command's repository brings its own (the copy beside the cache, edges/calendar.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.core import periods
from golmud_cli.core.periods import Calendar, CalendarTable
from golmud_cli.edges import calendar as calendar_cache
from golmud_cli.pipeline.workspace import open_repo
from tests.conftest import CASES

# a repository's calendar is planted in its copy beside the cache, which answers when
# the table gtx ships was made by another version of `holidays` (edges/calendar.py)
pytestmark = pytest.mark.usefixtures("no_shipped_calendar")

NATIONAL_DAY = dt.date(2026, 10, 1)  # a Thursday; the official holiday runs to 10-07


def _with_rest_day(day: dt.date) -> CalendarTable:
    """The package's table with one more rest day."""
    table = dict(periods.calendar_from_package())
    rest, work = table[day.year]
    table[day.year] = (rest | {day}, work)
    return table


def test_two_calendars_answer_side_by_side() -> None:
    reads: list[str] = []

    def planted() -> CalendarTable:
        reads.append("planted")
        return _with_rest_day(dt.date(2026, 10, 8))

    mine = Calendar(planted)
    # the package's calendar: back to work on Thursday 10-08
    assert periods.shift_to_working_day(NATIONAL_DAY).due == dt.date(2026, 10, 8)
    # with 10-08 a rest day too, Friday 10-09
    assert periods.shift_to_working_day(NATIONAL_DAY, mine).due == dt.date(2026, 10, 9)
    # asking the other one in between changes neither
    assert periods.shift_to_working_day(NATIONAL_DAY).due == dt.date(2026, 10, 8)
    assert mine.shift(NATIONAL_DAY).due == dt.date(2026, 10, 9)
    assert reads == ["planted"]  # read once, kept by the value


def test_a_weekend_only_calendar_knows_no_year() -> None:
    bare = Calendar(dict)  # no State Council notice at all: weekends alone
    s = bare.shift(NATIONAL_DAY)
    assert s.due == NATIONAL_DAY and s.calendar_known is False
    assert periods.is_working_day(dt.date(2026, 10, 3), bare) == (False, False)


def test_the_repository_brings_the_copy_beside_its_cache(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "dossiers").mkdir()
    (tmp_path / ".git" / "gtx-cache").mkdir()
    calendar_cache.calendar_for(tmp_path).table()  # writes the copy
    path = tmp_path / ".git" / "gtx-cache" / calendar_cache.FILE
    # a copy that says 10-08 is a holiday too: what this repository's commands use
    path.write_text(path.read_text("utf-8").replace('"2026-10-07"', '"2026-10-07", "2026-10-08"'))
    r = open_repo(tmp_path)
    assert r.calendar.shift(NATIONAL_DAY).due == dt.date(2026, 10, 9)
    # the package's own calendar is untouched by it
    assert periods.shift_to_working_day(NATIONAL_DAY).due == dt.date(2026, 10, 8)


CASE = CASES / "valid" / "R001-due-in-holiday-shifted"


def test_validate_shifts_due_dates_in_the_repositorys_calendar(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """A rectification due on National Day (2026-10-01): in the package's calendar it
    is due on 10-08, the first working day. A repository whose calendar copy ends the
    holiday on 10-04 has it due on Monday 10-05, and on 10-06 it is overdue (R001)."""
    shutil.copytree(CASE / "dossiers", tmp_path / "dossiers")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    args = ["validate", "--repo", tmp_path, "--as-of", "2026-10-06", "--format", "json"]
    package = cli(*args)
    assert package.exit_code == 0 and "R001" not in package.stdout
    calendar_cache.calendar_for(tmp_path).table()  # the copy beside the cache, written
    path = tmp_path / ".git" / "gtx-cache" / calendar_cache.FILE
    text = path.read_text("utf-8")
    for day in ("05", "06", "07"):
        text = text.replace(f'"2026-10-{day}", ', "")
    path.write_text(text, "utf-8")
    planted = cli(*args, "--no-cache")
    assert planted.exit_code == 1
    assert [f["code"] for f in json.loads(planted.stdout)["findings"]] == ["R001"]
