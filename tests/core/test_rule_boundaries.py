"""The days that decide a dated rule (docs/lifecycle.md, Rules), through `gtx validate --format
json --as-of D` on small repositories: the due day itself is on time, the day after is
late by one day; a sanction's suspension on the order's own date counts; the
self-evaluation window's first and last days. Only the code under test is asserted
(these minimal dossiers lack documents, which other rules report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.deadline_repos import gtx, main_line, project, write_repo


def findings(tmp_path: Path, p: dict[str, Any], as_of: str, code: str) -> list[tuple[str, str, str]]:
    """(severity, field, English message) of each `code` finding for a repository of `p`."""
    root = write_repo(tmp_path / f"repo{len(list(tmp_path.iterdir()))}", [p])
    r = gtx("validate", "--repo", str(root), "--format", "json", "--as-of", as_of, "--lang", "en")
    assert r.exit_code in (0, 1), r.output
    data = json.loads(r.stdout)
    return [(f["severity"], f["field"], f["message"]) for f in data["findings"] if f["code"] == code]


COMPLETED = main_line("2025-02-01", "2025-03-03", "2025-03-20", "2025-05-10", "2025-06-10", "2026-07-01")


@pytest.mark.parametrize(
    ("accepted_on", "late"),
    [("2026-10-08", None), ("2026-10-09", "1 day late"), ("2026-10-01", None)],
    ids=["due-day-after-the-holiday-shift", "day-after", "nominal-due-day"],
)
def test_k001_the_due_day_is_on_time(tmp_path: Path, accepted_on: str, late: str | None) -> None:
    # completed 2026-07-01 + 3 months = 2026-10-01 (National Day) -> due 2026-10-08
    p = project("k1-prelim", [*COMPLETED, ("preliminarily_accepted", accepted_on)])
    got = findings(tmp_path, p, "2026-11-26", "K001")
    if late is None:
        assert got == []
    else:
        [(severity, field, message)] = got
        assert (severity, field) == ("error", "history.6.date")
        assert f"on {accepted_on} is after the deadline 2026-10-08" in message
        assert f"completed 2026-07-01, {late}" in message


def test_k001_with_an_approved_extension(tmp_path: Path) -> None:
    ext = {"for": "preliminary_acceptance", "requested": "2026-09-01", "approved": "2026-09-20",
           "until": "2026-10-30"}
    on_time = project("k2-ext", [*COMPLETED, ("preliminarily_accepted", "2026-10-30")], extensions=[ext])
    assert findings(tmp_path, on_time, "2026-11-26", "K001") == []
    late = project("k2-ext", [*COMPLETED, ("preliminarily_accepted", "2026-11-02")], extensions=[ext])
    [(_, _, message)] = findings(tmp_path, late, "2026-11-26", "K001")
    assert "after the deadline 2026-10-30 (with the approved extension)" in message
    assert "3 days late" in message


def test_k002_the_due_day_is_on_time(tmp_path: Path) -> None:
    # preliminary acceptance 2026-09-28 + 1 month = Wednesday 2026-10-28
    history = [*COMPLETED, ("preliminarily_accepted", "2026-09-28")]
    on_time = project("k3-final", [*history, ("acceptance_requested", "2026-10-28")])
    assert findings(tmp_path, on_time, "2026-11-26", "K002") == []
    late = project("k3-final", [*history, ("acceptance_requested", "2026-10-29")])
    [(severity, field, message)] = findings(tmp_path, late, "2026-11-26", "K002")
    assert (severity, field) == ("error", "history.7.date")
    assert "2026-10-28" in message and "1 day late" in message


def order(due: str, resolved: str | None = None, sanctions: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"issued": "2026-09-01", "by": "ndrc", "finding": "整改事项", "due": due,
            "resolved": resolved, "sanctions": list(sanctions)}


@pytest.mark.parametrize(
    ("as_of", "late"),
    [("2026-10-08", None), ("2026-10-09", "1 day late"), ("2026-10-12", "4 days late"),
     ("2026-10-02", None)],
    ids=["shifted-due-day", "day-after", "days-after", "inside-the-holiday"],
)
def test_r001_an_order_is_late_the_day_after_its_shifted_due_date(
    tmp_path: Path, as_of: str, late: str | None
) -> None:
    # due Thursday 2026-10-01, National Day: the order may be met until 2026-10-08
    p = project("r1-order", main_line("2025-02-03", "2025-03-03", "2025-03-20"),
                rectifications=[order("2026-10-01")])
    got = findings(tmp_path, p, as_of, "R001")
    if late is None:
        assert got == []
    else:
        [(severity, field, message)] = got
        assert (severity, field) == ("error", "rectifications.0.due")
        assert f"due by 2026-10-08 and is still open on {as_of} ({late})" in message


def test_r001_a_resolved_order_and_an_exempt_project(tmp_path: Path) -> None:
    resolved = project("r2-done", main_line("2025-02-03", "2025-03-03", "2025-03-20"),
                       rectifications=[order("2026-10-01", resolved="2026-10-20")])
    assert findings(tmp_path, resolved, "2026-11-26", "R001") == []
    provincial = project("r3-prov", main_line("2025-02-03", "2025-03-03", "2025-03-20"),
                         rectifications=[order("2026-10-01")], funding_source="provincial")
    assert findings(tmp_path, provincial, "2026-11-26", "R001") == []


def test_r001_numbers_each_late_order(tmp_path: Path) -> None:
    p = project("r4-two", main_line("2025-02-03", "2025-03-03", "2025-03-20"),
                rectifications=[order("2026-12-31"), order("2026-11-02")])
    [(_, field, message)] = findings(tmp_path, p, "2026-11-26", "R001")
    assert field == "rectifications.1.due"
    assert message.startswith("rectification order 2 ")


@pytest.mark.parametrize(
    ("suspended_on", "raised"),
    [("2026-09-01", False), ("2026-08-31", True)],
    ids=["suspended-the-day-it-was-issued", "suspended-the-day-before"],
)
def test_r002_a_suspension_on_the_order_date_counts(tmp_path: Path, suspended_on: str, raised: bool) -> None:
    p = project("r5-susp", [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12"),
                            ("suspended", suspended_on)],
                rectifications=[order("2026-12-31", sanctions=("suspend_construction",))])
    got = findings(tmp_path, p, "2026-11-26", "R002")
    assert bool(got) is raised
    if raised:
        assert got[0][1] == "rectifications.0.sanctions.0"
        assert "on or after 2026-09-01" in got[0][2]


@pytest.mark.parametrize(
    ("filed_on", "raised"),
    [("2026-10-08", False), ("2026-10-09", True)],
    ids=["due-day", "day-after"],
)
def test_b003_filing_on_the_due_day_is_on_time(tmp_path: Path, filed_on: str, raised: bool) -> None:
    # approved 2026-09-01 + 30 days = 2026-10-01 (National Day) -> 2026-10-08
    p = project("b1-filing", [("proposed", "2026-08-20"), ("approved", "2026-09-01"), ("filed", filed_on)])
    got = findings(tmp_path, p, "2026-11-26", "B003")
    assert bool(got) is raised
    if raised:
        assert [(s, f) for s, f, _ in got] == [("warning", "history.2.date")]


SELF_EVAL = main_line("2023-01-05", "2023-02-06", "2023-02-20", "2023-03-10", "2023-04-10", "2024-12-02",
                      "2025-02-20", "2025-03-10", "2025-05-06", "2025-05-20")


@pytest.mark.parametrize(
    ("evaluated_on", "expected"),
    [("2026-05-19", "warning"), ("2026-05-20", None), ("2027-05-20", None), ("2027-05-21", "error")],
    ids=["day-before-the-window", "opening-day", "due-day", "day-after"],
)
def test_v001_the_window_is_inclusive(tmp_path: Path, evaluated_on: str, expected: str | None) -> None:
    # operating 2025-05-20: the window runs from 2026-05-20 to 2027-05-20
    p = project("v1-eval", [*SELF_EVAL, ("self_evaluated", evaluated_on)])
    got = findings(tmp_path, p, "2027-12-01", "V001")
    assert [s for s, _, _ in got] == ([] if expected is None else [expected])
    if expected is not None:
        assert got[0][1] == "history.10.date"
