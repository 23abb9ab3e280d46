"""`gtx list`: the projects that match the filters, as `gtx status` shows them
(text, json, csv) or as a workbook that `gtx import` reads (xlsx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.commands.deadlines import check_options
from golmud_cli.commands.status import FORMATS
from golmud_cli.core.portfolio import Filters, build
from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import require_projects
from golmud_cli.services.listing import load_dossiers, matching


def run(
    *,
    repo: Path | None,
    filters: Filters,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    output: Path | None,
) -> int:
    check_options(fmt, FORMATS)
    r = workspace.open_repo(repo)
    require_projects(r)
    today = as_of or dt.date.today()
    # The models, not the cache: the filters read fields the cache does not keep.
    loaded = load_dossiers(r, r.project_ids(), today)
    loaded.dossiers = matching(loaded.dossiers, filters, r.settings.policy, today, r.calendar)
    portfolio = build(loaded, r.settings.policy, today, r.calendar)
    if fmt == "xlsx":
        from golmud_cli.edges.xlsx import emit
        from golmud_cli.reporters.xlsx import status_workbook

        emit(status_workbook(portfolio, {d.id: d for d in loaded.dossiers}, lang), output, lang)
    else:
        from golmud_cli.reporters.status import report_status

        report_status(portfolio, fmt=fmt, lang=lang)
    return EXIT_OK
