"""Date arithmetic of docs/lifecycle.md, Deadlines (pure).

Months are calendar months clamped to the month's end, always added from the
anchor in one step (2024-11-30 + 3 months = 2025-02-28, never the result of three
one-month hops). A due date on a rest day or statutory holiday moves to the next
working day, as 民法典 第二百零三条 does for periods, using China's official
calendar with its make-up working days (调休) from the `holidays` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


def add_months(anchor: dt.date, months: int) -> dt.date:
    """`anchor` plus `months` calendar months, clamped to the end of the month."""
    # a repository's dossiers share their anchors (the same few act dates and periods,
    # ~3 a dossier): each sum is made once. A plain date only, as a key and as what is
    # returned (a TrackedDay would record the key's comparisons; core/dateinterval.py).
    plain = type(anchor) is _DATE
    if plain:
        got = _ADDED.get((anchor, months))
        if got is not None:
            return got
    got = _add_months(anchor, months)
    if plain and len(_ADDED) < ADDED_MEMO_MAX:
        _ADDED[anchor, months] = got
    return got


_DATE = dt.date
# a bound for a long-lived process, as SHIFT_MEMO_MAX below (past it, each sum is made
# again, with the same answer)
ADDED_MEMO_MAX = 65_536
_ADDED: dict[tuple[dt.date, int], dt.date] = {}


def forget() -> None:
    """Drop the months added (the tests: none reads another's, tests/conftest.py)."""
    _ADDED.clear()


def _add_months(anchor: dt.date, months: int) -> dt.date:
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(total, 12)
    # past the calendar's last day (an act dated in 9999, a long period): no date
    # exists, and the due date is as far off as dates go rather than an internal error
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    # the month's length as calendar.monthrange gives it, without its weekday (two
    # Python calls a period, ~3.5 periods a dossier: docs/benchmarks.md)
    if month0 == 1:
        last = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    else:
        last = _MONTH_DAYS[month0]
    return dt.date(year, month0 + 1, min(anchor.day, last))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_days(anchor: dt.date, days: int) -> dt.date:
    try:
        return anchor + dt.timedelta(days=days)
    except OverflowError:  # past the calendar's last (or first) day, as add_months
        return dt.date.max if days > 0 else dt.date.min


# China's official calendar as plain data: for each year whose State Council notice
# the package carries, its statutory holidays and its make-up working days (调休).
# Years outside the table fall back to weekends alone (docs/lifecycle.md).
YearCalendar = tuple[frozenset[dt.date], frozenset[dt.date]]  # (holidays, make-up workdays)
CalendarTable = dict[int, YearCalendar]


def calendar_from_package() -> CalendarTable:
    """The table, read from the `holidays` package (a heavy import: ~0.17 s, since its
    countries package imports every country; the edges may cache the result)."""
    try:
        from holidays import country_holidays
        from holidays.countries import china

        # The package computes fixed holidays for any year, but the make-up working
        # days exist only for years whose notice it carries.
        years = sorted(china.ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):  # pragma: no cover - depends on the package
        return {}
    cn = country_holidays("CN", years=years)
    table: CalendarTable = {}
    for year in years:
        rest = frozenset(d for d in cn if d.year == year)
        work = frozenset(d for d in cn.weekend_workdays if d.year == year)
        table[year] = (rest, work)
    return table


# Due dates a Calendar remembers shifted: a bound for a long-lived process (a 10,000-
# dossier repository has a few thousand distinct ones; past the bound, shifts are
# computed each time, with the same answer).
SHIFT_MEMO_MAX = 65_536


@dataclass(frozen=True, slots=True)
class Shifted:
    nominal: dt.date
    due: dt.date
    calendar_known: bool  # False: weekends only, the official calendar lacks the year


class Calendar:
    """China's official calendar as a value: its table, read from `source` when a due
    date is first shifted and kept by this object (reading it costs the `holidays`
    import, ~0.17 s, or a file read). The edges make one per repository
    (edges/calendar.py reads a copy kept beside the cache) and pass it in."""

    __slots__ = ("_shifted", "_source", "_table")

    def __init__(self, source: Callable[[], CalendarTable]) -> None:
        self._source = source
        self._table: CalendarTable | None = None
        # nominal -> Shifted: a repository's dossiers share their due dates, and a shift
        # walks day by day through the table (the table, once read, never changes)
        self._shifted: dict[dt.date, Shifted] = {}

    def table(self) -> CalendarTable:
        if self._table is None:
            self._table = self._source()
        return self._table

    def forget(self) -> None:
        """Drop the shifts remembered (the tests: none reads another's, tests/conftest.py)."""
        self._shifted.clear()

    def is_working_day(self, day: dt.date) -> tuple[bool, bool]:
        """(working?, known?) for `day`."""
        year = self.table().get(day.year)
        if year is None:
            return day.weekday() < 5, False
        rest, work = year
        if day in work:
            return True, True
        return day.weekday() < 5 and day not in rest, True

    def shift(self, nominal: dt.date) -> Shifted:
        """Move a due date off a rest day or holiday to the next working day."""
        got = self._shifted.get(nominal)
        if got is None:
            got = self._shift(nominal)
            if len(self._shifted) < SHIFT_MEMO_MAX:
                self._shifted[nominal] = got
        return got

    def _shift(self, nominal: dt.date) -> Shifted:
        day = nominal
        known = True
        for _ in range(40):  # the longest Chinese holiday run is 8-9 days
            working, k = self.is_working_day(day)
            known = known and k
            if working:
                return Shifted(nominal, day, known)
            day += dt.timedelta(days=1)
        return Shifted(nominal, day, known)  # pragma: no cover - unreachable in practice


# The package's calendar, read from `holidays` itself: the default of a caller that
# names no repository (a test, a pure use). Commands pass their repository's calendar.
PACKAGE_CALENDAR = Calendar(calendar_from_package)


def is_working_day(day: dt.date, calendar: Calendar = PACKAGE_CALENDAR) -> tuple[bool, bool]:
    """(working?, known?) for `day` in China's official calendar."""
    return calendar.is_working_day(day)


def shift_to_working_day(nominal: dt.date, calendar: Calendar = PACKAGE_CALENDAR) -> Shifted:
    """Move a due date off a rest day or holiday to the next working day."""
    return calendar.shift(nominal)


def shifter(holiday_shift: bool, calendar: Calendar) -> Callable[[dt.date], Shifted]:
    """The shift a policy asks for: to the next working day of `calendar`, or none."""
    return calendar.shift if holiday_shift else no_shift


def no_shift(nominal: dt.date) -> Shifted:
    return Shifted(nominal, nominal, True)
