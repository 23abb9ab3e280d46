"""`gtx status` and `gtx deadlines` answered from a warm cache say what a cold run says
(docs/benchmarks.md: the warm path reads the cached deadline data, no model): on a
generated repository of a few hundred dossiers with every stage, full-lifecycle ones
and ten kinds of broken file (bench/generate.py), the JSON of a run that fills the
cache, of a run answered by it, of a run on the next day answered by the day before's
cache, and of a run with the cache removed are the same, byte for byte."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench import generate

Cli = Callable[..., Any]
N = 240
DAYS = ("2026-11-30", "2026-12-01", "2025-06-01")  # today, the next day, a past date
REPORTS = (
    ("status", "--format", "json"),
    ("deadlines", "--format", "json"),
    ("deadlines", "--format", "json", "--all"),
    ("deadlines", "--format", "csv", "--within", "30"),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("home")
    (home / "gitconfig").write_text("[user]\n\tname = gtx test\n\temail = test@gtx.invalid\n")
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    try:
        dest = tmp_path_factory.mktemp("gen") / "repo"
        stats = generate.generate(dest, N)
    finally:
        mp.undo()
    assert stats["invalid"] == N // 10 and stats["lifecycle"] > N // 4
    return dest


@pytest.fixture
def repo(generated: Path, tmp_path: Path, git_env: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(generated, dest, symlinks=True)
    return dest


def answers(cli: Cli, repo: Path, day: str, *, cold: bool = False) -> list[tuple[int, str, str]]:
    """Each report's exit code, stdout and stderr; `cold`: each from no cache at all."""
    out = []
    for args in REPORTS:
        if cold:
            shutil.rmtree(repo / ".git" / "gtx-cache", ignore_errors=True)
        r = cli(*args, "--repo", repo, "--as-of", day)
        assert r.exit_code == 0, r.stdout + r.stderr
        out.append((r.exit_code, r.stdout, r.stderr))
    return out


def test_warm_reports_are_the_cold_ones(cli: Cli, repo: Path) -> None:
    cache = repo / ".git" / "gtx-cache"
    cold = {day: answers(cli, repo, day, cold=True) for day in DAYS}
    for day in DAYS:
        answers(cli, repo, day)  # fills the cache for that day
        assert answers(cli, repo, day) == cold[day], day  # answered by it
    shutil.rmtree(cache)
    assert answers(cli, repo, DAYS[0]) == cold[DAYS[0]]
    assert cache.is_dir()
    # The first run of a new day, from the cache the day before left (each entry
    # holds over an interval of days; days_left is counted again).
    assert answers(cli, repo, DAYS[1]) == cold[DAYS[1]]
    assert cold[DAYS[0]] != cold[DAYS[1]]  # days_left moved: the cache did not freeze it

    status = json.loads(cold[DAYS[0]][0][1])
    stages = {p["stage"] for p in status["projects"]}
    assert {"draft", "operating", "self_evaluated", "post_evaluated", "suspended"} <= stages
    assert status["skipped"] and len(status["projects"]) + len(status["skipped"]) == N
    deadlines = json.loads(cold[DAYS[0]][2][1])["deadlines"]
    states = {d["state"] for d in deadlines}
    assert {"overdue", "done", "open"} <= states and len(deadlines) > N


def test_a_warm_cache_after_an_edit_answers_for_the_edited_dossier(cli: Cli, repo: Path) -> None:
    """One dossier renamed between two runs: the warm run shows the new name, the
    rest from the cache, as a cold run does."""
    projects = json.loads(answers(cli, repo, DAYS[0])[0][1])["projects"]
    target = repo / "dossiers" / projects[len(projects) // 3]["id"] / "project.yaml"
    text = target.read_text("utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    target.write_text(text.replace(name, "name: 改名后的项目", 1), "utf-8")
    warm = answers(cli, repo, DAYS[0])
    shutil.rmtree(repo / ".git" / "gtx-cache")
    assert warm == answers(cli, repo, DAYS[0])
    assert "改名后的项目" in warm[0][1]
