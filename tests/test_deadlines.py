"""`gtx deadlines` end to end (docs/lifecycle.md, Deadlines; docs/cli.md): every kind and state in
small dossier repositories written to tmp dirs, in every format and both languages.

The expected dates are worked out by hand from the measures: 3 months after completion
(三（六）), 1 month after preliminary acceptance (三（六）), 12 to 24 months after
acceptance and operation (三（七）), the order's own date (三（五）), 30 days after
approval (三（三）, local policy), a due date on a rest day moved to the next working day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-26"

MAIN_LINE = (
    "proposed", "approved", "filed", "procuring", "under_construction", "completed",
    "preliminarily_accepted", "acceptance_requested", "accepted", "operating",
)
ROLE = {
    "proposed": "unit", "approved": "ndrc", "filed": "gov_office", "procuring": "finance",
    "under_construction": "unit", "completed": "unit", "preliminarily_accepted": "unit",
    "acceptance_requested": "unit", "accepted": "ndrc", "operating": "unit",
    "self_evaluated": "unit", "suspended": "ndrc", "terminated": "ndrc", "rejected": "ndrc",
}


def main_line(*dates: str) -> list[tuple[str, str]]:
    """The first len(dates) stages of the main line, entered on those dates."""
    return list(zip(MAIN_LINE, dates, strict=False))


def project(pid: str, history: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    """A dossier shaped like the samples under dossiers/ (only what deadlines need)."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": pid,
        "name": f"格尔木市测试项目{pid[:3]}",
        "unit": "格尔木市测试局",
        "budget_wan": 100,
        "funding_source": "municipal",
        "stage": history[-1][0] if history else "draft",
        "history": [{"stage": s, "date": d, "role": ROLE[s]} for s, d in history],
        "extensions": [],
        "rectifications": [],
    }
    data.update(extra)
    return data


def write_repo(root: Path, projects: list[dict[str, Any]], broken: tuple[str, ...] = (),
               policy: dict[str, Any] | None = None) -> Path:
    yaml = YAML()
    yaml.default_flow_style = False
    (root / "dossiers").mkdir(parents=True)
    settings: dict[str, Any] = {"city": "格尔木市"}
    if policy:
        settings["policy"] = policy
    with (root / "gtx.yaml").open("w", encoding="utf-8") as f:
        yaml.dump(settings, f)
    for p in projects:
        folder = root / "dossiers" / p["id"]
        folder.mkdir()
        with (folder / "project.yaml").open("w", encoding="utf-8") as f:
            f.write("# yaml-language-server: $schema=../../schema/dossier.schema.json\n")
            yaml.dump(p, f)
    for pid in broken:
        folder = root / "dossiers" / pid
        folder.mkdir()
        (folder / "project.yaml").write_text("schema_version: 1\nid: [unclosed\n", encoding="utf-8")
    return root


