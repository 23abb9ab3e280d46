"""The samples committed in a git repository, and a spy counting the dossiers checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.pipeline import check
from tests.conftest import ROOT

AS_OF = "2026-11-30"



OLD = time.time() - 3600  # folders last changed an hour ago: their stamps are trusted



def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout



def age(repo: Path) -> None:
    """Every folder under dossiers/ as if changed an hour ago (not "racy")."""
    for d, _dirs, _files in os.walk(repo / "dossiers"):
        os.utime(d, (OLD, OLD))



def settle(repo: Path) -> None:
    """Wait until no folder under dossiers/ changed within the cache's racy window
    (pipeline/batch.py, RACY_NS): `age` can set a folder's mtime, never its ctime, and
    a run starting within that window of a ctime does not trust the folder's stamp, so
    the next run checks the dossier again. A clerk's files are older than that."""
    from golmud_cli.pipeline.batch import RACY_NS

    newest = max(os.lstat(d).st_ctime_ns for d, _dirs, _files in os.walk(repo / "dossiers"))
    wait = (newest + RACY_NS - time.time_ns()) / 1e9 + 0.05
    if wait > 0:
        time.sleep(wait)


@pytest.fixture
def repo(tmp_path: Path, git_env: Path) -> Path:
    """The sample dossiers in a git repository of their own, committed."""
    r = tmp_path / "repo"
    r.mkdir()
    shutil.copytree(ROOT / "dossiers", r / "dossiers", symlinks=True)
    shutil.copy(ROOT / "gtx.yaml", r / "gtx.yaml")
    git(r, "init", "-q", "-b", "main")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "samples")
    age(r)
    return r



@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders that were really checked (not answered by the cache)."""
    seen: list[str] = []
    real = check.check_bytes

    def spy(raw: bytes, **kw: Any) -> Any:
        seen.append(kw["folder"])
        return real(raw, **kw)

    monkeypatch.setattr(check, "check_bytes", spy)
    yield seen
