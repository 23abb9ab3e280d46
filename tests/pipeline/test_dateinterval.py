"""A cached result serves every day of the interval over which it holds (issue 17), and
on each of those days it is exactly what a fresh run gives: the findings, the deadlines
(days_left included) and where each project stands. The days tried are those where
answers change: each deadline's due day, the day before and after it, a self-evaluation
window's opening, a rectification's due day, a history date. No test here asserts a time."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from golmud_cli.core.dateinterval import TrackedDay, holds_on
from golmud_cli.core.deadlines import compute, standing_row, to_row
from golmud_cli.pipeline import batch as cache
from golmud_cli.pipeline.validation import validate_repository
from golmud_cli.pipeline.workspace import open_repo
from tests.support.cache_repo import AS_OF

BASE = dt.date.fromisoformat(AS_OF)


# --- TrackedDay -------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2032, 12, 31))
OPS = ("<", "<=", ">", ">=", "==", "!=", "r<", "r<=", "r>", "r>=", "r==", "r!=")


def _compare(op: str, today: dt.date, other: dt.date) -> bool:
    a, b = (other, today) if op.startswith("r") else (today, other)
    o = op.lstrip("r")
    if o == "<":
        return a < b
    if o == "<=":
        return a <= b
    if o == ">":
        return a > b
    if o == ">=":
        return a >= b
    return a == b if o == "==" else a != b


@settings(max_examples=300, deadline=None)
@given(dates, st.lists(st.tuples(st.sampled_from(OPS), dates), max_size=12), st.data())
def test_every_day_of_the_interval_compares_alike(
    today: dt.date, ops: list[tuple[str, dt.date]], data: st.DataObject
) -> None:
    tracked = TrackedDay(today)
    answers = [_compare(op, tracked, other) for op, other in ops]
    assert answers == [_compare(op, today, other) for op, other in ops]
    lo, hi = tracked.interval
    assert lo <= today.toordinal() <= hi
    for day in {lo, hi, data.draw(st.integers(lo, hi))}:
        if dt.date(2019, 1, 1).toordinal() <= day <= dt.date(2034, 1, 1).toordinal():
            d = dt.date.fromordinal(day)
            assert [_compare(op, d, other) for op, other in ops] == answers
    # and the day just outside, on each side, differs in at least one answer
    for day in (lo - 1, hi + 1):
        if dt.date(2019, 1, 1).toordinal() <= day <= dt.date(2034, 1, 1).toordinal():
            d = dt.date.fromordinal(day)
            assert [_compare(op, d, other) for op, other in ops] != answers


@pytest.mark.parametrize(
    "use",
    [
        str,
        repr,
        hash,
        lambda t: f"{t}",
        lambda t: t - dt.date(2020, 1, 1),
        lambda t: dt.date(2030, 1, 1) - t,
        lambda t: t + dt.timedelta(days=1),
        lambda t: dt.timedelta(days=1) + t,
        lambda t: t == TrackedDay(t.plain),  # another tracked day: not a plain date
        *(lambda t, n=n: getattr(t, n) for n in dir(dt.date) if not n.startswith("_")),
    ],
)
def test_any_other_reading_of_today_pins_the_interval_to_today(use: Any) -> None:
    t = TrackedDay(BASE)
    try:
        v = use(t)
        if callable(v):
            v()
    except TypeError:
        pass  # a method that wants arguments: reading it was enough
    assert t.interval == (BASE.toordinal(), BASE.toordinal())


# --- the cache over days -------------------------------------------------------------------


def boundary_days(root: Path, k: int, offset: int = 0) -> list[dt.date]:
    """Days around which a sample's answers change, as a fresh run sees them: `k` of
    the dates where something falls due, a window opens or a deadline becomes "due
    soon" (evenly spread over all of them, from `offset`), each with the day before
    and the day after."""
    r = open_repo(root)
    run = validate_repository(r, today=BASE, use_cache=False, jobs=1)
    marks: set[dt.date] = set()
    soon = dt.timedelta(days=r.settings.policy.due_soon_days)
    for res in run.results:
        d = res.dossier
        if d is None:
            continue
        for x in d.rectifications:
            marks |= {x.issued, x.due}
        for dl in compute(d, r.settings.policy, BASE):
            marks |= {dl.due, dl.due - soon, *([dl.opens] if dl.opens else [])}
    spread = sorted(marks)
    picked = spread[offset :: max(1, len(spread) // k)][:k]
    one = dt.timedelta(days=1)
    return sorted({day for m in picked for day in (m - one, m, m + one)})


def answers(root: Path, day: dt.date, *, use_cache: bool) -> tuple[Any, ...]:
    r = open_repo(root)
    run = validate_repository(r, today=day, use_cache=use_cache, jobs=1)
    data, skipped, bad, _ = cache.deadline_data(open_repo(root), r.project_ids(), day, use_cache=use_cache)
    return (
        [cache.finding_row(f) for f in run.findings],
        [
            (x.project, x.name, x.unit, [to_row(dl) for dl in x.deadlines], x.rectification_findings, standing_row(x.standing))
            for x in data
        ],
        skipped,
        bad,
    )


def test_the_first_run_of_each_day_is_a_fresh_run(repo: Path) -> None:
    days = boundary_days(repo, 8)
    assert len(days) >= 20  # the samples have deadlines, windows and orders to speak of
    answers(repo, BASE, use_cache=True)  # the cache as the base day leaves it
    saved = repo / "cache-base"
    shutil.copytree(repo / ".git" / "gtx-cache", saved)
    for day in days:
        shutil.rmtree(repo / ".git" / "gtx-cache")
        shutil.copytree(saved, repo / ".git" / "gtx-cache")
        assert answers(repo, day, use_cache=True) == answers(repo, day, use_cache=False), day


def test_day_after_day_the_cache_gives_the_fresh_answers(repo: Path) -> None:
    days = boundary_days(repo, 8, offset=1)
    for day in days:  # the cache carried from one day to the next, as in daily use
        assert answers(repo, day, use_cache=True) == answers(repo, day, use_cache=False), day
    for day in reversed(days[::3]):  # and back (--as-of an earlier date)
        assert answers(repo, day, use_cache=True) == answers(repo, day, use_cache=False), day


def test_the_next_day_is_answered_from_the_cache(repo: Path, checks: list[str]) -> None:
    answers(repo, BASE, use_cache=True)
    entries = cache.Store(cache.cache_dir(repo)).entries
    nxt = BASE + dt.timedelta(days=1)
    expected = sorted(p for p, e in entries.items() if not holds_on(e[cache.E_VALID], nxt))
    checks.clear()
    validate_repository(open_repo(repo), today=nxt, jobs=1)
    # only the dossiers whose answer holds for the base day alone are checked again
    assert sorted(set(checks)) == expected
    assert len(expected) < len(entries) // 2