def portfolio() -> list[dict[str, Any]]:
    return [
        # 三（三）: approved 2026-09-01, 30 days -> Thursday 2026-10-01, National Day: 2026-10-08.
        project("p1-filing-late", [("proposed", "2026-08-20"), ("approved", "2026-09-01")]),
        # 三（六）: completed 2026-09-10 -> 2026-12-10, a Thursday: due soon.
        project("p2-prelim-soon", main_line("2025-03-01", "2025-04-01", "2025-04-15", "2025-05-10",
                                            "2025-06-10", "2026-09-10")),
        # Final request due 2026-10-28, extended by an approved extension to 2027-02-26.
        # Its filing came on 2025-04-10, past 2025-04-02 (30 days after 2025-03-03): done late.
        project("p3-final-extended",
                main_line("2025-02-01", "2025-03-03", "2025-04-10", "2025-05-10", "2025-06-10",
                          "2026-07-01", "2026-09-28"),
                extensions=[{"for": "final_acceptance_request", "requested": "2026-10-10",
                             "approved": "2026-10-20", "until": "2027-02-26"}]),
        # Completed 2026-07-01 -> 2026-10-01 -> 2026-10-08. One extension is approved only on
        # 2026-12-01 (it counts from then on), the other never: neither counts on 2026-11-26.
        project("p4-prelim-late",
                main_line("2025-02-01", "2025-03-03", "2025-03-20", "2025-05-10", "2025-06-10",
                          "2026-07-01"),
                extensions=[
                    {"for": "preliminary_acceptance", "requested": "2026-09-20",
                     "approved": "2026-12-01", "until": "2027-01-29"},
                    {"for": "preliminary_acceptance", "requested": "2026-09-25", "until": "2027-03-31"},
                ]),
        # 三（七）: accepted 2026-03-01, operating 2026-03-10: window 2027-03-10 to 2028-03-10.
        project("p5-selfeval-early",
                main_line("2024-01-05", "2024-02-05", "2024-02-20", "2024-03-10", "2024-04-10",
                          "2025-09-01", "2025-11-20", "2025-12-10", "2026-03-01", "2026-03-10")),
        # accepted 2025-05-06, operating 2025-05-20: window 2026-05-20 to 2027-05-20 (open);
        # 2027 is not in the official calendar yet.
        project("p6-selfeval-open",
                main_line("2023-01-05", "2023-02-06", "2023-02-20", "2023-03-10", "2023-04-10",
                          "2024-12-02", "2025-02-20", "2025-03-10", "2025-05-06", "2025-05-20")),
        # Suspended after completion: preliminary acceptance paused; the rectification order
        # (the reason for the suspension) still runs, due Monday 2026-11-30.
        project("p7-suspended",
                [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12",
                            "2026-06-01"), ("suspended", "2026-08-03")],
                rectifications=[{"issued": "2026-10-09", "by": "ndrc", "finding": "整改事项甲",
                                 "due": "2026-11-30", "resolved": None,
                                 "sanctions": ["suspend_construction"]}]),
        # 三（五）: one order done, the second due 2026-11-02 and still open.
        project("p8-rect-late",
                main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12"),
                rectifications=[
                    {"issued": "2026-03-02", "by": "audit", "finding": "已整改事项",
                     "due": "2026-04-30", "resolved": "2026-04-28", "sanctions": []},
                    {"issued": "2026-09-01", "by": "cac", "finding": "未整改事项乙",
                     "due": "2026-11-02", "resolved": None, "sanctions": []},
                ]),
        # No Golmud deadline at all: terminated, rejected, provincial or central money (一).
        project("p9-terminated",
                [*main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12",
                            "2026-06-01"), ("terminated", "2026-08-03")],
                rectifications=[{"issued": "2026-07-01", "by": "ndrc", "finding": "事项",
                                 "due": "2026-10-01", "resolved": None, "sanctions": ["terminate"]}]),
        project("p10-rejected", [("proposed", "2026-05-06"), ("rejected", "2026-06-01")]),
        project("p11-provincial",
                main_line("2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12",
                          "2026-06-01"), funding_source="provincial"),
        project("p12-central", [("proposed", "2026-08-20"), ("approved", "2026-09-01")],
                funding_source="central"),
    ]


