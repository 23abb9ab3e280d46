"""`gtx deadlines`: what is due and what is late, as of a date (docs/lifecycle.md, Deadlines).

Reads every dossier (or those named), computes its deadlines with the pure core in
golmud_cli/core/deadlines.py and hands the listing to a reporter. A dossier that does not
load is skipped with a warning: its deadlines cannot be known until `gtx validate`
is clean for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from golmud_cli.core.deadlines import Deadline, Kind, State, compute, urgency
from golmud_cli.core.model import Dossier, Policy
from golmud_cli.edges.repo import Repository
from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import check_project, require_projects, select

if TYPE_CHECKING:
    from golmud_cli.pipeline.batch import DeadlineData

FORMATS = ("text", "json", "csv", "ics", "xlsx")
FAIL_ON = ("overdue", "due_soon")


@dataclass(frozen=True, slots=True)
class Entry:
    """One deadline with what a reader needs beside it (name, unit, the order's text)."""

    deadline: Deadline
    name: str
    unit: str
    detail: str = ""  # a rectification order's finding


@dataclass(slots=True)
class Loaded:
    """The dossiers of a repository that loaded, and the files that did not."""

    dossiers: list[Dossier]
    skipped: list[str]  # repository-relative files
    settings_bad: bool
    # Dossiers known by their deadline data alone (golmud_cli.pipeline.batch, shared with
    # `gtx validate`), without a model: what keeps 10,000 warm in <= 1 s (docs/benchmarks.md).
    data: list[DeadlineData] = field(default_factory=list)


@dataclass(slots=True)
class DeadlineReport:
    as_of: dt.date
    entries: list[Entry]
    skipped: list[str]
    settings_bad: bool
    policy: Policy
    within: int | None = None
    show_all: bool = False
    # Years the official calendar lacks, met by a listed deadline: only weekends were
    # shifted there (docs/lifecycle.md: say so once in the report).
    unknown_years: list[int] = field(default_factory=list)


def load_dossiers(r: Repository, ids: Iterable[str], today: dt.date) -> Loaded:
    """Each dossier through the same checks as `gtx validate` (golmud_cli.pipeline.check), without
    the round-trip pass for positions: only the model is needed here."""
    dossiers: list[Dossier] = []
    skipped: list[str] = []
    for project in ids:
        # the same read as validate's: bounded, regular files only, no linked folder
        res = check_project(r, project, today, with_positions=False)
        if res.dossier is None:
            skipped.append(res.file)
        else:
            dossiers.append(res.dossier)
    return Loaded(dossiers, skipped, bool(r.settings_findings))


def load_cached(r: Repository, ids: list[str], today: dt.date, *, progress: bool = False) -> Loaded:
    """As load_dossiers, from the cache that `gtx validate` fills (and filling it)."""
    from golmud_cli.pipeline.batch import deadline_data
    from golmud_cli.reporters.progress import bar

    data, skipped, settings_bad = deadline_data(r, ids, today, progress=bar if progress else None)
    return Loaded([], skipped, settings_bad, data)


def entries_of(d: Dossier, deadlines: Iterable[Deadline]) -> list[Entry]:
    out = []
    for dl in deadlines:
        detail = ""
        if dl.kind is Kind.rectification and dl.index is not None:
            detail = d.rectifications[dl.index].finding
        out.append(Entry(dl, d.name, d.unit, detail))
    return out


def unknown_years(deadlines: Iterable[Deadline]) -> list[int]:
    years: set[int] = set()
    for dl in deadlines:
        if not dl.calendar_known:
            years.update(range(dl.nominal_due.year, dl.due.year + 1))
    return sorted(years)


def build(
    loaded: Loaded, policy: Policy, today: dt.date, *, within: int | None, show_all: bool
) -> DeadlineReport:
    """The listing (pure): pending deadlines (or all with `show_all`), those due within
    `within` days, overdue always included; overdue first, then by due date."""
    entries: list[Entry] = []
    for d in loaded.dossiers:
        dls = compute(d, policy, today)
        if not show_all:
            dls = [dl for dl in dls if dl.pending]
        if within is not None:
            dls = [dl for dl in dls if dl.state is State.overdue or dl.days_left <= within]
        entries.extend(entries_of(d, dls))
    for x in loaded.data:  # computed with the same policy and date (the cache's key)
        dls = list(x.deadlines) if show_all else x.pending()
        if within is not None:
            dls = [dl for dl in dls if dl.state is State.overdue or dl.days_left <= within]
        entries.extend(
            Entry(
                dl,
                x.name,
                x.unit,
                x.rectification_findings[dl.index]
                if dl.kind is Kind.rectification and dl.index is not None
                else "",
            )
            for dl in dls
        )
    entries.sort(key=lambda e: urgency(e.deadline))
    years = unknown_years(e.deadline for e in entries) if policy.holiday_shift else []
    return DeadlineReport(
        as_of=today,
        entries=entries,
        skipped=loaded.skipped,
        settings_bad=loaded.settings_bad,
        policy=policy,
        within=within,
        show_all=show_all,
        unknown_years=years,
    )


def failing(entries: Iterable[Entry], fail_on: str | None) -> bool:
    """--fail-on: `overdue`, or `due_soon` which also counts what is overdue."""
    if fail_on is None:
        return False
    states = {State.overdue} if fail_on == "overdue" else {State.overdue, State.due_soon}
    return any(e.deadline.state in states for e in entries)


def check_options(
    fmt: str, formats: tuple[str, ...], fail_on: str | None = None, within: int | None = None
) -> None:
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
    loaded = load_cached(r, select(r, targets, None), today, progress=fmt == "text")
    report = build(loaded, r.settings.policy, today, within=within, show_all=show_all)

    if fmt == "xlsx":
        from golmud_cli.reporters.deadlines import warn_skipped
        from golmud_cli.reporters.xlsx import deadlines_workbook, emit

        warn_skipped(report.skipped, report.settings_bad, lang)
        emit(deadlines_workbook(report, lang), output, lang)
    else:
        from golmud_cli.reporters.deadlines import report_deadlines

        report_deadlines(report, fmt=fmt, lang=lang)
    return EXIT_FINDINGS if failing(report.entries, fail_on) else EXIT_OK
