"""China's official calendar, kept beside the result cache (an edge of core/periods.py).

Importing the `holidays` package costs ~0.17 s on every run that shifts a due date
(its countries package imports every country), more than the rest of a warm
`gtx deadlines` or a `--changed-since` run. The table it yields is small and
changes only with the package, so it is stored under `.git/gtx-cache/`, keyed by
the package's version; a missing, stale or damaged file is rebuilt from the package.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from golmud_cli.core.periods import Calendar, CalendarTable, calendar_from_package
from golmud_cli.edges.gitdir import git_dir

FORMAT = 1
FILE = "calendar-cn.json"


def _package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        return None


def _encode(table: CalendarTable, package: str) -> str:
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


def source_for(root: Path) -> Callable[[], CalendarTable]:
    """A table source for periods.Calendar: the cached copy when it matches
    the installed package, else the package itself (and the copy is written anew)."""

    def load() -> CalendarTable:
        package = _package_version()
        g = git_dir(root)
        # only beside a result cache that exists: outside git, or under --no-cache on a
        # repository that never had one, nothing is written
        if package is None or g is None or not (g / "gtx-cache").is_dir():
            return calendar_from_package()
        path = g / "gtx-cache" / FILE
        try:
            cached = _decode(path.read_text("utf-8"), package)
        except OSError:
            cached = None
        if cached is not None:
            return cached
        table = calendar_from_package()
        try:
            from golmud_cli.edges.fs import atomic_write

            atomic_write(path, _encode(table, package).encode("utf-8"))
        except OSError:
            pass  # a read-only checkout: the package answers every time
        return table

    return load


def calendar_for(root: Path) -> Calendar:
    """The calendar of the repository at `root`: read (from the copy, else the package)
    when a due date is first shifted, then kept by the Calendar value."""
    return Calendar(source_for(root))
