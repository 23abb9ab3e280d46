"""The next step printed for a self-evaluation not yet open names the months that
gtx.yaml's policy sets (三（七）: 12 by default), not a fixed 12."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.deadline_repos import gtx, main_line, project, write_repo

LIFE = main_line(
    "2024-01-10", "2024-02-01", "2024-02-20", "2024-03-01", "2024-04-01",
    "2025-01-15", "2025-03-01", "2025-03-20", "2026-04-10", "2026-05-01",
)


@pytest.mark.parametrize(("policy", "months"), [(None, 12), ({"self_evaluation_window_months": [18, 24]}, 18)])
def test_the_window_months_come_from_the_policy(tmp_path: Path, policy: dict[str, object] | None,
                                                months: int) -> None:
    repo = write_repo(tmp_path / "r", [project("p1-operating", LIFE)], policy=policy)
    args = ("deadlines", "--repo", str(repo), "--as-of", "2026-11-26", "--all")
    zh = gtx(*args, "--lang", "zh", env={"COLUMNS": "200"})
    en = gtx(*args, "--lang", "en", env={"COLUMNS": "200"})
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert f"验收并运行满 {months} 个月" in zh.stdout
    assert f"({months} months after acceptance" in en.stdout
