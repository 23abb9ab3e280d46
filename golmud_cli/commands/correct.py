"""`gtx correct ID ENTRY --date D --reason TEXT`: correct the date of a recorded act with
a signed, append-only correction entry (docs/lifecycle.md, Corrections; docs/cli.md).

Options → services/correcting.py (the transaction) → reporters/correct.py → exit
code. Exit 1: the correction would break a rule; exit 2: anything the user must set
up first (git state, the signing key, options).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline.gate import Said
from golmud_cli.reporters import advance as advance_report
from golmud_cli.reporters import correct as report
from golmud_cli.reporters.escape import visible
from golmud_cli.services import correcting


def run(
    *,
    repo: Path | None,
    project: str,
    entry: int,
    date: dt.date,
    reason: str,
    as_of: dt.date | None,
    lang: str,
    dry_run: bool = False,
) -> int:
    req = correcting.Request(repo, project, entry, date, reason, as_of)
    if dry_run:
        report.dry_run(correcting.preview(req), lang)
        return EXIT_OK

    def say(said: Said) -> None:  # a recovered journal of an interrupted advance
        advance_report.note(said, lang)

    report.done(correcting.correct(req, say, visible), lang)
    return EXIT_OK
