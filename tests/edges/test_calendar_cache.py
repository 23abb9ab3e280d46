"""The calendar table: the same answers as the `holidays` package, day by day, whether
read from the package or from its copy beside the result cache."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import holidays
import pytest

from golmud_cli.core import periods
from golmud_cli.edges import calendar as calendar_cache


def test_every_day_of_every_known_year_agrees_with_the_package() -> None:
    table = periods.calendar_from_package()
    assert 2026 in table and min(table) <= 2010
    for year in table:
        cn = holidays.country_holidays("CN", years=year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            assert periods.is_working_day(day) == (cn.is_working_day(day), True), day
            day += dt.timedelta(days=1)


# these tests are about the copy beside the cache, which answers when the table gtx
# ships was made by another version of `holidays` (test_calendar_shipped.py)
pytestmark = pytest.mark.usefixtures("no_shipped_calendar")


def _git_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_the_cached_copy_is_written_read_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    root = _git_repo(tmp_path)
    # no result cache yet (a first run or --no-cache): nothing is written
    assert calendar_cache.source_for(root)() == periods.calendar_from_package()
    assert not (root / ".git" / "gtx-cache").exists()
    (root / ".git" / "gtx-cache").mkdir()
    path = root / ".git" / "gtx-cache" / calendar_cache.FILE
    first = calendar_cache.source_for(root)()
    assert path.is_file() and first == periods.calendar_from_package()
    # the copy is what is read next time: a planted (valid) change shows through
    text = path.read_text("utf-8").replace('"2026-10-01"', '"2026-10-09"')
    path.write_text(text, "utf-8")
    assert dt.date(2026, 10, 9) in calendar_cache.source_for(root)()[2026][0]
    # damaged, or written for another version of the package: rebuilt from the package
    for bad in ("{", '{"format": 1, "holidays": "0.0", "years": {}}', '{"format": 1}'):
        path.write_text(bad, "utf-8")
        assert calendar_cache.source_for(root)() == periods.calendar_from_package()


def test_the_shift_through_the_cache_is_the_packages(tmp_path: Path) -> None:
    root = _git_repo(tmp_path)
    (root / ".git" / "gtx-cache").mkdir()
    cal = calendar_cache.calendar_for(root)
    assert periods.shift_to_working_day(dt.date(2026, 10, 1), cal).due == dt.date(2026, 10, 8)
    assert periods.shift_to_working_day(dt.date(2026, 9, 20), cal).due == dt.date(2026, 9, 20)
    cal = calendar_cache.calendar_for(root)  # now from the file
    assert periods.shift_to_working_day(dt.date(2026, 10, 1), cal).due == dt.date(2026, 10, 8)
    far = periods.shift_to_working_day(dt.date(2031, 5, 3), cal)  # a Saturday, a year unknown
    assert far.due == dt.date(2031, 5, 5) and far.calendar_known is False


def test_the_package_version_is_importlib_metadatas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # told from the dist-info folder's name (no importlib.metadata at start-up): the
    # same version, so the shipped and cached tables are taken as they were before
    from importlib.metadata import version

    assert calendar_cache._package_version() == version("holidays") == holidays.__version__
    # an earlier folder on sys.path with another holidays wins, as it does for importlib
    other = tmp_path / "site"
    (other / "holidays-0.1.dist-info").mkdir(parents=True)
    (other / "holidays-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: holidays\nVersion: 0.1\n", "utf-8"
    )
    monkeypatch.syspath_prepend(str(other))
    assert calendar_cache._package_version() == version("holidays") == "0.1"
