"""The deadline kinds, states and rows of docs/lifecycle.md as plain types (pure).

What the reports over a warm repository need (`gtx deadlines`, `gtx status`): the
types, the rows the result cache keeps and their inverses, the report order. Kept
apart from core/deadlines.py, which computes deadlines from a model: importing the
model brings pydantic (~0.1 s), which a run answered from the cache never needs
(docs/benchmarks.md). core/deadlines.py re-exports every name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from golmud_cli.core.lifecycle import Stage
from golmud_cli.i18n import Msg


class Kind(StrEnum):
    preliminary_acceptance = "preliminary_acceptance"
    final_acceptance_request = "final_acceptance_request"
    self_evaluation = "self_evaluation"
    rectification = "rectification"
    filing = "filing"
    construction = "construction"


KIND_LABELS: dict[Kind, Msg] = {
    Kind.preliminary_acceptance: Msg("初步验收", "preliminary acceptance"),
    Kind.final_acceptance_request: Msg("申请竣工验收", "final acceptance request"),
    Kind.self_evaluation: Msg("自评价", "self-evaluation"),
    Kind.rectification: Msg("整改", "rectification"),
    Kind.filing: Msg("备案（本地政策）", "filing (local policy)"),
    Kind.construction: Msg("计划建成", "planned completion"),
}

CLAUSES: dict[Kind, str] = {
    Kind.preliminary_acceptance: "三（六）",
    Kind.final_acceptance_request: "三（六）",
    Kind.self_evaluation: "三（七）",
    Kind.rectification: "三（五）",
    Kind.filing: "三（三）",
    # 附件: 计划建设时间 (开工时间 + 建设时间); 三（六）: 经同意后，可延长项目建设期限
    Kind.construction: "附件",
}


class State(StrEnum):
    overdue = "overdue"
    due_soon = "due_soon"
    open = "open"
    not_yet_open = "not_yet_open"
    paused = "paused"
    done = "done"
    done_late = "done_late"


STATE_LABELS: dict[State, Msg] = {
    State.overdue: Msg("已逾期", "overdue"),
    State.due_soon: Msg("即将到期", "due soon"),
    State.open: Msg("进行中", "open"),
    State.not_yet_open: Msg("未到窗口期", "not yet open"),
    State.paused: Msg("已暂停", "paused"),
    State.done: Msg("已按期完成", "done"),
    State.done_late: Msg("逾期完成", "done late"),
}

PENDING = frozenset({State.overdue, State.due_soon, State.open, State.not_yet_open, State.paused})
PENDING_VALUES = frozenset(s.value for s in PENDING)
KIND_ORDER: dict[Kind, int] = {k: i for i, k in enumerate(Kind)}


# A NamedTuple, not a frozen dataclass: a cold run makes ~5 a dossier, and a frozen
# dataclass's __init__ sets each of its twelve fields through object.__setattr__ (~3.4 us
# a deadline against ~0.7 us; docs/benchmarks.md). Immutable all the same, its fields
# and properties read as before.
class Deadline(NamedTuple):
    project: str
    kind: Kind
    starts: dt.date
    opens: dt.date | None  # self-evaluation only
    nominal_due: dt.date  # before the holiday shift
    due: dt.date  # after the holiday shift
    state: State
    days_left: int
    calendar_known: bool
    extended: bool = False
    done_on: dt.date | None = None
    # the rectification order's index (the field hides tuple.index, which nothing calls)
    index: int | None = None  # type: ignore[assignment]

    @property
    def clause(self) -> str:
        return CLAUSES[self.kind]

    @property
    def shifted(self) -> bool:
        return self.due != self.nominal_due

    @property
    def pending(self) -> bool:
        return self.state in PENDING


# A deadline as plain values (marshal-able: the result cache keeps them without pickle,
# whose loading can run code, and rebuilds them ~4x faster than unpickling).
DeadlineRow = tuple[Any, ...]
_KINDS: dict[str, Kind] = {k.value: k for k in Kind}
_STATES: dict[str, State] = {s.value: s for s in State}


# `_value_`, not `.value`: the enum's `value` is a Python-level descriptor call, and
# a cold run makes ~3.4 rows a dossier (docs/benchmarks.md); the same str object.
def to_row(dl: Deadline) -> DeadlineRow:
    # unpacked at once, not a field descriptor each
    project, kind, starts, opens, nominal, due, state, left, known, extended, done, index = dl
    return (
        project,
        kind._value_,
        starts.toordinal(),
        None if opens is None else opens.toordinal(),
        nominal.toordinal(),
        due.toordinal(),
        state._value_,
        left,
        known,
        extended,
        None if done is None else done.toordinal(),
        index,
    )


def row_ok(row: Any) -> bool:
    """Whether a row is one to_row writes (from_row then makes a Deadline of it)."""
    if type(row) is not tuple or len(row) != 12:
        return False
    # spelled out, not all(...) over index lists: 30,000 rows a warm 10,000-dossier report
    _, kind, starts, opens, nominal, due, state, left, _, _, done, index = row
    return (
        kind in _KINDS
        and state in _STATES
        and type(starts) is int
        and type(nominal) is int
        and type(due) is int
        and type(left) is int
        and (opens is None or type(opens) is int)
        and (done is None or type(done) is int)
        and (index is None or type(index) is int)
    )


def from_row(row: DeadlineRow) -> Deadline:
    """to_row's inverse. Raises (KeyError, TypeError, ValueError) on anything else."""
    project, kind, starts, opens, nominal, due, state, left, known, extended, done, index = row
    day = dt.date.fromordinal
    return Deadline(
        str(project),
        _KINDS[kind],
        day(starts),
        None if opens is None else day(opens),
        day(nominal),
        day(due),
        _STATES[state],
        int(left),
        bool(known),
        bool(extended),
        None if done is None else day(done),
        None if index is None else int(index),
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a project stands on a date, for `gtx status`: what its row shows besides
    its name, unit and next deadline."""

    id: str
    stage: Stage
    resume_to: Stage | None  # a suspended project's stage before the suspension
    budget_wan: Decimal | None
    funding_source: str | None  # model.FundingSource's value (a plain str: no model here)
    exempt: bool  # no Golmud deadline applies


def standing_row(st: Standing) -> tuple[Any, ...]:
    return (
        st.id,
        st.stage._value_,
        None if st.resume_to is None else st.resume_to._value_,
        None if st.budget_wan is None else str(st.budget_wan),
        st.funding_source,
        st.exempt,
    )


def standing_from_row(row: tuple[Any, ...]) -> Standing:
    """standing_row's inverse. Raises (KeyError, TypeError, ValueError, ArithmeticError) on
    anything else."""
    pid, stage, resume_to, budget, funding, is_exempt = row
    return Standing(
        str(pid),
        _STAGES[stage],  # a dict, not Stage(stage): ~1 µs less a dossier (docs/benchmarks.md)
        None if resume_to is None else _STAGES[resume_to],
        None if budget is None else Decimal(str(budget)),
        None if funding is None else _FUNDING[funding],
        bool(is_exempt),
    )


_STAGES: dict[str, Stage] = {s.value: s for s in Stage}


def urgency(dl: Deadline) -> tuple[int, dt.date, str, int, int]:
    """Report order (docs/cli.md): overdue first, then by due date; paused ones last, as
    nothing can be done about them until the project resumes."""
    group = 0 if dl.state is State.overdue else 2 if dl.state is State.paused else 1
    return (group, dl.due, dl.project, KIND_ORDER[dl.kind], dl.index or 0)


def next_pending(deadlines: list[Deadline]) -> Deadline | None:
    """The most urgent deadline still to meet, for `gtx status`."""
    pending = [dl for dl in deadlines if dl.pending]
    return min(pending, key=urgency) if pending else None


# model.FundingSource's values (core/model.py), checked against it in
# tests/core/test_deadline_types.py: a cached row naming another is not what gtx writes.
FUNDING_VALUES = (
    "municipal",
    "municipal_social",
    "service_purchase",
    "om_only",
    "central",
    "provincial",
)
_FUNDING: dict[str, str] = {v: v for v in FUNDING_VALUES}
# 一, second paragraph: central or provincial money is governed by the provincial measures
PROVINCIAL_FUNDING = frozenset({"central", "provincial"})


class DeadlinePolicy(Protocol):
    """What the deadlines read of gtx.yaml's policy: core/model.py's Policy, or the
    PolicyFacts the result cache keeps of it."""

    @property
    def preliminary_acceptance_months(self) -> int: ...
    @property
    def final_acceptance_request_months(self) -> int: ...
    @property
    def self_evaluation_window_months(self) -> tuple[int, int]: ...
    @property
    def filing_days(self) -> int: ...
    @property
    def due_soon_days(self) -> int: ...
    @property
    def holiday_shift(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """What the deadline computation and the reports read of gtx.yaml's policy
    (core/model.py: Policy), as plain values: the result cache keeps them by gtx.yaml's
    blob id, so a warm report never validates gtx.yaml again (pipeline/batch.py)."""

    preliminary_acceptance_months: int
    final_acceptance_request_months: int
    self_evaluation_window_months: tuple[int, int]
    filing_days: int
    due_soon_days: int
    holiday_shift: bool

    @classmethod
    def of(cls, policy: DeadlinePolicy) -> PolicyFacts:
        return cls(
            policy.preliminary_acceptance_months,
            policy.final_acceptance_request_months,
            (policy.self_evaluation_window_months[0], policy.self_evaluation_window_months[1]),
            policy.filing_days,
            policy.due_soon_days,
            policy.holiday_shift,
        )

    def row(self) -> tuple[Any, ...]:
        return (
            self.preliminary_acceptance_months,
            self.final_acceptance_request_months,
            self.self_evaluation_window_months,
            self.filing_days,
            self.due_soon_days,
            self.holiday_shift,
        )

    @classmethod
    def from_row(cls, row: Any) -> PolicyFacts | None:
        """row()'s inverse; None for anything else (the cache then asks gtx.yaml)."""
        try:
            pre, final, window, filing, soon, shift = row
            lo, hi = window
        except (TypeError, ValueError):
            return None
        if not all(type(x) is int for x in (pre, final, lo, hi, filing, soon)):
            return None
        if type(shift) is not bool:
            return None
        return cls(pre, final, (lo, hi), filing, soon, shift)
