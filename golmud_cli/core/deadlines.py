"""The six deadline kinds of docs/lifecycle.md and their states as of a date (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from golmud_cli.core.dateinterval import TrackedDay
from golmud_cli.core.lifecycle import Stage, position, reached
from golmud_cli.core.model import Dossier, Extension, ExtensionFor, FundingSource, Policy
from golmud_cli.core.periods import PACKAGE_CALENDAR, Calendar, add_days, add_months, shifter
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


@dataclass(frozen=True, slots=True)
class Deadline:
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
    index: int | None = None  # the rectification order's index

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


def to_row(dl: Deadline) -> DeadlineRow:
    return (
        dl.project,
        dl.kind.value,
        dl.starts.toordinal(),
        None if dl.opens is None else dl.opens.toordinal(),
        dl.nominal_due.toordinal(),
        dl.due.toordinal(),
        dl.state.value,
        dl.days_left,
        dl.calendar_known,
        dl.extended,
        None if dl.done_on is None else dl.done_on.toordinal(),
        dl.index,
    )


def row_ok(row: Any) -> bool:
    """Whether a row is one to_row writes (from_row then makes a Deadline of it)."""
    return (
        type(row) is tuple
        and len(row) == 12
        and row[1] in _KINDS
        and row[6] in _STATES
        and all(type(row[i]) is int for i in (2, 4, 5, 7))
        and all(row[i] is None or type(row[i]) is int for i in (3, 10, 11))
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
    funding_source: FundingSource | None
    exempt: bool  # no Golmud deadline applies


def standing(d: Dossier, today: dt.date) -> Standing:
    s = as_of(d, today)  # the stage on that date, as the deadlines see it
    _, resume_to = position(s.stages)
    return Standing(s.id, s.stage, resume_to, s.budget_wan, s.funding_source, exempt(s))


def standing_row(st: Standing) -> tuple[Any, ...]:
    return (
        st.id,
        st.stage.value,
        None if st.resume_to is None else st.resume_to.value,
        None if st.budget_wan is None else str(st.budget_wan),
        None if st.funding_source is None else st.funding_source.value,
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
        None if funding is None else FundingSource(funding),
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


def planned_completion(d: Dossier) -> dt.date | None:
    """开工时间 + 建设时间 of the filing table (附件), before the holiday shift."""
    s = d.schedule
    if s is None or s.start is None or s.duration_months is None:
        return None
    return add_months(s.start, s.duration_months)


def exempt(d: Dossier) -> bool:
    """No Golmud deadline applies: terminated, rejected, or central/provincial
    funding (一, second paragraph: the provincial measures govern)."""
    if d.funding_source in (FundingSource.central, FundingSource.provincial):
        return True
    return d.stage in (Stage.terminated, Stage.rejected)


def as_of(d: Dossier, today: dt.date) -> Dossier:
    """The dossier as it stood on `today`: history entries dated later are left out
    (and the stage with them), so a report --as-of a past date shows what was due and
    late on that date, not what happened since."""
    if all(h.date <= today for h in d.history):
        return d
    history = [h for h in d.history if h.date <= today]
    stage = history[-1].stage if history else Stage.draft
    return d.model_copy(update={"history": history, "stage": stage})


def extension_fault(e: Extension, due: dt.date, done_on: dt.date | None) -> str | None:
    """Why an approved extension does not count, or None when it does.

    三（六）: 不能按期申请竣工验收的，应当向市发改委提出延期验收申请，经同意后，可延长:
    the request comes before the deadline it extends (`due`, after the holiday shift),
    and the consent before the act it excuses (no consent after the fact). A consent
    after the deadline but before the act counts: the NDRC's time is not the unit's.
    """
    if e.requested is None:
        return "no_request"
    if e.requested > due:
        return "late_request"
    if done_on is not None and e.approved is not None and e.approved > done_on:
        return "after_act"
    return None


def _approved_until(
    d: Dossier,
    kind: ExtensionFor,
    today: dt.date,
    due: dt.date,
    done_on: dt.date | None,
) -> dt.date | None:
    # 三（六）: an extension needs the NDRC's consent; only an approved one counts,
    # and the latest approved one wins. One approved after `today` does not count
    # yet, so a report --as-of an earlier date shows what was due on that date.
    # One asked for after the deadline, or approved after the act, never counts (K007).
    approved = [
        e
        for e in d.extensions
        if e.for_ is kind
        and e.approved is not None
        and e.approved <= today
        and e.until
        and extension_fault(e, due, done_on) is None
    ]
    if not approved:
        return None
    latest = max(approved, key=lambda e: (e.approved or dt.date.min, e.until or dt.date.min))
    return latest.until


# One dossier's deadlines are asked for by several rules in a row (B003, K001, K003)
# and again for the cache: remember the last answer. The model is frozen, so the same
# objects always give the same deadlines (docs/benchmarks.md).
_LAST: tuple[Dossier, Policy, dt.date, Calendar, tuple[Deadline, ...]] | None = None


def compute(
    d: Dossier, policy: Policy, today: dt.date, calendar: Calendar = PACKAGE_CALENDAR
) -> list[Deadline]:
    """Every deadline of one project, done or pending, as of `today`, due dates shifted
    in `calendar` (memoized for the last dossier asked about; see _compute)."""
    global _LAST
    last = _LAST
    # `is`, not ==: an equality test with a TrackedDay would pin its interval to one day
    if (
        last is not None
        and last[0] is d
        and last[1] is policy
        and last[2] is today
        and last[3] is calendar
    ):
        return list(last[4])
    out = _compute(d, policy, today, calendar)
    _LAST = (d, policy, today, calendar, tuple(out))
    return out


def days_until(due: dt.date, today: dt.date) -> int:
    """Days from today to `due`. The one value of a deadline that changes every day:
    the result cache recomputes it on each run from the stored due date (pipeline/batch.py),
    so it is read here without narrowing a TrackedDay's interval. No rule may put it
    in a finding (tests/pipeline/test_dateinterval.py compares cached and fresh findings day by
    day)."""
    plain = today.plain if isinstance(today, TrackedDay) else today
    return (due - plain).days


def _compute(d: Dossier, policy: Policy, today: dt.date, calendar: Calendar) -> list[Deadline]:
    """Every deadline of one project, done or pending, as of `today`.

    A stage entered again on resumption after a suspension restarts the periods
    that run from it (`Dossier.entered` is the latest entry): while suspended the
    clock is paused, and on resumption the full period runs from the resumption.
    """
    d = as_of(d, today)
    if exempt(d):
        return []
    shift = shifter(policy.holiday_shift, calendar)
    paused = d.stage is Stage.suspended
    out: list[Deadline] = []

    def make(
        kind: Kind,
        starts: dt.date,
        nominal: dt.date,
        done_on: dt.date | None,
        opens: dt.date | None = None,
        extended: bool = False,
        index: int | None = None,
        pausable: bool = True,
    ) -> None:
        s = shift(nominal)
        if done_on is not None:
            # "A deadline day itself is on time" (docs/lifecycle.md).
            state = State.done if done_on <= s.due else State.done_late
        elif paused and pausable:
            state = State.paused
        elif today > s.due:
            state = State.overdue
        elif opens is not None and today < opens:
            state = State.not_yet_open
        elif today >= s.due - dt.timedelta(days=policy.due_soon_days):
            # (due - today).days <= due_soon_days, as a comparison: core/dateinterval.py
            state = State.due_soon
        else:
            state = State.open
        out.append(
            Deadline(
                project=d.id,
                kind=kind,
                starts=starts,
                opens=opens,
                nominal_due=nominal,
                due=s.due,
                state=state,
                days_left=days_until(s.due, today),
                calendar_known=s.calendar_known,
                extended=extended,
                done_on=done_on,
                index=index,
            )
        )

    # 三（三）: filing starts "immediately" after approval; the number of days is local policy.
    approved = d.entered(Stage.approved)
    if approved is not None:
        make(Kind.filing, approved, add_days(approved, policy.filing_days), d.entered(Stage.filed))

    # 三（六）: preliminary acceptance within 3 months of completion.
    completed = d.entered(Stage.completed)
    if completed is not None:
        base = add_months(completed, policy.preliminary_acceptance_months)
        done = d.entered(Stage.preliminarily_accepted)
        until = _approved_until(
            d, ExtensionFor.preliminary_acceptance, today, shift(base).due, done
        )
        make(
            Kind.preliminary_acceptance,
            completed,
            until or base,
            done,
            extended=until is not None,
        )

    # 三（六）: the final acceptance request within 1 month of passing preliminary acceptance.
    prelim = d.entered(Stage.preliminarily_accepted)
    if prelim is not None:
        base = add_months(prelim, policy.final_acceptance_request_months)
        done = d.entered(Stage.acceptance_requested)
        until = _approved_until(
            d, ExtensionFor.final_acceptance_request, today, shift(base).due, done
        )
        make(
            Kind.final_acceptance_request,
            prelim,
            until or base,
            done,
            extended=until is not None,
        )

    # 附件: 计划建设时间 = 开工时间 + 建设时间 (预计工期): the planned completion, due once
    # construction has begun and done when `completed` is entered. 三（六）: 经同意后，
    # 可延长项目建设期限: an approved extension `for: construction` moves it.
    planned = planned_completion(d)
    if planned is not None and reached(d.stages, Stage.under_construction):
        start = d.schedule.start if d.schedule and d.schedule.start else planned
        done = d.entered(Stage.completed)
        until = _approved_until(d, ExtensionFor.construction, today, shift(planned).due, done)
        make(Kind.construction, start, until or planned, done, extended=until is not None)

    # 三（七）: self-evaluation 12 to 24 months after acceptance AND operation: the clock
    # starts at the later of the two, so only once both are in the history.
    accepted, operating = d.entered(Stage.accepted), d.entered(Stage.operating)
    if accepted is not None and operating is not None:
        anchor = max(accepted, operating)
        lo, hi = policy.self_evaluation_window_months
        make(
            Kind.self_evaluation,
            anchor,
            add_months(anchor, hi),
            d.entered(Stage.self_evaluated),
            opens=add_months(anchor, lo),
        )

    # 三（五）: rectification by the order's own date. A suspension does not pause it:
    # suspending construction is itself the sanction for not rectifying, and resuming
    # waits on the rectification (R001 reports it overdue on a suspended project too).
    for i, r in enumerate(d.rectifications):
        if r.issued > today:
            continue  # not issued yet on that date
        resolved = r.resolved if r.resolved is not None and r.resolved <= today else None
        make(Kind.rectification, r.issued, r.due, resolved, index=i, pausable=False)

    return out
