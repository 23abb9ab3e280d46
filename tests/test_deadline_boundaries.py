"""The days that decide a deadline (docs/lifecycle.md, Deadlines; README.md, report order), through
`gtx deadlines --format json` and `gtx status --format json`, as a user reads them.

Each test pins a boundary a mutant of core/deadlines.py or core/periods.py would move by a day or
a condition: the day of the act itself, the window's opening day, the due day and the day
after, month ends and 2月29日, each condition of the extension filter on its own, and
the order of the report (overdue first, paused last). Dates are worked out by hand from
the measures and China's official 2024-2026 calendars (2026-10-01..07 National Day,
2026-02-28 a Saturday that is a make-up working day, 调休).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_deadlines import by_key, gtx, listing, main_line, project, write_repo


def one(
    tmp_path: Path, p: dict[str, Any], as_of: str, *args: str, policy: dict[str, Any] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """The deadlines of a repository holding only `p`, as of a date."""
    root = write_repo(tmp_path / f"repo{len(list(tmp_path.iterdir()))}", [p], policy=policy)
    return by_key(listing(root, "--as-of", as_of, *args))


def row(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["starts"], item["due"], item["state"], item["days_left"])


# --- the day of the act ----------------------------------------------------------------------

APPROVED_HISTORY = [("proposed", "2026-08-20"), ("approved", "2026-09-01")]
APPROVED = project("a1-approved", APPROVED_HISTORY)


def test_an_approval_on_the_as_of_day_starts_the_filing_period(tmp_path: Path) -> None:
    # 2026-09-01 + 30 days = Thursday 2026-10-01 (National Day): due 2026-10-08.
    got = one(tmp_path, APPROVED, "2026-09-01")
    assert row(got[("a1-approved", "filing")]) == ("2026-09-01", "2026-10-08", "open", 37)
    assert got[("a1-approved", "filing")]["nominal_due"] == "2026-10-01"
    # the day before the approval there is nothing to file yet
    assert one(tmp_path, APPROVED, "2026-08-31") == {}
    # the same when later acts are on file (filed 2026-09-20): as of the approval day the
    # approval counts, the filing does not yet
    later = project("a1-approved", [*APPROVED_HISTORY, ("filed", "2026-09-20")])
    item = one(tmp_path, later, "2026-09-01")[("a1-approved", "filing")]
    assert (row(item), item["done_on"]) == (("2026-09-01", "2026-10-08", "open", 37), None)


def test_a_completion_on_the_as_of_day_starts_preliminary_acceptance(tmp_path: Path) -> None:
    p = project("a2-completed", main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10",
                                          "2025-05-12", "2026-06-01"))
    got = one(tmp_path, p, "2026-06-01")
    assert row(got[("a2-completed", "preliminary_acceptance")]) == ("2026-06-01", "2026-09-01", "open", 92)
    before = one(tmp_path, p, "2026-05-31")
    assert ("a2-completed", "preliminary_acceptance") not in before
    # the day before completion the project was under construction: nothing but done filing
    assert set(before) == set()


def test_a_filing_on_the_as_of_day_is_done_and_the_day_before_still_due(tmp_path: Path) -> None:
    # approved Monday 2026-11-02: due Wednesday 2026-12-02, filed on that very day
    p = project("a3-filed", [("proposed", "2026-10-20"), ("approved", "2026-11-02"), ("filed", "2026-12-02")])
    on_day = one(tmp_path, p, "2026-12-02", "--all")[("a3-filed", "filing")]
    assert (on_day["state"], on_day["done_on"], on_day["due"]) == ("done", "2026-12-02", "2026-12-02")
    assert one(tmp_path, p, "2026-12-02") == {}  # done: not in the default listing
    before = one(tmp_path, p, "2026-12-01")[("a3-filed", "filing")]
    assert (before["state"], before["days_left"], before["done_on"]) == ("due_soon", 1, None)


def test_done_on_the_due_day_is_on_time_and_a_day_later_is_late(tmp_path: Path) -> None:
    late = project("a4-late", [("proposed", "2026-10-20"), ("approved", "2026-11-02"), ("filed", "2026-12-03")])
    item = one(tmp_path, late, "2026-12-20", "--all")[("a4-late", "filing")]
    assert (item["state"], item["due"], item["done_on"]) == ("done_late", "2026-12-02", "2026-12-03")


# --- rectification orders ----------------------------------------------------------------------


def rectified(issued: str, due: str, resolved: str | None) -> dict[str, Any]:
    return project("r1-order", main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12"),
                   rectifications=[{"issued": issued, "by": "ndrc", "finding": "整改事项",
                                    "due": due, "resolved": resolved, "sanctions": []}])


def test_an_order_issued_on_the_as_of_day_is_listed_and_not_the_day_before(tmp_path: Path) -> None:
    p = rectified("2026-11-10", "2026-12-31", None)
    got = one(tmp_path, p, "2026-11-10")
    assert row(got[("r1-order", "rectification")]) == ("2026-11-10", "2026-12-31", "open", 51)
    assert ("r1-order", "rectification") not in one(tmp_path, p, "2026-11-09", "--all")


def test_an_order_resolved_on_the_as_of_day_is_done_and_pending_the_day_before(tmp_path: Path) -> None:
    p = rectified("2026-11-10", "2026-12-31", "2026-12-31")
    on_day = one(tmp_path, p, "2026-12-31", "--all")[("r1-order", "rectification")]
    assert (on_day["state"], on_day["done_on"]) == ("done", "2026-12-31")
    before = one(tmp_path, p, "2026-12-30", "--all")[("r1-order", "rectification")]
    assert (before["state"], before["done_on"], before["days_left"]) == ("due_soon", None, 1)
    # resolved the day after its due date: late, and overdue on the due date's morrow
    late = rectified("2026-11-10", "2026-12-30", "2026-12-31")
    assert one(tmp_path, late, "2026-12-31", "--all")[("r1-order", "rectification")]["state"] == "done_late"


def test_due_soon_begins_exactly_due_soon_days_before_the_due_date(tmp_path: Path) -> None:
    p = rectified("2026-10-01", "2026-12-31", None)  # default due_soon_days: 30
    assert one(tmp_path, p, "2026-12-01")[("r1-order", "rectification")]["state"] == "due_soon"  # 30 days
    assert one(tmp_path, p, "2026-11-30")[("r1-order", "rectification")]["state"] == "open"  # 31 days
    assert one(tmp_path, p, "2026-12-31")[("r1-order", "rectification")]["state"] == "due_soon"  # 0 days
    assert row(one(tmp_path, p, "2027-01-01")[("r1-order", "rectification")]) == (
        "2026-10-01", "2026-12-31", "overdue", -1)


# --- the self-evaluation window ------------------------------------------------------------------


def operating(accepted: str, operating_on: str) -> dict[str, Any]:
    return project("v1-operating", main_line("2023-01-05", "2023-02-06", "2023-02-20", "2023-03-10",
                                             "2023-04-10", "2024-12-02", "2025-02-20", "2025-03-10",
                                             accepted, operating_on))


def test_the_window_opens_on_its_opening_day(tmp_path: Path) -> None:
    # operating Wednesday 2025-05-20 -> opens 2026-05-20, due 2027-05-20
    p = operating("2025-05-06", "2025-05-20")
    before = one(tmp_path, p, "2026-05-19")[("v1-operating", "self_evaluation")]
    assert (before["state"], before["opens"], before["due"]) == ("not_yet_open", "2026-05-20", "2027-05-20")
    on_day = one(tmp_path, p, "2026-05-20")[("v1-operating", "self_evaluation")]
    assert (on_day["state"], on_day["days_left"], on_day["starts"]) == ("open", 365, "2025-05-20")


def test_the_window_runs_from_the_later_of_acceptance_and_operation(tmp_path: Path) -> None:
    # the two dates the other way round (H003 reports the history; the window still
    # runs from the later one): accepted 2025-06-30 after operating 2025-05-20
    p = operating("2025-06-30", "2025-05-20")
    item = one(tmp_path, p, "2026-01-05")[("v1-operating", "self_evaluation")]
    assert (item["starts"], item["opens"], item["due"]) == ("2025-06-30", "2026-06-30", "2027-06-30")


def test_no_window_before_operation(tmp_path: Path) -> None:
    p = operating("2025-05-06", "2025-05-20")
    got = one(tmp_path, p, "2025-05-19", "--all")  # accepted, not yet operating
    assert ("v1-operating", "self_evaluation") not in got
    assert got[("v1-operating", "final_acceptance_request")]["state"] == "done"


# --- month ends and 2月29日 -----------------------------------------------------------------------


def test_month_ends_and_the_leap_day(tmp_path: Path) -> None:
    # completed 2023-11-30 + 3 months = 2024-02-29 (Thursday, a working day)
    prelim = project("m1-leap", main_line("2023-01-05", "2023-02-06", "2023-02-20", "2023-03-10",
                                          "2023-04-10", "2023-11-30"))
    item = one(tmp_path, prelim, "2024-02-29")[("m1-leap", "preliminary_acceptance")]
    assert (item["nominal_due"], item["due"], item["state"], item["days_left"]) == (
        "2024-02-29", "2024-02-29", "due_soon", 0)
    assert one(tmp_path, prelim, "2024-03-01")[("m1-leap", "preliminary_acceptance")]["state"] == "overdue"
    # preliminary acceptance on 2024-01-31 + 1 month = 2024-02-29
    final = project("m2-jan31", main_line("2023-01-05", "2023-02-06", "2023-02-20", "2023-03-10",
                                          "2023-04-10", "2023-11-30", "2024-01-31"))
    item = one(tmp_path, final, "2024-02-01")[("m2-jan31", "final_acceptance_request")]
    assert (item["starts"], item["due"], item["days_left"]) == ("2024-01-31", "2024-02-29", 28)


def test_a_make_up_working_day_is_not_shifted(tmp_path: Path) -> None:
    # completed 2025-11-28 + 3 months = Saturday 2026-02-28, a make-up working day (调休)
    p = project("m3-makeup", main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10",
                                       "2025-05-12", "2025-11-28"))
    item = one(tmp_path, p, "2026-02-27")[("m3-makeup", "preliminary_acceptance")]
    assert (item["nominal_due"], item["due"], item["shifted"], item["days_left"], item["calendar_known"]) == (
        "2026-02-28", "2026-02-28", False, 1, True)


# --- which extension counts ---------------------------------------------------------------------

COMPLETED = main_line("2025-02-01", "2025-03-03", "2025-03-20", "2025-05-10", "2025-06-10", "2026-07-01")


def extended(pid: str, *extensions: dict[str, Any]) -> dict[str, Any]:
    return project(pid, COMPLETED, extensions=list(extensions))


def ext(for_: str = "preliminary_acceptance", approved: str | None = "2026-09-20",
        until: str | None = "2027-01-29") -> dict[str, Any]:
    e: dict[str, Any] = {"for": for_, "requested": "2026-09-01"}
    if approved is not None:
        e["approved"] = approved
    if until is not None:
        e["until"] = until
    return e


# completed 2026-07-01: due 2026-10-01 -> 2026-10-08 (National Day) without an extension
NOT_EXTENDED = ("2026-10-08", "overdue", False)


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        (ext(), ("2027-01-29", "open", True)),
        # each condition of the filter on its own
        (ext(for_="final_acceptance_request"), NOT_EXTENDED),  # another deadline's
        (ext(approved=None), NOT_EXTENDED),  # requested, never approved
        (ext(approved="2026-11-27"), NOT_EXTENDED),  # approved after the as-of day
        (ext(approved="2026-11-26"), ("2027-01-29", "open", True)),  # approved that very day
        (ext(until=None), NOT_EXTENDED),  # approved without a date (K005)
    ],
    ids=["approved", "other-kind", "never-approved", "approved-later", "approved-that-day", "no-until"],
)
def test_only_an_approved_extension_of_this_deadline_counts(
    tmp_path: Path, extension: dict[str, Any], expected: tuple[str, str, bool]
) -> None:
    item = one(tmp_path, extended("e1-ext", extension), "2026-11-26")[("e1-ext", "preliminary_acceptance")]
    assert (item["due"], item["state"], item["extended"]) == expected
    assert item["nominal_due"] == ("2026-10-01" if expected == NOT_EXTENDED else expected[0])


def test_the_latest_approved_extension_wins(tmp_path: Path) -> None:
    # approved later wins even with an earlier date; on the same approval day, the later date
    p = extended("e2-latest", ext(approved="2026-09-20", until="2027-03-31"),
                 ext(approved="2026-10-20", until="2027-01-29"))
    item = one(tmp_path, p, "2026-11-26")[("e2-latest", "preliminary_acceptance")]
    assert (item["due"], item["extended"]) == ("2027-01-29", True)
    for first, second in (("2027-03-31", "2027-01-29"), ("2027-01-29", "2027-03-31")):
        p = extended("e3-same-day", ext(approved="2026-10-20", until=first),
                     ext(approved="2026-10-20", until=second))
        assert one(tmp_path, p, "2026-11-26")[("e3-same-day", "preliminary_acceptance")]["due"] == "2027-03-31"


def test_an_extension_of_the_final_acceptance_request(tmp_path: Path) -> None:
    # preliminary acceptance 2026-09-28 + 1 month = 2026-10-28, extended to 2027-02-26
    history = [*COMPLETED, ("preliminarily_accepted", "2026-09-28")]
    p = project("e4-final", history, extensions=[ext("final_acceptance_request", "2026-10-20", "2027-02-26"),
                                                 ext("preliminary_acceptance", "2026-10-20", "2027-04-30")])
    got = one(tmp_path, p, "2026-11-26", "--all")
    item = got[("e4-final", "final_acceptance_request")]
    assert (item["due"], item["state"], item["extended"]) == ("2027-02-26", "open", True)
    # the preliminary acceptance was done on 2026-09-28; its extension was approved on
    # 2026-10-20, after the act it would excuse, so it does not count (K007): the due date
    # stays 2026-10-01 -> 2026-10-08 (National Day), and 09-28 is on time
    prelim = got[("e4-final", "preliminary_acceptance")]
    assert (prelim["state"], prelim["due"]) == ("done", "2026-10-08")
    before = one(tmp_path, p, "2026-10-19")[("e4-final", "final_acceptance_request")]
    assert (before["due"], before["state"], before["extended"]) == ("2026-10-28", "due_soon", False)


# --- the report order (README.md) -------------------------------------------------------------------


def test_overdue_first_then_by_due_date_paused_last(tmp_path: Path) -> None:
    projects = [
        # overdue: filing due 2026-11-02 (approved 2026-10-03 + 30)
        project("o1-overdue", [("proposed", "2026-09-20"), ("approved", "2026-10-03")]),
        # done on time earlier (with --all): filing due 2026-10-08, filed 2026-09-10
        project("o2-done", [("proposed", "2026-08-20"), ("approved", "2026-09-01"), ("filed", "2026-09-10")]),
        # paused since 2026-08-03: its preliminary acceptance was due 2026-09-01, the earliest
        project("o3-paused", [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10",
                                         "2025-05-12", "2026-06-01"), ("suspended", "2026-08-03")]),
        # open, due 2026-12-31; and two on the same day, in project order then kind order
        rectified("2026-11-10", "2026-12-31", None) | {"id": "o4-open"},
        rectified("2026-11-10", "2026-12-31", None) | {"id": "o0-open"},
        project("o5-same-day", [("proposed", "2026-11-20"), ("approved", "2026-12-01")],
                rectifications=[{"issued": "2026-11-25", "by": "audit", "finding": "事项",
                                 "due": "2026-12-31", "resolved": None, "sanctions": []},
                                {"issued": "2026-11-24", "by": "audit", "finding": "事项",
                                 "due": "2026-12-31", "resolved": None, "sanctions": []}]),
    ]
    root = write_repo(tmp_path / "order", projects)
    data = listing(root, "--as-of", "2026-12-02", "--all")
    seen = [(i["project"], i["kind"], i["index"], i["state"], i["due"]) for i in data["deadlines"]]
    assert seen == [
        ("o1-overdue", "filing", None, "overdue", "2026-11-02"),
        ("o0-open", "filing", None, "done", "2025-04-02"),
        ("o3-paused", "filing", None, "done", "2025-04-02"),
        ("o4-open", "filing", None, "done", "2025-04-02"),
        ("o2-done", "filing", None, "done", "2026-10-08"),
        ("o0-open", "rectification", 0, "due_soon", "2026-12-31"),
        ("o4-open", "rectification", 0, "due_soon", "2026-12-31"),
        ("o5-same-day", "rectification", 0, "due_soon", "2026-12-31"),
        ("o5-same-day", "rectification", 1, "due_soon", "2026-12-31"),
        ("o5-same-day", "filing", None, "due_soon", "2026-12-31"),
        ("o3-paused", "preliminary_acceptance", None, "paused", "2026-09-01"),
    ]


def test_status_shows_the_most_urgent_pending_deadline(tmp_path: Path) -> None:
    # the filing was done late (due 2025-04-02): the next deadline is the preliminary acceptance
    p = project("s1-next", main_line("2025-02-01", "2025-03-03", "2025-04-10", "2025-05-10",
                                     "2025-06-10", "2026-07-01"))
    root = write_repo(tmp_path / "status", [p])
    r = gtx("status", "--repo", str(root), "--format", "json", "--as-of", "2026-07-01")
    assert r.exit_code == 0, r.output
    nxt = json.loads(r.stdout)["projects"][0]["next_deadline"]
    assert (nxt["kind"], nxt["due"], nxt["state"], nxt["days_left"]) == (
        "preliminary_acceptance", "2026-10-08", "open", 99)


def test_status_as_of_the_day_of_the_last_act(tmp_path: Path) -> None:
    p = project("s2-suspended", [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10",
                                            "2025-05-12", "2026-06-01"), ("suspended", "2026-08-03")])
    root = write_repo(tmp_path / "status", [p])
    for day, stage in (("2026-08-03", "suspended"), ("2026-08-02", "completed")):
        r = gtx("status", "--repo", str(root), "--format", "json", "--as-of", day)
        assert r.exit_code == 0, r.output
        got = json.loads(r.stdout)["projects"][0]
        assert (got["stage"], got["funding_source"], got["budget_wan"]) == (stage, "municipal", 100), day


def test_as_of_the_day_of_the_last_entry_the_dossier_is_taken_as_written(tmp_path: Path) -> None:
    # A stage written ahead of its history (H001 reports it): as of the day of the last
    # entry, as on any later day, the report follows the dossier as written (terminated:
    # no deadline), not a stage rebuilt from the history.
    p = APPROVED | {"stage": "terminated"}
    assert one(tmp_path, p, "2026-09-01") == one(tmp_path, p, "2026-09-02") == {}
    # before that entry, the stage is rebuilt from what had happened: proposed, no deadline
    assert one(tmp_path, p, "2026-08-31") == {}


def test_days_left_counts_calendar_days(tmp_path: Path) -> None:
    got = one(tmp_path, APPROVED, "2026-09-30")[("a1-approved", "filing")]
    assert got["days_left"] == (dt.date(2026, 10, 8) - dt.date(2026, 9, 30)).days == 8


def test_without_the_holiday_shift_no_calendar_is_needed(tmp_path: Path) -> None:
    # approved 2027-12-01 + 30 days = Friday 2027-12-31, a year the calendar lacks: with the
    # shift off, the due date is exact and the report names no unknown year
    p = project("h1-noshift", [("proposed", "2027-11-20"), ("approved", "2027-12-01")])
    root = write_repo(tmp_path / "noshift", [p], policy={"holiday_shift": False})
    data = listing(root, "--as-of", "2027-12-01")
    [item] = data["deadlines"]
    assert (item["due"], item["calendar_known"]) == ("2027-12-31", True)
    assert not data["calendar_unknown_years"]
    # with the shift on, the same year is named
    root = write_repo(tmp_path / "shift", [p])
    data = listing(root, "--as-of", "2027-12-01")
    assert data["deadlines"][0]["calendar_known"] is False
    assert 2027 in data["calendar_unknown_years"]


def test_status_picks_the_most_urgent_of_several_pending_deadlines(tmp_path: Path) -> None:
    # suspended: its preliminary acceptance (due 2026-09-01) is paused and comes last; the
    # rectification order (due 2026-11-30) is what is next
    p = project("s3-several",
                [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12",
                            "2026-06-01"), ("suspended", "2026-08-03")],
                rectifications=[{"issued": "2026-10-09", "by": "ndrc", "finding": "整改事项",
                                 "due": "2026-11-30", "resolved": None,
                                 "sanctions": ["suspend_construction"]}])
    root = write_repo(tmp_path / "status", [p])
    r = gtx("status", "--repo", str(root), "--format", "json", "--as-of", "2026-11-26")
    assert r.exit_code == 0, r.output
    nxt = json.loads(r.stdout)["projects"][0]["next_deadline"]
    assert (nxt["kind"], nxt["due"], nxt["state"]) == ("rectification", "2026-11-30", "due_soon")


# --- the pure function, asked about several dossiers, policies and days in a row -----------


def test_compute_answers_each_question_afresh() -> None:
    # compute() remembers its last answer (B003, K001, K003 ask in a row): a different
    # dossier, policy or day must never get that answer.
    from golmud_cli.core.deadlines import compute
    from golmud_cli.core.model import Dossier, Policy

    a = Dossier.model_validate(project("c1-a", APPROVED_HISTORY))
    b = Dossier.model_validate(project("c2-b", [("proposed", "2026-08-20"), ("approved", "2026-09-10")]))
    policy, short = Policy(), Policy(filing_days=10)
    day, later = dt.date(2026, 9, 15), dt.date(2026, 10, 20)

    def seen(d: Dossier, p: Policy, today: dt.date) -> list[tuple[str, str, str, int]]:
        return [(x.project, x.due.isoformat(), x.state.value, x.days_left) for x in compute(d, p, today)]

    first = seen(a, policy, day)
    assert first == [("c1-a", "2026-10-08", "due_soon", 23)]
    assert seen(a, policy, day) == first  # the same question: the same answer
    # 2026-10-10 and 2026-09-20 are weekend days worked in lieu (调休): no shift
    assert seen(b, policy, day) == [("c2-b", "2026-10-10", "due_soon", 25)]
    assert seen(b, short, day) == [("c2-b", "2026-09-20", "due_soon", 5)]
    assert seen(b, short, later) == [("c2-b", "2026-09-20", "overdue", -30)]
    assert seen(a, short, later) == [("c1-a", "2026-09-11", "overdue", -39)]


@pytest.mark.parametrize("funding", [None, "municipal", "provincial"])
@pytest.mark.parametrize("resume_to", [None, "completed"])
def test_a_standing_survives_the_cache_form(funding: str | None, resume_to: str | None) -> None:
    # `gtx status` reads its rows back from the cache: every field comes back as it was,
    # the absent ones too (a row the cache cannot read back is computed afresh, slowly)
    from decimal import Decimal

    from golmud_cli.core.deadlines import Standing, standing_from_row, standing_row
    from golmud_cli.core.lifecycle import Stage
    from golmud_cli.core.model import FundingSource

    for budget in (None, Decimal("320.5")):
        st = Standing("p-1", Stage.suspended, None if resume_to is None else Stage(resume_to), budget,
                      None if funding is None else FundingSource(funding), funding == "provincial")
        assert standing_from_row(standing_row(st)) == st
