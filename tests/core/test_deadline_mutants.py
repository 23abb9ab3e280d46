"""An extension asked for on the deadline's last day, and consent given on the day of the
act (三（六）: 不能按期申请竣工验收的，应当向市发改委提出延期验收申请，经同意后，可延长),
through `gtx deadlines` and `gtx validate` as a user reads them.

Written for the survivors of `make mutate MODULE=golmud_cli.core.deadlines`
(docs/testing.md, Scores): `e.requested > due` and `e.approved > done_on` in
extension_fault, each moved by a day; K007's messages for a request never dated and a
consent after the act; and each condition of row_ok, which keeps a tampered row of the
result cache from being shown. The last part calls compute() itself (no git, no CLI: a
few milliseconds, so mutmut runs it first): the planned completion with an approved
construction extension and with the project completed, a rectification order not yet
issued listed before one that is, a suspended project, compute()'s memo, and the
interval a TrackedDay records.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.core import deadlines
from golmud_cli.core.dateinterval import TrackedDay
from golmud_cli.core.deadline_data import decode, encode
from golmud_cli.core.deadlines import Deadline, Kind, compute
from golmud_cli.core.model import Dossier, Policy
from golmud_cli.core.periods import PACKAGE_CALENDAR, Calendar
from tests.conftest import ROOT
from tests.support.deadline_repos import by_key, gtx, listing, main_line, project, write_repo

# completed 2026-07-01: preliminary acceptance due 2026-10-01, National Day, so 2026-10-08
COMPLETED = main_line(
    "2025-02-01", "2025-03-03", "2025-03-20", "2025-05-10", "2025-06-10", "2026-07-01"
)
KEY = ("x1-ext", "preliminary_acceptance")


def repo_with(tmp_path: Path, history: list[tuple[str, str]], extension: dict[str, Any]) -> Path:
    p = project(KEY[0], history, extensions=[{"for": KEY[1], **extension}])
    return write_repo(tmp_path / f"repo{len(list(tmp_path.iterdir()))}", [p])


def prelim(root: Path, as_of: str) -> tuple[str, str, bool]:
    item = by_key(listing(root, "--as-of", as_of, "--all"))[KEY]
    return item["due"], item["state"], item["extended"]


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("2026-10-08", ("2027-01-29", "open", True)),  # on the last day (after the shift)
        ("2026-10-09", ("2026-10-08", "overdue", False)),  # the day after: extends nothing
    ],
    ids=["on-the-due-day", "the-day-after"],
)
def test_an_extension_asked_for_on_the_due_day_counts(
    tmp_path: Path, requested: str, expected: tuple[str, str, bool]
) -> None:
    ext = {"requested": requested, "approved": "2026-10-20", "until": "2027-01-29"}
    assert prelim(repo_with(tmp_path, COMPLETED, ext), "2026-11-26") == expected


@pytest.mark.parametrize(
    ("approved", "expected"),
    [
        ("2026-11-10", ("2027-01-29", "done", True)),  # consent on the day of the act
        ("2026-11-11", ("2026-10-08", "done_late", False)),  # the day after: after the fact
    ],
    ids=["on-the-day-of-the-act", "the-day-after"],
)
def test_consent_given_on_the_day_of_the_act_counts(
    tmp_path: Path, approved: str, expected: tuple[str, str, bool]
) -> None:
    # preliminary acceptance passed 2026-11-10, after the original 2026-10-08
    history = [*COMPLETED, ("preliminarily_accepted", "2026-11-10")]
    ext = {"requested": "2026-09-01", "approved": approved, "until": "2027-01-29"}
    assert prelim(repo_with(tmp_path, history, ext), "2026-11-26") == expected


def test_an_approved_extension_without_its_request_date_is_k007_saying_so(tmp_path: Path) -> None:
    root = repo_with(tmp_path, COMPLETED, {"approved": "2026-10-20", "until": "2027-01-29"})
    r = gtx(
        "validate", "--repo", str(root), "--as-of", "2026-11-26", "--format", "json", "--lang", "en"
    )
    findings = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "K007"]
    assert [f["field"] for f in findings] == ["extensions.0.requested"]
    assert "is missing: an approved extension records when it was asked" in findings[0]["message"]
    # and it extends nothing
    assert prelim(root, "2026-11-26") == ("2026-10-08", "overdue", False)


def test_an_extension_approved_after_the_act_is_k007_saying_so(tmp_path: Path) -> None:
    history = [*COMPLETED, ("preliminarily_accepted", "2026-11-10")]
    ext = {"requested": "2026-09-01", "approved": "2026-11-11", "until": "2027-01-29"}
    root = repo_with(tmp_path, history, ext)
    r = gtx(
        "validate", "--repo", str(root), "--as-of", "2026-11-26", "--format", "json", "--lang", "en"
    )
    findings = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "K007"]
    assert [f["field"] for f in findings] == ["extensions.0.approved"]
    assert "an extension approved after the fact does not count" in findings[0]["message"]


# --- the result cache's rows (core/deadline_data.py): a row that is not what to_row
# writes makes the cached entry be checked afresh, never shown as it is ------------------


def _cached(as_of: dt.date) -> tuple[bytes, tuple[Any, ...]]:
    d = Dossier.model_validate(project("x2-row", main_line("2026-08-20", "2026-09-01")))
    aux = encode(d, Policy(), as_of)
    return aux, marshal.loads(aux)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (1, "no-such-kind"),
        (6, "no-such-state"),
        (4, "2026-10-01"),
        (5, "2026-10-08"),
        (3, "2026-09-01"),
        (10, "2026-09-10"),
        (11, "0"),
        (None, None),
    ],
    ids=["kind", "state", "nominal-due", "due", "opens", "done-on", "index", "a-list-not-a-tuple"],
)
def test_a_cached_deadline_row_with_one_bad_field_is_not_used(
    field: int | None, value: Any
) -> None:
    day = dt.date(2026, 9, 10)
    aux, (name, unit, rows, findings, where) = _cached(day)
    info = decode(aux, day)
    assert info is not None and [r[5] for r in info[2]] == [dt.date(2026, 10, 8).toordinal()]
    bad: Any = list(rows[0])  # every field as to_row wrote it, but a list
    if field is not None:
        bad[field] = value  # a day as text instead of its ordinal, an unknown name
        bad = tuple(bad)
    tampered = marshal.dumps((name, unit, (bad,), findings, where))
    assert decode(tampered, day) is None


# --- the planned completion (附件: 计划建设时间 = 开工时间 + 建设时间) -----------------------

UNDER_CONSTRUCTION = main_line("2025-12-01", "2026-01-05", "2026-01-20", "2026-02-10", "2026-03-02")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-07-01", ("2026-03-02", "2026-09-02", "open")),  # Monday + 6 months: a Wednesday
        ("2026-09-03", ("2026-03-02", "2026-09-02", "overdue")),
    ],
)
def test_construction_is_due_at_its_start_plus_its_duration(
    tmp_path: Path, as_of: str, expected: tuple[str, str, str]
) -> None:
    p = project(
        "x3-build", UNDER_CONSTRUCTION, schedule={"start": "2026-03-02", "duration_months": 6}
    )
    root = write_repo(tmp_path / "repo", [p])
    item = by_key(listing(root, "--as-of", as_of))[("x3-build", "construction")]
    assert (item["starts"], item["due"], item["state"]) == expected


def test_without_a_duration_there_is_no_planned_completion(tmp_path: Path) -> None:
    p = project("x4-build", UNDER_CONSTRUCTION, schedule={"start": "2026-03-02"})
    root = write_repo(tmp_path / "repo", [p])
    assert ("x4-build", "construction") not in by_key(
        listing(root, "--as-of", "2026-07-01", "--all")
    )


def test_a_fresh_process_reports_the_deadlines(tmp_path: Path) -> None:
    # compute()'s memo starts empty in a new process: the first report must not depend on
    # it (run as `python -m golmud_cli` from the checkout, so `make mutate` runs its copy)
    p = project("x5-fresh", [("proposed", "2026-08-20"), ("approved", "2026-09-01")])
    root = write_repo(tmp_path / "repo", [p])
    args = ["deadlines", "--repo", str(root), "--as-of", "2026-09-01", "--format", "json"]
    r = subprocess.run(
        [sys.executable, "-m", "golmud_cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    got = [
        (i["kind"], i["due"], i["state"], i["extended"]) for i in json.loads(r.stdout)["deadlines"]
    ]
    assert got == [("filing", "2026-10-08", "open", False)]  # filing is never extended


def test_consent_after_the_final_acceptance_request_does_not_excuse_it(tmp_path: Path) -> None:
    # preliminary acceptance 2026-09-28: the request is due 2026-10-28; made 2026-11-10,
    # the extension approved the day after
    history = [
        *COMPLETED,
        ("preliminarily_accepted", "2026-09-28"),
        ("acceptance_requested", "2026-11-10"),
    ]
    ext = {"for": "final_acceptance_request", "requested": "2026-10-20", "approved": "2026-11-11"}
    p = project("x6-final", history, extensions=[{**ext, "until": "2027-02-26"}])
    root = write_repo(tmp_path / "repo", [p])
    item = by_key(listing(root, "--as-of", "2026-11-26", "--all"))[
        ("x6-final", "final_acceptance_request")
    ]
    assert (item["due"], item["state"], item["extended"]) == ("2026-10-28", "done_late", False)


# --- compute() itself: the rows `gtx deadlines` prints, without the CLI -------------------
# under construction since Monday 2026-03-02 for 6 months: planned completion Wednesday
# 2026-09-02 (附件: 计划建设时间 = 开工时间 + 建设时间)
SCHEDULE = {"start": "2026-03-02", "duration_months": 6}
# 三（六）: 经同意后，可延长项目建设期限: asked before the due day (approved: each test)
TO_YEAR_END = {"for": "construction", "requested": "2026-08-20", "until": "2026-12-31"}


def deadlines_of(
    p: dict[str, Any], as_of: str, calendar: Calendar = PACKAGE_CALENDAR
) -> list[Deadline]:
    return compute(Dossier.model_validate(p), Policy(), dt.date.fromisoformat(as_of), calendar)


def shown(dls: list[Deadline], kind: Kind) -> list[tuple[Any, ...]]:
    """A kind's rows as the report shows them: order, due day, state, days left,
    extended, done on."""
    return [
        (dl.index, dl.due.isoformat(), dl.state.value, dl.days_left, dl.extended, dl.done_on)
        for dl in dls
        if dl.kind is kind
    ]


def building(*later: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return project("x7-build", [*UNDER_CONSTRUCTION, *later], schedule=SCHEDULE, **extra)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-09-02", ("2026-09-02", "due_soon", 0)),  # the due day itself is on time
        ("2026-09-03", ("2026-09-02", "overdue", -1)),  # the day after
    ],
)
def test_the_planned_completion_on_its_due_day_and_the_day_after(
    as_of: str, expected: tuple[str, str, int]
) -> None:
    dls = deadlines_of(building(), as_of)
    assert shown(dls, Kind.construction) == [(None, *expected, False, None)]


@pytest.mark.parametrize(
    ("completed", "state"),
    [("2026-09-02", "done"), ("2026-09-03", "done_late")],
    ids=["on-the-due-day", "the-day-after"],
)
def test_completion_ends_the_construction_deadline(completed: str, state: str) -> None:
    # `completed` entered is the act that meets the planned completion
    dls = deadlines_of(building(("completed", completed)), "2026-09-10")
    done_on = dt.date.fromisoformat(completed)
    assert shown(dls, Kind.construction) == [(None, "2026-09-02", state, -8, False, done_on)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # the day before the consent: the planned completion still holds
        ("2026-08-24", ("2026-09-02", "due_soon", 9, False)),
        ("2026-09-10", ("2026-12-31", "open", 112, True)),  # past 09-02, not overdue
        ("2026-12-31", ("2026-12-31", "due_soon", 0, True)),  # the extended due day
        ("2027-01-01", ("2026-12-31", "overdue", -1, True)),  # the day after it
    ],
)
def test_an_approved_construction_extension_moves_the_planned_completion(
    as_of: str, expected: tuple[str, str, int, bool]
) -> None:
    p = building(extensions=[{**TO_YEAR_END, "approved": "2026-08-25"}])
    assert shown(deadlines_of(p, as_of), Kind.construction) == [(None, *expected, None)]


@pytest.mark.parametrize(
    ("approved", "expected"),
    [
        ("2026-10-15", ("2026-12-31", "done", 59, True)),  # consent on the day of the act
        ("2026-10-16", ("2026-09-02", "done_late", -61, False)),  # after the fact (K007)
    ],
    ids=["on-the-day-of-completion", "the-day-after"],
)
def test_consent_after_completion_does_not_excuse_a_late_completion(
    approved: str, expected: tuple[str, str, int, bool]
) -> None:
    p = building(("completed", "2026-10-15"), extensions=[{**TO_YEAR_END, "approved": approved}])
    done_on = dt.date(2026, 10, 15)
    assert shown(deadlines_of(p, "2026-11-02"), Kind.construction) == [(None, *expected, done_on)]


def test_only_an_extension_for_construction_moves_the_planned_completion() -> None:
    ext = {**TO_YEAR_END, "for": "preliminary_acceptance", "approved": "2026-08-25"}
    dls = deadlines_of(building(extensions=[ext]), "2026-09-10")
    assert shown(dls, Kind.construction) == [(None, "2026-09-02", "overdue", -8, False, None)]


def order(issued: str, due: str) -> dict[str, Any]:
    return {"issued": issued, "by": "ndrc", "finding": "整改事项", "due": due, "sanctions": []}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # the first order listed is issued only on 2026-06-15: the second is still shown
        ("2026-06-14", [(1, "2026-06-30", "due_soon", 16, False, None)]),
        (
            "2026-06-15",  # the first order's issue day: both
            [
                (0, "2026-07-15", "due_soon", 30, False, None),
                (1, "2026-06-30", "due_soon", 15, False, None),
            ],
        ),
    ],
)
def test_an_order_not_yet_issued_does_not_hide_the_next_one(
    as_of: str, expected: list[tuple[Any, ...]]
) -> None:
    orders = [order("2026-06-15", "2026-07-15"), order("2026-05-11", "2026-06-30")]
    dls = deadlines_of(building(rectifications=orders), as_of)
    assert shown(dls, Kind.rectification) == expected


def test_a_suspension_pauses_the_planned_completion_but_not_a_rectification() -> None:
    # 三（五）: suspending construction is the sanction for not rectifying: the order's
    # clock runs on (due 2026-09-16, overdue the day after), the construction's waits
    p = building(("suspended", "2026-09-01"), rectifications=[order("2026-08-20", "2026-09-16")])
    dls = deadlines_of(p, "2026-09-17")
    assert shown(dls, Kind.construction) == [(None, "2026-09-02", "paused", -15, False, None)]
    assert shown(dls, Kind.rectification) == [(0, "2026-09-16", "overdue", -1, False, None)]


def test_no_other_kind_is_ever_shown_extended() -> None:
    history = [*UNDER_CONSTRUCTION, ("completed", "2026-05-04")]
    p = project("x8-plain", history, rectifications=[order("2026-05-11", "2026-06-30")])
    dls = deadlines_of(p, "2026-06-01")
    got = {(dl.kind.value, dl.extended) for dl in dls}
    assert got == {("filing", False), ("preliminary_acceptance", False), ("rectification", False)}


APPROVED_ONLY = [("proposed", "2026-08-20"), ("approved", "2026-09-01")]


def test_the_first_report_of_a_process_is_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    # a fresh process has nothing remembered yet (test_a_fresh_process_reports_the_deadlines
    # runs one; mutmut only sees calls made in its own process)
    monkeypatch.setattr(deadlines, "_LAST", None)
    dls = deadlines_of(project("x9-first", APPROVED_ONLY), "2026-09-01")
    assert shown(dls, Kind.filing) == [(None, "2026-10-08", "open", 37, False, None)]


def test_the_memo_answers_only_for_the_dossier_and_calendar_asked_about() -> None:
    policy, day = Policy(), dt.date(2026, 9, 10)
    first = Dossier.model_validate(project("x10-first", APPROVED_ONLY))
    second = Dossier.model_validate(
        project("x11-second", [("proposed", "2026-08-20"), ("approved", "2026-09-04")])
    )

    def filing(d: Dossier, calendar: Calendar) -> tuple[str, str, str, bool]:
        (dl,) = compute(d, policy, day, calendar)
        return dl.project, dl.nominal_due.isoformat(), dl.due.isoformat(), dl.calendar_known

    # 2026-10-01 and 10-04 are in the National Day holiday: the official calendar moves
    # both to 2026-10-08; asked again with another dossier, the memo must not answer
    assert filing(first, PACKAGE_CALENDAR) == ("x10-first", "2026-10-01", "2026-10-08", True)
    assert filing(second, PACKAGE_CALENDAR) == ("x11-second", "2026-10-04", "2026-10-08", True)
    # the same dossier, policy and day with a calendar that knows no year (weekends
    # only): Sunday 2026-10-04 moves to Monday, and the report says the calendar was unknown
    weekends_only = Calendar(lambda: {})
    assert filing(second, weekends_only) == ("x11-second", "2026-10-04", "2026-10-05", False)
    assert filing(second, PACKAGE_CALENDAR) == ("x11-second", "2026-10-04", "2026-10-08", True)


def test_days_left_does_not_narrow_the_days_a_result_holds_on() -> None:
    # approved 2026-09-01: filing due 2026-10-08 (after National Day), due soon from
    # 2026-09-08 (30 days before). A result computed on 2026-09-10 holds, days left
    # apart, from 2026-09-08 to 2026-10-08: the result cache answers those days without
    # a fresh run (docs/benchmarks.md); days_left is recomputed from the stored due day.
    today = TrackedDay(dt.date(2026, 9, 10))
    (dl,) = compute(Dossier.model_validate(project("x12-held", APPROVED_ONLY)), Policy(), today)
    assert (dl.state.value, dl.days_left) == ("due_soon", 28)
    assert today.interval == (dt.date(2026, 9, 8).toordinal(), dt.date(2026, 10, 8).toordinal())
