"""The six deadline kinds of docs/lifecycle.md and their states as of a date (pure).

The types, rows and report order live in core/deadline_types.py (no model, hence no
pydantic, for the reports answered from the cache) and are re-exported here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from golmud_cli.core.dateinterval import TrackedDay
from golmud_cli.core.deadline_types import CLAUSES as CLAUSES
from golmud_cli.core.deadline_types import KIND_LABELS as KIND_LABELS
from golmud_cli.core.deadline_types import KIND_ORDER as KIND_ORDER
from golmud_cli.core.deadline_types import PENDING as PENDING
from golmud_cli.core.deadline_types import PENDING_VALUES as PENDING_VALUES
from golmud_cli.core.deadline_types import STATE_LABELS as STATE_LABELS
from golmud_cli.core.deadline_types import Deadline as Deadline
from golmud_cli.core.deadline_types import DeadlinePolicy
from golmud_cli.core.deadline_types import DeadlineRow as DeadlineRow
from golmud_cli.core.deadline_types import Kind as Kind
from golmud_cli.core.deadline_types import Standing as Standing
from golmud_cli.core.deadline_types import State as State
from golmud_cli.core.deadline_types import from_row as from_row
from golmud_cli.core.deadline_types import next_pending as next_pending
from golmud_cli.core.deadline_types import row_ok as row_ok
from golmud_cli.core.deadline_types import standing_from_row as standing_from_row
from golmud_cli.core.deadline_types import standing_row as standing_row
from golmud_cli.core.deadline_types import to_row as to_row
from golmud_cli.core.deadline_types import urgency as urgency
from golmud_cli.core.lifecycle import MAIN_INDEX, Stage, position
from golmud_cli.core.periods import PACKAGE_CALENDAR, Calendar, add_days, add_months, shifter
from golmud_cli.core.values import ExtensionFor, FundingSource

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Extension


def standing(d: Dossier, today: dt.date) -> Standing:
    s = as_of(d, today)  # the stage on that date, as the deadlines see it
    _, resume_to = position(s.stages)
    funding = None if s.funding_source is None else s.funding_source._value_  # no descriptor call
    return Standing(s.id, s.stage, resume_to, s.budget_wan, funding, exempt(s))


# The last history's entered dates (Dossier.entered_dates), by the identity of the
# history: the deadlines and ~7 rules a dossier (B003, U001, U002, A011, K008, K009,
# K005) ask for them in a row, where Dossier.entered walked the history each time.
# Kept with the history itself, so the identity cannot be another's; the model is
# frozen, so the dates stay what they were.
_ENTERED: tuple[object, dict[Stage, dt.date]] | None = None


def entered_dates(d: Dossier) -> dict[Stage, dt.date]:
    """Each stage's latest date in the history (Dossier.entered_dates; not to be
    changed: the same dict answers the next caller)."""
    global _ENTERED
    history = d.history
    last = _ENTERED
    if last is not None and last[0] is history:
        return last[1]
    got = {h.stage: h.date for h in history}
    _ENTERED = (history, got)
    return got


def planned_completion(d: Dossier) -> dt.date | None:
    """开工时间 + 建设时间 of the filing table (附件), before the holiday shift."""
    s = d.schedule
    if s is None or s.start is None or s.duration_months is None:
        return None
    return add_months(s.start, s.duration_months)


def exempt(d: Dossier) -> bool:
    """No Golmud deadline applies: terminated, rejected, or central/provincial
    funding (一, second paragraph: the provincial measures govern)."""
    # sets: one lookup each rather than the comparisons of a tuple's `in`
    return d.funding_source in _PROVINCIAL or d.stage in _CLOSED


_PROVINCIAL = frozenset({FundingSource.central, FundingSource.provincial})
_CLOSED = frozenset({Stage.terminated, Stage.rejected})


def as_of(d: Dossier, today: dt.date) -> Dossier:
    """The dossier as it stood on `today`: history entries dated later are left out
    (and the stage with them), so a report --as-of a past date shows what was due and
    late on that date, not what happened since."""
    # One comparison with the latest date, not one per entry: every entry is on or
    # before today exactly when the latest is, and a TrackedDay records the same
    # interval either way (when one is later, the filter below compares them all).
    history = d.history
    if not history or max([h.date for h in history]) <= today:
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
# and again for the cache (deadline_data.encode): remember the last answer, with the
# dossier as it stood that day (as_of) and whether it is exempt, which encode's
# standing reads too. The model is frozen, so the same objects always give the same
# deadlines (docs/benchmarks.md).
_LAST: (
    tuple[Dossier, DeadlinePolicy, dt.date, Calendar, tuple[Deadline, ...], Dossier, bool] | None
) = None


def compute(
    d: Dossier, policy: DeadlinePolicy, today: dt.date, calendar: Calendar = PACKAGE_CALENDAR
) -> list[Deadline]:
    """Every deadline of one project, done or pending, as of `today`, due dates shifted
    in `calendar` (memoized for the last dossier asked about; see _compute)."""
    return list(_sheet(d, policy, today, calendar)[4])


def _sheet(
    d: Dossier, policy: DeadlinePolicy, today: dt.date, calendar: Calendar
) -> tuple[Dossier, DeadlinePolicy, dt.date, Calendar, tuple[Deadline, ...], Dossier, bool]:
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
        return last
    # as_of compares today once (or with each entry); asked again with the same day it
    # would make the same comparisons, so the interval is the same when it is kept
    s = as_of(d, today)
    is_exempt = exempt(s)
    out = () if is_exempt else tuple(_compute(s, policy, today, calendar))
    got = _LAST = (d, policy, today, calendar, out, s, is_exempt)
    return got


def rows_and_standing(
    d: Dossier, policy: DeadlinePolicy, today: dt.date, calendar: Calendar
) -> tuple[tuple[DeadlineRow, ...], tuple[object, ...]]:
    """What deadline_data.encode keeps of a dossier's deadlines: each deadline's row
    (to_row) and standing_row(standing(d, today)), from the deadlines the rules asked
    for (the last dossier's, remembered) rather than computed again, and the standing's
    row without its object (a frozen dataclass: six object.__setattr__ calls)."""
    _, _, _, _, out, s, is_exempt = _sheet(d, policy, today, calendar)
    # position(s.stages)'s second half, read off the history's last two entries
    h = s.history
    resume_to = None
    if h and h[-1].stage is _STAGE_SUSPENDED:
        resume_to = (h[-2].stage if len(h) > 1 else _STAGE_DRAFT)._value_
    funding = None if s.funding_source is None else s.funding_source._value_
    budget = None if s.budget_wan is None else str(s.budget_wan)
    where = (s.id, s.stage._value_, resume_to, budget, funding, is_exempt)
    return tuple([to_row(dl) for dl in out]), where


_tuple_new = tuple.__new__
# the stages from which construction has begun: reached(stages, under_construction)
_BUILDING = frozenset(s for s, i in MAIN_INDEX.items() if i >= MAIN_INDEX[Stage.under_construction])


def days_until(due: dt.date, today: dt.date) -> int:
    """Days from today to `due`. The one value of a deadline that changes every day:
    the result cache recomputes it on each run from the stored due date (pipeline/batch.py),
    so it is read here without narrowing a TrackedDay's interval. No rule may put it
    in a finding (tests/pipeline/test_dateinterval.py compares cached and fresh findings day by
    day)."""
    plain = today.plain if isinstance(today, TrackedDay) else today
    return (due - plain).days


# The enum members _compute (and rows_and_standing) reads, read once here: reading one off its class
# (Stage.approved) goes through EnumType's __getattr__ hook, a Python-level slot
# (~0.2 us a read where a global is ~0.02 us), and a dossier's deadlines read ~25.
_EXT_CONSTRUCTION = ExtensionFor.construction
_EXT_FINAL_ACCEPTANCE_REQUEST = ExtensionFor.final_acceptance_request
_EXT_PRELIMINARY_ACCEPTANCE = ExtensionFor.preliminary_acceptance
_KIND_CONSTRUCTION = Kind.construction
_KIND_FILING = Kind.filing
_KIND_FINAL_ACCEPTANCE_REQUEST = Kind.final_acceptance_request
_KIND_PRELIMINARY_ACCEPTANCE = Kind.preliminary_acceptance
_KIND_RECTIFICATION = Kind.rectification
_KIND_SELF_EVALUATION = Kind.self_evaluation
_STAGE_ACCEPTANCE_REQUESTED = Stage.acceptance_requested
_STAGE_ACCEPTED = Stage.accepted
_STAGE_APPROVED = Stage.approved
_STAGE_COMPLETED = Stage.completed
_STAGE_DRAFT = Stage.draft
_STAGE_FILED = Stage.filed
_STAGE_OPERATING = Stage.operating
_STAGE_PRELIMINARILY_ACCEPTED = Stage.preliminarily_accepted
_STAGE_SELF_EVALUATED = Stage.self_evaluated
_STAGE_SUSPENDED = Stage.suspended
_STATE_DONE = State.done
_STATE_DONE_LATE = State.done_late
_STATE_DUE_SOON = State.due_soon
_STATE_NOT_YET_OPEN = State.not_yet_open
_STATE_OPEN = State.open
_STATE_OVERDUE = State.overdue
_STATE_PAUSED = State.paused


def _compute(
    d: Dossier, policy: DeadlinePolicy, today: dt.date, calendar: Calendar
) -> list[Deadline]:
    """Every deadline of one project, done or pending, as of `today`: `d` is the
    dossier as of that day (as_of), and not exempt (_sheet reads both once for the
    deadlines and for encode's standing).

    A stage entered again on resumption after a suspension restarts the periods
    that run from it (`Dossier.entered` is the latest entry): while suspended the
    clock is paused, and on resumption the full period runs from the resumption.
    """
    shift = shifter(policy.holiday_shift, calendar)
    paused = d.stage is _STAGE_SUSPENDED
    entered = entered_dates(d)  # each stage's latest date, read once for all kinds
    out: list[Deadline] = []
    pid = d.id
    # days_until's plain day, taken once (reading it narrows no interval)
    plain = today.plain if isinstance(today, TrackedDay) else today
    soon = dt.timedelta(days=policy.due_soon_days)
    extensions = d.extensions  # most projects have none: no extension is looked for

    # every argument positional (~3.4 calls a dossier on a cold run; docs/benchmarks.md)
    def make(
        kind: Kind,
        starts: dt.date,
        nominal: dt.date,
        done_on: dt.date | None,
        opens: dt.date | None,
        extended: bool,
        index: int | None,
        pausable: bool,
    ) -> None:
        s = shift(nominal)
        due = s.due
        if done_on is not None:
            # "A deadline day itself is on time" (docs/lifecycle.md).
            state = _STATE_DONE if done_on <= due else _STATE_DONE_LATE
        elif paused and pausable:
            state = _STATE_PAUSED
        elif today > due:
            state = _STATE_OVERDUE
        elif opens is not None and today < opens:
            state = _STATE_NOT_YET_OPEN
        elif today >= due - soon:
            # (due - today).days <= due_soon_days, as a comparison: core/dateinterval.py
            state = _STATE_DUE_SOON
        else:
            state = _STATE_OPEN
        # the fields in their order (project, kind, starts, opens, nominal_due, due,
        # state, days_left, calendar_known, extended, done_on, index), made as
        # Deadline.__new__ makes them, without its Python frame; days_left as
        # days_until counts it
        out.append(
            _tuple_new(
                Deadline,
                (
                    pid,
                    kind,
                    starts,
                    opens,
                    nominal,
                    due,
                    state,
                    (due - plain).days,
                    s.calendar_known,
                    extended,
                    done_on,
                    index,
                ),
            )
        )

    # 三（三）: filing starts "immediately" after approval; the number of days is local policy.
    approved = entered.get(_STAGE_APPROVED)
    if approved is not None:
        nominal = add_days(approved, policy.filing_days)
        make(_KIND_FILING, approved, nominal, entered.get(_STAGE_FILED), None, False, None, True)

    # 三（六）: preliminary acceptance within 3 months of completion, and the final
    # acceptance request within 1 month of passing preliminary acceptance: each from
    # its anchor's entry, done at its act's, moved by an approved extension of its own.
    for anchor_stage, months, done_stage, extension, kind in (
        (
            _STAGE_COMPLETED,
            policy.preliminary_acceptance_months,
            _STAGE_PRELIMINARILY_ACCEPTED,
            _EXT_PRELIMINARY_ACCEPTANCE,
            _KIND_PRELIMINARY_ACCEPTANCE,
        ),
        (
            _STAGE_PRELIMINARILY_ACCEPTED,
            policy.final_acceptance_request_months,
            _STAGE_ACCEPTANCE_REQUESTED,
            _EXT_FINAL_ACCEPTANCE_REQUEST,
            _KIND_FINAL_ACCEPTANCE_REQUEST,
        ),
    ):
        anchor = entered.get(anchor_stage)
        if anchor is None:
            continue
        base = add_months(anchor, months)
        done = entered.get(done_stage)
        until = _approved_until(d, extension, today, shift(base).due, done) if extensions else None
        make(kind, anchor, until or base, done, None, until is not None, None, True)

    # 附件: 计划建设时间 = 开工时间 + 建设时间 (预计工期): the planned completion, due once
    # construction has begun and done when `completed` is entered. 三（六）: 经同意后，
    # 可延长项目建设期限: an approved extension `for: construction` moves it.
    # (planned_completion and reached(stages, under_construction), the stages read off
    # `entered`'s keys: the same set)
    sched = d.schedule
    if (
        sched is not None
        and sched.start is not None
        and sched.duration_months is not None
        and not _BUILDING.isdisjoint(entered)
    ):
        start = sched.start
        planned = add_months(start, sched.duration_months)
        done = entered.get(_STAGE_COMPLETED)
        until = (
            _approved_until(d, _EXT_CONSTRUCTION, today, shift(planned).due, done)
            if extensions
            else None
        )
        make(_KIND_CONSTRUCTION, start, until or planned, done, None, until is not None, None, True)

    # 三（七）: self-evaluation 12 to 24 months after acceptance AND operation: the clock
    # starts at the later of the two, so only once both are in the history.
    accepted, operating = entered.get(_STAGE_ACCEPTED), entered.get(_STAGE_OPERATING)
    if accepted is not None and operating is not None:
        anchor = max(accepted, operating)
        lo, hi = policy.self_evaluation_window_months
        make(
            _KIND_SELF_EVALUATION,
            anchor,
            add_months(anchor, hi),
            entered.get(_STAGE_SELF_EVALUATED),
            add_months(anchor, lo),
            False,
            None,
            True,
        )

    # 三（五）: rectification by the order's own date. A suspension does not pause it:
    # suspending construction is itself the sanction for not rectifying, and resuming
    # waits on the rectification (R001 reports it overdue on a suspended project too).
    for i, r in enumerate(d.rectifications):
        if r.issued > today:
            continue  # not issued yet on that date
        resolved = r.resolved if r.resolved is not None and r.resolved <= today else None
        make(_KIND_RECTIFICATION, r.issued, r.due, resolved, None, False, i, False)

    return out
