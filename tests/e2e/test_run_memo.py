"""A kept run (golmud_cli/edges/cache/runs.py): the same command, with nothing it read
changed, is answered with the bytes it wrote before; any change to what it read, or to
the date, the environment or the command line, and it runs again.

Each test plants a marker in the kept output: seeing the marker proves the answer came
from the memo; not seeing it after a change, and seeing what a run without memos
prints, proves the change was noticed. The real program runs (`python -m golmud_cli`)
on the sample dossiers committed in a real git repository.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.edges.cache import runs
from tests.conftest import CASES, ROOT

AS_OF = "2026-11-30"
MARK = b"MEMO-MARKER\n"
F003_CASE = CASES / "valid" / "F003-recorded-sha256-matches" / "dossiers" / "2024-smart-parking"

SCENARIOS = (
    "replay",
    "edit_in_place",
    "attachment_removed",
    "hashed_overwritten",
    "gitattributes_in_project",
    "settings_edited",
    "folder_copied",
    "folder_made_link",
    "other_day",
    "other_env",
    "deadlines",
    "status",
    "not_kept",
    "racy",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GTX_", "GIT_"))}
    env.update(
        NO_COLOR="1",
        COLUMNS="100",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    env.update(extra)
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True)


def _make(root: Path) -> Path:
    repo = root
    repo.mkdir()
    shutil.copytree(ROOT / "dossiers", repo / "dossiers", symlinks=True)
    shutil.copytree(F003_CASE, repo / "dossiers" / F003_CASE.name, symlinks=True)
    shutil.copy(ROOT / "gtx.yaml", repo / "gtx.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "samples")
    return repo


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One settled repository per test: made together, then one wait until every file
    is older than the racy window (a run does not keep what it read if it changed within
    it), instead of one wait per test."""
    base = tmp_path_factory.mktemp("memo")
    made = {name: _make(base / name) for name in SCENARIOS}
    newest = max(
        os.lstat(os.path.join(d, f)).st_ctime_ns
        for repo in made.values()
        for d, _dirs, files in os.walk(repo)
        for f in [".", *files]
    )
    wait = (newest + runs.RACY_NS - time.time_ns()) / 1e9 + 0.1
    if wait > 0:
        time.sleep(wait)
    return made


class Out:
    def __init__(self, proc: subprocess.CompletedProcess[bytes]) -> None:
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr


