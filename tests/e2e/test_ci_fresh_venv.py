"""The CI that `gtx init` writes, run as written in a fresh virtual environment.

A repository made with `gtx init` defaults is pushed to a bare "server"; a clone gets
a pull-request branch with a new dossier. Every `run:` step of every job of both
generated workflows (GitHub and Gitea) then runs through `bash -e` with only a new,
empty venv's bin/ in front of PATH: the first step must install gtx from the wheel in
the repository (its sha256 checked), its dependencies coming from the package index.
Then the generated pre-commit config runs under a real pre-commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

pytestmark = pytest.mark.slow

WORKFLOWS = (".github/workflows/gtx.yml", ".gitea/workflows/gtx.yml")


def sh(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty virtual environment (pip only), one per session."""
    where = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    listed = sh(where, str(where / "bin" / "python"), "-m", "pip", "list", "--format=freeze")
    assert "golmud" not in listed.lower() and "typer" not in listed.lower()
    return where


@pytest.fixture
def env(tmp_path: Path, fresh_venv: Path) -> Iterator[dict[str, str]]:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = gtx test\n\temail = test@gtx.invalid\n[init]\n\tdefaultBranch = main\n"
    )
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GTX_", "VIRTUAL_ENV"))
    }
    # the parent's venv (where pytest runs) is left off PATH: only the fresh one is there
    path = [
        p for p in base.get("PATH", "").split(os.pathsep) if Path(p) != Path(sys.executable).parent
    ]
    yield {
        **base,
        "PATH": os.pathsep.join([str(fresh_venv / "bin"), *path]),
        "VIRTUAL_ENV": str(fresh_venv),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "GTX_WHEEL": os.environ["GTX_WHEEL"],  # the conftest's build of this checkout
    }


def run_step(
    line: str, cwd: Path, env: dict[str, str], wf_env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `run:` step as the runner runs it: expressions filled in, `bash -e`."""
    line = line.replace("${{ github.base_ref }}", "main")
    assert "${{" not in line, line
    return subprocess.run(
        ["bash", "-e", "-c", line],
        cwd=cwd,
        env={**env, **wf_env, "CI": "true"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_ci_and_pre_commit_pass_in_a_fresh_venv(
    tmp_path: Path, env: dict[str, str]
) -> None:
    gtx = [sys.executable, "-m", "golmud_cli"]
    server = tmp_path / "server.git"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(server), env=env)
    repo = tmp_path / "admin"
    # the parent's gtx (this checkout) makes the repository, with every default
    sh(tmp_path, *gtx, "init", str(repo), "--commit", env={**env, "PATH": os.environ["PATH"]})
    wheels = sorted((repo / ".gtx" / "wheels").iterdir())
    assert [w.name for w in wheels] == [Path(env["GTX_WHEEL"]).name]
    sh(repo, "git", "remote", "add", "origin", str(server), env=env)
    sh(repo, "git", "push", "-q", "-u", "origin", "main", env=env)
    sh(repo, "git", "switch", "-q", "-c", "new-project", env=env)
    sh(
        repo,
        *gtx,
        "new",
        "2025-ci-check",
        "--name",
        "格尔木市测试平台",
        "--unit",
        "格尔木市民政局",
        env={**env, "PATH": os.environ["PATH"]},
    )
    sh(repo, "git", "add", "dossiers", env=env)
    sh(repo, "git", "commit", "-q", "-m", "新建项目档案", env=env)
    sh(repo, "git", "push", "-q", "origin", "new-project", env=env)

    clone = tmp_path / "ci"
    sh(tmp_path, "git", "clone", "-q", str(server), str(clone), env=env)
    ran = 0
    for rel in WORKFLOWS:
        wf = YAML(typ="safe").load((clone / rel).read_text("utf-8"))
        wf_env = {k: str(v) for k, v in wf.get("env", {}).items()}
        for job_name, job in wf["jobs"].items():
            branch = "new-project" if job_name == "check" else "main"
            sh(clone, "git", "switch", "-q", branch, env=env)
            runs = [s["run"] for s in job["steps"] if "run" in s]
            assert runs[0].count(".gtx/wheels/") == 2 and "sha256sum" in runs[0], runs[0]
            for line in runs:
                proc = run_step(line, clone, env, wf_env)
                assert proc.returncode == 0, (
                    f"{rel} {job_name}: {line}\n{proc.stdout}\n{proc.stderr}"
                )
                ran += 1
    # 2 workflows x (install, validate, verify + install, deadlines + install, report)
    assert ran == 14
    installed = sh(clone, str(Path(env["VIRTUAL_ENV"]) / "bin" / "gtx"), "--version", env=env)
    assert installed.strip().startswith("gtx ")

    # a tampered wheel fails the install step before pip runs
    wf = YAML(typ="safe").load((clone / WORKFLOWS[0]).read_text("utf-8"))
    install = next(s["run"] for s in wf["jobs"]["check"]["steps"] if "run" in s)
    (wheel,) = (clone / ".gtx" / "wheels").iterdir()
    wheel.write_bytes(wheel.read_bytes() + b"x")
    proc = run_step(install, clone, env, {})
    assert proc.returncode != 0 and "FAILED" in proc.stdout + proc.stderr
    sh(clone, "git", "checkout", "--", ".", env=env)

    # pre-commit with the generated config: the hook runs the installed gtx once
    sh(clone, "python", "-m", "pip", "install", "--quiet", "pre-commit", env=env)
    sh(clone, "git", "switch", "-q", "new-project", env=env)
    proc = subprocess.run(
        ["pre-commit", "run", "--all-files"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gtx validate" in proc.stdout and "Passed" in proc.stdout
    p = clone / "dossiers/2025-ci-check/project.yaml"
    p.write_text(p.read_text("utf-8").replace("budget_wan:", "budget_wan: -3", 1), "utf-8")
    proc = subprocess.run(
        ["pre-commit", "run", "--all-files"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "budget_wan" in proc.stdout, proc.stdout + proc.stderr