EXEMPT = {"p9-terminated", "p10-rejected", "p11-provincial", "p12-central"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_repo(tmp_path_factory.mktemp("deadlines"), portfolio(), broken=("p13-broken",))


def gtx(*args: str, env: dict[str, str | None] | None = None) -> Any:
    # a wide page, so that no line wraps in the middle of a phrase (test_terminal: 80 columns)
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "GTX_LANG": "", "COLUMNS": "400", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def listing(repo: Path, *args: str) -> dict[str, Any]:
    r = gtx("deadlines", "--repo", str(repo), "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def by_key(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for item in data["deadlines"]:
        key = (item["project"], item["kind"] + (f"#{item['index']}" if item["index"] else ""))
        assert key not in out
        out[key] = item
    return out


def days(a: str, b: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days


# --- every kind and state, through the CLI -------------------------------------------------


def test_every_kind_and_state_as_of_a_date(repo: Path) -> None:
    data = listing(repo, "--as-of", AS_OF)
    assert data["as_of"] == AS_OF
    got = by_key(data)
    expected = {
        ("p1-filing-late", "filing"): ("2026-09-01", None, "2026-10-01", "2026-10-08", "overdue", "三（三）"),
        ("p4-prelim-late", "preliminary_acceptance"): ("2026-07-01", None, "2026-10-01", "2026-10-08", "overdue", "三（六）"),
        ("p8-rect-late", "rectification#1"): ("2026-09-01", None, "2026-11-02", "2026-11-02", "overdue", "三（五）"),
        ("p7-suspended", "rectification"): ("2026-10-09", None, "2026-11-30", "2026-11-30", "due_soon", "三（五）"),
        ("p2-prelim-soon", "preliminary_acceptance"): ("2026-09-10", None, "2026-12-10", "2026-12-10", "due_soon", "三（六）"),
        ("p3-final-extended", "final_acceptance_request"): ("2026-09-28", None, "2027-02-26", "2027-02-26", "open", "三（六）"),
        ("p6-selfeval-open", "self_evaluation"): ("2025-05-20", "2026-05-20", "2027-05-20", "2027-05-20", "open", "三（七）"),
        ("p5-selfeval-early", "self_evaluation"): ("2026-03-10", "2027-03-10", "2028-03-10", "2028-03-10", "not_yet_open", "三（七）"),
        ("p7-suspended", "preliminary_acceptance"): ("2026-06-01", None, "2026-09-01", "2026-09-01", "paused", "三（六）"),
    }
    assert set(got) == set(expected)
    for key, (starts, opens, nominal, due, state, clause) in expected.items():
        item = got[key]
        assert (item["starts"], item["opens"], item["nominal_due"], item["due"], item["state"],
                item["clause"]) == (starts, opens, nominal, due, state, clause), key
        assert item["days_left"] == days(due, AS_OF), key
        assert item["shifted"] is (nominal != due)
    # only approved extensions count
    assert got[("p3-final-extended", "final_acceptance_request")]["extended"] is True
    assert got[("p4-prelim-late", "preliminary_acceptance")]["extended"] is False
    # overdue first, then by due date, paused last
    order = [(i["project"], i["state"]) for i in data["deadlines"]]
    states = [s for _, s in order]
    assert states[:3] == ["overdue"] * 3
    assert states[-1] == "paused"
    dues = [i["due"] for i in data["deadlines"][3:-1]]
    assert dues == sorted(dues)
    # a year the calendar lacks is named, once
    assert 2027 in data["calendar_unknown_years"]
    assert got[("p6-selfeval-open", "self_evaluation")]["calendar_known"] is False
    assert data["skipped"] == ["dossiers/p13-broken/project.yaml"]


def test_no_deadline_for_terminated_rejected_provincial_and_central(repo: Path) -> None:
    data = listing(repo, "--as-of", AS_OF, "--all")
    assert not EXEMPT & {i["project"] for i in data["deadlines"]}


def test_all_adds_what_was_done_on_time_or_late(repo: Path) -> None:
    got = by_key(listing(repo, "--as-of", AS_OF, "--all"))
    assert got[("p3-final-extended", "filing")]["state"] == "done_late"  # 2025-04-10 > 2025-04-02
    assert got[("p3-final-extended", "filing")]["done_on"] == "2025-04-10"
    assert got[("p3-final-extended", "preliminary_acceptance")]["state"] == "done"
    assert got[("p8-rect-late", "rectification")]["state"] == "done"
    assert got[("p5-selfeval-early", "final_acceptance_request")]["state"] == "done"
    # the default listing leaves them out
    default = by_key(listing(repo, "--as-of", AS_OF))
    assert ("p3-final-extended", "filing") not in default


def test_an_extension_counts_from_its_approval_date(repo: Path) -> None:
    before = by_key(listing(repo, "--as-of", "2026-11-30"))[("p4-prelim-late", "preliminary_acceptance")]
    after = by_key(listing(repo, "--as-of", "2026-12-01"))[("p4-prelim-late", "preliminary_acceptance")]
    assert (before["state"], before["due"], before["extended"]) == ("overdue", "2026-10-08", False)
    # the approved one (2027-01-29, a Friday), not the later one never approved (2027-03-31)
    assert (after["state"], after["due"], after["extended"]) == ("open", "2027-01-29", True)
    assert after["days_left"] == days("2027-01-29", "2026-12-01")


def test_as_of_a_past_date_ignores_what_happened_later(repo: Path) -> None:
    # p3 passed preliminary acceptance on 2026-09-28; on 2026-09-20 it was still due
    # (2026-07-01 + 3 months = 2026-10-01, National Day: 2026-10-08).
    got = by_key(listing(repo, "--as-of", "2026-09-20"))
    item = got[("p3-final-extended", "preliminary_acceptance")]
    assert (item["state"], item["due"], item["days_left"]) == ("due_soon", "2026-10-08", 18)
    assert ("p3-final-extended", "final_acceptance_request") not in got
    # p8's first order was resolved on 2026-04-28; on 2026-04-20 it was open, the second
    # order (issued 2026-09-01) did not exist yet
    got = by_key(listing(repo, "--as-of", "2026-04-20"))
    assert got[("p8-rect-late", "rectification")]["state"] == "due_soon"
    assert ("p8-rect-late", "rectification#1") not in got
    # p7 was suspended on 2026-08-03: before that, its preliminary acceptance ran
    got = by_key(listing(repo, "--as-of", "2026-07-01"))
    assert got[("p7-suspended", "preliminary_acceptance")]["state"] == "open"


def test_the_due_day_itself_is_on_time(repo: Path) -> None:
    on_day = by_key(listing(repo, "--as-of", "2026-12-10"))[("p2-prelim-soon", "preliminary_acceptance")]
    assert (on_day["state"], on_day["days_left"]) == ("due_soon", 0)
    next_day = by_key(listing(repo, "--as-of", "2026-12-11"))[("p2-prelim-soon", "preliminary_acceptance")]
    assert (next_day["state"], next_day["days_left"]) == ("overdue", -1)


def test_within_keeps_overdue_and_what_is_due_within_n_days(repo: Path) -> None:
    got = by_key(listing(repo, "--as-of", AS_OF, "--within", "10"))
    assert {k for k, v in got.items() if v["state"] == "overdue"} == {
        ("p1-filing-late", "filing"), ("p4-prelim-late", "preliminary_acceptance"),
        ("p8-rect-late", "rectification#1")}
    assert ("p7-suspended", "rectification") in got  # 4 days
    assert ("p2-prelim-soon", "preliminary_acceptance") not in got  # 14 days
    assert all(v["days_left"] <= 10 for v in got.values())


def test_holiday_shift_can_be_turned_off(tmp_path: Path) -> None:
    r = write_repo(tmp_path, [project("p1-filing-late", [("proposed", "2026-08-20"), ("approved", "2026-09-01")])],
                   policy={"holiday_shift": False})
    item = listing(r, "--as-of", AS_OF)["deadlines"][0]
    assert (item["nominal_due"], item["due"], item["shifted"]) == ("2026-10-01", "2026-10-01", False)
    assert item["days_left"] == days("2026-10-01", AS_OF)


def test_policy_filing_days_and_due_soon_days(tmp_path: Path) -> None:
    r = write_repo(tmp_path, [project("p1-filing", [("proposed", "2026-11-01"), ("approved", "2026-11-20")])],
                   policy={"filing_days": 10, "due_soon_days": 3})
    item = listing(r, "--as-of", AS_OF)["deadlines"][0]
    assert (item["due"], item["state"]) == ("2026-11-30", "open")  # 4 days > 3
    item = listing(r, "--as-of", "2026-11-27")["deadlines"][0]
    assert item["state"] == "due_soon"


# --- the text report, both languages ---------------------------------------------------------


def test_text_report_in_chinese(repo: Path) -> None:
    r = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF)
    assert r.exit_code == 0
    out = r.stdout
    assert "期限报告（截至 2026-11-26）" in out
    # overdue first
    assert out.index("已逾期 49 天") < out.index("还剩 4 天") < out.index("还剩 14 天")
    assert "已逾期 24 天" in out
    assert "原定 2026-10-01" in out and "2026-10-08" in out  # nominal and shifted
    assert "经批准延期" in out
    # what to do next, per kind
    assert "申请延期验收" in out and "市发改委同意" in out  # 三（六）
    assert "报送市发改委和市财政局" in out  # 三（七）
    assert "记录 resolved" in out  # 三（五）
    assert "向市政府办公室备案" in out  # 三（三）
    assert "暂停计算" in out  # paused
    assert f"已逾期 {days(AS_OF, '2026-09-01')} 天" not in out  # a paused clock is not late
    assert "整改事项甲" in out
    for clause in ("[三（三）]", "[三（五）]", "[三（六）]", "[三（七）]"):
        assert clause in out
    # said once: the official calendar lacks 2027
    assert out.count("只按周末顺延") == 1
    assert "已逾期 3 项" in out
    # no colour codes when not on a terminal
    assert "\x1b[" not in out
    # the broken dossier: one line on stderr naming it and pointing at gtx validate
    warnings = [line for line in r.stderr.splitlines() if "p13-broken" in line]
    assert len(warnings) == 1 and "gtx validate" in warnings[0]


def test_text_report_in_english(repo: Path) -> None:
    r = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--lang", "en")
    assert r.exit_code == 0
    out = r.stdout
    assert "Deadlines as of 2026-11-26" in out
    assert out.index("49 days late") < out.index("4 days left") < out.index("14 days left")
    assert "nominally 2026-10-01" in out
    assert "apply for an extension" in out and "NDRC approves" in out
    assert "the NDRC and the finance" in out
    assert "record resolved" in out
    assert "city government office" in out
    assert out.count("weekends only") == 1
    assert "已逾期" not in out
    assert "skipped dossiers/p13-broken/project.yaml" in r.stderr
    # GTX_LANG works like --lang
    r2 = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, env={"GTX_LANG": "en"})
    assert r2.stdout == out


def test_colour_only_on_request_of_a_terminal(repo: Path) -> None:
    # rich colours only a terminal; FORCE_COLOR stands in for one, and NO_COLOR still
    # removes the colours (bold may stay: NO_COLOR is about colour).
    colour = re.compile(r"\x1b\[[0-9;]*3[0-7]m")
    coloured = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF,
                   env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert colour.search(coloured.stdout)
    plain = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert not colour.search(plain.stdout)
    assert "已逾期 49 天" in plain.stdout


def test_nothing_pending(tmp_path: Path) -> None:
    r = write_repo(tmp_path, [project("p0-draft", [])])
    for lang, text in (("zh", "没有待办期限"), ("en", "No pending deadlines")):
        res = gtx("deadlines", "--repo", str(r), "--as-of", AS_OF, "--lang", lang, "--fail-on", "due_soon")
        assert res.exit_code == 0
        assert text in res.stdout


# --- csv and ics ---------------------------------------------------------------------------


def test_csv_opens_with_the_csv_module(repo: Path) -> None:
    r = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--format", "csv")
    assert r.exit_code == 0
    text = r.stdout.encode("utf-8").decode("utf-8-sig")
    from golmud_cli.reporters.deadlines import CSV_COLUMNS

    head, *body = list(csv.reader(io.StringIO(text)))
    assert head[:3] == ["项目编号", "项目名称", "建设单位"]  # Chinese headers in zh
    rows = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in body]
    data = listing(repo, "--as-of", AS_OF)
    assert [(row["project"], row["kind"], row["due"], row["state"], int(row["days_left"]))
            for row in rows] == [(i["project"], i["kind"], i["due"], i["state"], i["days_left"])
                                 for i in data["deadlines"]]
    first = rows[0]
    assert first["state_label"] == "已逾期" and first["clause"].startswith("三")
    en = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--format", "csv", "--lang", "en")
    rows_en = list(csv.DictReader(io.StringIO(en.stdout.lstrip("\ufeff"))))
    assert rows_en[0]["state_label"] == "overdue"


