"""Faults during `gtx advance`: afterwards the repository is unchanged or holds the
complete signed commit, and the next `gtx advance` or `gtx validate` says what
happened and how to recover (golmud_cli/edges/journal.py).

One test per fault: the process killed (SIGKILL) at each step between writing the
file and finishing the commit — through the test seam GTX_TEST_CRASH_AT for the steps
in gtx's own code, and for the steps inside `git commit` by a signing program or a
post-commit hook that kills gtx while git carries on; a full disk (a tiny tmpfs,
every amount of free space from none up to enough); a signing tool that fails; git's
index.lock held before or during the commit; a journal that cannot be read; HEAD
moved or the file edited since the crash.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from tests.conftest import ROOT
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    git,
    head,
    make_repo,
    project_file,
    status,
)

JOURNAL = Path(".git") / "gtx-advance.json"
DATE = "2023-07-25"


def advance_cli(repo: Path, stage: str = "proposed", lang: str = "en") -> Any:
    """In-process, as a clerk's next run would be."""
    return CliRunner().invoke(app, ["advance", PROJECT, stage, "--date", DATE, "--repo", str(repo),
                                    "--as-of", AS_OF, "--lang", lang, "--include-changes"], env={"GTX_LANG": None})


def advance_proc(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """In a process of its own, so that it can be killed."""
    cmd = [sys.executable, "-m", "golmud_cli", "advance", PROJECT, "proposed", "--date", DATE,
           "--repo", str(repo), "--as-of", AS_OF, "--lang", "en", "--include-changes"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, **env})


def validate_cli(repo: Path, lang: str) -> Any:
    return CliRunner().invoke(app, ["validate", "--repo", str(repo), "--as-of", AS_OF, "--lang", lang,
                                    "--no-cache"], env={"GTX_LANG": None})


def snapshot(repo: Path) -> tuple[str, str, bytes, str]:
    return head(repo), status(repo), project_file(repo).read_bytes(), git(repo, "ls-files", "-s")


def leftovers(repo: Path) -> list[str]:
    """What gtx must never leave behind once it is done."""
    found = [p.name for p in (repo / ".git").glob("gtx-*") if p.name != "gtx-cache"]
    found += [p.name for p in project_file(repo).parent.glob(".*.tmp")]
    return sorted(found)


def assert_unchanged(repo: Path, snap: tuple[str, str, bytes, str]) -> None:
    assert snapshot(repo) == snap
    assert leftovers(repo) == []


