"""B001 and B003 where `make mutate MODULE=golmud_cli.core.rules.filing` left them
unpinned (docs/testing.md, The rule modules): the conditional fields of the filing
table filled in, and the filing deadline's due day in the repository's calendar.

Each test checks one edited dossier's bytes as `gtx validate` does (tests/support/
rule_cases.py: no git, no CLI, a few milliseconds) and asserts what a user reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support.rule_cases import base, check, rest_days

D = dt.date


def said(data: dict[str, Any], code: str, **kw: Any) -> list[tuple[str, str | None, str, str]]:
    """(severity, field, Chinese message, English message) of each `code` finding."""
    return [
        (f.severity.value, f.field, f.message_zh, f.message_en)
        for f in check(data, **kw)
        if f.code == code
    ]


# --- B001: the filing table's conditional fields (附件, 三（三）) ------------------------


def test_b001_an_mlps_level_other_with_its_note_is_filled_in() -> None:
    # 等级保护 "other" asks for the note that says which; once written, the table is whole
    d = base("filed")
    d["mlps"] = {"level": "other", "note": "按行业主管部门要求另行定级"}
    assert said(d, "B001") == []
    del d["mlps"]["note"]
    [(severity, field, zh, en)] = said(d, "B001")
    assert (severity, field) == ("error", "mlps.note")
    assert zh.startswith("mlps.note（")
    assert en.startswith("mlps.note (") and "filing needs every field" in en


def test_b001_a_network_other_with_its_note_is_filled_in() -> None:
    d = base("filed")
    d["network"] = "other"
    d["network_note"] = "专线接入省级政务外网"
    assert said(d, "B001") == []
    del d["network_note"]
    [(severity, field, _, en)] = said(d, "B001")
    assert (severity, field) == ("error", "network_note")
    assert en.startswith("network_note (")


# --- B003: filing "immediately" after approval (三（三）; the days are local policy) ---


def test_b003_shifts_the_due_day_in_the_repositorys_calendar() -> None:
    # approved 2024-04-10, 30 days: due Friday 2024-05-10. In a repository whose
    # calendar makes that day a rest day, the due day moves to Saturday 2024-05-11 (a
    # working day that year, after 劳动节), so filing on it is on time there and one
    # day late in the package's calendar.
    d = base("filed")
    [entry] = [h for h in d["history"] if h["stage"] == "filed"]
    entry["date"] = D(2024, 5, 11)
    [(severity, field, zh, en)] = said(d, "B003")
    assert (severity, field) == ("warning", f"history.{d['history'].index(entry)}.date")
    assert en.startswith("filed on 2024-05-11, 31 days after approval on 2024-04-10, more than 30")
    assert en.endswith("(this limit is local policy, not the measures)")
    assert "2024-05-11" in zh and "31 天" in zh
    assert said(d, "B003", calendar=rest_days(D(2024, 5, 10))) == []
