"""`gtx deadlines`: what is due and what is late, as of a date (docs/lifecycle.md, Deadlines).

Reads every dossier (or those named) from the cache `gtx validate` fills, lists their
deadlines with the pure core (golmud_cli.core.deadline_report) and hands the listing to
a reporter. A dossier that does not load is skipped with a warning: its deadlines
cannot be known until `gtx validate` is clean for it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.core.deadline_report import FAIL_ON, build, failing
from golmud_cli.edges.cache import runs
from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import require_projects, select
from golmud_cli.reporters.progress import bar
from golmud_cli.services.listing import load_cached

FORMATS = ("text", "json", "csv", "ics", "xlsx")


def check_options(
    fmt: str, formats: tuple[str, ...], fail_on: str | None = None, within: int | None = None
) -> None:
    """The option checks `gtx deadlines`, `status` and `list` share."""
    if fmt not in formats:
        raise UsageError(
            f"--format 只能是 {' / '.join(formats)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(formats)}, not {fmt}.",
        )
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(
            f"--fail-on 只能是 overdue（有逾期时失败）或 due_soon（有逾期或即将到期时失败），而不是 {fail_on}。",
            f"--fail-on must be overdue or due_soon (which also counts overdue), not {fail_on}.",
        )
    if within is not None and within < 0:
        raise UsageError(
            f"--within 须为不小于 0 的天数，而不是 {within}。",
            f"--within takes a number of days, 0 or more, not {within}.",
        )


def run(
    *,
    repo: Path | None,
    targets: list[str],
    as_of: dt.date | None,
    within: int | None,
    fmt: str,
    fail_on: str | None,
    show_all: bool,
    lang: str,
    output: Path | None = None,
) -> int:
    check_options(fmt, FORMATS, fail_on, within)
    r = workspace.open_repo(repo, no_links=True)
    if fail_on is None and fmt == "text":
        # a person asking; a scheduled check (--fail-on) or a calendar feed of a new,
        # empty repository has nothing pending and succeeds (gtx init's daily job)
        require_projects(r)
    today = as_of or dt.date.today()
    loaded = load_cached(
        r, select(r, targets, None), today, progress=bar if fmt == "text" else None
    )
    report = build(
        loaded,
        loaded.policy or r.settings.policy,  # the cache's copy: gtx.yaml not read again
        today,
        within=within,
        show_all=show_all,
        calendar=r.calendar,
    )

    if fmt == "xlsx":
        from golmud_cli.edges.xlsx import emit
        from golmud_cli.reporters.deadlines import warn_skipped
        from golmud_cli.reporters.xlsx import deadlines_workbook

        warn_skipped(report.skipped, report.settings_bad, lang)
        emit(deadlines_workbook(report, lang), output, lang)
    else:
        from golmud_cli.reporters.deadlines import report_deadlines

        report_deadlines(report, fmt=fmt, lang=lang)
        if fmt in ("text", "json") and output is None:
            runs.ready(today, daily=True)  # the report is the whole output: replayable
    return EXIT_FINDINGS if failing(report.entries, fail_on) else EXIT_OK
