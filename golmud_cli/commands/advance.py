"""`gtx advance ID STAGE`: check the gate, append the history entry, make one signed
commit of the dossier's folder (docs/lifecycle.md, Stages and Gates; docs/cli.md).

Options → services/advancing.py (the transaction) → reporters/advance.py → exit
code. Exit 1: the gate or the transition says no; exit 2: anything the user must
set up first (git state, the signing key, options).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.edges.git import StatusAhead
from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline.gate import Said
from golmud_cli.reporters import advance as report
from golmud_cli.reporters.escape import visible
from golmud_cli.services import advancing


def run(
    *,
    repo: Path | None,
    project: str,
    stage: str,
    date: dt.date | None,
    refs: list[str],
    note: str | None,
    as_of: dt.date | None,
    dry_run: bool,
    lang: str,
    include_changes: bool = False,
    ahead: StatusAhead | None = None,
) -> int:
    req = advancing.Request(repo, project, stage, date, refs, note, as_of, include_changes, ahead)

    def say(said: Said) -> None:
        report.note(said, lang)

    if dry_run:
        planned = advancing.dry_run(req, say, visible)
        report.dry_run(planned, lang)
        return planned.exit_code
    report.done(advancing.advance(req, say, visible), lang)
    return EXIT_OK
