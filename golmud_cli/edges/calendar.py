"""China's official calendar, shipped with gtx and kept beside the result cache (an
edge of core/periods.py).

Importing the `holidays` package and computing its table costs ~0.35 s of CPU on every
run that shifts a due date (its countries package imports every country): more than
the rest of a warm `gtx deadlines`, and paid by every cold run (a CI clone has no
cache). The table is small and changes only with the package, so:

1. gtx ships the table of the `holidays` version it was released with
   (`golmud_cli/data/calendar-cn.json`, written by `make calendar`); it is used only
   when that very version is installed;
2. else a copy under `.git/gtx-cache/`, keyed by the installed version;
3. else the package itself, and the copy of 2 is written anew.

A missing, stale or damaged file is never used: the next source answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from golmud_cli.core.periods import Calendar, CalendarTable, calendar_from_package
from golmud_cli.edges.gitdir import git_dir
from golmud_cli.edges.resources import DATA_DIR

FORMAT = 1
FILE = "calendar-cn.json"
SHIPPED = DATA_DIR / FILE


def _package_version() -> str | None:
    """The installed holidays' version: from the name of its `.dist-info` folder, the
    first on sys.path as importlib.metadata finds it, without importing
    importlib.metadata (~20-30 ms of a start-up: email, zipfile, csv; issue 17). Any
    other install (an egg, a zip) asks importlib.metadata. A version told otherwise
    than it would tell only makes the cached table be rebuilt, never a wrong table."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            head, _, version = name.removesuffix(".dist-info").partition("-")
            if head.lower() == "holidays" and name.endswith(".dist-info") and version:
                return version
            if head.lower() == "holidays" and name.endswith(".egg-info"):
                return _metadata_version()
    return _metadata_version()


def _metadata_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        return None


def encode(table: CalendarTable, package: str) -> str:
    years = {
        str(y): [sorted(d.isoformat() for d in rest), sorted(d.isoformat() for d in work)]
        for y, (rest, work) in sorted(table.items())
    }
    return json.dumps({"format": FORMAT, "holidays": package, "years": years}, sort_keys=True)


def _decode(text: str, package: str) -> CalendarTable | None:
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("holidays") != package:
            return None
        return {
            int(y): (
                frozenset(dt.date.fromisoformat(d) for d in rest),
                frozenset(dt.date.fromisoformat(d) for d in work),
            )
            for y, (rest, work) in data["years"].items()
        }
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # damaged: rebuilt below


def _read(path: Path, package: str) -> CalendarTable | None:
    try:
        return _decode(path.read_text("utf-8"), package)
    except (OSError, UnicodeDecodeError):
        return None


def source_for(root: Path) -> Callable[[], CalendarTable]:
    """A table source for periods.Calendar: the shipped table or the cached copy when
    it was made by the installed package, else the package itself (and the copy is
    written anew)."""

    def load() -> CalendarTable:
        package = _package_version()
        if package is not None and (shipped := _read(SHIPPED, package)) is not None:
            return shipped
        g = git_dir(root)
        # only beside a result cache that exists: outside git, or under --no-cache on a
        # repository that never had one, nothing is written
        if package is None or g is None or not (g / "gtx-cache").is_dir():
            return calendar_from_package()
        path = g / "gtx-cache" / FILE
        cached = _read(path, package)
        if cached is not None:
            return cached
        table = calendar_from_package()
        try:
            from golmud_cli.edges.fs import atomic_write

            atomic_write(path, encode(table, package).encode("utf-8"))
        except OSError:
            pass  # a read-only checkout: the package answers every time
        return table

    return load


def calendar_for(root: Path) -> Calendar:
    """The calendar of the repository at `root`: read (from the copy, else the package)
    when a due date is first shifted, then kept by the Calendar value."""
    return Calendar(source_for(root))
