"""gtx runs git with an empty graft file (history is what the objects say,
docs/security.md); git then writes a hint that grafts are deprecated on every command
that reads a commit, and a message built from git's words would show it to a clerk.
No such hint reaches gtx's output or its error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from golmud_cli.edges.git import GitError, git
from tests.support.git import commit, git_env_fixture  # noqa: F401
from tests.support.git import git as plain_git


@pytest.fixture
def repo(tmp_path: Path, git_env: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    plain_git(r, "init", "-q", "-b", "main")
    (r / "a.txt").write_text("a\n")
    commit(r, "first")
    return r


def test_a_command_that_reads_commits_says_no_hint(repo: Path) -> None:
    out = git(repo, "log", "--format=%s")
    assert out.stdout.decode().strip() == "first"
    assert b"hint" not in out.stderr and b"graft" not in out.stderr


def test_a_failing_command_is_worded_without_the_hint(repo: Path) -> None:
    with pytest.raises(GitError) as e:
        git(repo, "log", "--format=%s", "HEAD~5")
    assert "graft" not in e.value.en and "hint" not in e.value.en
    assert "HEAD~5" in e.value.en  # git's own words are still there