def test_ics_parses_back_and_is_identical_across_runs(repo: Path) -> None:
    args = ("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--format", "ics")
    first, second = gtx(*args), gtx(*args)
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    cal = Calendar.from_ical(first.stdout)
    events = list(cal.walk("VEVENT"))
    data = listing(repo, "--as-of", AS_OF)
    # one all-day event per deadline to meet (the paused one has no date to meet)
    want = {(i["project"], i["due"]) for i in data["deadlines"] if i["state"] != "paused"}
    assert {(str(e["UID"]).split(".")[0], e.decoded("DTSTART").isoformat()) for e in events} == want
    for e in events:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert not hasattr(start, "hour") and (end - start).days == 1
        assert e.decoded("DTSTAMP").date().isoformat() == AS_OF
        alarms = list(e.walk("VALARM"))
        assert len(alarms) == 1 and alarms[0].decoded("TRIGGER").days == -7
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert "p8-rect-late.rectification.1@gtx.golmud" in uids
    # another day: the same UIDs, so a calendar updates its events instead of adding more
    later = Calendar.from_ical(gtx("deadlines", "--repo", str(repo), "--as-of", "2026-11-27",
                                   "--format", "ics").stdout)
    assert {str(e["UID"]) for e in later.walk("VEVENT")} == set(uids)


