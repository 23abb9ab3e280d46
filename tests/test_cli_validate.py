"""`gtx validate`, `gtx rules` and `gtx schema` end to end through typer's CliRunner
(docs/cli.md): exit codes, the text/json/github formats, --strict, --changed-since in a
real git repository, both languages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, copy_case
from tests.gitfixtures import git_env_fixture  # noqa: F401  (registers `git_env`)

Cli = Callable[..., Any]
PID = "2024-smart-parking"
PFILE = f"dossiers/{PID}/project.yaml"
AS_OF = "2026-11-02"
FINDING_KEYS = ["code", "severity", "project", "file", "line", "column", "field", "label", "message", "clause"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def as_json(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- the repository's own sample dossiers ----------------------------------------


def test_the_sample_dossiers_pass(cli: Cli) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT, "--as-of", "2026-11-26")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "C001" in r.stdout  # the provincial project: information only
    assert r.stdout.rstrip().splitlines()[-1] == "检查了 16 个项目：0 个错误，0 个警告，1 条提示。"
    data = as_json(cli("validate", "--no-cache", "--repo", ROOT, "--as-of", "2026-11-26", "--format", "json"))
    assert data["ok"] is True and data["checked"] == 16
    assert {f["severity"] for f in data["findings"]} == {"info"}


# --- exit codes -----------------------------------------------------------------------


def test_exit_1_on_an_error_and_the_text_layout(cli: Cli) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/S005-duplicate-id", "--as-of", AS_OF)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    # grouped by file: each file's name once, then its findings as file:line:col  CODE
    headers = [ln for ln in lines if ln.startswith("dossiers/")]
    assert headers == [f"dossiers/{PID}-copy/project.yaml", PFILE]
    body = [ln.strip() for ln in lines if ln.startswith("  ")]
    assert len(body) == 3
    for ln in body:
        assert re.match(r"^dossiers/[a-z0-9-]+/project\.yaml:\d+:\d+  S005 错误  id（项目编号）", ln), ln
    first = lines.index(headers[0])
    second = lines.index(headers[1])
    assert all(ln.strip().startswith(headers[0] + ":") for ln in lines[first + 1 : second] if ln.strip())
    assert lines[-1] == "检查了 2 个项目：3 个错误，0 个警告，0 条提示。"


def test_exit_0_and_a_clean_summary(cli: Cli) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/valid/base-post_evaluated", "--as-of", AS_OF)
    assert r.exit_code == 0
    assert r.stdout.strip() == "检查了 1 个项目：没有发现问题。"
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/valid/base-post_evaluated", "--as-of", AS_OF, "--lang", "en")
    assert r.stdout.strip() == "1 project checked: no findings."


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["validate", "no-such-project"], "找不到项目 no-such-project", "no project no-such-project"),
        (["validate", "--format", "xml"], "--format 只能是", "--format must be one of"),
        (["validate", PID, "--changed-since", "HEAD"], "不能同时", "not both"),
        (["rules", "X999"], "没有规则 X999", "there is no rule X999"),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str], zh: str, en: str) -> None:
    repo = ["--no-cache", "--repo", ROOT / "tests/cases/valid/base-approved"] if args[0] == "validate" else []
    r = cli(*args, *repo)
    assert r.exit_code == 2, r.stdout + r.stderr
    assert zh in r.stderr and r.stdout == ""
    r = cli(*args, *repo, "--lang", "en")
    assert r.exit_code == 2 and en in r.stderr and not CJK.search(r.stderr)
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("day", ["2026-02-30", "tomorrow", "26-11-02"])
def test_a_bad_as_of_exits_2(cli: Cli, day: str) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/valid/base-approved", "--as-of", day)
    words = "不存在" if day == "2026-02-30" else "日期须写成 YYYY-MM-DD"  # a real-looking date that is not
    assert r.exit_code == 2 and words in r.stderr and day in r.stderr
    assert "Traceback" not in r.stderr


def test_a_bad_as_of_in_english(tmp_path: Path) -> None:
    # cli.py picks the language of option-parsing messages from the command line
    # before typer runs, so this one goes through a real process
    proc = subprocess.run(
        [sys.executable, "-m", "golmud_cli", "validate", "--no-cache", "--repo", str(ROOT / "tests/cases/valid/base-approved"),
         "--as-of", "2026-02-30", "--lang", "en"],
        capture_output=True, text=True, check=False, env={**os.environ, "GTX_LANG": ""},
    )
    assert proc.returncode == 2, proc.stderr
    assert "the date 2026-02-30 does not exist" in proc.stderr and not CJK.search(proc.stderr)


def test_not_a_repository_exits_2(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = cli("validate", "--repo", tmp_path)
    assert r.exit_code == 2 and "这里不是档案仓库" in r.stderr and "gtx init" in r.stderr
    monkeypatch.chdir(tmp_path)
    r = cli("validate", "--lang", "en")
    assert r.exit_code == 2 and "not a dossier repository" in r.stderr
    r = cli("validate", "--repo", tmp_path / "missing")
    assert r.exit_code == 2


def test_repository_found_upward_and_targets_as_paths(cli: Cli, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_case("invalid/S005-duplicate-id", tmp_path / "repo")
    monkeypatch.chdir(repo / "dossiers" / PID / "attachments")
    r = cli("validate", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 1 and as_json(r)["checked"] == 2
    # a project named by its folder, from wherever we stand: this one is fine alone
    r = cli("validate", "..", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0 and as_json(r) == {"ok": True, "checked": 1, "findings": []}
    r = cli("validate", f"../../{PID}-copy/project.yaml", "--as-of", AS_OF, "--format", "json")
    data = as_json(r)
    assert data["checked"] == 1 and {f["project"] for f in data["findings"]} == {f"{PID}-copy"}
    r = cli("validate", PID, f"{PID}-copy", "--as-of", AS_OF, "--format", "json")
    assert as_json(r)["checked"] == 2


# --- formats --------------------------------------------------------------------------


def test_json_shape(cli: Cli) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/A005-feasibility-without-credential",
            "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 1
    data = as_json(r)
    assert list(data) == ["ok", "checked", "findings"]
    assert data["ok"] is False and data["checked"] == 1
    (f,) = data["findings"]
    assert list(f)[: len(FINDING_KEYS)] == FINDING_KEYS
    assert f["code"] == "A005" and f["severity"] == "error" and f["project"] == PID
    assert f["file"] == PFILE and f["clause"] == "三（二）"
    assert f["field"] == "documents.feasibility_study.credential"
    assert f["label"] == "可行性研究报告·资信"
    assert isinstance(f["line"], int) and isinstance(f["column"], int) and f["line"] > 1
    text = (ROOT / "tests/cases/invalid/A005-feasibility-without-credential" / PFILE).read_text("utf-8")
    assert text.splitlines()[f["line"] - 1][f["column"] - 1 :].startswith("feasibility_study:")
    assert CJK.search(f["message"])
    en = as_json(cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/A005-feasibility-without-credential",
                     "--as-of", AS_OF, "--format", "json", "--lang", "en"))
    assert "credential" in en["findings"][0]["message"] and en["findings"][0]["label"] == f["label"]


def test_json_null_position_and_info(cli: Cli, tmp_path: Path) -> None:
    repo = copy_case("valid/base-approved", tmp_path / "repo")
    (repo / "dossiers" / "2024-empty-folder").mkdir()  # a folder without project.yaml
    data = as_json(cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json"))
    (f,) = data["findings"]
    assert f["project"] == "2024-empty-folder" and f["line"] is None and f["column"] is None
    assert f["field"] is None and data["checked"] == 2


def test_github_annotations(cli: Cli) -> None:
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/K001-late-preliminary-acceptance",
            "--as-of", AS_OF, "--format", "github")
    assert r.exit_code == 1
    ann = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    assert len(ann) == 1
    m = re.match(rf"^::error file={re.escape(PFILE)},line=(\d+),col=(\d+),title=K001::(.+)$", ann[0])
    assert m, ann[0]
    assert "初步验收" in m.group(3) and m.group(3).endswith("[三（六）]")
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/C002-not-on-cloud-without-reason",
            "--as-of", AS_OF, "--format", "github", "--lang", "en")
    assert r.exit_code == 0
    assert re.search(r"^::warning file=[^,]+,line=\d+,col=\d+,title=C002::cloud.deployed is false", r.stdout, re.M)
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/C001-provincial-funding",
            "--as-of", AS_OF, "--format", "github")
    assert r.exit_code == 0 and "::notice file=" in r.stdout


def test_strict_turns_warnings_into_failure(cli: Cli) -> None:
    case = ROOT / "tests/cases/invalid/B003-filed-45-days-after-approval"
    r = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF)
    assert r.exit_code == 0 and "B003 警告" in r.stdout and "本地政策" in r.stdout
    r = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, "--strict")
    assert r.exit_code == 1
    data = as_json(cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, "--strict", "--format", "json"))
    assert data["ok"] is False
    data = as_json(cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, "--format", "json"))
    assert data["ok"] is True
    # information never fails, strict or not
    r = cli("validate", "--no-cache", "--repo", ROOT / "tests/cases/invalid/C001-provincial-funding", "--as-of", AS_OF, "--strict")
    assert r.exit_code == 0


def test_as_of_changes_the_verdict(cli: Cli) -> None:
    case = ROOT / "tests/cases/invalid/R001-rectification-overdue"
    assert cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF).exit_code == 1
    assert cli("validate", "--no-cache", "--repo", case, "--as-of", "2026-03-31").exit_code == 0


# --- languages --------------------------------------------------------------------------


def test_languages(cli: Cli) -> None:
    case = ROOT / "tests/cases/invalid/S004-typo-budjet-wan"
    zh = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF)
    en = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, "--lang", "en")
    env_en = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, env={"GTX_LANG": "en"})
    forced_zh = cli("validate", "--no-cache", "--repo", case, "--as-of", AS_OF, "--lang", "zh", env={"GTX_LANG": "en"})
    assert "未知的键 budjet_wan：是不是 budget_wan" in zh.stdout and "S004 错误" in zh.stdout
    assert "unknown key budjet_wan: did you mean budget_wan" in en.stdout and "S004 error" in en.stdout
    assert en.stdout == env_en.stdout
    assert forced_zh.stdout == zh.stdout
    assert zh.stdout.splitlines()[-1].startswith("检查了 1 个项目")
    assert en.stdout.splitlines()[-1] == "1 project checked: 1 error, 0 warnings, 0 info."


# --- --changed-since in a real git repository -------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def two_projects(tmp_path: Path, git_env: Path) -> Path:
    """Two dossiers in git; the second one (phase2) lacks an attachment (F001)."""
    repo = copy_case("valid/S005-two-projects", tmp_path / "repo")
    (repo / "dossiers/2024-smart-parking-phase2/attachments/proposal.pdf").unlink()
    (repo / "gtx.yaml").write_text("city: 格尔木市\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_changed_since_checks_only_changed_dossiers(cli: Cli, two_projects: Path) -> None:
    repo = two_projects
    everything = as_json(cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json"))
    assert everything["checked"] == 2 and everything["ok"] is False
    # nothing changed: nothing checked
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert r.exit_code == 0 and as_json(r) == {"ok": True, "checked": 0, "findings": []}
    # an unstaged edit of the good project: only that one is checked
    pf = repo / PFILE
    pf.write_text(pf.read_text("utf-8").replace("张三", "李四"), "utf-8")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert r.exit_code == 0 and as_json(r)["checked"] == 1
    # committed: still the one project against the base
    git(repo, "commit", "-q", "-am", "edit")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD~1", "--format", "json")
    assert r.exit_code == 0 and as_json(r)["checked"] == 1
    # an untracked attachment alone is not a change: it can only clear F001, never raise
    # a finding, and finding it would walk every folder (repo.changed_projects)
    (repo / "dossiers/2024-smart-parking-phase2/attachments/proposal.pdf").write_bytes(b"x")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 0 and r.exit_code == 0
    # added to git, the attachment counts as a change of its dossier
    git(repo, "add", "-A")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 1 and r.exit_code == 0
    # and so does a tracked attachment removed from the working tree (F001 again)
    git(repo, "commit", "-q", "-m", "attachment")
    (repo / "dossiers/2024-smart-parking-phase2/attachments/proposal.pdf").unlink()
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 1 and r.exit_code == 1
    # gtx.yaml changed: every dossier again
    (repo / "gtx.yaml").write_text("city: 格尔木市\npolicy:\n  filing_days: 20\n", "utf-8")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 2


def test_changed_since_with_a_chinese_file_name(cli: Cli, two_projects: Path) -> None:
    # git quotes such names in its default output; the dossier must still count as changed
    pdir = two_projects / "dossiers" / PID
    (pdir / "attachments" / "可研报告 第2版.pdf").write_bytes(b"x")
    git(two_projects, "add", "-A")  # staged (an untracked attachment can only clear F001)
    r = cli("validate", "--repo", two_projects, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 1
    git(two_projects, "add", "-A")
    git(two_projects, "commit", "-q", "-m", "attachment")
    (pdir / "attachments" / "可研报告 第2版.pdf").write_bytes(b"y")
    r = cli("validate", "--repo", two_projects, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 1


def test_changed_since_sees_new_dossiers_and_repo_wide_checks(cli: Cli, two_projects: Path) -> None:
    repo = two_projects
    (repo / "dossiers/2024-smart-parking-phase2/attachments/proposal.pdf").write_bytes(b"x")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fix")
    # a new, untracked dossier that copies another's id: S005 against the unchanged one
    shutil.copytree(repo / "dossiers" / PID, repo / "dossiers" / "2024-smart-parking-copy")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    data = as_json(r)
    assert data["checked"] == 1 and r.exit_code == 1
    assert {(f["code"], f["project"]) for f in data["findings"]} == {("S005", "2024-smart-parking-copy")}
    assert any("dossiers/2024-smart-parking" in f["message"] for f in data["findings"])


@pytest.mark.parametrize("rev", ["no-such-rev", "--output=/tmp/x", "HEAD\x01"])
def test_changed_since_bad_revision_exits_2(cli: Cli, two_projects: Path, rev: str) -> None:
    """A revision that names no commit (or would read as an option to git) is refused
    in the user's language with what to give instead, and nothing is checked."""
    r = cli("validate", "--repo", two_projects, "--changed-since", rev)
    assert r.exit_code == 2 and "Traceback" not in r.stderr and r.stdout == ""
    assert f"找不到提交 {rev!r}" in r.stderr and "origin/main" in r.stderr
    en = cli("validate", "--repo", two_projects, "--changed-since", rev, "--lang", "en")
    assert en.exit_code == 2 and f"no commit {rev!r}" in en.stderr and "git fetch" in en.stderr


