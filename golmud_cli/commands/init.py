"""`gtx init [DIR]`: options -> services/initializing.py -> reporters/init.py (or
reporters/upgrade.py for `--upgrade`); what init writes and refuses is told there."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.errors import EXIT_OK
from golmud_cli.services.initializing import Initialized, initialize


def run(
    *, directory: Path | None, force: bool, commit: bool, lang: str, upgrade: bool = False
) -> int:
    result = initialize(directory, force=force, commit=commit, upgrade=upgrade)
    if isinstance(result, Initialized):
        from golmud_cli.reporters.init import report

        report(
            result.root,
            result.created,
            result.skipped,
            committed=result.committed,
            here=result.here,
            lang=lang,
        )
    else:
        from golmud_cli.reporters.upgrade import report as report_upgrade

        report_upgrade(result.root, result.done, lang)
    return EXIT_OK