# --- exit codes ----------------------------------------------------------------------------


def test_fail_on(repo: Path, tmp_path: Path) -> None:
    base = ("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--format", "json")
    assert gtx(*base).exit_code == 0
    assert gtx(*base, "--fail-on", "overdue").exit_code == 1
    assert gtx(*base, "--fail-on", "due_soon").exit_code == 1
    # due soon but nothing overdue
    soon = write_repo(tmp_path / "soon", [p for p in portfolio() if p["id"] == "p2-prelim-soon"])
    assert gtx("deadlines", "--repo", str(soon), "--as-of", AS_OF, "--fail-on", "overdue").exit_code == 0
    assert gtx("deadlines", "--repo", str(soon), "--as-of", AS_OF, "--fail-on", "due_soon").exit_code == 1
    # long before: open only
    assert gtx("deadlines", "--repo", str(soon), "--as-of", "2026-09-20", "--fail-on", "due_soon").exit_code == 0
    # and after the due date, overdue
    assert gtx("deadlines", "--repo", str(soon), "--as-of", "2026-12-11", "--fail-on", "overdue").exit_code == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--format", "xml"), "--format"),
        (("--fail-on", "late"), "--fail-on"),
        (("--within", "-3"), "--within"),
    ],
)
def test_bad_options_are_usage_errors(repo: Path, args: tuple[str, ...], needle: str) -> None:
    for lang in ("zh", "en"):
        r = gtx("deadlines", "--repo", str(repo), *args, "--lang", lang)
        assert r.exit_code == 2
        assert needle in r.stderr
        assert "Traceback" not in r.output


