"""Date arithmetic of docs/lifecycle.md, Deadlines: calendar months clamped to the month's
end, added from the anchor in one step, and the holiday shift of 民法典 第二百零三条
on China's official calendar (with its make-up working days, 调休)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golmud_cli.core.periods import (
    add_days,
    add_months,
    calendar_from_package,
    is_working_day,
    no_shift,
    shift_to_working_day,
)

D = dt.date.fromisoformat

# Anchors and month counts a dossier can meet, with room for the clamping cases.
anchors = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
months = st.integers(min_value=0, max_value=300)


def _days_in_month(year: int, month: int) -> int:
    """Written from the Gregorian rule, independently of calendar.monthrange."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def reference_add_months(anchor: dt.date, n: int) -> dt.date:
    """Count the months one by one (not by divmod), then clamp the day."""
    year, month = anchor.year, anchor.month
    for _ in range(n):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return dt.date(year, month, min(anchor.day, _days_in_month(year, month)))


@given(anchors, months)
def test_add_months_equals_an_independent_reference(anchor: dt.date, n: int) -> None:
    assert add_months(anchor, n) == reference_add_months(anchor, n)


@given(anchors, months)
def test_add_months_never_before_the_anchor(anchor: dt.date, n: int) -> None:
    result = add_months(anchor, n)
    assert result >= anchor
    if n >= 1:
        assert result > anchor


@given(anchors, months)
def test_add_months_keeps_the_day_when_it_exists_and_clamps_otherwise(
    anchor: dt.date, n: int
) -> None:
    result = add_months(anchor, n)
    last = _days_in_month(result.year, result.month)
    if anchor.day <= last:
        assert result.day == anchor.day
    else:
        assert result.day == last  # clamped to the month's end
    # the month moved by exactly n
    assert (result.year * 12 + result.month) - (anchor.year * 12 + anchor.month) == n


@given(anchors, st.integers(0, 60), st.integers(0, 60))
def test_two_hops_never_beyond_one_step(anchor: dt.date, m1: int, m2: int) -> None:
    # Clamping can only lower the day, so hopping loses days; docs/lifecycle.md adds in one step.
    assert add_months(add_months(anchor, m1), m2) <= add_months(anchor, m1 + m2)


def test_one_step_differs_from_hops() -> None:
    anchor = D("2024-01-31")
    assert add_months(add_months(anchor, 1), 1) == D("2024-03-29")
    assert add_months(anchor, 2) == D("2024-03-31")


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        ("2024-11-30", 3, "2025-02-28"),  # docs/lifecycle.md's examples
        ("2023-11-30", 3, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-07-20", 3, "2026-10-20"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
    ],
)
def test_add_months_examples(anchor: str, n: int, expected: str) -> None:
    assert add_months(D(anchor), n) == D(expected)


@pytest.mark.parametrize(
    ("nominal", "due"),
    [
        ("2026-10-01", "2026-10-08"),  # National Day and Mid-Autumn: 1 to 7 October 2026
        ("2026-10-04", "2026-10-08"),
        ("2026-09-20", "2026-09-20"),  # a Sunday worked in exchange (调休): no move
        ("2026-02-16", "2026-02-24"),  # Spring Festival: 15 to 23 February 2026
        ("2026-02-14", "2026-02-14"),  # a Saturday worked in exchange
        ("2026-05-01", "2026-05-06"),  # Labour Day: 1 to 5 May 2026
        ("2026-12-12", "2026-12-14"),  # an ordinary weekend
        ("2026-10-20", "2026-10-20"),  # an ordinary Tuesday
    ],
)
def test_holiday_shift_on_the_official_2026_calendar(nominal: str, due: str) -> None:
    s = shift_to_working_day(D(nominal))
    assert s.nominal == D(nominal)
    assert s.due == D(due)
    assert s.calendar_known


def test_a_year_the_calendar_lacks_shifts_by_weekends_only_and_says_so() -> None:
    saturday = D("2031-01-04")
    assert saturday.weekday() == 5
    s = shift_to_working_day(saturday)
    assert s.due == D("2031-01-06")
    assert not s.calendar_known
    # 1 October 2031 is a Wednesday: surely a holiday, but the calendar does not know it yet.
    s = shift_to_working_day(D("2031-10-01"))
    assert s.due == D("2031-10-01")
    assert not s.calendar_known


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_shift_lands_on_the_first_working_day_on_or_after_nominal(nominal: dt.date) -> None:
    s = shift_to_working_day(nominal)
    assert nominal <= s.due <= nominal + dt.timedelta(days=10)
    assert is_working_day(s.due)[0]
    day = nominal
    while day < s.due:
        assert not is_working_day(day)[0]
        day += dt.timedelta(days=1)


def test_no_shift_is_the_identity() -> None:
    s = no_shift(D("2026-10-01"))
    assert s.due == s.nominal == D("2026-10-01")


def test_month_and_day_arithmetic_stop_at_the_calendar_ends() -> None:
    # a filing period that runs past 9999-12-31 is due on the last day there is, and one
    # counted back past 0001-01-01 on the first: never an internal error
    assert add_days(dt.date.max, 1) == dt.date.max
    assert add_days(D("9999-12-20"), 30) == dt.date.max
    assert add_days(D("0001-01-05"), -30) == dt.date.min
    assert add_days(D("9999-12-01"), 30) == D("9999-12-31")
    assert add_days(D("2024-02-28"), 1) == D("2024-02-29")
    # months the same: in the first and last years themselves the date still exists
    assert add_months(D("9999-03-31"), 8) == D("9999-11-30")
    assert add_months(D("9999-06-01"), 8) == dt.date.max
    assert add_months(D("0001-05-31"), -1) == D("0001-04-30")
    assert add_months(D("0001-03-01"), -5) == dt.date.min


def test_the_package_calendar_carries_the_2026_notice() -> None:
    """The table read from `holidays`: the State Council's notice for 2026 (国办发明电
    〔2025〕7号), its holidays and exactly its six make-up working days (调休)."""
    table = calendar_from_package()
    assert 2024 in table and 2026 in table
    rest, work = table[2026]
    assert {D("2026-02-17"), D("2026-10-01"), D("2026-10-07")} <= rest
    assert work == {
        D("2026-01-04"),
        D("2026-02-14"),
        D("2026-02-28"),
        D("2026-05-09"),
        D("2026-09-20"),
        D("2026-10-10"),
    }
    # each year holds its own days only
    for year, (rest, work) in table.items():
        assert rest, year
        assert {d.year for d in rest | work} == {year}
