"""`gtx init`: a dossier repository in one command, driven through the real CLI."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.resources import filing_template
from golmud_cli.pipeline.schema_export import render
from golmud_cli.pipeline.settings import load_settings
from golmud_cli.services import scaffolding as scaffold

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

EXPECTED = {
    "gtx.yaml",
    "README.md",
    ".gitattributes",
    ".gitignore",
    ".pre-commit-config.yaml",
    "dossiers/.gitkeep",
    "schema/dossier.schema.json",
    "templates/filing-form.docx",
    ".github/workflows/gtx.yml",
    ".gitea/workflows/gtx.yml",
    scaffold.WHEEL_REL,
}


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated git: no user or system config, no parent repository."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for var in ("GTX_LANG", "GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return home


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts}


def safe_load(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def test_init_makes_a_repository_with_every_file_staged_not_committed(tmp_path: Path) -> None:
    res = runner.invoke(app, ["init", "repo"])
    assert res.exit_code == 0, res.output
    root = tmp_path / "repo"
    assert files_in(root) == EXPECTED
    assert git(root, "symbolic-ref", "HEAD").stdout.strip() == "refs/heads/main"
    staged = set(git(root, "diff", "--cached", "--name-only").stdout.split())
    assert staged == EXPECTED
    assert git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # no commit yet
    # the output says what was written and what to do next
    for rel in EXPECTED:
        assert rel in res.output
    assert "git commit" in res.output and "下一步" in res.output and "gtx.yaml" in res.output


def test_init_files_are_valid(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", "repo"]).exit_code == 0
    root = tmp_path / "repo"
    settings, findings = load_settings(root)
    assert findings == []
    assert set(settings.roles) == {"unit", "ndrc", "gov_office", "finance", "audit", "cac", "tech", "service"} - {"unit"}
    assert settings.policy.filing_days == 30 and settings.units == {}
    # the example signers are comments, not entries
    text = (root / "gtx.yaml").read_text("utf-8")
    assert "#     key: \"ssh-ed25519" in text and all(not r.signers for r in settings.roles.values())
    assert (root / "schema/dossier.schema.json").read_text("utf-8") == render()
    json.loads((root / "schema/dossier.schema.json").read_text("utf-8"))
    assert (root / "templates/filing-form.docx").read_bytes() == filing_template().read_bytes()
    attrs = (root / ".gitattributes").read_text()
    for line in ("*.yaml text eol=lf", "*.yml text eol=lf", "*.docx binary", "*.pdf binary", "*.xlsx binary"):
        assert line in attrs.splitlines()
    readme = (root / "README.md").read_text("utf-8")
    for cmd in ("gtx new", "gtx validate", "gtx advance", "gtx verify", "gtx form", "gtx deadlines", "gtx init --upgrade",
                scaffold.WHEEL_REL):
        assert cmd in readme
    # a fresh repository validates and its schema is current
    res = runner.invoke(app, ["validate", "--repo", str(root), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"ok": True, "checked": 0, "findings": []}
    res = runner.invoke(app, ["schema", "--check", "--repo", str(root)])
    assert res.exit_code == 0, res.output


def test_workflows_run_validate_verify_and_deadlines(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", "repo"]).exit_code == 0
    root = tmp_path / "repo"
    for rel in (".github/workflows/gtx.yml", ".gitea/workflows/gtx.yml"):
        wf = safe_load(root / rel)
        assert isinstance(wf, dict)
        assert "pull_request" in wf["on"] and wf["on"]["schedule"][0]["cron"]
        check = wf["jobs"]["check"]["steps"]
        assert check[0]["with"]["fetch-depth"] == 0
        runs = [s["run"] for s in check if "run" in s]
        assert "gtx validate --changed-since origin/${{ github.base_ref }} --format github" in runs
        assert "gtx verify origin/${{ github.base_ref }}..HEAD" in runs
        daily = [s["run"] for s in wf["jobs"]["deadlines"]["steps"] if "run" in s]
        assert "gtx deadlines --fail-on overdue" in daily
        report = wf["jobs"]["report"]["steps"]
        assert "gtx report -o gtx-report" in [s.get("run") for s in report]
        upload = next(s for s in report if s.get("uses", "").startswith("actions/upload-artifact"))
        assert upload["with"]["path"] == "gtx-report"
        # gtx comes from the wheel in the repository, its digest checked first
        sha = hashlib.sha256((root / scaffold.WHEEL_REL).read_bytes()).hexdigest()
        assert runs[0] == f'echo "{sha}  {scaffold.WHEEL_REL}" | sha256sum --check --strict - && pip install "./{scaffold.WHEEL_REL}"'
        assert "golmud-cli" not in (root / rel).read_text("utf-8")  # never from an index by name


def test_pre_commit_config_is_a_local_serial_hook(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", "repo"]).exit_code == 0
    hooks = safe_load(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert hook["id"] == "gtx-validate" and hook["entry"] == "gtx validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert hook["require_serial"] is True
    config = safe_load(tmp_path / "repo/.pre-commit-config.yaml")
    assert isinstance(config, dict)
    (repo,) = config["repos"]
    (local,) = repo["hooks"]
    assert repo["repo"] == "local" and local["id"] == "gtx-validate"
    assert local["language"] == "system" and local["entry"] == "gtx validate"
    assert local["require_serial"] is True and local["files"] == hook["files"]
    assert f"pip install ./{scaffold.WHEEL_REL}" in (tmp_path / "repo/.pre-commit-config.yaml").read_text("utf-8")
    import re

    files = re.compile(hook["files"])
    for path in ("dossiers/a-b/project.yaml", "dossiers/a-b/x.yml", "gtx.yaml"):
        assert files.search(path)
    for path in ("README.md", "dossiers/a-b/attachments/x.pdf", "sub/gtx.yaml"):
        assert not files.search(path)


def test_the_hook_entry_takes_the_paths_pre_commit_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["init", "repo"]).exit_code == 0
    root = tmp_path / "repo"
    monkeypatch.chdir(root)
    assert runner.invoke(app, ["new", "2025-hook-check"]).exit_code == 0
    # pre-commit runs the entry at the top of the repository with the matching files
    res = runner.invoke(app, ["validate", "dossiers/2025-hook-check/project.yaml", "gtx.yaml"])
    assert res.exit_code == 0, res.output
    assert "检查了 1 个项目" in res.output
    res = runner.invoke(app, ["validate", "gtx.yaml"])
    assert res.exit_code == 0, res.output
    # a broken dossier fails the hook
    p = root / "dossiers/2025-hook-check/project.yaml"
    p.write_text(p.read_text("utf-8").replace("budget_wan:", "budget_wan: -3", 1), "utf-8")
    res = runner.invoke(app, ["validate", "dossiers/2025-hook-check/project.yaml"])
    assert res.exit_code == 1 and "budget_wan" in res.output


def test_non_empty_folder_is_refused_in_both_languages(tmp_path: Path) -> None:
    root = tmp_path / "busy"
    root.mkdir()
    (root / "notes.txt").write_text("x")
    res = runner.invoke(app, ["init", str(root)])
    assert res.exit_code == 2
    assert "不是空文件夹" in res.output and "--force" in res.output and "notes.txt" in res.output
    res = runner.invoke(app, ["init", str(root), "--lang", "en"])
    assert res.exit_code == 2 and "is not empty" in res.output and "--force" in res.output
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]


def test_a_fresh_clone_of_an_empty_server_repository_is_empty_enough(tmp_path: Path) -> None:
    server = tmp_path / "server.git"
    assert git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server)).returncode == 0
    assert git(tmp_path, "clone", "-q", str(server), "clone").returncode == 0
    res = runner.invoke(app, ["init", "clone"])
    assert res.exit_code == 0, res.output
    root = tmp_path / "clone"
    assert files_in(root) == EXPECTED
    assert git(root, "remote", "get-url", "origin").stdout.strip() == str(server)


def test_force_adds_only_missing_files_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "old"
    (root / "dossiers").mkdir(parents=True)
    (root / "gtx.yaml").write_text("city: 格尔木市\n", "utf-8")
    (root / "README.md").write_text("我们自己的说明\n", "utf-8")
    res = runner.invoke(app, ["init", str(root), "--force"])
    assert res.exit_code == 0, res.output
    assert (root / "gtx.yaml").read_text("utf-8") == "city: 格尔木市\n"
    assert (root / "README.md").read_text("utf-8") == "我们自己的说明\n"
    assert files_in(root) == EXPECTED
    assert "= gtx.yaml" in res.output and "= README.md" in res.output and "+ .gitattributes" in res.output
    staged = set(git(root, "diff", "--cached", "--name-only").stdout.split())
    assert staged == EXPECTED - {"gtx.yaml", "README.md"}
    # a second run has nothing left to add
    res = runner.invoke(app, ["init", str(root), "--force", "--lang", "en"])
    assert res.exit_code == 0 and "nothing was written" in res.output


def test_commit_makes_one_initial_commit(tmp_path: Path, git_env: Path) -> None:
    (git_env / ".gitconfig").write_text("[user]\n\tname = 管理员\n\temail = admin@example.org\n")
    res = runner.invoke(app, ["init", "repo", "--commit"])
    assert res.exit_code == 0, res.output
    root = tmp_path / "repo"
    log = git(root, "log", "--format=%s").stdout.splitlines()
    assert len(log) == 1 and "gtx init" in log[0]
    assert git(root, "status", "--porcelain").stdout == ""
    assert set(git(root, "ls-files").stdout.split()) == EXPECTED


def test_commit_without_identity_is_refused_before_writing(tmp_path: Path) -> None:
    res = runner.invoke(app, ["init", "repo", "--commit"])
    assert res.exit_code == 2
    assert "user.name" in res.output
    assert not (tmp_path / "repo").exists()


def test_a_failure_midway_removes_what_was_written(tmp_path: Path) -> None:
    # An empty `.git` folder is not a repository: `git add` fails after the files are written.
    root = tmp_path / "broken"
    (root / ".git").mkdir(parents=True)
    res = runner.invoke(app, ["init", str(root)])
    assert res.exit_code == 2
    assert "git add" in res.output
    assert sorted(p.name for p in root.iterdir()) == [".git"]


def test_a_file_in_the_way_of_a_folder_is_named(tmp_path: Path) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "schema").write_text("not a folder")
    res = runner.invoke(app, ["init", str(root), "--force", "--lang", "en"])
    assert res.exit_code == 2 and "is not a folder" in res.output and "schema" in res.output
    assert sorted(p.name for p in root.iterdir()) == ["schema"]


def test_packaged_template_is_the_source_template() -> None:
    packaged = ROOT / "golmud_cli" / "data" / "filing-form.docx"
    assert packaged.read_bytes() == (ROOT / "templates" / "filing-form.docx").read_bytes()
    assert filing_template() == packaged


def test_scaffold_files_are_lf_only() -> None:
    for rel, data in scaffold.repository_files(b"PK", "0" * 64).items():
        if rel.endswith((".yaml", ".yml", ".md", ".json")) or rel.startswith((".git", ".pre")):
            assert b"\r" not in data, rel


def test_upgrade_replaces_the_wheel_and_its_pins(tmp_path: Path, gtx_wheel: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["init", "repo"]).exit_code == 0
    root = tmp_path / "repo"
    old_sha = hashlib.sha256(gtx_wheel.read_bytes()).hexdigest()
    res = runner.invoke(app, ["init", str(root), "--upgrade"])
    assert res.exit_code == 0 and "无需更新" in res.output, res.output
    # a rebuilt gtx of the same version: another digest
    newer = tmp_path / "newer" / gtx_wheel.name
    newer.parent.mkdir()
    newer.write_bytes(gtx_wheel.read_bytes() + b"\0")
    monkeypatch.setenv("GTX_WHEEL", str(newer))
    res = runner.invoke(app, ["init", str(root), "--upgrade", "--lang", "en"])
    assert res.exit_code == 0, res.output
    new_sha = hashlib.sha256(newer.read_bytes()).hexdigest()
    assert "Now pinned" in res.output and ".github/workflows/gtx.yml" in res.output
    assert (root / scaffold.WHEEL_REL).read_bytes() == newer.read_bytes()
    for rel in (".github/workflows/gtx.yml", ".gitea/workflows/gtx.yml"):
        text = (root / rel).read_text("utf-8")
        assert new_sha in text and old_sha not in text
    staged = set(git(root, "diff", "--cached", "--name-only").stdout.split())
    assert {scaffold.WHEEL_REL, ".github/workflows/gtx.yml", ".gitea/workflows/gtx.yml"} <= staged
    # --upgrade outside a gtx repository is a usage error
    (tmp_path / "plain").mkdir()
    res = runner.invoke(app, ["init", str(tmp_path / "plain"), "--upgrade"])
    assert res.exit_code == 2 and "gtx.yaml" in res.output


def test_init_under_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    for lang, words in (("zh", "是文件，不是文件夹"), ("en", "is a file, not a folder")):
        res = runner.invoke(app, ["init", "afile/sub", "--lang", lang])
        assert res.exit_code == 2 and words in res.output and "afile" in res.output
