"""Six projects across the stages and a broken one: the portfolio status and grid tests read."""

from __future__ import annotations

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
