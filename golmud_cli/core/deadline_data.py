"""The deadline projection of a dossier: what `gtx deadlines` and `gtx status` need of
it, as plain values that the result cache keeps with each entry (pipeline/batch.py), so
that a report over a warm repository never loads a model. Pure: the date is passed in.
"""

from __future__ import annotations

import datetime as dt
import marshal
from typing import TYPE_CHECKING, Any

from golmud_cli.core.deadline_types import (
    PENDING_VALUES,
    from_row,
    row_ok,
    standing_from_row,
)

if TYPE_CHECKING:
    from golmud_cli.core.periods import Calendar

# core.deadlines (and with it the model, pydantic) is imported when first used, not
# with this module: a run answered from the cache never needs it (docs/benchmarks.md).


def encode(d: Any, policy: Any, today: dt.date, calendar: Calendar | None = None) -> bytes:
    """What `gtx deadlines` and `gtx status` need of a dossier, as marshal bytes of
    plain values: its name, unit, deadlines as of `today` under the settings' policy
    (deadlines.to_row), each rectification order's finding, and where it stands that
    day (deadlines.standing_row)."""
    if calendar is None:  # the callers that name a repository pass its calendar
        from golmud_cli.core.periods import PACKAGE_CALENDAR

        calendar = PACKAGE_CALENDAR
    return marshal.dumps(_values(d, policy, today, calendar))


def _values(d: Any, policy: Any, today: dt.date, calendar: Calendar) -> tuple[Any, ...]:
    # Made here and returned, so that no local name still holds a part when marshal
    # reads them: marshal flags an object held twice as a reference, and the bytes must
    # stay what they were (the cache compares them, tests/pipeline/test_cache.py).
    # the deadlines the rules computed for this dossier (remembered), as rows
    rows, where = (_ROWS or _rows())(d, policy, today, calendar)
    rect = d.rectifications
    return (d.name, d.unit, rows, tuple([r.finding for r in rect]) if rect else (), where)


# deadlines.rows_and_standing, imported at the first encode and then read as a global:
# a `from` import in a function costs ~9,000 instructions a call on Python 3.11
# (edges/repo.py, _statuses), once a dossier here (issue 17)
_ROWS: Any = None


def _rows() -> Any:
    global _ROWS
    from golmud_cli.core.deadlines import rows_and_standing

    _ROWS = rows_and_standing
    return rows_and_standing


DeadlineInfo = tuple[str, str, tuple[Any, ...], tuple[str, ...], Any, int]
# deadlines.to_row's fields: the due date and the days left to it
_ROW_DUE, _ROW_STATE, _ROW_DAYS_LEFT = 5, 6, 7


def decode(aux: bytes, today: dt.date) -> DeadlineInfo | None:
    """encode's bytes back, and `today` as an ordinal: each deadline's days_left as of
    `today` is put in when DeadlineData makes an object of its row (None if they are
    not what encode writes: the entry is then checked afresh). The deadlines stay rows
    (DeadlineData makes objects of those a report shows)."""
    t = today.toordinal()
    try:
        name, unit, rows, findings, where = marshal.loads(aux)
        if not all(row_ok(row) for row in rows):
            return None
        return (
            str(name),
            str(unit),
            rows,
            tuple(str(f) for f in findings),
            standing_from_row(where),
            t,
        )
    except (EOFError, KeyError, TypeError, ValueError, ArithmeticError):
        return None


class DeadlineData:
    """What `gtx deadlines` and `gtx status` need of one dossier that loaded, without
    its model: the name, the unit, `compute(dossier, r.settings.policy, today)`, each
    rectification order's finding (indexed by Deadline.index), and
    `deadlines.standing(dossier, today)`."""

    __slots__ = (
        "_deadlines",
        "_rows",
        "_today",
        "name",
        "project",
        "rectification_findings",
        "standing",
        "unit",
    )

    def __init__(
        self,
        project: str,
        name: str,
        unit: str,
        rows: tuple[Any, ...],
        rect: tuple[str, ...],
        standing: Any,
        today: int,
    ) -> None:
        self.project, self.name, self.unit = project, name, unit
        self._rows, self.rectification_findings = rows, rect
        self._today = today  # an ordinal: the day the days_left are counted to
        self._deadlines: tuple[Any, ...] | None = None
        self.standing = standing  # deadlines.Standing

    def _deadline(self, row: tuple[Any, ...]) -> Any:
        # the entry may come from another day of its interval: days_left from the
        # stored due date, the rest holds on every day of it
        return from_row(
            (*row[:_ROW_DAYS_LEFT], row[_ROW_DUE] - self._today, *row[_ROW_DAYS_LEFT + 1 :])
        )

    @property
    def deadlines(self) -> tuple[Any, ...]:
        """Every deadline (deadlines.Deadline), made from its row when first asked."""
        if self._deadlines is None:
            self._deadlines = tuple(self._deadline(row) for row in self._rows)
        return self._deadlines

    def pending(self) -> list[Any]:
        """The deadlines still to meet (Deadline.pending), the only ones most reports
        show: in an aged repository most deadlines are done, and making an object of
        each was most of `gtx status`'s time (docs/benchmarks.md)."""
        if self._deadlines is not None:
            return [dl for dl in self._deadlines if dl.pending]
        return [self._deadline(row) for row in self._rows if row[_ROW_STATE] in PENDING_VALUES]