def gtx(repo: Path, *args: str, env: dict[str, str] | None = None) -> Out:
    proc = subprocess.run(
        [sys.executable, "-m", "golmud_cli", *args],
        cwd=repo,
        env=env or _env(),
        capture_output=True,
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return Out(proc)


def memos(repo: Path) -> list[Path]:
    d = repo / ".git" / "gtx-cache" / runs.RUNS_DIR
    return sorted(p for p in d.iterdir() if not p.name.startswith(".")) if d.is_dir() else []


def plant(repo: Path) -> None:
    """Replace what each kept run wrote by MARK, on stdout."""
    for path in memos(repo):
        data = path.read_bytes()
        m = list(marshal.loads(data[len(runs.MAGIC) :]))
        m[-2] = ((1, MARK),)  # what was written; the exit code comes last
        path.write_bytes(runs.MAGIC + marshal.dumps(tuple(m)))


def kept(repo: Path, *args: str) -> Out:
    """Run the command (it keeps its output), check a memo was kept, plant the marker."""
    first = gtx(repo, *args)
    assert len(memos(repo)) == 1, "the run was not kept"
    plant(repo)
    return first


def test_the_same_command_is_answered_from_the_memo(repos: dict[str, Path]) -> None:
    repo = repos["replay"]
    first = gtx(repo, "validate", "--as-of", AS_OF)
    again = gtx(repo, "validate", "--as-of", AS_OF)
    # the replayed answer is the same bytes on both streams and the same exit code
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    assert first.out and len(memos(repo)) == 1
    plant(repo)
    assert gtx(repo, "validate", "--as-of", AS_OF).out == MARK
    # --as-of's date is not part of the key: a day on which every result holds is
    # answered too (the first run of a new day)
    assert gtx(repo, "validate", "--as-of=" + AS_OF).out == MARK
    # the last day the kept answer holds on is answered; the day after is not
    m = marshal.loads(memos(repo)[0].read_bytes()[len(runs.MAGIC) :])
    lo, hi = m[1], m[2]
    assert lo <= dt.date.fromisoformat(AS_OF).toordinal() <= hi
    if hi < runs.MAX_DAY:
        assert gtx(repo, "validate", "--as-of", dt.date.fromordinal(hi).isoformat()).out == MARK
        after = dt.date.fromordinal(hi + 1).isoformat()
        assert gtx(repo, "validate", "--as-of", after).out != MARK
    # GTX_RUN_MEMO=0 runs the command, and prints what the memo held before the marker
    off = gtx(repo, "validate", "--as-of", AS_OF, env=_env(GTX_RUN_MEMO="0"))
    assert (off.code, off.out) == (first.code, first.out)


def _edit_in_place(repo: Path) -> None:
    # same size, same inode: only the stamps' mtime and ctime move
    p = repo / "dossiers" / "2025-smart-parking" / "project.yaml"
    text = p.read_bytes()
    assert b"budget_wan: " in text
    i = text.index(b"budget_wan: ") + len(b"budget_wan: ")
    with open(p, "r+b") as f:  # a digit of the budget becomes a letter: not a number
        f.seek(i)
        f.write(b"x")


def _attachment_removed(repo: Path) -> None:
    (repo / "dossiers" / "2025-smart-parking" / "attachments" / "contract.pdf").unlink()


def _hashed_overwritten(repo: Path) -> None:
    p = repo / "dossiers" / "2024-smart-parking" / "attachments" / "proposal.pdf"
    data = p.read_bytes()
    with open(p, "r+b") as f:  # same size, same inode, other bytes: F003
        f.write(bytes([data[0] ^ 1]))


def _gitattributes_in_project(repo: Path) -> None:
    (repo / "dossiers" / "2025-smart-parking" / ".gitattributes").write_text(
        "project.yaml eol=crlf\n", encoding="utf-8"
    )


def _settings_edited(repo: Path) -> None:
    with open(repo / "gtx.yaml", "a", encoding="utf-8") as f:
        f.write("# a comment changes no finding, but gtx.yaml was read\n")


def _folder_copied(repo: Path) -> None:
    shutil.copytree(
        repo / "dossiers" / "2025-smart-parking", repo / "dossiers" / "2025-smart-parking-copy"
    )


def _folder_made_link(repo: Path) -> None:
    # the very same files behind a link: project.yaml's own stamp does not move
    src = repo / "dossiers" / "2025-smart-parking"
    away = repo.parent / "away-smart-parking"
    os.rename(src, away)
    os.symlink(away, src)


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit_in_place": _edit_in_place,
    "attachment_removed": _attachment_removed,
    "hashed_overwritten": _hashed_overwritten,
    "gitattributes_in_project": _gitattributes_in_project,
    "settings_edited": _settings_edited,
    "folder_copied": _folder_copied,
    "folder_made_link": _folder_made_link,
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_change_to_what_the_run_read_runs_it_again(repos: dict[str, Path], name: str) -> None:
    repo = repos[name]
    before = kept(repo, "validate", "--as-of", AS_OF)
    CHANGES[name](repo)
    after = gtx(repo, "validate", "--as-of", AS_OF)
    fresh = gtx(repo, "validate", "--as-of", AS_OF, env=_env(GTX_RUN_MEMO="0"))
    assert after.out != MARK
    assert (after.code, after.out, after.err) == (fresh.code, fresh.out, fresh.err)
    if name not in ("settings_edited",):
        assert after.out != before.out  # each of these changes what validate reports


def test_another_day_or_environment_runs_it_again(repos: dict[str, Path]) -> None:
    repo = repos["other_day"]
    kept(repo, "validate", "--as-of", AS_OF)
    later = gtx(repo, "validate", "--as-of", "2031-06-30")
    assert later.out != MARK
    assert (
        later.out == gtx(repo, "validate", "--as-of", "2031-06-30", env=_env(GTX_RUN_MEMO="0")).out
    )
    repo = repos["other_env"]
    kept(repo, "validate", "--as-of", AS_OF)
    english = gtx(repo, "validate", "--as-of", AS_OF, env=_env(GTX_LANG="en"))
    assert english.out != MARK and b"error" in english.out
    assert gtx(repo, "validate", "--as-of", AS_OF, "--lang", "en").out != MARK


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("deadlines", ("deadlines", "--as-of", AS_OF)),
        ("status", ("status", "--format", "json", "--as-of", AS_OF)),
    ],
    ids=["deadlines", "status"],
)
def test_reports_are_kept_for_their_day(
    repos: dict[str, Path], name: str, args: tuple[str, ...]
) -> None:
    repo = repos[name]
    first = kept(repo, *args)
    assert first.out
    assert gtx(repo, *args).out == MARK
    # days_left changes every day: another day is never answered from the memo
    nxt = [a if a != AS_OF else "2026-12-01" for a in args]
    assert gtx(repo, *nxt).out != MARK