def test_changed_since_outside_git_says_so(cli: Cli, tmp_path: Path) -> None:
    repo = copy_case("valid/S005-two-projects", tmp_path / "repo")
    zh = cli("validate", "--repo", repo, "--changed-since", "HEAD")
    assert zh.exit_code == 2 and "只能在 git 仓库中使用" in zh.stderr and "Traceback" not in zh.stderr
    en = cli("validate", "--repo", repo, "--changed-since", "HEAD", "--lang", "en")
    assert en.exit_code == 2 and "needs a git repository" in en.stderr
    assert cli("validate", "--repo", repo).exit_code == 0  # without the option, all is checked


# --- gtx rules ------------------------------------------------------------------------------


def test_rules_lists_every_code(cli: Cli) -> None:
    from golmud_cli.core.rules import catalog

    r = cli("rules")
    assert r.exit_code == 0
    for rule in catalog():
        assert rule.code in r.stdout
    assert "建成后 3 个月内初步验收" in r.stdout
    en = cli("rules", "--lang", "en")
    assert en.exit_code == 0 and "Rule catalog" in en.stdout and "K001" in en.stdout
    data = json.loads(cli("rules", "--format", "json", "--lang", "en").stdout)
    assert [d["code"] for d in data] == [r.code for r in catalog()]
    k001 = next(d for d in data if d["code"] == "K001")
    assert k001["title"] == "preliminary acceptance within 3 months of completion"
    assert (k001["clause"], k001["from_stage"], k001["severity"]) == ("三（六）", "preliminarily_accepted", "error")


