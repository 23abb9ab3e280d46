"""The whole flow, end to end, with real SSH keys and a bare repository standing in
for the server:

gtx init -> register signers in gtx.yaml -> gtx new --interactive -> fill in the
approval fields and the documents with their attachments -> gtx validate -> gtx advance
through every stage, each signed by a key of the right role -> push -> clone -> the
CI workflow's commands, as written, pass in the clone; a forged approval fails there.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app
from tests.conftest import ROOT
from tests.support.git import (
    DRAFT,
    FIRST_ATTACHMENTS,
    PROJECT,
    UNIT,
    Key,
    Life,
    add_documents,
    git,
    isolate,
    keys_fixture,  # noqa: F401  (registers the `keys` fixture)
    use_key,
)

runner = CliRunner()
GTX = Path(sys.executable).with_name("gtx")
BRANCH = "project/employment-platform"
SIGNER_NAMES = {"unit": "朱永红", "ndrc": "李四", "gov_office": "王五", "finance": "赵六", "stranger": "冒充者"}

# The filing table, answered as a clerk would at `gtx new --interactive`.
ANSWERS = [
    "格尔木市就业创业公共服务平台",
    UNIT,
    "朱永红",
    "0979-8421170",
    "395",
    "1",  # 市级财政资金
    "2023-11-20",
    "5",
    "《格尔木市数字政府建设规划（2023—2025年）》",
    "1",  # 等保二级
    "2",
    "1",  # 定制研发
    "是",
    "是",
    "20",
    "是",
    "格尔木市电子政务云运维中心",
    "1",  # 电子政务外网
    "",  # 项目代码：选填，跳过
]


def invoke(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, f"gtx {' '.join(args)} -> {res.exit_code}\n{res.output}"
    return res.output


def register_signers(text: str, keys: dict[str, Key]) -> str:
    """What the administrator does to the gtx.yaml that gtx init wrote (its head says how)."""

    def signers(who: str, indent: int) -> str:
        pad = " " * indent
        return f"signers:\n{pad}- name: {SIGNER_NAMES[who]}\n{pad}  key: \"{keys[who].line}\""

    for role in ("ndrc", "gov_office", "finance"):
        at = text.index(f"\n  {role}:\n")
        j = text.index("signers: []", at)
        text = text[:j] + signers(role, 6) + text[j + len("signers: []"):]
    assert "units: {}" in text
    return text.replace("units: {}", f"units:\n  {UNIT}:\n    {signers('unit', 6)}\n", 1)


def set_top(text: str, key: str, value: str) -> str:
    """Fill a blank top-level field of the scaffold, keeping its comment."""
    new, n = re.subn(rf"^{key}:( +)#", lambda m: f"{key}: {value}{' ' * max(len(m[1]) - len(value) - 1, 2)}#",
                     text, count=1, flags=re.M)
    assert n == 1, key
    return new


def first_documents() -> str:
    """The documents of a planned-path approval request (the shared fixture's draft)."""
    lines = DRAFT.split("\ndocuments:", 1)[1].split("\n\nstage:", 1)[0].splitlines()
    return "documents:" + "\n".join(lines) + "\n"


def fill_in(repo: Path) -> None:
    path = repo / "dossiers" / PROJECT / "project.yaml"
    text = path.read_text("utf-8")
    for key, value in (("approval_path", "planned"), ("in_plan", "true"), ("new_department", "false"),
                       ("simple_and_mature", "false")):
        text = set_top(text, key, value)
    # the clerk replaces `documents: {}` and its commented example with the real records
    start = text.index("documents: {}")
    end = text.index("\n\nstage:", start)
    text = text[:start] + first_documents() + text[end + 1:]
    path.write_text(text, "utf-8")
    for name in FIRST_ATTACHMENTS:
        (repo / "dossiers" / PROJECT / "attachments" / name).write_bytes(f"%PDF-1.4 {name}\n".encode())


def workflow_runs(repo: Path, rel: str, job: str) -> list[str]:
    wf = YAML(typ="safe").load((repo / rel).read_text("utf-8"))
    return [s["run"] for s in wf["jobs"][job]["steps"] if "run" in s]


def run_as_ci(cmd: str, cwd: Path, base_ref: str = "main") -> subprocess.CompletedProcess[str]:
    """A workflow `run:` line as the runner runs it: expressions filled in, bash, gtx on PATH."""
    line = cmd.replace("${{ github.base_ref }}", base_ref)
    assert "${{" not in line, line
    env = {**os.environ, "PATH": f"{GTX.parent}{os.pathsep}{os.environ['PATH']}", "GTX_LANG": "zh",
           "TZ": "Asia/Shanghai", "CI": "true"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def role_of(key: str) -> str:
    return key  # the fixture's keys are named after the role they sign for


def verify_json(clone: Path) -> dict[str, Any]:
    res = runner.invoke(app, ["verify", "origin/main..HEAD", "--format", "json", "--repo", str(clone)])
    report: dict[str, Any] = json.loads(res.stdout)
    assert res.exit_code == (0 if report["ok"] else 1), res.output
    return report


def test_whole_flow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: dict[str, Key]) -> None:
    isolate(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))

    # --- the administrator: gtx init, signers, first push -----------------------------
    repo = tmp_path / "clerk"
    invoke("init", str(repo))
    monkeypatch.chdir(repo)
    gtx_yaml = repo / "gtx.yaml"
    gtx_yaml.write_text(register_signers(gtx_yaml.read_text("utf-8"), keys), "utf-8")
    invoke("validate")  # gtx.yaml as edited has no finding
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "新建档案库，登记签署人")
    git(repo, "remote", "add", "origin", str(server))
    git(repo, "push", "-q", "-u", "origin", "main")

    # --- the clerk: a new dossier, filled in and validated ----------------------------
    git(repo, "switch", "-q", "-c", BRANCH)
    res = runner.invoke(app, ["new", PROJECT, "--interactive"], input="\n".join(ANSWERS) + "\n")
    assert res.exit_code == 0, res.output
    assert "units 中没有登记" not in res.output  # the unit is registered
    fill_in(repo)
    out = invoke("validate", PROJECT)
    assert "没有发现问题" in out
    git(repo, "add", "--", f"dossiers/{PROJECT}")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", f"新建项目档案 {PROJECT}")

    # --- every stage, each act signed by its role ---------------------------------------
    proposed_sha = ""
    for step in Life.STEPS:
        add_documents(repo, step.docs)
        use_key(repo, keys[step.key])
        refs = [a for r in step.refs for a in ("--ref", r)]
        invoke("advance", PROJECT, step.stage, "--date", step.date, *refs, "--include-changes")
        assert git(repo, "status", "--porcelain") == ""
        assert "-----BEGIN SSH SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")
        if step.stage == "proposed":
            proposed_sha = git(repo, "rev-parse", "HEAD")
    out = invoke("validate", "--format", "json")
    assert '"ok": true' in out
    stage_line = next(ln for ln in (repo / "dossiers" / PROJECT / "project.yaml").read_text("utf-8").splitlines()
                      if ln.startswith("stage:"))
    assert stage_line.split("#")[0].split(":")[1].strip() == "post_evaluated"
    git(repo, "push", "-q", "-u", "origin", BRANCH)

    # --- forgeries, pushed on their own branches ----------------------------------------
    # 1. gtx.yaml changed in the branch to trust a stranger's key as ndrc, then a real
    #    `gtx advance` signed with that key: verify reads gtx.yaml from the base only.
    git(repo, "switch", "-q", "-c", "forged-settings", proposed_sha)
    text = gtx_yaml.read_text("utf-8")
    at = text.index("\n  ndrc:\n")
    j = text.index("signers:\n", at) + len("signers:\n")
    text = text[:j] + f"      - name: {SIGNER_NAMES['stranger']}\n        key: \"{keys['stranger'].line}\"\n" + text[j:]
    gtx_yaml.write_text(text, "utf-8")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-am", "登记签署人")
    add_documents(repo, Life.step("approved").docs)
    use_key(repo, keys["stranger"])
    invoke("advance", PROJECT, "approved", "--date", Life.step("approved").date, "--ref", "approval_reply",
           "--include-changes")
    git(repo, "push", "-q", "origin", "forged-settings")
    # 2. the approval written by hand and signed by the unit's own (registered) key
    git(repo, "switch", "-q", "-c", "forged-role", proposed_sha)
    add_documents(repo, Life.step("approved").docs)
    path = repo / "dossiers" / PROJECT / "project.yaml"
    text = path.read_text("utf-8")
    text = re.sub(r"^stage: proposed", "stage: approved", text, count=1, flags=re.M)
    # the entry goes at the end of history, just above `corrections:` (as gtx new writes it)
    text = text.replace("\ncorrections:", "\n  - stage: approved\n    date: 2023-08-30\n    role: ndrc\ncorrections:", 1)
    path.write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", f"user.signingkey={keys['unit'].public}", "-c", "gpg.format=ssh",
        "commit", "-S", "-q", "-m", "立项")
    git(repo, "push", "-q", "origin", "forged-role")

    # --- CI in a fresh clone ----------------------------------------------------------
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(server), str(clone))
    check = workflow_runs(clone, ".github/workflows/gtx.yml", "check")
    assert check == workflow_runs(clone, ".gitea/workflows/gtx.yml", "check")
    gtx_lines = [c for c in check if c.startswith("gtx ")]
    assert len(gtx_lines) == 2 and any("validate" in c for c in gtx_lines) and any("verify" in c for c in gtx_lines)

    git(clone, "switch", "-q", BRANCH)
    for cmd in gtx_lines:
        proc = run_as_ci(cmd, clone)
        assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    report = verify_json(clone)
    assert report["ok"] is True
    moves = [(t["from"], t["to"], t["role"], t["signer"], t["ok"]) for t in report["transitions"]]
    previous = ["draft"] + [s.stage for s in Life.STEPS[:-1]]
    assert moves == [
        (p, s.stage, role_of(s.key), SIGNER_NAMES[s.key], True) for p, s in zip(previous, Life.STEPS, strict=True)
    ]

    for forged in ("forged-settings", "forged-role"):
        git(clone, "switch", "-q", forged)
        verify = next(c for c in gtx_lines if "verify" in c)
        proc = run_as_ci(verify, clone)
        assert proc.returncode == 1, f"{forged}: {proc.stdout}\n{proc.stderr}"
        report = verify_json(clone)
        assert report["ok"] is False
        (bad,) = [t for t in report["transitions"] if not t["ok"]]
        assert (bad["from"], bad["to"]) == ("proposed", "approved") and bad["problems"]

    # --- the daily job, on main after the pull request is merged ------------------------
    git(clone, "switch", "-q", "main")
    git(clone, "merge", "-q", "--ff-only", f"origin/{BRANCH}")
    daily = workflow_runs(clone, ".github/workflows/gtx.yml", "deadlines")
    for cmd in (c for c in daily if c.startswith("gtx ")):
        proc = run_as_ci(cmd, clone)
        assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    # and it does fail on an overdue deadline: the same project, stopped before preliminary
    # acceptance, is long past its 3-month limit (三（六）)
    completed = git(clone, "log", "--format=%H", "--fixed-strings", "--grep=-> completed", f"origin/{BRANCH}").splitlines()
    assert len(completed) == 1
    git(clone, "switch", "-q", "-c", "stalled", completed[0])
    proc = run_as_ci("gtx deadlines --fail-on overdue", clone)
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_the_pre_commit_hook_entry_runs_as_pre_commit_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """.pre-commit-hooks.yaml's entry with the files its pattern selects, through bash."""
    isolate(monkeypatch, tmp_path / "home")
    invoke("init", str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path / "repo")
    invoke("new", "2025-hook-flow", "--name", "测试项目", "--unit", UNIT)
    hook = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    pattern = re.compile(hook["files"])
    files = [p for p in git(tmp_path / "repo", "ls-files", "--others", "--cached", "--exclude-standard").splitlines()
             if pattern.search(p)]
    assert sorted(files) == ["dossiers/2025-hook-flow/project.yaml", "gtx.yaml"]
    proc = run_as_ci(hook["entry"] + " " + " ".join(shlex.quote(f) for f in files), tmp_path / "repo")
    assert proc.returncode == 0, proc.stdout + proc.stderr
