"""Small dossier repositories written from (stage, date) lines, and gtx run on them in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app

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