def test_rules_code_quotes_the_clause(cli: Cli) -> None:
    r = cli("rules", "K001")
    assert r.exit_code == 0
    assert "三（六）" in r.stdout and "建成后3个月内" in r.stdout and "延期验收申请" in r.stdout
    en = cli("rules", "k001", "--lang", "en")
    assert en.exit_code == 0 and "Clause:" in en.stdout and "建成后3个月内" in en.stdout
    b003 = cli("rules", "B003")
    assert "本地政策" in b003.stdout and "立即" in b003.stdout
    s001 = cli("rules", "S001", "--lang", "en")
    assert s001.exit_code == 0 and "not a clause of the measures" in s001.stdout


def test_every_clause_is_quoted_from_the_measures(cli: Cli) -> None:
    from golmud_cli.core.rules import catalog

    data = json.loads(cli("rules", "K001", "--format", "json").stdout)
    assert "建成后3个月内" in data[0]["clause_text"]
    for rule in catalog():
        if rule.clause is None:
            continue
        (entry,) = json.loads(cli("rules", rule.code, "--format", "json").stdout)
        heading = rule.clause[-3:] if rule.clause.endswith("）") else rule.clause + "、"
        assert entry["clause_text"] and entry["clause_text"].startswith(heading), (rule.code, entry)


