"""`gtx status`: the portfolio, one row per project, totals by stage and by unit, end to
end through the CLI in small dossier repositories written to tmp dirs."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app

AS_OF = "2026-11-26"
ROLE = {
    "proposed": "unit", "approved": "ndrc", "filed": "gov_office", "procuring": "finance",
    "under_construction": "unit", "completed": "unit", "suspended": "ndrc", "rejected": "ndrc",
}
LINE = ("proposed", "approved", "filed", "procuring", "under_construction", "completed")


def project(pid: str, unit: str, budget: float | None, dates: tuple[str, ...],
            extra_history: tuple[tuple[str, str], ...] = (), **extra: Any) -> dict[str, Any]:
    history = [*zip(LINE, dates, strict=False), *extra_history]
    data: dict[str, Any] = {
        "schema_version": 1, "id": pid, "name": f"{unit}{pid}项目", "unit": unit,
        "funding_source": "municipal",
        "stage": history[-1][0] if history else "draft",
        "history": [{"stage": s, "date": d, "role": ROLE[s]} for s, d in history],
    }
    if budget is not None:
        data["budget_wan"] = budget
    data.update(extra)
    return data


PROJECTS = [
    # completed 2026-09-10: preliminary acceptance due 2026-12-10 (三（六）)
    project("a-completed", "格尔木市甲局", 320.5,
            ("2025-03-03", "2025-04-01", "2025-04-15", "2025-05-12", "2025-06-10", "2026-09-10")),
    # approved 2026-09-01, not filed: filing due 2026-10-08 after the holiday shift: overdue
    project("b-approved", "格尔木市甲局", 100, ("2026-08-20", "2026-09-01")),
    project("c-draft", "格尔木市乙局", None, ()),
    project("d-suspended", "格尔木市乙局", 79.25,
            ("2025-03-03", "2025-04-01", "2025-04-15", "2025-05-12", "2025-06-10", "2026-06-01"),
            (("suspended", "2026-08-03"),)),
    project("e-provincial", "格尔木市丙局", 1000,
            ("2025-03-03", "2025-04-01", "2025-04-15", "2025-05-12", "2025-06-10", "2026-06-01"),
            funding_source="provincial"),
    project("f-rejected", "格尔木市丙局", 50, ("2026-05-06",), (("rejected", "2026-06-01"),)),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("status")
    yaml = YAML()
    yaml.default_flow_style = False
    (root / "dossiers").mkdir()
    (root / "gtx.yaml").write_text("city: 格尔木市\n", encoding="utf-8")
    for p in PROJECTS:
        (root / "dossiers" / p["id"]).mkdir()
        with (root / "dossiers" / p["id"] / "project.yaml").open("w", encoding="utf-8") as f:
            yaml.dump(p, f)
    (root / "dossiers" / "g-broken").mkdir()
    (root / "dossiers" / "g-broken" / "project.yaml").write_text("id: [\n", encoding="utf-8")
    return root


def gtx(*args: str) -> Any:
    # A wide page, so that no table cell wraps in the middle of a phrase.
    r = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "GTX_LANG": None, "COLUMNS": "240"})
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def status_json(repo: Path, *args: str) -> dict[str, Any]:
    r = gtx("status", "--repo", str(repo), "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_one_row_per_project_with_its_next_deadline(repo: Path) -> None:
    data = status_json(repo, "--as-of", AS_OF)
    rows = {r["id"]: r for r in data["projects"]}
    assert set(rows) == {p["id"] for p in PROJECTS}
    a = rows["a-completed"]
    assert (a["name"], a["unit"], a["stage"], a["stage_label"], a["budget_wan"]) == (
        "格尔木市甲局a-completed项目", "格尔木市甲局", "completed", "已建成", 320.5)
    assert a["next_deadline"]["kind"] == "preliminary_acceptance"
    assert (a["next_deadline"]["due"], a["next_deadline"]["state"]) == ("2026-12-10", "due_soon")
    b = rows["b-approved"]["next_deadline"]
    assert (b["kind"], b["due"], b["state"], b["clause"]) == ("filing", "2026-10-08", "overdue", "三（三）")
    assert rows["c-draft"]["next_deadline"] is None and rows["c-draft"]["budget_wan"] is None
    d = rows["d-suspended"]
    assert (d["stage"], d["suspended_from"], d["next_deadline"]["state"]) == ("suspended", "completed", "paused")
    for pid in ("e-provincial", "f-rejected"):
        assert rows[pid]["next_deadline"] is None and rows[pid]["deadlines_apply"] is False
    assert data["skipped"] == ["dossiers/g-broken/project.yaml"]


def test_next_deadline_follows_as_of(repo: Path) -> None:
    rows = {r["id"]: r for r in status_json(repo, "--as-of", "2026-09-05")["projects"]}
    assert rows["b-approved"]["next_deadline"]["state"] == "open"  # 33 days left > 30
    assert rows["b-approved"]["next_deadline"]["days_left"] == 33


def test_totals_by_stage_and_unit(repo: Path) -> None:
    data = status_json(repo, "--as-of", AS_OF)
    totals = data["totals"]

    def expect(key: str) -> dict[str, tuple[int, Decimal]]:
        out: dict[str, tuple[int, Decimal]] = {}
        for p in PROJECTS:
            n, s = out.get(p[key], (0, Decimal(0)))
            out[p[key]] = (n + 1, s + Decimal(str(p.get("budget_wan", 0))))
        return out

    assert {t["stage"]: (t["count"], Decimal(str(t["budget_wan"]))) for t in totals["by_stage"]} == expect("stage")
    assert {t["unit"]: (t["count"], Decimal(str(t["budget_wan"]))) for t in totals["by_unit"]} == expect("unit")
    assert totals["count"] == len(PROJECTS)
    assert Decimal(str(totals["budget_wan"])) == sum(Decimal(str(p.get("budget_wan", 0))) for p in PROJECTS)
    assert totals["without_budget"] == 1
    # stages in lifecycle order
    assert [t["stage"] for t in totals["by_stage"]] == ["draft", "approved", "rejected", "completed", "suspended"]


def test_text_in_both_languages(repo: Path) -> None:
    budget = str(sum(Decimal(str(p.get("budget_wan", 0))) for p in PROJECTS))
    zh = gtx("status", "--repo", str(repo), "--as-of", AS_OF)
    assert zh.exit_code == 0
    for needle in ("项目总览（截至 2026-11-26）", "a-completed", "已建成", "审批通过（已立项）",
                   "按阶段汇总", "按建设单位汇总", "格尔木市甲局", "320.5",
                   f"合计：6 个项目，预算 {budget} 万元（1 项未填预算）", "省级办法", "已逾期"):
        assert needle in zh.stdout, needle
    assert "g-broken" in zh.stderr and "gtx validate" in zh.stderr
    en = gtx("status", "--repo", str(repo), "--as-of", AS_OF, "--lang", "en")
    assert en.exit_code == 0
    for needle in ("Portfolio as of 2026-11-26", "completed", "approved", "By stage", "By unit",
                   f"Total: 6 projects, budget {budget} 万元 (1 without budget)",
                   "provincial measures", "late"):
        assert needle in en.stdout, needle
    assert "已建成" not in en.stdout and "skipped dossiers/g-broken" in en.stderr


def test_csv_opens_with_the_csv_module(repo: Path) -> None:
    r = gtx("status", "--repo", str(repo), "--as-of", AS_OF, "--format", "csv", "--lang", "en")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert [row["id"] for row in rows] == [p["id"] for p in PROJECTS]
    a = next(row for row in rows if row["id"] == "a-completed")
    assert (a["stage"], a["stage_label"], a["budget_wan"], a["next_kind"], a["next_state"]) == (
        "completed", "completed", "320.5", "preliminary_acceptance", "due_soon")
    d = next(row for row in rows if row["id"] == "d-suspended")
    assert d["stage_label"] == "suspended (from completed)"


def test_bad_format_is_a_usage_error(repo: Path) -> None:
    r = gtx("status", "--repo", str(repo), "--format", "ics")
    assert r.exit_code == 2 and "--format" in r.stderr


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_defused(tmp_path: Path) -> None:
    # a clerk's text starting with = + - @ would be a formula in Excel or WPS (CSV injection)
    root = tmp_path
    (root / "dossiers" / "h-formula").mkdir(parents=True)
    p = project("h-formula", "@格尔木市甲局", 10, ("2026-08-20",))
    p["name"] = '=HYPERLINK("http://example.invalid","点击")'
    with (root / "dossiers" / "h-formula" / "project.yaml").open("w", encoding="utf-8") as f:
        YAML().dump(p, f)
    r = gtx("status", "--repo", str(root), "--as-of", AS_OF, "--format", "csv", "--lang", "en")
    assert r.exit_code == 0, r.output
    row = next(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert row["name"] == "'" + p["name"] and row["unit"] == "'@格尔木市甲局"
    assert row["budget_wan"] == "10"  # numbers stay numbers
    r = gtx("deadlines", "--repo", str(root), "--as-of", AS_OF, "--format", "csv", "--all")
    assert r.exit_code == 0, r.output
    for row in csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))):
        assert not any(str(v).startswith(("=", "@")) for v in row.values()), row