def test_what_is_not_kept(repos: dict[str, Path]) -> None:
    repo = repos["not_kept"]
    for args in (
        ("validate", "--as-of", AS_OF, "--no-cache"),
        ("validate", "--as-of", AS_OF, "--format", "github"),
        ("validate", "--as-of", AS_OF, "--changed-since", "HEAD"),
        ("deadlines", "--as-of", AS_OF, "--format", "ics"),
        ("validate", "--as-of", "2026-11-31"),  # no such day: a usage error, exit 2
    ):
        gtx(repo, *args)
        assert memos(repo) == [], args


def test_a_file_changed_just_before_the_run_is_not_trusted(repos: dict[str, Path]) -> None:
    repo = repos["racy"]
    _edit_in_place(repo)  # within the racy window of the run that follows
    gtx(repo, "validate", "--as-of", AS_OF)
    assert memos(repo) == []


def test_version_without_the_cli_says_what_the_cli_says(tmp_path: Path, cli: Any) -> None:
    from golmud_cli import __version__

    fast = gtx(tmp_path, "--version")  # answered by entry.py before typer is loaded
    slow = gtx(tmp_path, "--version", "--lang", "en")  # through cli.py's eager option
    assert (fast.code, fast.out, fast.err) == (0, f"gtx {__version__}\n".encode(), b"")
    assert (slow.code, slow.out) == (fast.code, fast.out)
    assert cli("--version").stdout.encode() == fast.out


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_disk_ends_a_replay_as_it_ends_the_command(repos: dict[str, Path]) -> None:
    repo = repos["replay"]
    args = [sys.executable, "-m", "golmud_cli", "validate", "--as-of", AS_OF, "--lang", "en"]
    subprocess.run(args, cwd=repo, env=_env(), capture_output=True, check=False)  # kept
    assert memos(repo)
    ends = []
    for env in (_env(), _env(GTX_RUN_MEMO="0")):
        with open("/dev/full", "wb") as full:
            p = subprocess.run(
                args, cwd=repo, env=env, stdout=full, stderr=subprocess.PIPE, check=False
            )
        ends.append((p.returncode, p.stderr))
    assert ends[0] == ends[1]
    assert (
        ends[0][0] == 3
        and b"No space left on device" in ends[0][1]
        and b"Traceback" not in ends[0][1]
    )


def test_ctrl_c_while_answering_ends_as_a_command_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from golmud_cli import entry

    monkeypatch.setattr(sys, "argv", ["gtx", "validate", "--lang", "en"])

    def interrupted(fd: int, data: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry.os, "write", interrupted)
    assert entry._replay([(1, b"x")], 0) == 130
    assert capsys.readouterr().err.strip() == "interrupted."


def _generated(repo: Path, n: int = 240) -> None:
    """n bench dossiers (over the threshold: a cold run checks them in forked workers),
    older than the racy window when this returns."""
    from bench import generate

    env = _env()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        generate.generate(repo, n)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    newest = max(
        os.lstat(os.path.join(d, f)).st_ctime_ns for d, _, files in os.walk(repo) for f in [".", *files]
    )
    time.sleep(max(0.0, (newest + runs.RACY_NS - time.time_ns()) / 1e9 + 0.1))


