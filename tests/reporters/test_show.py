"""gtx show: fields, documents and a timeline whose signers and commits come from git."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.yamledit import NewHistoryEntry as Entry
from golmud_cli.edges.yamledit import advance_text
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    Life,
    add_documents,
    commit,
    git,
    make_repo,
    project_file,
    use_key,
)

runner = CliRunner()


def show(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["show", PROJECT, *args, "--repo", str(repo), "--as-of", AS_OF, "--lang", lang])


def signed_steps(repo: Path, keys: dict[str, Key], n: int) -> list[str]:
    shas = []
    for s in Life.STEPS[:n]:
        add_documents(repo, s.docs)
        use_key(repo, keys[s.key])
        r = runner.invoke(app, ["advance", PROJECT, s.stage, "--date", s.date, "--repo", str(repo),
                                "--as-of", AS_OF, "--include-changes", *[a for x in s.refs for a in ("--ref", x)]])
        assert r.exit_code == 0, r.output
        shas.append(git(repo, "rev-parse", "HEAD"))
    return shas


def test_timeline_has_signers_and_commits(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    shas = signed_steps(repo, keys, 3)
    r = show(repo, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["project"] == PROJECT and data["stage"] == "filed"
    assert data["next"] == ["procuring", "suspended", "terminated"]
    assert [t["commit"] for t in data["timeline"]] == shas
    assert [(t["from"], t["stage"], t["role"], t["signer"], t["signature"]) for t in data["timeline"]] == [
        ("draft", "proposed", "unit", "unit", "good"),
        ("proposed", "approved", "ndrc", "ndrc", "good"),
        ("approved", "filed", "gov_office", "gov_office", "good"),
    ]
    kinds = {d["kind"]: d["exists"] for d in data["documents"]}
    assert kinds["approval_reply"] is True and kinds["filing_form"] is True
    assert data["fields"]["budget_wan"] == 395 and "history" not in data["fields"]
    text = show(repo).output
    assert f"2023-09-12  approved → filed  gov_office (the city government office)  gov_office  {shas[2][:10]}  signed" in text
    zh = show(repo, lang="zh").output
    assert "时间线：" in zh and "签名有效" in zh and "已备案" in zh


def test_unsigned_unlisted_and_uncommitted_entries(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    signed_steps(repo, keys, 1)
    path = project_file(repo)
    add_documents(repo, ("approval_reply",))
    path.write_text(advance_text(path.read_text("utf-8"), Entry("approved", "2023-08-30", "ndrc")), "utf-8")
    commit(repo, "approved by hand, unsigned")
    path.write_text(advance_text(path.read_text("utf-8"), Entry("filed", "2023-09-12", "gov_office")), "utf-8")
    commit(repo, "filed by a stranger", key=keys["stranger"])
    path.write_text(advance_text(path.read_text("utf-8"), Entry("suspended", "2023-09-20", "ndrc")), "utf-8")
    data = json.loads(show(repo, "--format", "json").stdout)
    assert [t["signature"] for t in data["timeline"]] == ["good", "unsigned", "unlisted", "uncommitted"]
    assert data["timeline"][2]["signer"].startswith("SHA256:")
    assert data["timeline"][3]["commit"] is None
    assert data["resume_to"] == "filed"
    text = show(repo, lang="zh").output
    assert "未签名" in text and "密钥未登记" in text and "尚未提交" in text


def test_outside_git_there_are_no_signers(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    signed_steps(repo, keys, 1)
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    r = runner.invoke(app, ["show", PROJECT, "--repo", str(plain), "--lang", "en", "--as-of", AS_OF])
    assert r.exit_code == 0, r.output
    assert "not in a git repository" in r.output and "draft → proposed" in r.output


def test_unknown_project_and_bad_format(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    r = runner.invoke(app, ["show", "nope-nope", "--repo", str(repo), "--lang", "en"])
    assert r.exit_code == 2 and "no project nope-nope" in r.output
    r = show(repo, "--format", "xml")
    assert r.exit_code == 2 and "--format" in r.output
