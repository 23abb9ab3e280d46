"""`gtx show ID`: options -> services/showing.py -> reporters/show.py (docs/cli.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.errors import EXIT_OK, UsageError
from golmud_cli.reporters import show as report
from golmud_cli.services.showing import show

FORMATS = ("text", "json")


def run(*, repo: Path | None, project: str, fmt: str, as_of: dt.date | None, lang: str) -> int:
    if fmt not in FORMATS:
        raise UsageError(
            f"--format 只能是 {' / '.join(FORMATS)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(FORMATS)}, not {fmt}.",
        )
    report.write(show(repo, project, as_of, lang), fmt, lang)
    return EXIT_OK
