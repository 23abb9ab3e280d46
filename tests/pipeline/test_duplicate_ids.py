"""S005 across the repository when many folders hold one id: each finding names at
most ten of the others and says how many there are in all, so a push of thousands of
copies (a mistake or an attack) costs a line per copy, not thousands of names in every
finding (a 100,000-dossier repository with 1,001 copies of one id held 90 MB of such
messages in its cache: docs/benchmarks.md, Scale)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import copy_case

PID = "2024-smart-parking"
AS_OF = "2026-11-02"


def _copies(tmp_path: Path, n: int) -> Path:
    """The S005 case (the project and one copy of it under another folder) with n
    copies in all, each holding the project's id."""
    repo = copy_case("invalid/S005-duplicate-id", tmp_path / "repo")
    first = repo / "dossiers" / f"{PID}-copy"
    for i in range(2, n + 1):
        shutil.copytree(first, repo / "dossiers" / f"{PID}-copy{i:02d}")
    return repo


def _s005(cli: Any, repo: Path, lang: str) -> dict[str, str]:
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--lang", lang)
    assert r.exit_code == 1, r.output
    found = json.loads(r.stdout)["findings"]
    out: dict[str, str] = {}
    for f in found:
        if f["code"] == "S005" and ("not unique" in f["message"] or "重复" in f["message"]):
            out[f["project"]] = f["message"]
    return out


def test_ten_others_are_all_named(cli: Any, tmp_path: Path) -> None:
    # 10 copies + the project itself: each copy has exactly ten others, named in full
    repo = _copies(tmp_path, 10)
    en = _s005(cli, repo, "en")
    assert len(en) == 11  # the project's own dossier too: its id is held elsewhere
    assert en[PID].count("dossiers/") == 10 and f"dossiers/{PID}," not in en[PID]
    msg = en[f"{PID}-copy05"]
    assert msg.count("dossiers/") == 10 and "more" not in msg
    assert f"dossiers/{PID}," in msg and f"dossiers/{PID}-copy05" not in msg


def test_more_than_ten_others_are_counted_not_listed(cli: Any, tmp_path: Path) -> None:
    repo = _copies(tmp_path, 13)  # 14 folders hold the id: each copy has 13 others
    en, zh = _s005(cli, repo, "en"), _s005(cli, repo, "zh")
    assert len(en) == len(zh) == 14
    msg = en[f"{PID}-copy07"]
    assert msg.count("dossiers/") == 10
    assert "and 3 more (13 projects in all)" in msg and "Every project needs its own id" in msg
    # the first ten others in name order: the project's own folder, then the copies
    # before and after this one, itself left out
    assert msg.index(f"dossiers/{PID},") < msg.index(f"dossiers/{PID}-copy,")
    assert f"dossiers/{PID}-copy07" not in msg and f"dossiers/{PID}-copy10" in msg
    assert f"dossiers/{PID}-copy11" not in msg
    assert "等共 13 个项目" in zh[f"{PID}-copy07"] and zh[f"{PID}-copy07"].count("dossiers/") == 10
