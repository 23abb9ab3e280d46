"""How `gtx advance` makes its signed commit and asks git about the work tree
(golmud_cli/edges/git.py: commit_signed, StatusAhead, FolderChanges).

Where `git commit` would run no hook, gtx makes the commit itself (an index of the
folder alone, commit-tree -S, update-ref), without git commit's refresh of every
index entry: the same commit object byte for byte, the same reflog line and the
same index as `git commit -S` leaves. Where a hook would run, gtx runs `git commit`,
which runs it. The whole work tree's status, started before the imports, is reaped
on a refusal, not trusted once the index was written since, and never the ground of
a refusal by itself. All with real git and real ssh-keygen keys.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges import git as gitops
from golmud_cli.errors import UsageError
from golmud_cli.services import advancing
from tests.support import git as sg
from tests.support.git import AS_OF, PROJECT, Key, git, head, status

runner = CliRunner()
WHEN = "2026-11-20T10:00:00+08:00"  # both twins commit at this time: one commit id


def advance(where: Path, *extra: str):  # type: ignore[no-untyped-def]
    s = sg.Life.step("proposed")
    args = [PROJECT, "proposed", "--date", s.date, *[a for r in s.refs for a in ("--ref", r)]]
    return runner.invoke(app, ["advance", *args, "--repo", str(where), "--as-of", AS_OF, "--lang", "en",
                               "--include-changes", *extra])


def ready(repo: Path, keys: dict[str, Key]) -> None:
    sg.add_documents(repo, sg.Life.step("proposed").docs)
    sg.use_key(repo, keys[sg.Life.step("proposed").key])


def hook(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def seen(repo: Path) -> tuple[str, str, str, str, str]:
    """What a user sees of a commit: its id (tree, message, dates, signature in
    one), the reflog line, the index, the status, the branch."""
    return (head(repo), git(repo, "reflog", "-1", "--format=%gs"), git(repo, "ls-files", "-s"),
            status(repo), git(repo, "symbolic-ref", "HEAD"))


def nested(top: Path, keys: dict[str, Key]) -> Path:
    """A dossier repository in a folder of a larger work tree ("sub/")."""
    top.mkdir(parents=True)
    git(top, "init", "-q", "-b", "main")
    (top / "README.md").write_text("other things\n")
    sub = top / "sub"
    sub.mkdir()
    (sub / "gtx.yaml").write_text(sg.settings_yaml(keys), "utf-8")
    sg.write_draft(sub)
    sg.commit(top, "initial")
    return sub


def untracked_folder(repo: Path) -> None:
    """The dossier's folder on disk but in no commit yet (a new dossier)."""
    git(repo, "rm", "-r", "-q", "--cached", f"dossiers/{PROJECT}")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "dossier not yet committed")


