"""Issue 13: the clause map, the unchecked obligations, local policy said once, the
construction deadline (开工时间 + 建设时间), and the paused message's citation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from icalendar import Calendar

from golmud_cli.cli import app
from golmud_cli.core import measures
from tests.conftest import ROOT
from tests.support.deadline_repos import gtx, main_line, project, write_repo
from tests.support.newdossier import ANSWERS, ID, load, runner

AS_OF = "2026-11-26"


# --- gtx rules --coverage ------------------------------------------------------------


def test_the_clause_list_comes_from_the_shipped_text() -> None:
    assert measures.leaf_clauses() == (
        "一",
        *(f"二（{n}）" for n in "一二三四五"),
        *(f"三（{n}）" for n in "一二三四五六七"),
        "附件",
    )


def test_coverage_lists_every_clause_and_each_has_an_answer() -> None:
    r = gtx("rules", "--coverage", "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [c["clause"] for c in data] == list(measures.leaf_clauses())  # none missing
    for c in data:
        # every clause is enforced by something, or says what it leaves and why
        assert c["rules"] or c["deadlines"] or c["gates"] or c["unchecked"], c
        for u in c["unchecked"]:
            assert u["what"] and u["why"]
    by = {c["clause"]: c for c in data}
    assert "R005" in by["三（五）"]["rules"] and "finance" in by["三（五）"]["roles"]
    assert "construction" in by["附件"]["deadlines"]
    assert {"K001", "K007"} <= set(by["三（六）"]["rules"])


def test_coverage_text_in_both_languages() -> None:
    zh = gtx("rules", "--coverage", "--lang", "zh").stdout
    en = gtx("rules", "--coverage", "--lang", "en").stdout
    for clause in measures.leaf_clauses():
        assert f"\n{clause}\n" in zh and f"\n{clause}\n" in en
    assert "不检查：" in zh and "not checked: " in en
    assert gtx("rules", "K001", "--coverage").exit_code == 2


def test_rules_md_names_what_gtx_does_not_check() -> None:
    text = (ROOT / "docs/rules.md").read_text("utf-8")
    assert "## 不自动检查的条款 / What gtx does not check, and why" in text
    for word in ("专家评审的质量", "保密", "长效机制", "如实提供资料"):
        assert word in text


# --- local policy: said once, and used in the messages -------------------------------------


def _late_prelim(pid: str) -> dict[str, Any]:
    # completed 2026-06-01, preliminary acceptance 2026-07-20: late under a 1-month policy
    return project(
        pid,
        main_line(
            "2025-02-03",
            "2025-03-03",
            "2025-03-20",
            "2025-04-10",
            "2025-05-12",
            "2026-06-01",
            "2026-07-20",
        ),
    )


def test_a_changed_number_is_said_once_and_every_message_uses_it(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path,
        [_late_prelim("p1-late"), _late_prelim("p2-late")],
        policy={"preliminary_acceptance_months": 1},
    )
    r = gtx(
        "validate",
        "--no-cache",
        "--repo",
        str(root),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--lang",
        "en",
    )
    findings = json.loads(r.stdout)["findings"]
    notices = [f for f in findings if f["code"] == "C006"]
    assert len(notices) == 1 and notices[0]["file"] == "gtx.yaml"
    assert notices[0]["severity"] == "info" and "1" in notices[0]["message"]
    k001 = [f for f in findings if f["code"] == "K001"]
    assert len(k001) == 2
    assert all("within 1 month of completion" in f["message"] for f in k001)
    zh = gtx("validate", "--no-cache", "--repo", str(root), "--as-of", AS_OF, "--lang", "zh").stdout
    assert "建成后 1 个月内" in zh and "建成后 3 个月内" not in zh


# --- the construction deadline -------------------------------------------------------------


def _building(pid: str, start: str, months: int, done: str | None = None) -> dict[str, Any]:
    stages = ["2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12"]
    if done:
        stages.append(done)
    return project(pid, main_line(*stages), schedule={"start": start, "duration_months": months})


def test_planned_completion_is_a_deadline_with_states_ics_and_fail_on(tmp_path: Path) -> None:
    # 2025-05-12 + 18 months = 2026-11-12: overdue on 2026-11-26;
    # 2025-06-01 + 18 months = 2026-12-01: due soon; the third finished on time.
    root = write_repo(
        tmp_path,
        [
            _building("c1-late", "2025-05-12", 18),
            _building("c2-soon", "2025-06-01", 18),
            _building("c3-done", "2025-05-12", 12, done="2026-04-30"),
        ],
    )
    r = gtx("deadlines", "--repo", str(root), "--as-of", AS_OF, "--format", "json", "--all")
    assert r.exit_code == 0, r.output
    got = {(d["project"], d["kind"]): d for d in json.loads(r.stdout)["deadlines"]}
    assert got[("c1-late", "construction")]["state"] == "overdue"
    assert got[("c1-late", "construction")]["due"] == "2026-11-12"
    assert got[("c2-soon", "construction")]["state"] == "due_soon"
    assert got[("c3-done", "construction")]["state"] == "done"
    fail = gtx("deadlines", "--repo", str(root), "--as-of", AS_OF, "--fail-on", "overdue")
    assert fail.exit_code == 1
    assert "计划建成" in fail.stdout
    ics = gtx("deadlines", "--repo", str(root), "--as-of", AS_OF, "--format", "ics").stdout
    uids = {str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert "c1-late.construction.0@gtx.golmud" in uids
    status = gtx("status", "--repo", str(root), "--as-of", AS_OF, "--format", "json").stdout
    assert "construction" in status and "附件" in status  # the next deadline and its clause


def test_a_holiday_moves_planned_completion(tmp_path: Path) -> None:
    # 2026-03-01 + 7 months = 2026-10-01, National Day: the next working day is 2026-10-08
    root = write_repo(tmp_path, [_building("c4-holiday", "2026-03-01", 7)])
    r = gtx("deadlines", "--repo", str(root), "--as-of", "2026-09-01", "--format", "json")
    dl = next(d for d in json.loads(r.stdout)["deadlines"] if d["kind"] == "construction")
    assert dl["nominal_due"] == "2026-10-01" and dl["due"] == "2026-10-08"


def test_a_paused_deadline_does_not_cite_the_measures_for_gtx_own_rule(tmp_path: Path) -> None:
    p = project(
        "p7-suspended",
        [
            *main_line(
                "2025-02-03", "2025-03-03", "2025-03-20", "2025-04-10", "2025-05-12", "2026-06-01"
            ),
            ("suspended", "2026-08-03"),
        ],
    )
    root = write_repo(tmp_path, [p])
    for lang, needle in (("zh", "自恢复之日起"), ("en", "on resumption")):
        out = gtx("deadlines", "--repo", str(root), "--as-of", AS_OF, "--lang", lang).stdout
        line = next(ln for ln in out.splitlines() if needle in ln)
        assert "三（五）" not in line and "lifecycle.md" in line


# --- the new records in gtx new --interactive ------------------------------------------------


def test_interactive_records_a_classified_system_and_the_project_code(repo: Path) -> None:
    answers = list(ANSWERS)
    i = answers.index("《格尔木市数字政府建设规划（2023—2025年）》") + 1
    answers[i : i + 1] = ["4", "机密级"]  # MLPS: classified (分级保护), with its note
    answers[-1] = "2502-632801-04-01-318206"  # the project code
    res = runner.invoke(app, ["new", ID, "--interactive"], input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.output
    assert "分级保护" in res.output
    d = load(repo)
    assert d.mlps is not None and d.mlps.level is not None and d.mlps.level.value == "classified"
    assert d.mlps.note == "机密级" and d.project_code == "2502-632801-04-01-318206"
    from golmud_cli.core.rules.filing import missing_filing_fields

    assert missing_filing_fields(d) == []  # 分级保护 fills the filing table's MLPS line
