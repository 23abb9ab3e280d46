"""Helpers for registers (import/export) tests: a gtx init repository, the samples, a loaded dossier."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from golmud_cli.core.model import Dossier
from golmud_cli.edges import loader
from tests.conftest import ROOT

Cli = Callable[..., Any]



def new_repo(cli: Cli, path: Path) -> Path:
    res = cli("init", path)
    assert res.exit_code == 0, res.output
    return path



def dossiers(repo: Path) -> list[Path]:
    return [p for p in (repo / "dossiers").iterdir() if p.is_dir()]



def load(path: Path) -> Dossier:
    data = loader.load(path.read_bytes(), "x", path.parent.name).data
    return Dossier.model_validate(data)



def field(d: Dossier, key: str) -> Any:
    value: Any = d
    for part in key.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value



def samples(tmp: Path) -> Path:
    dest = tmp / "samples"
    dest.mkdir()
    shutil.copytree(ROOT / "dossiers", dest / "dossiers")
    shutil.copy(ROOT / "gtx.yaml", dest / "gtx.yaml")
    return dest
