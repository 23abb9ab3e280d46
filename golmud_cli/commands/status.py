"""`gtx status`: the portfolio, one row per project, with totals by stage and by unit
(built by golmud_cli.core.portfolio)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.commands.deadlines import check_options
from golmud_cli.core.portfolio import build
from golmud_cli.edges.cache import runs
from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import require_projects
from golmud_cli.reporters.progress import bar
from golmud_cli.services.listing import load_cached, load_dossiers

FORMATS = ("text", "json", "csv", "xlsx")


def run(
    *, repo: Path | None, as_of: dt.date | None, fmt: str, lang: str, output: Path | None = None
) -> int:
    check_options(fmt, FORMATS)
    r = workspace.open_repo(repo, no_links=True)
    require_projects(r)
    today = as_of or dt.date.today()
    if fmt == "xlsx":
        # The workbook carries every register field (for gtx import), which the
        # cache does not keep: the models are loaded.
        from golmud_cli.edges.xlsx import emit
        from golmud_cli.reporters.deadlines import warn_skipped
        from golmud_cli.reporters.xlsx import status_workbook

        full = load_dossiers(r, r.project_ids(), today)
        warn_skipped(full.skipped, full.settings_bad, lang)
        by_id = {d.id: d for d in full.dossiers}
        emit(status_workbook(build(full, r.settings.policy, today), by_id, lang), output, lang)
        return EXIT_OK
    # From the cache `gtx validate` fills (and filling it): at 10,000 dossiers the
    # models alone took 15 s and 340 MB (docs/benchmarks.md: <= 300 MB for any command).
    loaded = load_cached(r, r.project_ids(), today, progress=bar if fmt == "text" else None)
    portfolio = build(loaded, loaded.policy or r.settings.policy, today, r.calendar)

    from golmud_cli.reporters.status import report_status

    report_status(portfolio, fmt=fmt, lang=lang)
    if fmt in ("text", "json") and output is None:
        runs.ready(today, daily=True)  # the report is the whole output: replayable
    return EXIT_OK