def test_docs_rules_md_is_generated_from_the_catalog(cli: Cli) -> None:
    # docs/rules.md is written by `make schema` (gtx rules --format markdown)
    assert cli("rules", "--format", "markdown").stdout == (ROOT / "docs" / "rules.md").read_text("utf-8")


# --- gtx schema ------------------------------------------------------------------------------


def test_schema_is_draft_07_with_definitions() -> None:
    schema = json.loads((ROOT / "schema" / "dossier.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "definitions" in schema and "$defs" not in schema
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema))
    assert refs and all(r.startswith("#/definitions/") and r.split("/")[-1] in schema["definitions"] for r in refs)
    assert schema["properties"]["budget_wan"]["title"] == "项目预算(万元)"
    assert set(schema["required"]) == {"schema_version", "id", "name", "unit", "stage", "history"}


def test_schema_check_passes_on_the_committed_schema(cli: Cli) -> None:
    r = cli("schema", "--check", "--repo", ROOT)
    assert r.exit_code == 0, r.stdout
    assert "最新" in r.stdout


def test_schema_check_fails_on_a_stale_copy_and_schema_rewrites_it(cli: Cli, tmp_path: Path) -> None:
    repo = copy_case("valid/base-approved", tmp_path / "repo")
    target = repo / "schema" / "dossier.schema.json"
    target.parent.mkdir()
    stale = (ROOT / "schema" / "dossier.schema.json").read_text("utf-8").replace("项目预算", "预算")
    target.write_text(stale, "utf-8")
    r = cli("schema", "--check", "--repo", repo, "--lang", "en")
    assert r.exit_code == 1 and "stale" in r.stdout
    assert target.read_text("utf-8") == stale  # --check writes nothing
    assert cli("schema", "--repo", repo).exit_code == 0
    assert target.read_bytes() == (ROOT / "schema" / "dossier.schema.json").read_bytes()
    assert cli("schema", "--check", "--repo", repo).exit_code == 0
    # a Windows checkout (core.autocrlf) has CRLF line ends: the same schema
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    assert cli("schema", "--check", "--repo", repo).exit_code == 0
    target.unlink()
    assert cli("schema", "--check", "--repo", repo).exit_code == 1  # missing is stale too


