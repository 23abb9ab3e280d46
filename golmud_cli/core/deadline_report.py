"""The listing of `gtx deadlines` (pure): which deadlines to show, in what order, with
what a reader needs beside each (docs/lifecycle.md, Deadlines)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from golmud_cli.core.deadline_types import Deadline, DeadlinePolicy, Kind, State, urgency
from golmud_cli.core.portfolio import Loaded

if TYPE_CHECKING:
    # the model (pydantic) is imported only where models are listed: a listing
    # answered from the cache needs neither (docs/benchmarks.md)
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.periods import Calendar

FAIL_ON = ("overdue", "due_soon")


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """One deadline with what a reader needs beside it (name, unit, the order's text)."""

    deadline: Deadline
    name: str
    unit: str
    detail: str = ""  # a rectification order's finding


@dataclass(slots=True)
class DeadlineReport:
    as_of: dt.date
    entries: list[DeadlineRow]
    skipped: list[str]
    settings_bad: bool
    policy: DeadlinePolicy
    within: int | None = None
    show_all: bool = False
    # Years the official calendar lacks, met by a listed deadline: only weekends were
    # shifted there (docs/lifecycle.md: say so once in the report).
    unknown_years: list[int] = field(default_factory=list)


def entries_of(d: Dossier, deadlines: Iterable[Deadline]) -> list[DeadlineRow]:
    out = []
    for dl in deadlines:
        detail = ""
        if dl.kind is Kind.rectification and dl.index is not None:
            detail = d.rectifications[dl.index].finding
        out.append(DeadlineRow(dl, d.name, d.unit, detail))
    return out


def unknown_years(deadlines: Iterable[Deadline]) -> list[int]:
    years: set[int] = set()
    for dl in deadlines:
        if not dl.calendar_known:
            years.update(range(dl.nominal_due.year, dl.due.year + 1))
    return sorted(years)


def build(
    loaded: Loaded,
    policy: DeadlinePolicy,
    today: dt.date,
    *,
    within: int | None,
    show_all: bool,
    calendar: Calendar | None = None,
) -> DeadlineReport:
    """The listing (pure): pending deadlines (or all with `show_all`), those due within
    `within` days, overdue always included; overdue first, then by due date."""
    entries: list[DeadlineRow] = []
    if loaded.dossiers:
        from golmud_cli.core.deadlines import compute
        from golmud_cli.core.periods import PACKAGE_CALENDAR

        cal = calendar or PACKAGE_CALENDAR
        for d in loaded.dossiers:
            dls = compute(d, policy, today, cal)
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
            DeadlineRow(
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


def failing(entries: Iterable[DeadlineRow], fail_on: str | None) -> bool:
    """--fail-on: `overdue`, or `due_soon` which also counts what is overdue."""
    if fail_on is None:
        return False
    states = {State.overdue} if fail_on == "overdue" else {State.overdue, State.due_soon}
    return any(e.deadline.state in states for e in entries)
