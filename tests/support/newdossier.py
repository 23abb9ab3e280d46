"""A gtx init repository (cwd inside) and the answers of gtx new --interactive."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.core.model import Dossier

runner = CliRunner()



ID = "2025-smart-parking"



@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: Path) -> Path:
    # `env` (tests/conftest.py): an isolated HOME and git configuration under tmp_path
    monkeypatch.delenv("GTX_LANG", raising=False)
    res = runner.invoke(app, ["init", str(tmp_path / "repo")])
    assert res.exit_code == 0, res.output
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"



def project_file(repo: Path, pid: str = ID) -> Path:
    return repo / "dossiers" / pid / "project.yaml"



def load(repo: Path, pid: str = ID) -> Dossier:
    from golmud_cli.edges import loader

    data = loader.load(project_file(repo, pid).read_bytes(), "x", pid).data
    return Dossier.model_validate(data)



# The answers in the order asked; bad ones are followed by their correction.
ANSWERS = [
    "格尔木市智慧停车管理平台",      # name
    "格尔木市公安局交通警察大队",    # unit
    "张三",                          # contact name
    "979-84",                        # phone: too short
    "0979-8412345",
    "三百万",                        # budget: not a number
    "-5",                            # budget: not positive
    "320.5",
    "9",                             # funding: out of range
    "1",                             # municipal
    "2025-02-30",                    # start: not a real date
    "2025/06/01",                    # start: wrong format
    "2025-06-01",
    "0",                             # duration: < 1
    "8",
    "《格尔木市数字政府建设规划（2023—2025年）》",
    "2",                             # MLPS 3
    "2",                             # systems count
    "1",                             # custom
    "是",                            # data needed
    "也许",                          # catalog: not yes/no
    "y",
    "25",                            # operating cost
    "是",                            # cloud deployed
    "",                              # operator: required, asked again
    "格尔木市电子政务云运维中心",
    "1",                             # e-gov extranet
    "",                              # project code: optional, skipped
]