def assert_committed(repo: Path, before: str) -> None:
    """One new commit, signed by a key gtx.yaml lists for the role, holding the whole
    transition; the working tree and index follow it."""
    assert git(repo, "rev-list", "--count", f"{before}..HEAD") == "1"
    assert git(repo, "show", "-s", "--format=%(trailers:key=Gtx-Transition,valueonly)", "HEAD") == "draft -> proposed"
    res = CliRunner().invoke(app, ["verify", f"{before}..HEAD", "--repo", str(repo), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert status(repo) == ""
    assert "- stage: proposed" in git(repo, "show", f"HEAD:dossiers/{PROJECT}/project.yaml")
    assert leftovers(repo) == []


def told_by_validate(repo: Path, zh: str, en: str) -> None:
    """validate reports the interrupted advance in both languages and changes nothing."""
    snap = snapshot(repo)
    for lang, words in (("zh", zh), ("en", en)):
        res = validate_cli(repo, lang)
        assert res.exit_code in (0, 1)
        assert words in res.stderr and "gtx advance" in res.stderr, res.stderr
    assert snapshot(repo) == snap and (repo / JOURNAL).exists()


@pytest.fixture
def repo(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> Path:
    return make_repo(tmp_path / "r", keys)


# --- killed (SIGKILL) at each step ----------------------------------------------------------


@pytest.mark.parametrize("step", ["journal", "inside atomic_write", "written"])
def test_killed_before_the_commit_is_rolled_back(repo: Path, step: str) -> None:
    snap = snapshot(repo)
    proc = advance_proc(repo, GTX_TEST_CRASH_AT="journal" if step == "inside atomic_write" else step)
    assert proc.returncode == -9, proc.stderr
    if step == "inside atomic_write":
        # killed between atomic_write's mkstemp and its rename: a half-written temporary
        # file beside project.yaml, which `git add -A` of the folder would commit
        stray = project_file(repo).with_name(".project.yaml.k3x9_tmp.tmp")
        stray.write_bytes(project_file(repo).read_bytes()[:100])
    assert (repo / JOURNAL).exists() and head(repo) == snap[0]
    told_by_validate(repo, "HEAD 未变，没有提交", "HEAD did not move; nothing was committed")
    # the next advance rolls back first: shown by one that is then refused
    res = advance_cli(repo, "approved")
    assert res.exit_code == 1, res.output
    assert "the repository is as it was before" in res.stderr, res.stderr
    assert_unchanged(repo, snap)
    # and a clerk's retry goes through, as one signed commit
    res = advance_cli(repo, "proposed", lang="zh")
    assert res.exit_code == 0, res.output
    assert_committed(repo, snap[0])


def test_killed_after_the_commit_finishes_its_bookkeeping(repo: Path) -> None:
    before = head(repo)
    proc = advance_proc(repo, GTX_TEST_CRASH_AT="committed")
    assert proc.returncode == -9, proc.stderr
    assert head(repo) != before and (repo / JOURNAL).exists()
    told_by_validate(repo, "签名提交已经完成", "The signed commit was made")
    res = advance_cli(repo, "proposed", lang="zh")
    assert "签名提交已经完成" in res.stderr and "已完成收尾" in res.stderr, res.stderr
    assert res.exit_code == 1  # already proposed: nothing more to do
    assert_committed(repo, before)


def killer(tmp_path: Path, then: str) -> Path:
    """A program that kills gtx (the parent of the git that runs it) and then `then`."""
    script = tmp_path / "kill-gtx.sh"
    script.write_text(
        "#!/bin/sh\n"
        "git_pid=$PPID\n"
        "gtx_pid=$(awk '{print $4}' /proc/$git_pid/stat)\n"
        "kill -9 \"$gtx_pid\"\n"
        "sleep 0.2\n"
        f"{then}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def git_settles(repo: Path, moved_from: str | None = None) -> None:
    """Wait (30 s at most) for the git that outlived gtx to finish: no lock of its own
    left, and HEAD moved on when the commit is to land."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        g = repo / ".git"
        locks = [*g.glob("gtx-index.*.lock"), *g.glob("index.lock"), *g.glob("HEAD.lock"),
                 *g.glob("refs/**/*.lock")]
        if not locks and (moved_from is None or head(repo) != moved_from):
            return
        time.sleep(0.05)
    raise AssertionError("git did not finish")


def test_killed_while_git_signs_and_the_commit_lands(repo: Path, tmp_path: Path) -> None:
    # gtx dies inside `git commit -S`; git and the signing carry on and the commit lands
    before = head(repo)
    git(repo, "config", "gpg.ssh.program", str(killer(tmp_path, 'exec ssh-keygen "$@"')))
    proc = advance_proc(repo)
    assert proc.returncode == -9, proc.stderr
    git_settles(repo, moved_from=before)  # the commit lands after gtx died
    git(repo, "config", "--unset", "gpg.ssh.program")
    told_by_validate(repo, "签名提交已经完成", "The signed commit was made")
    res = advance_cli(repo)
    assert "the signed commit had been made" in res.stderr, res.stderr
    assert_committed(repo, before)


def test_killed_while_git_signs_and_the_signing_fails(repo: Path, tmp_path: Path) -> None:
    snap = snapshot(repo)
    git(repo, "config", "gpg.ssh.program", str(killer(tmp_path, "exit 1")))
    proc = advance_proc(repo)
    assert proc.returncode == -9, proc.stderr
    git_settles(repo)
    git(repo, "config", "--unset", "gpg.ssh.program")
    assert head(repo) == snap[0]
    told_by_validate(repo, "HEAD 未变", "HEAD did not move")
    res = advance_cli(repo, "approved")
    assert "put back as it was" in res.stderr, res.stderr
    assert_unchanged(repo, snap)


def test_killed_after_the_commit_before_the_index_follows(repo: Path, tmp_path: Path) -> None:
    # a post-commit hook kills gtx: the commit is made, the real index never updated
    before = head(repo)
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(killer(tmp_path, "exit 0").read_text())
    hook.chmod(0o755)
    proc = advance_proc(repo)
    assert proc.returncode == -9, proc.stderr
    git_settles(repo, moved_from=before)
    hook.unlink()
    assert status(repo) != ""  # the index still holds the old file
    res = advance_cli(repo)
    assert "the signed commit had been made" in res.stderr, res.stderr
    assert_committed(repo, before)


def test_head_moved_since_the_crash_is_left_to_the_user(repo: Path) -> None:
    before = head(repo)
    assert advance_proc(repo, GTX_TEST_CRASH_AT="written").returncode == -9
    # the clerk commits the half-made transition by hand, unsigned
    git(repo, "-c", "commit.gpgsign=false", "commit", "-qam", "by hand")
    moved = snapshot(repo)
    for lang, words in (("zh", "HEAD 已移动"), ("en", "HEAD has moved")):
        res = advance_cli(repo, lang=lang)
        assert res.exit_code == 2, res.output
        assert words in res.stderr and f"git log {before[:10]}..HEAD" in res.stderr, res.stderr
        assert "gtx-advance.before" in res.stderr
    assert snapshot(repo) == moved  # nothing touched
    told_by_validate(repo, "HEAD 已移动", "HEAD has moved")


def test_file_edited_since_the_crash_is_not_overwritten(repo: Path) -> None:
    assert advance_proc(repo, GTX_TEST_CRASH_AT="written").returncode == -9
    edited = project_file(repo).read_bytes() + "# 经办人事后的修改\n".encode()
    project_file(repo).write_bytes(edited)
    res = advance_cli(repo, lang="zh")
    assert res.exit_code == 2 and "又被修改过" in res.stderr, res.stderr
    assert project_file(repo).read_bytes() == edited
    assert (repo / ".git" / "gtx-advance.before").exists()


def test_unreadable_journal_is_reported(repo: Path) -> None:
    snap = snapshot(repo)
    (repo / JOURNAL).write_bytes(b"\x00{not json")
    for lang, words in (("zh", "无法读取"), ("en", "cannot be read")):
        res = advance_cli(repo, lang=lang)
        assert res.exit_code == 2 and words in res.stderr and "gtx-advance.json" in res.stderr
        res = validate_cli(repo, lang)
        assert words in res.stderr
    assert snapshot(repo) == snap


# --- the signing tool fails -----------------------------------------------------------------


def test_signing_tool_exits_1(repo: Path, tmp_path: Path) -> None:
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\necho 'signing refused by the token' >&2\nexit 1\n")
    failing.chmod(0o755)
    git(repo, "config", "gpg.ssh.program", str(failing))
    snap = snapshot(repo)
    for lang, words in (("en", "signing failed"), ("zh", "签名失败")):
        res = advance_cli(repo, lang=lang)
        assert res.exit_code == 2, res.output
        assert words in res.stderr and "signing refused by the token" in res.stderr
        assert_unchanged(repo, snap)
    told = validate_cli(repo, "en")
    assert "gtx advance" not in told.stderr  # nothing left to report


# --- git's index.lock -----------------------------------------------------------------------


def test_index_lock_held_before(repo: Path) -> None:
    lock = repo / ".git" / "index.lock"
    holder = subprocess.Popen(["sleep", "30"])  # "another git" holding the lock
    try:
        lock.write_text("")
        snap = snapshot(repo)
        for lang, words in (("en", "index.lock exists"), ("zh", "index.lock 存在")):
            res = advance_cli(repo, lang=lang)
            assert res.exit_code == 2 and words in res.stderr, res.output
            assert_unchanged(repo, snap)
    finally:
        holder.kill()
        holder.wait()
        lock.unlink()
    before = head(repo)
    assert advance_cli(repo).exit_code == 0
    assert_committed(repo, before)


def advance_while_signing(repo: Path, tmp_path: Path, meanwhile: str) -> Any:
    """advance_cli with a signing program that first runs the shell line `meanwhile`
    (another git at work while gtx signs), then ssh-keygen."""
    program = tmp_path / "meanwhile.sh"
    program.write_text(f"#!/bin/sh\n{meanwhile}\nexec ssh-keygen \"$@\"\n")
    program.chmod(0o755)
    git(repo, "config", "gpg.ssh.program", str(program))
    try:
        return advance_cli(repo)
    finally:
        git(repo, "config", "--unset", "gpg.ssh.program")


def test_index_lock_taken_during_the_commit(repo: Path, tmp_path: Path) -> None:
    # another git takes the index while gtx signs: the commit is whole; gtx says the
    # index is stale and what to run once the other git is done
    lock = repo / ".git" / "index.lock"
    before = head(repo)
    res = advance_while_signing(repo, tmp_path, f": > '{lock}'")
    assert res.exit_code == 0, res.output
    assert "another git held the index" in res.stderr and f"git reset -q -- dossiers/{PROJECT}" in res.stderr
    lock.unlink()
    git(repo, "reset", "-q", "--", f"dossiers/{PROJECT}")
    assert_committed(repo, before)


def test_index_changed_during_the_commit_keeps_that_change(repo: Path, tmp_path: Path) -> None:
    # another git stages a file in the real index while gtx signs: gtx's commit holds
    # the project's folder only, and afterwards the real index holds both that file
    # and the folder as committed (gtx must not put its own copy of the index back)
    (repo / "notes.txt").write_text("经办人的备注\n", "utf-8")
    before = head(repo)
    res = advance_while_signing(
        repo, tmp_path, f"GIT_INDEX_FILE='{repo}/.git/index' git -C '{repo}' add notes.txt"
    )
    assert res.exit_code == 0, res.output
    assert git(repo, "diff", "--name-only", f"{before}..HEAD").split() == [f"dossiers/{PROJECT}/project.yaml"]
    assert git(repo, "status", "--porcelain", "--untracked-files=no").splitlines() == ["A  notes.txt"]
    assert leftovers(repo) == []


def test_a_split_index_follows_the_commit(repo: Path) -> None:
    # core.splitIndex: the index names a shared part; gtx leaves it to git add
    git(repo, "update-index", "--split-index")
    before = head(repo)
    assert advance_cli(repo).exit_code == 0
    assert_committed(repo, before)
    assert list((repo / ".git").glob("sharedindex.*"))
    assert git(repo, "status", "--porcelain") == ""


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (needs root); skipped where it cannot be mounted."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + proc.stderr.decode(errors="replace").strip())
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk, then free `leave` pages of 4 KB."""
    (disk / "filler").unlink(missing_ok=True)
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    size = (disk / "filler").stat().st_size
    os.truncate(disk / "filler", max(0, size - leave * 4096))


def test_disk_full_at_every_amount_of_free_space(tiny_disk: Path, keys: dict[str, Key], git_env: Path) -> None:
    repo = make_repo(tiny_disk / "r", keys)
    git(repo, "config", "gc.auto", "0")
    start = snapshot(repo)
    outcomes = []
    for leave in range(0, 40):
        fill(tiny_disk, leave)
        res = advance_cli(repo)
        (tiny_disk / "filler").unlink()
        if res.exit_code == 0:
            outcomes.append("committed")
            assert_committed(repo, start[0])
            break
        outcomes.append("refused")
        assert res.exit_code == 2, (leave, res.output)
        assert "disk may be full" in res.stderr and "Nothing was changed" in res.stderr, (leave, res.stderr)
        assert_unchanged(repo, start)
        assert validate_cli(repo, "en").stderr.count("gtx advance") == 0
    assert outcomes[0] == "refused" and outcomes[-1] == "committed", outcomes
    # the same refusal, in Chinese
    git(repo, "reset", "-q", "--hard", start[0])
    fill(tiny_disk, 0)
    res = advance_cli(repo, lang="zh")
    (tiny_disk / "filler").unlink()
    assert res.exit_code == 2 and "磁盘可能已满" in res.stderr and "未做任何修改" in res.stderr, res.stderr


def test_disk_full_when_only_the_branch_is_left_to_write(
    tiny_disk: Path, keys: dict[str, Key], git_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills while git signs, and the commit object is already stored (the same
    # commit made before: fixed dates, and an SSH signature is deterministic), so the
    # first write to fail is the branch's lock file, where git says only "couldn't
    # write '...lock'" without the reason (CI saw this as "signing failed" once).
    for var in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(var, "2026-12-01T10:00:00+08:00")
    repo = make_repo(tiny_disk / "r", keys)
    git(repo, "config", "gc.auto", "0")
    start = snapshot(repo)
    assert advance_cli(repo).exit_code == 0
    git(repo, "reset", "-q", "--hard", start[0])
    filler = tiny_disk / "filler"
    try:
        res = advance_while_signing(
            repo, tiny_disk.parent, f"dd if=/dev/zero of='{filler}' bs=4k 2>/dev/null"
        )
    finally:
        filler.unlink()
    assert res.exit_code == 2, res.output
    assert "couldn't write" in res.stderr and "disk may be full" in res.stderr, res.stderr
    assert "signing failed" not in res.stderr and "Nothing was changed" in res.stderr, res.stderr
    assert_unchanged(repo, start)