# --- gtx.yaml -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "field", "en"),
    [
        ("policy:\n  filing_dayz: 10\n", "S004", "policy.filing_dayz", "did you mean filing_days"),
        ("polcy: {}\n", "S004", "polcy", "did you mean policy"),
        ("zzz: 1\n", "S004", "zzz", "use one of: city, roles, units, policy"),
        ("roles:\n  ndrc:\n    nam: 发改委\n", "S004", "roles.ndrc.nam", "did you mean name"),
        ("roles:\n  mayor: {}\n", "S002", "roles.mayor", "choose one of"),
        ("policy:\n  filing_days: -1\n", "S002", "policy.filing_days", "out of range"),
        ("policy:\n  self_evaluation_window_months: [24, 12]\n", "S002",
         "policy.self_evaluation_window_months", "from before to"),
        ("policy:\n  holiday_shift: yes\n", "S002", "policy.holiday_shift", "only true or false"),
        ("- a\n", "S002", None, "mapping"),
        ("x: &a 1\n", "S001", "x", "anchors"),
    ],
)
def test_settings_findings(cli: Cli, tmp_path: Path, text: str, code: str, field: str | None, en: str) -> None:
    repo = copy_case("valid/base-approved", tmp_path / "repo")
    (repo / "gtx.yaml").write_text(text, "utf-8")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--lang", "en")
    assert r.exit_code == 1
    (f,) = as_json(r)["findings"]
    assert (f["code"], f["file"], f["project"], f["field"]) == (code, "gtx.yaml", None, field)
    assert en in f["message"]
    assert isinstance(f["line"], int) and f["line"] >= 1


@pytest.mark.parametrize("text", ["", "# 只有注释\n", "city: 格尔木市\n", "policy:\n  filing_days: 0\n"])
def test_settings_that_are_fine(cli: Cli, tmp_path: Path, text: str) -> None:
    repo = copy_case("valid/base-approved", tmp_path / "repo")
    (repo / "gtx.yaml").write_text(text, "utf-8")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stdout


def test_changed_since_finds_untracked_projects_and_settings(cli: Cli, two_projects: Path) -> None:
    # a project made with gtx new and not yet added to git, and a gtx.yaml git does not know
    repo = two_projects
    src = repo / "dossiers" / PID
    new = repo / "dossiers" / "2025-new-untracked"
    shutil.copytree(src, new)
    text = (new / "project.yaml").read_text("utf-8").replace(f"id: {PID}", "id: 2025-new-untracked")
    (new / "project.yaml").write_text(text, "utf-8")
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == 1
    assert {f["project"] for f in as_json(r)["findings"]} <= {"2025-new-untracked"}
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "new project")
    git(repo, "rm", "-q", "--cached", "gtx.yaml")  # still on disk, no longer known to git
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json")
    assert as_json(r)["checked"] == len([p for p in (repo / "dossiers").iterdir() if p.is_dir()])