def test_a_run_checked_by_workers_is_kept_and_let_go_as_one_checked_here(tmp_path: Path) -> None:
    # Over 200 dossiers the checks run in forked workers, which stamp what they read
    # for the kept run (pipeline/batch.py: _check_one, _group_note): the run is kept,
    # answered again, and not answered after an attachment or a project.yaml changes.
    repo = tmp_path / "many"
    _generated(repo)
    first = kept(repo, "validate", "--as-of", AS_OF)
    assert gtx(repo, "validate", "--as-of", AS_OF).out == MARK
    folder = next(p.parent for p in sorted(repo.glob("dossiers/*/attachments/*.pdf")))
    pdf = next(folder.glob("*.pdf"))
    pdf.unlink()
    after = gtx(repo, "validate", "--as-of", AS_OF)
    assert after.out not in (MARK, first.out)
    assert pdf.name.encode() in after.out  # F001: the file it names is missing
    fresh = gtx(repo, "validate", "--as-of", AS_OF, env=_env(GTX_RUN_MEMO="0"))
    assert (after.code, after.out) == (fresh.code, fresh.out)
    # a project.yaml the last group of the workers read, edited in place (same size,
    # a day of its history moved): its own stamp moved, the run is not answered
    kept(repo, "validate", "--as-of", AS_OF)
    last = sorted(repo.glob("dossiers/*/project.yaml"))[-1]
    text = last.read_text("utf-8")
    old = next(line for line in text.splitlines() if "date: 20" in line)
    last.write_text(text.replace(old, old[:-1] + ("1" if old[-1] != "1" else "2"), 1), "utf-8")
    edited = gtx(repo, "validate", "--as-of", AS_OF)
    assert edited.out != MARK
    assert edited.out == gtx(repo, "validate", "--as-of", AS_OF, env=_env(GTX_RUN_MEMO="0")).out


def test_a_file_a_worker_read_just_before_the_run_keeps_no_run(tmp_path: Path) -> None:
    # A project.yaml changed within the racy window before a cold run on several
    # cores: the worker that read it cannot vouch for its stamp (runs.stamped), so
    # the run is not kept, as when the run checks it here.
    repo = tmp_path / "many"
    _generated(repo)
    target = sorted(repo.glob("dossiers/*/project.yaml"))[100]
    target.write_bytes(target.read_bytes())
    out = gtx(repo, "validate", "--as-of", AS_OF, "--jobs", "2")
    assert out.code in (0, 1) and out.out
    assert memos(repo) == []
    time.sleep(runs.RACY_NS / 1e9 + 0.1)
    kept(repo, "validate", "--as-of", AS_OF, "--jobs", "2")  # old enough now: kept


def test_a_gitattributes_added_after_a_cold_run_on_several_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cold run of many dossiers on two cores: the workers looked for each project
    # folder's .gitattributes (pipeline/batch.py), not this process. One added to a
    # project folder afterwards still makes the next run run again.
    from bench import generate
    from golmud_cli.pipeline.parallel import THRESHOLD

    for k, v in _env().items():
        if k.startswith("GIT_"):
            monkeypatch.setenv(k, v)
    repo = tmp_path / "repo"
    generate.generate(repo, THRESHOLD + 40, invalid=0.0)  # every result cacheable: kept
    newest = max(
        os.lstat(os.path.join(d, f)).st_ctime_ns for d, _, files in os.walk(repo) for f in [".", *files]
    )
    time.sleep(max(0.0, (newest + runs.RACY_NS - time.time_ns()) / 1e9 + 0.1))
    kept(repo, "validate", "--as-of", AS_OF, "--jobs", "2")
    folder = sorted((repo / "dossiers").iterdir())[7]
    (folder / ".gitattributes").write_text("project.yaml eol=crlf\n", encoding="utf-8")
    after = gtx(repo, "validate", "--as-of", AS_OF, "--jobs", "2")
    fresh = gtx(repo, "validate", "--as-of", AS_OF, "--jobs", "2", env=_env(GTX_RUN_MEMO="0"))
    assert after.out != MARK
    assert (after.code, after.out, after.err) == (fresh.code, fresh.out, fresh.err)
    assert f"dossiers/{folder.name}/.gitattributes".encode() in after.out
