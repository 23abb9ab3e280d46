"""core/deadline_types.py: the plain deadline types the warm reports use without the
model, kept in step with it; and wrap()'s CJK runs (core/textwidth.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from golmud_cli.core import deadline_types as t
from golmud_cli.core.model import FundingSource, Policy
from golmud_cli.core.textwidth import width, wrap


def test_funding_values_are_the_models() -> None:
    # a cached standing row names one of these; another value is not what gtx writes
    assert t.FUNDING_VALUES == tuple(f.value for f in FundingSource)
    assert t.PROVINCIAL_FUNDING == {FundingSource.central.value, FundingSource.provincial.value}


def test_a_cached_standing_with_an_unknown_funding_is_refused() -> None:
    row = ("p", "approved", None, "12.5", "municipal", False)
    assert t.standing_from_row(row).funding_source == "municipal"
    with pytest.raises(KeyError):
        t.standing_from_row(("p", "approved", None, "12.5", "city", False))


@pytest.mark.parametrize(
    "policy",
    [
        Policy(),
        Policy(
            preliminary_acceptance_months=4,
            final_acceptance_request_months=2,
            self_evaluation_window_months=(6, 30),
            filing_days=10,
            due_soon_days=7,
            holiday_shift=False,
        ),
    ],
)
def test_policy_facts_keep_what_the_deadlines_read(policy: Policy) -> None:
    facts = t.PolicyFacts.of(policy)
    for name in (
        "preliminary_acceptance_months",
        "final_acceptance_request_months",
        "self_evaluation_window_months",
        "filing_days",
        "due_soon_days",
        "holiday_shift",
    ):
        assert getattr(facts, name) == getattr(policy, name)
    assert t.PolicyFacts.from_row(facts.row()) == facts


@pytest.mark.parametrize(
    "row",
    [
        None,
        (),
        (3, 1, (12, 24), 30, 30),  # one short
        (3, 1, (12, 24), 30, 30, 1),  # holiday_shift not a bool
        (3, 1, (12, 24), 30, True, True),  # due_soon_days a bool, not an int
        (3, 1, 12, 30, 30, True),  # the window not a pair
        (3, 1, (12, "24"), 30, 30, True),
        ("3", 1, (12, 24), 30, 30, True),
    ],
)
def test_policy_facts_refuse_what_gtx_does_not_write(row: object) -> None:
    assert t.PolicyFacts.from_row(row) is None


def test_deadlines_reexports_the_types() -> None:
    from golmud_cli.core import deadlines

    for name in ("Kind", "State", "Deadline", "Standing", "to_row", "from_row", "urgency"):
        assert getattr(deadlines, name) is getattr(t, name)


def _texts() -> list[str]:
    rnd = random.Random(17)
    # U+3000, the ideographic space, inside a run of CJK characters: a space, as on the
    # per-character path, whether or not the run fits on the line
    alphabet = list("格尔木市水利局建设单位，。、；：？！）》」』】（《「『【“‘([ ]ab cd[附件]12 é\u3000")
    fixed = [
        "按备案表的计划建设时间（开工时间 + 建设时间）建成，并记录 gtx advance "
        "2025-b01166-water-resources-monitoring completed；不能按期的，须在到期日前向"
        "市发改委申请延期（extensions 的 for: construction），经同意后可延长项目建设期限"
        "（附件，三（六））。",
        "已逾期的在前，其余按到期日排序；30 天内到期为“即将到期”。",
    ]
    return fixed + [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 90))) for _ in range(3000)
    ]


@pytest.mark.parametrize("cols", [8, 21, 40, 80])
def test_wrap_places_cjk_runs_as_one_character_at_a_time(cols: int) -> None:
    """A run of CJK characters placed at once breaks where one character at a time
    breaks: `measure=width` takes the per-character path with the same widths."""
    for text in _texts():
        for indent, rest in (("", None), ("  ", "    ")):
            fast = wrap(text, cols, indent, rest)
            assert fast == wrap(text, cols, indent, rest, measure=width), text
            # nothing lost or doubled on the way
            assert "".join("".join(fast).split()) == "".join(text.split())


# --- the report order and the status row's next deadline (issue 18: mutants of
# deadline_types survived with its own test files) --------------------------------------

D = dt.date


def _dl(project: str, state: t.State, due: dt.date, kind: t.Kind = t.Kind.rectification) -> t.Deadline:
    return t.Deadline(project, kind, D(2025, 1, 1), None, due, due, state, 0, True)


def test_the_report_lists_overdue_first_even_before_an_earlier_record() -> None:
    # `deadlines --all` also lists what was done, for the record: a done deadline due
    # earlier than an overdue one still comes after it (docs/cli.md: overdue first)
    done = _dl("a-done", t.State.done, D(2025, 3, 1))
    late = _dl("b-late", t.State.overdue, D(2025, 6, 1))
    soon = _dl("c-soon", t.State.due_soon, D(2025, 6, 20))
    paused = _dl("d-paused", t.State.paused, D(2025, 2, 1))
    order = sorted([paused, soon, done, late], key=t.urgency)
    assert [d.project for d in order] == ["b-late", "a-done", "c-soon", "d-paused"]


def test_status_shows_the_most_urgent_pending_deadline() -> None:
    later = _dl("p", t.State.open, D(2026, 9, 1), t.Kind.preliminary_acceptance)
    sooner = _dl("p", t.State.due_soon, D(2026, 3, 1))
    done = _dl("p", t.State.done, D(2025, 1, 1))
    assert t.next_pending([later, done, sooner]) is sooner
    assert t.next_pending([done]) is None


def test_a_cached_standing_without_a_funding_source_has_none() -> None:
    assert t.standing_from_row(("p", "draft", None, None, None, 0)).funding_source is None
