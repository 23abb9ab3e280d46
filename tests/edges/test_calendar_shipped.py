"""The calendar table gtx ships (golmud_cli/data/calendar-cn.json, `make calendar`):
used only when the installed `holidays` made it, so a run needs no import of the
package; otherwise the package answers, day for day the same."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from golmud_cli.core import periods
from golmud_cli.edges import calendar as calendar_cache
from tests.conftest import ROOT

SHIPPED = json.loads(calendar_cache.SHIPPED.read_text("utf-8"))
CURRENT = SHIPPED["holidays"] == version("holidays")


def _git_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".git" / "gtx-cache").mkdir()
    return tmp_path


@pytest.mark.skipif(not CURRENT, reason="the shipped table was made by another holidays version")
def test_the_shipped_table_is_the_installed_packages() -> None:
    # `make calendar` after an upgrade of `holidays`; until then the package answers
    assert calendar_cache.source_for(Path("/"))() == periods.calendar_from_package()


@pytest.mark.skipif(not CURRENT, reason="the shipped table was made by another holidays version")
def test_a_run_shifting_due_dates_never_imports_the_package(tmp_path: Path) -> None:
    root = _git_repo(tmp_path)
    code = (
        "import sys, datetime as dt\n"
        "from golmud_cli.core import periods\n"
        "from golmud_cli.edges.calendar import calendar_for\n"
        f"cal = calendar_for(__import__('pathlib').Path({str(root)!r}))\n"
        "print(periods.shift_to_working_day(dt.date(2026, 10, 1), cal).due)\n"
        "print('holidays' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
    assert out == ["2026-10-08", "False"]  # 国庆 shifted, without the package
    assert not (root / ".git" / "gtx-cache" / calendar_cache.FILE).exists()  # no copy needed


@pytest.mark.parametrize("shipped", [
    '{"format": 1, "holidays": "0.0", "years": {"2026": [["2026-10-09"], []]}}',  # another version
    '{"format": 2, "holidays": "%s", "years": {"2026": [["2026-10-09"], []]}}',  # another format
    '{"format": 1, "holidays": "%s", "years": {"2026": [["not a date"], []]}}',  # damaged
    "{",
    "\xff",
])
def test_a_shipped_table_not_made_by_the_installed_package_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped: str
) -> None:
    path = tmp_path / "calendar-cn.json"
    path.write_bytes(shipped.replace("%s", version("holidays")).encode("latin-1"))
    monkeypatch.setattr(calendar_cache, "SHIPPED", path)
    root = _git_repo(tmp_path / "repo")
    cal = calendar_cache.calendar_for(root)
    # 2026-10-09 is a working day (国庆 ends on the 8th): a planted rest day is not read
    assert periods.shift_to_working_day(dt.date(2026, 10, 9), cal).due == dt.date(2026, 10, 9)
    assert periods.shift_to_working_day(dt.date(2026, 10, 1), cal).due == dt.date(2026, 10, 8)
    assert (root / ".git" / "gtx-cache" / calendar_cache.FILE).is_file()  # the package's copy