def test_bad_as_of_and_not_a_repository(tmp_path: Path, repo: Path) -> None:
    r = gtx("deadlines", "--repo", str(repo), "--as-of", "2026-02-30")
    assert r.exit_code == 2 and "日期 2026-02-30 不存在" in r.output
    r = gtx("deadlines", "--repo", str(tmp_path), "--lang", "en")
    assert r.exit_code == 2 and "not a dossier repository" in r.stderr


def test_named_projects_only(repo: Path) -> None:
    r = gtx("deadlines", "p2-prelim-soon", "--repo", str(repo), "--as-of", AS_OF, "--format", "json")
    assert {i["project"] for i in json.loads(r.stdout)["deadlines"]} == {"p2-prelim-soon"}
    r = gtx("deadlines", "no-such-project", "--repo", str(repo))
    assert r.exit_code == 2


# --- the sample dossiers ---------------------------------------------------------------------


def test_sample_dossiers_show_overdue_due_soon_and_not_yet_open() -> None:
    data = listing(ROOT, "--as-of", AS_OF)
    states = {i["state"] for i in data["deadlines"]}
    assert {"overdue", "due_soon", "not_yet_open"} <= states
    assert data["skipped"] == []
    # the provincial sample has none (一)
    assert "2024-kunlun-park-safety" not in {i["project"] for i in data["deadlines"]}


# --- the cache's form of a deadline ------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from golmud_cli.core.deadlines import Deadline, Kind, State, from_row, to_row  # noqa: E402

_days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(
    st.builds(
        Deadline,
        project=st.text(),
        kind=st.sampled_from(list(Kind)),
        starts=_days,
        opens=st.none() | _days,
        nominal_due=_days,
        due=_days,
        state=st.sampled_from(list(State)),
        days_left=st.integers(-(10**6), 10**6),
        calendar_known=st.booleans(),
        extended=st.booleans(),
        done_on=st.none() | _days,
        index=st.none() | st.integers(0, 10**4),
    )
)
def test_a_deadline_survives_the_cache_form(dl: Deadline) -> None:
    import marshal

    row = marshal.loads(marshal.dumps(to_row(dl)))
    back = from_row(row)
    assert back == dl and type(back.kind) is Kind and type(back.state) is State


def test_many_broken_dossiers_are_counted_not_listed_one_by_one(tmp_path: Path) -> None:
    """Ten are named on stderr, the rest counted (with where the whole list is): the
    report itself stays readable. JSON lists every one."""
    broken = tuple(f"p{i:02d}-broken" for i in range(13))
    repo = write_repo(tmp_path / "r", portfolio()[:1], broken=broken)
    for lang, more in (("zh", "另有 3 个档案无法读取，已跳过（共 13 个）"), ("en", "3 more dossiers do not load")):
        r = gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--lang", lang)
        assert r.exit_code == 0
        named = [line for line in r.stderr.splitlines() if "p" in line and "-broken/project.yaml" in line]
        assert len(named) == 10 and "p09-broken" in named[-1] and "p10-broken" not in r.stderr
        assert more in r.stderr
    data = json.loads(gtx("deadlines", "--repo", str(repo), "--as-of", AS_OF, "--format", "json").stdout)
    assert len(data["skipped"]) == 13
