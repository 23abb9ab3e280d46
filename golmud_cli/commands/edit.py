"""`gtx set` and `gtx attach` (thin: options -> services.editing -> reporter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline.workspace import open_repo


def run_set(*, repo: Path | None, project: str, field: str, value: str, lang: str) -> int:
    from golmud_cli.reporters.editing import report_change
    from golmud_cli.services.editing import resolve_field, set_field

    resolve_field(field)  # a bad field is named before the repository is read
    r = open_repo(repo)
    report_change(set_field(r, r.resolve_target(project), field, value), lang)
    return EXIT_OK


def run_attach(
    *, repo: Path | None, project: str, file: Path, kind: str, date: dt.date | None, lang: str
) -> int:
    from golmud_cli.reporters.editing import report_attached
    from golmud_cli.services.editing import attach

    r = open_repo(repo)
    report_attached(attach(r, r.resolve_target(project), file, kind, date), lang)
    return EXIT_OK
