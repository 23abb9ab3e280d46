"""Date arithmetic of lifecycle.md, Deadlines (pure).

Months are calendar months clamped to the month's end, always added from the
anchor in one step (2024-11-30 + 3 months = 2025-02-28, never the result of three
one-month hops). A due date on a rest day or statutory holiday moves to the next
working day, as 民法典 第二百零三条 does for periods, using China's official
calendar with its make-up working days (调休) from the `holidays` package.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


def add_months(anchor: dt.date, months: int) -> dt.date:
    """`anchor` plus `months` calendar months, clamped to the end of the month."""
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(anchor.day, last))


def add_days(anchor: dt.date, days: int) -> dt.date:
    return anchor + dt.timedelta(days=days)


@lru_cache(maxsize=1)
def _known_years() -> frozenset[int]:
    """Years for which the package knows the State Council's 调休 notice.

    The package computes fixed holidays for any year, but the make-up working
    days exist only for years whose notice it carries; for later years we fall
    back to weekends alone (lifecycle.md) rather than trust a partial calendar.
    """
    try:
        from holidays.countries import china

        return frozenset(china.ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):  # pragma: no cover - depends on the package
        return frozenset()


@lru_cache(maxsize=64)
def _china(year: int) -> Any:
    from holidays import country_holidays

    return country_holidays("CN", years=year)


@dataclass(frozen=True, slots=True)
class Shifted:
    nominal: dt.date
    due: dt.date
    calendar_known: bool  # False: weekends only, the official calendar lacks the year


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working?, known?) for `day` in China's official calendar."""
    if day.year in _known_years():
        cn = _china(day.year)
        return bool(cn.is_working_day(day)), True
    return day.weekday() < 5, False


def shift_to_working_day(nominal: dt.date) -> Shifted:
    """Move a due date off a rest day or holiday to the next working day."""
    day = nominal
    known = True
    for _ in range(40):  # the longest Chinese holiday run is 8-9 days
        working, k = is_working_day(day)
        known = known and k
        if working:
            return Shifted(nominal, day, known)
        day += dt.timedelta(days=1)
    return Shifted(nominal, day, known)  # pragma: no cover - unreachable in practice


def no_shift(nominal: dt.date) -> Shifted:
    return Shifted(nominal, nominal, True)
