"""Over which dates a result that depends on today holds (issue 17, pure).

A dossier's verdict depends on the date taken as today only through comparisons
(a deadline passed, a window opened, an entry dated in the future). Run with a
`TrackedDay` as today, the rules and the deadline computation record every
comparison they make; the result then holds on every day on which each of those
comparisons comes out the same: an interval [lo, hi] around today. The result
cache keeps that interval with the entry, so the first run of a new day is answered
from the cache like the second (docs/benchmarks.md), and a cached result is used
only on days where a fresh run would make the very same comparisons with the very
same outcomes, i.e. give the very same result.

Anything else that reads today's value (arithmetic, formatting, hashing, its
fields) may put today itself into the result, e.g. "12 days late" in a message:
the interval then shrinks to today alone. A reader that is not a comparison and is
not listed here falls to that same safe answer (see `_exact`), so a new use of today
can make the cache less useful but never wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_MIN = dt.date.min.toordinal()
_MAX = dt.date.max.toordinal()


class TrackedDay(dt.date):
    """A date that records the interval over which every comparison made with it
    gives the same answer (`interval`)."""

    # date has no __dict__; the bounds live in the instance's own slots
    __slots__ = ("_hi", "_lo", "_ord")
    _ord: int
    _lo: int
    _hi: int

    def __new__(cls, day: dt.date) -> TrackedDay:
        # date.__new__ named, not super(): one a dossier, and a super object is made each call
        self = dt.date.__new__(cls, day.year, day.month, day.day)
        o = dt.date.toordinal(self)
        self._ord, self._lo, self._hi = o, _MIN, _MAX
        return self

    @property
    def plain(self) -> dt.date:
        """The same day as a plain date, read without narrowing the interval: only for
        values recomputed on every run from the stored dates (days_left)."""
        return dt.date.fromordinal(self._ord)

    @property
    def interval(self) -> tuple[int, int]:
        """(first, last) day, as ordinals, on which every comparison made so far
        comes out as it did; both include today."""
        return self._lo, self._hi

    def _exact(self) -> None:
        self._lo = self._hi = self._ord

    # The four orderings, each spelled out: a dossier's check compares today a few
    # dozen times, and a helper call each (the other side's ordinal, the bound moved)
    # was half of a comparison's cost (docs/benchmarks.md). A side that is not a plain
    # date (a datetime, another TrackedDay, anything else) makes the interval today
    # alone, and the comparison is the plain date's.

    def __lt__(self, other: Any) -> bool:
        if type(other) is not dt.date:
            self._lo = self._hi = self._ord
            return dt.date.__lt__(self.plain, other)
        x = dt.date.toordinal(other)
        if self._ord < x:  # true until the day before x
            if x - 1 < self._hi:
                self._hi = x - 1
            return True
        if x > self._lo:  # false from x on
            self._lo = x
        return False

    def __ge__(self, other: Any) -> bool:
        if type(other) is not dt.date:
            self._lo = self._hi = self._ord
            return dt.date.__ge__(self.plain, other)
        x = dt.date.toordinal(other)
        if self._ord < x:
            if x - 1 < self._hi:
                self._hi = x - 1
            return False
        if x > self._lo:
            self._lo = x
        return True

    def __gt__(self, other: Any) -> bool:
        if type(other) is not dt.date:
            self._lo = self._hi = self._ord
            return dt.date.__gt__(self.plain, other)
        x = dt.date.toordinal(other)
        if self._ord > x:  # true from the day after x
            if x + 1 > self._lo:
                self._lo = x + 1
            return True
        if x < self._hi:  # false until x
            self._hi = x
        return False

    def __le__(self, other: Any) -> bool:
        if type(other) is not dt.date:
            self._lo = self._hi = self._ord
            return dt.date.__le__(self.plain, other)
        x = dt.date.toordinal(other)
        if self._ord > x:
            if x + 1 > self._lo:
                self._lo = x + 1
            return False
        if x < self._hi:
            self._hi = x
        return True

    def __eq__(self, other: object) -> bool:
        if type(other) is not dt.date:
            self._exact()
            return dt.date.__eq__(self.plain, other)
        x = dt.date.toordinal(other)
        if x == self._ord:
            self._exact()
            return True
        if x < self._ord:
            self._lo = max(self._lo, x + 1)
        else:
            self._hi = min(self._hi, x - 1)
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    # Everything else that reads the value: the result may hold today itself.

    def __hash__(self) -> int:
        self._exact()
        return hash(self.plain)

    def __add__(self, other: Any) -> Any:
        self._exact()
        return self.plain + other

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        self._exact()
        return self.plain - other

    def __rsub__(self, other: Any) -> Any:
        self._exact()
        return other - self.plain

    def __str__(self) -> str:
        self._exact()
        return str(self.plain)

    def __repr__(self) -> str:
        self._exact()
        return repr(self.plain)

    def __format__(self, spec: str) -> str:
        self._exact()
        return format(self.plain, spec)

    def __reduce__(self) -> Any:
        self._exact()
        p = self.plain
        return (dt.date, (p.year, p.month, p.day))


def _reader(name: str) -> property:
    def read(self: TrackedDay) -> Any:
        self._exact()
        return getattr(self.plain, name)

    return property(read)


# Every public attribute of date (year, isoformat, weekday, replace, ...) reads the value:
# each is replaced by one that pins the interval first. Names a later Python adds are
# covered too, as the list is taken from date itself (tests/pipeline/test_dateinterval.py).
for _name in dir(dt.date):
    if not _name.startswith("_"):
        setattr(TrackedDay, _name, _reader(_name))


def holds_on(interval: tuple[int, int], day: dt.date) -> bool:
    """Whether `day` lies in an interval of TrackedDay.interval."""
    return interval[0] <= day.toordinal() <= interval[1]