@pytest.mark.parametrize("shape", ["plain", "nested", "new folder", "a file deleted"])
def test_the_commit_is_the_one_git_commit_makes(tmp_path: Path, git_env: Path, keys: dict[str, Key],
                                                 monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    if shape == "nested":
        where = nested(tmp_path / "a", keys)
    else:
        where = sg.make_repo(tmp_path / "a", keys)
        if shape == "new folder":
            untracked_folder(where)
        if shape == "a file deleted":  # listed " D", taken in with --include-changes
            note = sg.project_file(where).parent / "attachments" / "old-note.txt"
            note.write_text("superseded\n")
            sg.commit(where, "a note")
            note.unlink()
    top = tmp_path / "a"
    ready(where, keys)
    twin_top = tmp_path / "b"
    shutil.copytree(top, twin_top, symlinks=True)
    twin = twin_top / where.relative_to(top)
    # a hook that does nothing: the twin's advance goes through `git commit`
    ran = tmp_path / "hook-ran"
    hook(twin_top / ".git" / "hooks", "post-commit", f"echo ran >> '{ran}'")
    monkeypatch.setenv("GIT_AUTHOR_DATE", WHEN)
    monkeypatch.setenv("GIT_COMMITTER_DATE", WHEN)
    before = head(top)
    for repo in (where, twin):
        r = advance(repo)
        assert r.exit_code == 0, r.output
    assert ran.read_text() == "ran\n"  # the twin's commit was git commit's
    assert seen(top) == seen(twin_top)
    assert git(top, "rev-parse", "HEAD~1") == before
    assert git(top, "reflog", "-1", "--format=%gs").startswith(f"commit: {PROJECT}: draft -> proposed")
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(top, "cat-file", "commit", "HEAD")
    assert status(top) == ""
    assert sorted(p.name for p in (top / ".git").glob("gtx-*") if p.name != "gtx-cache") == []


@pytest.mark.parametrize("where", ["hooks", "core.hooksPath"])
def test_commit_hooks_run_as_git_commit_runs_them(tmp_path: Path, git_env: Path, keys: dict[str, Key],
                                                   where: str) -> None:
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    log = tmp_path / "hooks.log"
    folder = repo / ".git" / "hooks"
    if where == "core.hooksPath":
        folder = tmp_path / "shared-hooks"
        git(repo, "config", "core.hooksPath", str(folder))
    for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"):
        hook(folder, name, f"echo {name} >> '{log}'")
    r = advance(repo)
    assert r.exit_code == 0, r.output
    assert log.read_text().split() == ["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"]
    assert status(repo) == ""


def test_a_refusing_hook_changes_nothing(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    hook(repo / ".git" / "hooks", "pre-commit", "echo 'lint: no' >&2; exit 1")
    snap = (head(repo), status(repo), sg.project_file(repo).read_bytes(), git(repo, "ls-files", "-s"))
    r = advance(repo)
    assert r.exit_code == 2 and "lint: no" in r.output, r.output
    assert (head(repo), status(repo), sg.project_file(repo).read_bytes(), git(repo, "ls-files", "-s")) == snap
    assert not list((repo / ".git").glob("gtx-*index*")) and not (repo / ".git" / "gtx-advance.json").exists()


def test_a_configured_hook_takes_the_git_commit_way(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    # git 2.54 runs hooks named in the configuration (hook.<name>.event): gtx cannot
    # tell which git will run them, so any hook.* setting means `git commit`, which
    # writes .git/COMMIT_EDITMSG (gtx's own way does not)
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    msg = repo / ".git" / "COMMIT_EDITMSG"
    msg.unlink(missing_ok=True)
    r = advance(repo)
    assert r.exit_code == 0 and not msg.exists(), r.output
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    ready(repo, keys)
    git(repo, "config", "hook.lint.event", "pre-commit")
    git(repo, "config", "hook.lint.command", "true")
    r = advance(repo)
    assert r.exit_code == 0, r.output
    assert "draft -> proposed" in msg.read_text("utf-8")
    assert status(repo) == ""


def test_head_moved_meanwhile_is_not_overwritten(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    # the branch moves only from the commit the tree was made on (update-ref's old
    # value): a commit that lands in between is kept, and the advance changes nothing
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    other = tmp_path / "sign-late.sh"
    other.write_text("#!/bin/sh\n"
                     f"git -C '{repo}' -c commit.gpgsign=false commit -q --allow-empty -m 'meanwhile' >&2\n"
                     'exec ssh-keygen "$@"\n')
    other.chmod(0o755)
    git(repo, "config", "gpg.ssh.program", str(other))
    r = advance(repo)
    git(repo, "config", "--unset", "gpg.ssh.program")
    assert r.exit_code == 2, r.output
    assert git(repo, "log", "-1", "--format=%s") == "meanwhile"
    assert "proposed" not in git(repo, "show", f"HEAD:dossiers/{PROJECT}/project.yaml")
    assert not (repo / ".git" / "gtx-advance.json").exists()


# --- the status started before the imports ---------------------------------------------------


def git_children() -> list[str]:
    """git processes this test process started and has not reaped (running or zombie)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            comm = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and comm.startswith("git"):
            found.append(f"{stat.parent.name} {comm} {fields[0]}")
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("refusal", ["unknown project", "outside change", "gate"])
def test_a_refusal_leaves_no_git_running_and_no_file(tmp_path: Path, git_env: Path, keys: dict[str, Key],
                                                      refusal: str) -> None:
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    args = [PROJECT, "proposed"]
    if refusal == "unknown project":
        args = ["2023-no-such-project", "proposed"]
    elif refusal == "outside change":
        (repo / "gtx.yaml").write_text((repo / "gtx.yaml").read_text("utf-8") + "# edited\n", "utf-8")
    else:
        args = [PROJECT, "approved"]  # not the next stage
    snap = (head(repo), status(repo), git(repo, "ls-files", "-s"))
    r = runner.invoke(app, ["advance", *args, "--repo", str(repo), "--as-of", AS_OF, "--lang", "en",
                            "--include-changes"])
    assert r.exit_code in (1, 2), r.output
    assert git_children() == []
    assert (head(repo), status(repo), git(repo, "ls-files", "-s")) == snap
    assert sorted(p.name for p in (repo / ".git").glob("gtx-*") if p.name != "gtx-cache") == []


def test_an_early_answer_of_a_change_since_undone_refuses_nothing(tmp_path: Path, git_env: Path,
                                                                   keys: dict[str, Key]) -> None:
    # what git said before the lock (an advance finishing then, a file edited and put
    # back) is asked again before any refusal
    repo = sg.make_repo(tmp_path / "r", keys)
    settings = repo / "gtx.yaml"
    original = settings.read_bytes()
    settings.write_bytes(original + b"# for a moment\n")
    ahead = gitops.StatusAhead.start(repo)
    assert ahead is not None and ahead.proc is not None
    ahead.proc.wait()  # git has answered: the file was edited
    settings.write_bytes(original)
    w = gitops.work(repo)
    advancing.git_ready(w, advancing.folder_of(w, PROJECT), ahead)  # no refusal
    ahead.close()


def test_an_early_answer_is_not_trusted_once_the_index_was_written(tmp_path: Path, git_env: Path,
                                                                    keys: dict[str, Key]) -> None:
    # clean when asked; a change staged before the lock: refused all the same
    repo = sg.make_repo(tmp_path / "r", keys)
    ahead = gitops.StatusAhead.start(repo)
    assert ahead is not None and ahead.proc is not None
    ahead.proc.wait()  # git has answered: nothing changed
    settings = repo / "gtx.yaml"
    settings.write_text(settings.read_text("utf-8") + "# staged meanwhile\n", "utf-8")
    git(repo, "add", "gtx.yaml")
    w = gitops.work(repo)
    with pytest.raises(UsageError) as refused:
        advancing.git_ready(w, advancing.folder_of(w, PROJECT), ahead)
    assert "gtx.yaml" in refused.value.message("en")
    ahead.close()
    assert git_children() == []


def test_an_index_written_while_gtx_signs_is_kept(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    # gtx's private index starts as a link to the real one; another git that stages a
    # file meanwhile replaces the real one, which then stays (the folder staged in it)
    repo = sg.make_repo(tmp_path / "r", keys)
    ready(repo, keys)
    (repo / "notes.txt").write_text("staged while gtx signs\n")
    other = tmp_path / "stage-while-signing.sh"
    other.write_text(f"#!/bin/sh\ngit -C '{repo}' add notes.txt >&2\nexec ssh-keygen \"$@\"\n")
    other.chmod(0o755)
    git(repo, "config", "gpg.ssh.program", str(other))
    r = advance(repo)
    git(repo, "config", "--unset", "gpg.ssh.program")
    assert r.exit_code == 0, r.output
    assert status(repo) == "A  notes.txt"
    assert "notes.txt" not in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert (repo / ".git" / "index").stat().st_nlink == 1
    assert sorted(p.name for p in (repo / ".git").glob("gtx-*") if p.name != "gtx-cache") == []
