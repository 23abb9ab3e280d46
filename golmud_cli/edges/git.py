"""git for gtx: the only module that runs git.

State checks, signed commits, signature reports, the `--changed-since` runs, the
index listing of the result cache, `gtx init`'s repository: all spawned here, with
one command line (`_argv`), one environment (`_env`) and one error (`GitError`, a
bilingual sentence, never a traceback). scripts/check_layers.py fails on a git run
anywhere else. Plain subprocess: GitPython cannot sign a commit and costs ~140 ms to
import (README, Design notes).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from golmud_cli.core.signing import SSH_KEY_TYPES as SSH_KEY_TYPES
from golmud_cli.core.signing import pgp_fingerprint as pgp_fingerprint
from golmud_cli.core.signing import ssh_fingerprint as ssh_fingerprint
from golmud_cli.core.signing import ssh_key_id as ssh_key_id

# pure key helpers (core/signing.py), named here too: verify reads them as gitops.*
from golmud_cli.edges.gitdir import git_dir as git_dir  # one helper, re-exported
from golmud_cli.errors import UsageError


class GitError(UsageError):
    """git is missing, or a git command failed in a way the user must look at."""


class DiskFull(GitError):
    """git could not write: no space left (or over quota)."""

    detail = ""  # git's own words


_DISK_FULL = ("No space left on device", "Out of diskspace", "Disk quota exceeded")
# Writes git reports without the reason: the file was opened, so a failed write is
# nearly always a full disk or quota (a ref's lock file, refs/files-backend.c; the
# index, builtin/update-index.c and read-cache.c). Seen on a full disk in CI, where the
# commit object was already stored and only the branch was left to write.
_WRITE_FAILED = ("couldn't write '", "unable to write new index file")


def disk_full(err: str) -> bool:
    """Whether git's words `err` say it could not write for want of space."""
    return any(s in err for s in _DISK_FULL) or any(s in err.lower() for s in _WRITE_FAILED)


# Every git run starts so. core.quotePath=false: names come back as they are (most
# runs are -z anyway). checkStat=default and trustctime: the full stat comparison,
# whatever the user's configuration, so that an edited file is never taken as clean
# (the cache keys on the index's blob ids, advance commits what status reports).
_ARGV = (
    "git",
    # _env names a graft file (an empty one): without this, every command that reads a
    # commit writes a hint about grafts being deprecated into what a user may be shown
    "-c",
    "advice.graftFileDeprecated=false",
    "-c",
    "core.quotePath=false",
    "-c",
    "core.checkStat=default",
    "-c",
    "core.trustctime=true",
)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The one environment of every git run.

    LC_ALL=C: git's messages are parsed here and shown verbatim; no pager, no
    password prompt. GIT_OPTIONAL_LOCKS=0: a read (status, diff-files) never writes
    the index behind the user's back nor fails on another git's lock. No replace refs
    and no grafts: history is what the objects say (docs/security.md), for verify as
    for every other command."""
    env = {
        **os.environ,
        "LC_ALL": "C",
        "GIT_PAGER": "cat",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_GRAFT_FILE": os.devnull,
    }
    if extra:
        env.update(extra)
    return env


def _missing() -> GitError:
    return GitError("找不到 git：请先安装 git。", "git is not installed: install git first.")


def failed(args: Sequence[str], err: str) -> GitError:
    """git said no: its own words, after the command (its first two words)."""
    what = " ".join(args[:2])
    if disk_full(err):
        full = DiskFull(
            f"git {what} 失败：磁盘已满（{err}）。", f"git {what} failed: the disk is full ({err})."
        )
        full.detail = err
        return full
    return GitError(f"git {what} 失败：{err}", f"git {what} failed: {err}")


def git(
    cwd: Path,
    *args: str,
    input: bytes | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run git with bytes in and out; `check` turns a failure into a GitError."""
    try:
        proc = subprocess.run(
            [*_ARGV, *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            check=False,
            env=_env(env),
        )
    except FileNotFoundError:
        raise _missing() from None
    if check and proc.returncode != 0:
        raise failed(args, proc.stderr.decode("utf-8", "replace").strip())
    return proc


def popen(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: int = subprocess.PIPE,
    stderr: int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """git started and left running, its output read later: a long-lived process
    (cat-file --batch) or one that works while this process does something else.
    The same command line and environment as `git`."""
    try:
        return subprocess.Popen(
            [*_ARGV, *args],
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=_env(env),
        )
    except FileNotFoundError:
        raise _missing() from None


def _maybe(proc: subprocess.CompletedProcess[bytes]) -> str | None:
    """The first line of a git answer, or None when git said no."""
    if proc.returncode != 0:
        return None
    text = proc.stdout.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else None


def out(cwd: Path, *args: str, check: bool = True) -> str:
    return git(cwd, *args, check=check).stdout.decode("utf-8", "replace").strip()


# --- the work tree ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Work:
    """Where the dossier repository sits in git."""

    top: Path  # the work tree's top level
    git_dir: Path  # this work tree's .git folder (absolute)
    prefix: str  # the dossier repository's path inside the work tree, "" or "sub/"


def work(root: Path) -> Work:
    proc = git(root, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
    if proc.returncode != 0:
        raise GitError(
            f"{root} 不在 git 仓库中：阶段流转要以签名提交记录，请先 git init（或用 gtx init 新建档案仓库）。",
            f"{root} is not inside a git repository: stage transitions are signed commits; "
            "run git init first (or create the repository with gtx init).",
        )
    top, gdir = proc.stdout.decode("utf-8").splitlines()[:2]
    rel = root.resolve().relative_to(Path(top).resolve()).as_posix()
    return Work(Path(top), Path(gdir), "" if rel == "." else rel + "/")


def branch(w: Work) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    return _maybe(git(w.top, "symbolic-ref", "-q", "--short", "HEAD", check=False))


def head(w: Work) -> str | None:
    return _maybe(git(w.top, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False))


def operation_in_progress(w: Work) -> str | None:
    """A merge, rebase, cherry-pick or revert that is waiting for the user."""
    marks = (
        ("MERGE_HEAD", "merge"),
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
    )
    for name, what in marks:
        if (w.git_dir / name).exists():
            return what
    return None


_STATUS = ("status", "--porcelain=v1", "-z", "--untracked-files=no")


def changed_paths(w: Work) -> list[str]:
    """Tracked paths with staged or unstaged changes, relative to the top level.

    Untracked files are left out: a commit never takes them unless added, and
    `advance` adds only inside the dossier's own folder.
    """
    return _changed(git(w.top, *_STATUS).stdout)


def _index_stamp(w: Work) -> tuple[int, int, int, int] | None:
    """What changes whenever git writes the index (it writes a new file and renames
    it over): inode, size, modification and change time; None when there is none."""
    try:
        st = os.stat(w.git_dir / "index")
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class StatusAhead:
    """`changed_paths` started before the caller needs it: `gtx advance` starts it
    first thing, and git stats every index entry (~0.2 s at 10,000 dossiers and
    129,000 attachments, docs/benchmarks.md) while this process imports the model
    and checks the dossier. The answer stands in for `changed_paths(w)` only for the
    same work tree and only if the index was not written since the run began (its
    inode, size and times as before the start): else `paths` says None and the
    caller asks git again, as it would have without this."""

    __slots__ = ("proc", "stamp", "work")

    def __init__(self, w: Work, proc: subprocess.Popen[bytes], stamp: tuple[int, ...]) -> None:
        self.work = w
        self.proc: subprocess.Popen[bytes] | None = proc
        self.stamp = stamp

    @classmethod
    def start(cls, where: Path) -> StatusAhead | None:
        """Started in the work tree around `where`; None when there is nothing to
        start (no git, no repository, no index yet): the caller's own checks say why."""
        try:
            w = work(where)
            stamp = _index_stamp(w)
            if stamp is None:
                return None
            return cls(w, popen(w.top, *_STATUS, stdin=subprocess.DEVNULL), stamp)
        except (GitError, OSError, UnicodeDecodeError, ValueError):
            return None

    def paths(self, w: Work) -> list[str] | None:
        """What `changed_paths(w)` would say, or None when this run cannot stand for it."""
        p, self.proc = self.proc, None
        if p is None:
            return None
        out, _ = p.communicate()
        if p.returncode != 0 or (w.top, w.git_dir) != (self.work.top, self.work.git_dir):
            return None
        if _index_stamp(w) != self.stamp:
            return None  # another git wrote the index meanwhile: its answer may be stale
        return _changed(out)

    def close(self) -> None:
        """Stop and reap the run if nobody collected it (a refusal came first)."""
        _reap(self.proc)
        self.proc = None


def _reap(p: subprocess.Popen[bytes] | None) -> None:
    """A read-only git nobody waits for any more: stopped and waited for."""
    if p is not None:
        if p.poll() is None:
            p.kill()
        p.communicate()


def _changed(raw: bytes) -> list[str]:
    parts = raw.split(b"\0")
    paths: list[str] = []
    i = 0
    while i < len(parts):
        entry = parts[i]
        i += 1
        if len(entry) < 4:
            continue
        xy, path = entry[:2], entry[3:].decode("utf-8", "replace")
        paths.append(path)
        if xy[:1] in (b"R", b"C"):  # the source of a rename follows
            paths.append(parts[i].decode("utf-8", "replace"))
            i += 1
    return paths


@dataclass(frozen=True, slots=True)
class Change:
    """One uncommitted change: git's two-letter status ("M ", " M", "??", "A ",
    " D"...) and the path relative to the top level (undecodable bytes kept as
    surrogates, so the path can be given back to git as it is)."""

    code: str
    path: str


def _folder_status(folder: str) -> tuple[str, ...]:
    return (
        "--literal-pathspecs",
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        folder,
    )


def folder_changes(w: Work, folder: str) -> list[Change]:
    """Every uncommitted change under `folder`: staged, unstaged and untracked
    (each untracked file on its own, not its folder). NUL-separated: a file name of
    any bytes is read as one name."""
    return _changes(git(w.top, *_folder_status(folder)).stdout)


class FolderChanges:
    """`folder_changes` started now and read later: git reads the whole index and
    walks the folder (~0.09 s at 10,000 dossiers) while the caller checks the dossier.
    `changes` raises as `folder_changes` would; `close` reaps a run nobody read."""

    __slots__ = ("args", "proc", "work")

    def __init__(self, w: Work, folder: str) -> None:
        self.work, self.args = w, _folder_status(folder)
        self.proc: subprocess.Popen[bytes] | None = popen(
            w.top, *self.args, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def changes(self) -> list[Change]:
        p, self.proc = self.proc, None
        if p is None:  # read once already: ask again
            return folder_changes(self.work, self.args[-1])
        raw, err = p.communicate()
        if p.returncode != 0:
            raise failed(self.args, err.decode("utf-8", "replace").strip())
        return _changes(raw)

    def close(self) -> None:
        _reap(self.proc)
        self.proc = None


def _changes(raw: bytes) -> list[Change]:
    out: list[Change] = []
    for entry in raw.split(b"\0"):
        if len(entry) >= 4:
            code = entry[:2].decode("ascii", "replace")
            out.append(Change(code, entry[3:].decode("utf-8", "surrogateescape")))
    return out


def tracked(w: Work, folder: str, index_file: Path | None = None) -> set[str]:
    env = {"GIT_INDEX_FILE": str(index_file)} if index_file else None
    raw = git(w.top, "ls-files", "-z", "--", folder, env=env).stdout
    return {p.decode("utf-8", "replace") for p in raw.split(b"\0") if p}


def index_locked(w: Work) -> bool:
    """Another git process holds the index (or one crashed and left its lock)."""
    return (w.git_dir / "index.lock").exists()


# --- signing configuration ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SigningSetup:
    """What git would sign with: from git's own configuration."""

    format: str  # "ssh" | "openpgp" | "x509"
    key_setting: str | None  # user.signingkey as written
    public_key: str | None  # "ssh-ed25519 AAAA..." (type and blob) for SSH
    fingerprints: tuple[str, ...] = ()  # OpenPGP fingerprints (upper-case hex)
    problem: str | None = None  # "no_key" | "unreadable" | "no_gpg" | "x509" | "no_secret_key"
    detail: str = ""


def _config(w: Work, key: str) -> str | None:
    return _maybe(git(w.top, "config", "--get", key, check=False))


def signing_setup(w: Work) -> SigningSetup:
    fmt = (_config(w, "gpg.format") or "openpgp").lower()
    key = _config(w, "user.signingkey")
    if fmt == "ssh":
        if not key:
            return SigningSetup(fmt, None, None, problem="no_key")
        literal = (
            ssh_key_id(key)
            if (key.startswith("key::") or key.split()[0] in SSH_KEY_TYPES)
            else None
        )
        if literal:
            return SigningSetup(fmt, key, literal)
        path = Path(os.path.expanduser(key))
        if not path.is_absolute():
            path = w.top / path
        candidates = [path] if path.suffix == ".pub" else [path.with_name(path.name + ".pub"), path]
        for p in candidates:
            try:
                kid = ssh_key_id(p.read_text("utf-8", "replace").splitlines()[0])
            except (OSError, IndexError):
                continue
            if kid:
                return SigningSetup(fmt, key, kid)
        return SigningSetup(fmt, key, None, problem="unreadable", detail=str(path))
    if fmt == "x509":
        return SigningSetup(fmt, key, None, problem="x509")
    # OpenPGP: gpg picks the committer's identity when no key is set.
    who = key or _config(w, "user.email")
    if not who:
        return SigningSetup(fmt, key, None, problem="no_key")
    program = _config(w, "gpg.openpgp.program") or _config(w, "gpg.program") or "gpg"
    try:
        proc = subprocess.run(
            [program, "--batch", "--with-colons", "--fingerprint", "--list-secret-keys", who],
            capture_output=True,
            check=False,
            env=_env(),
        )
    except FileNotFoundError:
        return SigningSetup(fmt, key, None, problem="no_gpg", detail=program)
    fprs = tuple(
        line.split(":")[9].upper()
        for line in proc.stdout.decode("utf-8", "replace").splitlines()
        if line.startswith("fpr:")
    )
    if proc.returncode != 0 or not fprs:
        return SigningSetup(fmt, key, None, problem="no_secret_key", detail=who)
    return SigningSetup(fmt, key, None, fprs)


# --- committing -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Committed:
    sha: str
    index_synced: bool  # False: another git held the index; it shows the old file staged


def commit_signed(
    w: Work,
    folder: str,
    message: str,
    required: Iterable[str] = (),
    paths: Sequence[str] | None = None,
) -> Committed:
    """Stage `folder` and make one signed commit of it; return the new commit id.

    The staging happens in a copy of the index, so a failed commit (a signing tool
    that fails, a hook that refuses) leaves the real index exactly as it was. On
    success the folder is staged in the real index too, to match the new HEAD.
    `paths` (top-level relative): stage these only, not the whole folder, so that
    the commit holds exactly what the signer was shown (a file that appears
    meanwhile stays out); taken literally, never as patterns.
    `required` files (top-level relative) must end up in the commit: an attachment
    hidden by .gitignore would pass the gate on disk and fail verify later.

    Where `git commit` would run no hook (and HEAD is a commit), gtx makes the same
    commit itself (`_tree_of_folder`, `_land`), without git commit's refresh of every
    index entry; elsewhere `git commit -S` of the private index, as before.
    """
    index = w.git_dir / "index"
    tmp = w.git_dir / f"gtx-index.{os.getpid()}"
    spec = list(paths) if paths is not None else [folder]
    # asked at once, answered while HEAD is read
    hooks = Runs(
        w.top, ["rev-parse", *_HOOK_PATHS], ["config", "--name-only", "--get-regexp", r"^hook\."]
    )
    staging: subprocess.Popen[bytes] | None = None
    try:
        parent = head(w)
        plain = parent is not None and not _commit_runs_more(w, hooks)
        # in gtx's own way only git's update-index writes the private index, and git
        # always writes an index by renaming a new file over it: there the private
        # index may begin as a link to the real one (no hook can write it in place)
        unchanged, split = _private_index(w, index, tmp, link=plain)
        env = {"GIT_INDEX_FILE": str(tmp)}
        if plain and parent is not None:
            tree, staging = _tree_of_folder(
                w, parent, folder, spec, required, env, listed=paths is not None
            )
            code, said = _land(w, parent, tree, message)
            staging.communicate()
            adopted = staging.returncode == 0
        else:
            git(w.top, "--literal-pathspecs", "add", "-A", "--", *spec, env=env)
            missing = sorted(set(required) - tracked(w, folder, tmp))
            if missing:
                raise NotCommitted(missing)
            proc = git(
                w.top,
                "commit",
                "-S",
                "--cleanup=verbatim",
                "-q",
                "-F",
                "-",
                input=message.encode("utf-8"),
                env=env,
                check=False,
            )
            code, said = proc.returncode, proc.stderr.decode("utf-8", "replace").strip()
            adopted = True
        if code != 0:
            raise SigningFailed(said)
        # The commit is made; the real index now follows it. A busy index (another
        # git at work) only leaves it stale, which `git status` shows plainly.
        synced = (adopted and not split and _adopt(index, tmp, unchanged)) or git(
            w.top, "--literal-pathspecs", "add", "-A", "--", *spec, check=False
        ).returncode == 0
    finally:
        hooks.close()
        if staging is not None and staging.returncode is None:
            staging.communicate()  # never killed: git would leave its index.lock behind
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
    return Committed(out(w.top, "rev-parse", "HEAD"), synced)


# What `git commit` runs besides making the commit and moving the branch: these hooks
# (githooks(5); post-index-change because it writes the index), at the paths
# `rev-parse --git-path` gives (core.hooksPath honoured).
_COMMIT_HOOKS = (
    "pre-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "post-index-change",
)
_HOOK_PATHS = [a for h in _COMMIT_HOOKS for a in ("--git-path", f"hooks/{h}")]
# Files of an operation that `git commit` reads or removes when it commits (the ones
# that mean an operation in progress are refused before: operation_in_progress).
_COMMIT_STATE = ("MERGE_MSG", "MERGE_MODE", "SQUASH_MSG", "AUTO_MERGE", "MERGE_AUTOSTASH")


def _commit_runs_more(w: Work, hooks: Runs) -> bool:
    """Whether `git commit` would do more here than write the tree, sign the commit,
    move the branch with its reflog line and run auto-maintenance: a commit hook
    (a file at its path, executable or not, or any `hook.*` setting: git 2.54's
    configured hooks), or an operation's message file. Then gtx runs `git commit`
    itself, so that whatever it does happens exactly as with git."""
    (rc, listed, _), (_, configured, _) = hooks.outputs()
    if rc != 0 or configured.strip():
        return True
    found = [w.top / line for line in listed.splitlines() if line]
    if len(found) != len(_COMMIT_HOOKS):
        return True
    return any(os.path.lexists(p) for p in found) or any(
        os.path.lexists(w.git_dir / name) for name in _COMMIT_STATE
    )


def _tree_of_folder(
    w: Work,
    parent: str,
    folder: str,
    spec: list[str],
    required: Iterable[str],
    env: dict[str, str],
    listed: bool,
) -> tuple[str, subprocess.Popen[bytes]]:
    """The tree of the commit: HEAD's, with `folder` as HEAD has it plus the `spec`
    paths as they are on disk (what `git add -A -- spec` of the index would stage:
    git_ready refused any other change, staged or not). Staged in an index of the
    folder alone, so that no git reads or writes the whole index for it; the
    private copy of the real index (`env`) gets the same files staged at the same
    time, in another process, returned running: it becomes the real index once the
    commit is made (_adopt). The two stagings read the files a few milliseconds
    apart: a file rewritten in between would be staged in the real index as
    rewritten, and committed as it was before."""
    parts = folder.rstrip("/").split("/")
    dirs = ["/".join(parts[:k]) + "/" if k else "" for k in range(len(parts))]
    listings = Runs(
        w.top,
        *(
            ["--literal-pathspecs", "ls-tree", "-z", parent, *(["--", d] if d else [])]
            for d in dirs
        ),
    )
    try:
        levels = []
        for (rc, text, err), d in zip(listings.outputs(), dirs, strict=True):
            if rc != 0:
                raise failed(["ls-tree", parent], err)
            levels.append(_tree_entries(text, d))
    finally:
        listings.close()
    small = w.git_dir / f"gtx-index-folder.{os.getpid()}"
    own = {"GIT_INDEX_FILE": str(small)}
    prefix = "/".join(parts) + "/"
    try:
        old = levels[-1].get(parts[-1])
        if old is not None and old[0] == "040000":
            git(w.top, "read-tree", f"--prefix={prefix}", old[1], env=own)
        git(w.top, "--literal-pathspecs", "add", "-A", "--", *spec, env=own)
        # the same files staged in the private copy: named files (the advance names
        # each one) by update-index, which takes each name as it is and, unlike add
        # -A, neither walks for untracked files nor builds the name hash (0.1 s at
        # 10,000 dossiers); .gitignore was just applied by the add above
        staging = popen(
            w.top,
            *(
                ["update-index", "--add", "--remove", "--replace", "--"]
                if listed
                else ["--literal-pathspecs", "add", "-A", "--"]
            ),
            *spec,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        try:
            missing = sorted(set(required) - tracked(w, folder, small))
            if missing:
                raise NotCommitted(missing)
            tree = git(w.top, "write-tree", f"--prefix={prefix}", env=own).stdout.decode().strip()
            if old is not None and old[1] == tree:
                raise SigningFailed("nothing to commit")  # git commit refuses an empty commit
            for level, name in zip(reversed(levels), reversed(parts), strict=True):
                level[name] = ("040000", tree)
                listing = b"".join(
                    f"{mode} {'tree' if mode == '040000' else 'commit' if mode == '160000' else 'blob'}"
                    f" {oid}\t".encode()
                    + n.encode("utf-8", "surrogateescape")
                    + b"\0"
                    for n, (mode, oid) in level.items()
                )
                tree = (
                    git(w.top, "mktree", "-z", "--missing", input=listing).stdout.decode().strip()
                )
        except BaseException:
            staging.communicate()  # never killed: git would leave its index.lock behind
            raise
    finally:
        small.unlink(missing_ok=True)
    return tree, staging


def _tree_entries(listing: str, under: str) -> dict[str, tuple[str, str]]:
    """`ls-tree -z` of one folder (`under`, "" for the top): name -> (mode, object id)."""
    entries: dict[str, tuple[str, str]] = {}
    for record in listing.split("\0"):
        head_, sep, name = record.partition("\t")
        if not sep:
            continue
        mode, _, oid = head_.split(" ")
        entries[name.removeprefix(under)] = (mode, oid)
    return entries


# The branch move after `git commit-tree`, in a process of its own that reads the new
# commit's id from commit-tree's output: a gtx that dies while the signing tool runs
# (Ctrl-C aside: the whole process group gets that) leaves both to finish, as it
# would leave `git commit` (tests/services/test_advance_faults.py). Nothing is read
# when commit-tree fails, and then nothing moves. "$@" is git's command line (_ARGV).
_MOVE = """read -r c || exit 1
"$@" update-ref -m "$GTX_REFLOG" HEAD "$c" "$GTX_PARENT" || exit
if [ "$("$@" config --type=bool maintenance.auto || :)" != false ]; then
  "$@" maintenance run --auto --quiet || :
fi
"""


def _land(w: Work, parent: str, tree: str, message: str) -> tuple[int, str]:
    """`git commit -S --cleanup=verbatim -q -F -` of `tree` on `parent`, without git
    commit's refresh of every index entry (0.2 s at 10,000 dossiers and 129,000
    attachments, docs/benchmarks.md): the same commit object, byte for byte
    (tests/services/test_advance_commit.py), signed as git commit signs (commit-tree -S reads
    gpg.format and user.signingkey as commit -S does), the same reflog line
    ("commit: <subject>"), and `git maintenance run --auto` afterwards, as git commit
    runs it. HEAD moves only if it is still `parent`. Returns the exit status and
    git's words."""
    subject = message.split("\n", 1)[0]
    env = _env({"GTX_PARENT": parent, "GTX_REFLOG": f"commit: {subject}"})
    read_end, write_end = os.pipe()
    try:
        mover = subprocess.Popen(
            ["sh", "-c", _MOVE, "sh", *_ARGV],
            cwd=w.top,
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            signer = subprocess.Popen(
                # _ARGV silences the graft-file hint, which git would otherwise write
                # after signing, to a gtx that may be gone (a write that kills git)
                [*_ARGV, "commit-tree", "-p", parent, "-S", "-F", "-", tree],
                cwd=w.top,
                stdin=subprocess.PIPE,
                stdout=write_end,
                stderr=subprocess.PIPE,
                env=env,
            )
        except BaseException:
            os.close(write_end)
            write_end = -1
            mover.communicate()
            raise
    except FileNotFoundError:
        raise _missing() from None
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    _, signed_err = signer.communicate(message.encode("utf-8"))
    _, moved_err = mover.communicate()
    if signer.returncode != 0:
        return signer.returncode, signed_err.decode("utf-8", "replace").strip()
    return mover.returncode, moved_err.decode("utf-8", "replace").strip()


def _private_index(
    w: Work, index: Path, tmp: Path, *, link: bool
) -> tuple[Callable[[], bool], bool]:
    """The private index `tmp` as the real one is now, and how to tell later that the
    real one is still that (`unchanged`), and whether it is split (its "link"
    extension names a shared index the copy may not match: then it is never adopted).

    With `link`, a hard link (no 20 MB read, write and re-read at 10,000 dossiers:
    0.05 s, docs/benchmarks.md), told unchanged by inode, size and modification time,
    since git never writes an index in place; split when a shared index file exists.
    Else, or where the file system has no links, a copy, told unchanged by its bytes."""
    # a leftover of a killed advance of the same process id may be a link to the real
    # index: never written through
    tmp.unlink(missing_ok=True)
    if link:
        try:
            st = os.stat(index)
            os.link(index, tmp)
        except FileNotFoundError:
            return (lambda: not index.exists()), False
        except OSError:
            pass  # no hard links here: a copy
        else:
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns)

            def same() -> bool:
                try:
                    now = os.stat(index)
                except OSError:
                    return False
                return (now.st_ino, now.st_size, now.st_mtime_ns) == stamp

            return same, any(w.git_dir.glob("sharedindex.*"))
    before = index.read_bytes() if index.exists() else None
    if before is not None:
        tmp.write_bytes(before)
    # split as the link branch tells it: a split index names a shared file beside it
    # (the index's own "link" extension; looking for those four bytes anywhere in it
    # also matched every path with "link" in its name)
    return (lambda: (index.read_bytes() if index.exists() else None) == before), (
        before is not None and any(w.git_dir.glob("sharedindex.*"))
    )


def _adopt(index: Path, tmp: Path, unchanged: Callable[[], bool]) -> bool:
    """Make the private index the real one, as git replaces an index: under
    `index.lock`, by renaming. The private index is the real one as it was taken,
    with the folder staged: what `git add` of the folder would make of the real one,
    without another git reading, refreshing and writing the whole index (0.2 s of an
    advance at 10,000 dossiers and 130,000 attachments). Only when the real index is
    still the one that was taken (`unchanged`); otherwise, or when another git holds
    the lock, False: the caller runs git add."""
    lock = index.with_name("index.lock")
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError:
        return False  # another git holds the index (or it cannot be locked)
    try:
        if unchanged():
            os.replace(tmp, lock)
            os.replace(lock, index)  # releases the lock, as git's commit_lock_file does
            return True
    except OSError:
        pass
    # still ours (once renamed, a lock of that name would be another git's)
    lock.unlink(missing_ok=True)
    return False


class SigningFailed(Exception):
    """git commit -S failed (the signing tool, a hook); git's own words in stderr."""

    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr


class NotCommitted(Exception):
    """Files the commit must hold that git would leave out (.gitignore)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


# --- reading history ------------------------------------------------------------------


def rev(w: Work, name: str) -> str | None:
    return _maybe(git(w.top, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False))


def merge_base(w: Work, a: str, b: str) -> str | None:
    return _maybe(git(w.top, "merge-base", a, b, check=False))


def upstream(w: Work) -> str | None:
    return _maybe(
        git(
            w.top,
            "rev-parse",
            "-q",
            "--abbrev-ref",
            "--symbolic-full-name",
            "@{upstream}",
            check=False,
        )
    )


@dataclass(slots=True)
class CommitRecord:
    sha: str
    parents: list[str]
    date: str  # %cs, the committer date
    files: list[str] = field(default_factory=list)  # changed paths (dense-combined for merges)


@dataclass(frozen=True, slots=True)
class Signature:
    status: str  # git's %G?: G good, B bad, U unknown signer, N none, E cannot check, X/Y/R
    key: str  # %GK: SSH "SHA256:..." or the OpenPGP key id
    fingerprint: str  # %GF
    primary: str  # %GP (OpenPGP primary key)
    principal: str  # %GS: for SSH, the principal of our allowed-signers file


def log(w: Work, revs: Sequence[str], paths: Sequence[str] = ()) -> list[CommitRecord]:
    """Every commit of `revs`, oldest first, with the files it changes: one git call.

    Merges show only the files that differ from every parent (--cc), so a clean
    merge of reviewed work shows nothing, and an "evil merge" shows what it adds.
    """
    raw = git(
        w.top,
        "log",
        "-z",
        "--reverse",
        "--no-renames",
        "--cc",
        "--name-only",
        "--format=%x1e%H%x1f%P%x1f%cs",
        *revs,
        "--",
        *paths,
    ).stdout
    records: list[CommitRecord] = []
    for chunk in raw.split(b"\x1e")[1:]:
        head_, _, rest = chunk.partition(b"\0")
        f = head_.decode("utf-8", "replace").split("\x1f")
        if len(f) < 3:
            continue
        files = [p.decode("utf-8", "replace") for p in rest.lstrip(b"\n").split(b"\0") if p]
        records.append(CommitRecord(f[0], f[1].split(), f[2], files))
    return records


# --- runs started ahead (validate) --------------------------------------------------


class Runs:
    """Read-only git commands started side by side; their output collected later.

    Each stats or walks the whole tree (diff-files lstat()s every file of the index:
    ~0.1 s over two cores at 10,000 dossiers): they run in other processes while this
    one imports what checking needs (docs/benchmarks.md: --changed-since <= 0.5 s)."""

    __slots__ = ("commands", "procs")

    def __init__(self, cwd: Path, *commands: Sequence[str]) -> None:
        self.commands = commands
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            for args in commands:
                self.procs.append(
                    popen(cwd, *args, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
                )
        except GitError:
            self.close()
            raise

    def outputs(self) -> list[tuple[int, str, str]]:
        """(exit status, stdout, stderr) of each command, in order."""
        out = []
        for p in self.procs:
            o, e = p.communicate()
            out.append(
                (
                    p.returncode,
                    o.decode("utf-8", "surrogateescape"),
                    e.decode("utf-8", "replace").strip(),
                )
            )
        return out

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.communicate()


def _started(cwd: Path, *args: str) -> subprocess.Popen[bytes] | None:
    try:
        return popen(cwd, *args, stdin=subprocess.DEVNULL)
    except (GitError, OSError):
        return None  # no git: the caller hashes the files itself


# One record of `ls-files -s -v -z` that names a normal (H), merged (stage 0), regular
# (100644, 100755) file: its blob id and its name. Anchored at a record's start (the
# listing's start or a NUL): a name holds no NUL, so no record is matched inside another.
_INDEX_RECORD = re.compile(rb"(?:^|(?<=\0))H 100(?:644|755) ([0-9a-f]{40,64}) 0\t([^\0]*)\0")
# A record of the same listing that `-m` adds for a file that differs from the index
# (modified, deleted, changed type): tag C (c when marked assume-unchanged), any mode.
_MODIFIED_RECORD = re.compile(rb"(?:^|(?<=\0))[Cc] [0-7]+ [0-9a-f]{40,64} [0-3]\t([^\0]*)\0")


class Index:
    """What git's index says of some files: started at once, read when needed, so
    that git works while the caller does something else (the result cache reads its
    store meanwhile, docs/benchmarks.md). One `ls-files -c -m`: the index is read by
    one process, not two (at 100,000 dossiers each reader held 486 MB)."""

    def __init__(self, cwd: Path, pathspec: Sequence[str]) -> None:
        self.ls = _started(cwd, "ls-files", "-s", "-v", "-c", "-m", "-z", "--", *pathspec)

    def blob_ids(self) -> dict[str, str]:
        """Blob id by path of every file git tracks and reports unmodified
        (`-c`: only normal entries, tag H, merge stage 0; `-m`: the files that differ
        from the index, listed again with tag C). Empty when git cannot say."""
        index: dict[str, str] = {}
        if self.ls is None:
            return index
        out, _ = self.ls.communicate()
        if self.ls.returncode != 0:
            return index
        dirty = set(_MODIFIED_RECORD.findall(out))
        # "H <mode> <id> <stage>\t<name>": a normal, merged, regular file; one scan of
        # the whole listing (10,000 records in a few ms, not a split per record)
        for oid, name in _INDEX_RECORD.findall(out):
            if name not in dirty:
                index[name.decode("utf-8", "surrogateescape")] = oid.decode()
        return index

    def close(self) -> None:
        p = self.ls
        if p is not None:
            if p.poll() is None:
                p.kill()
            p.communicate()


# --- history as stored (edges/gitobjects.py, verify) ----------------------------------


_SIG_FIELDS = ("%H", "%G?", "%GK", "%GF", "%GP", "%GS")


def signatures(w: Work, oids: Iterable[str], allowed_signers: Path) -> dict[str, Signature]:
    """git's verdict on each commit's signature: one call, NUL-framed fields.

    The verdict rests on an allowed-signers file built from the base's gtx.yaml,
    passed with -c so neither the machine's trust list nor a gpg.ssh.program of
    its choice has a say; only `G` counts.
    """
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return {}
    proc = git(
        w.top,
        "--no-replace-objects",
        "-c",
        f"gpg.ssh.allowedSignersFile={allowed_signers}",
        "-c",
        "gpg.ssh.program=ssh-keygen",
        "-c",
        "log.showSignature=false",
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "-z",
        "--format=" + "%x00".join(_SIG_FIELDS) + "%x00",
        input=("\n".join(wanted) + "\n").encode(),
    )
    raw = proc.stdout if proc.returncode == 0 else b""
    out: dict[str, Signature] = {}
    fields = raw.split(b"\0")
    n = len(_SIG_FIELDS)
    for i in range(0, len(fields) - n + 1, n + 1):  # each record ends with NUL, then -z's NUL
        f = [x.decode("utf-8", "replace") for x in fields[i : i + n]]
        sha = f[0].strip()
        if len(sha) >= 40:
            out[sha] = Signature(f[1], f[2], f[3], f[4], f[5])
    return out


class Blobs:
    """`git cat-file --batch` as one long-lived process: many `rev:path` reads for
    the price of one process (verify reads two versions of each changed dossier)."""

    def __init__(self, w: Work) -> None:
        self._proc = popen(w.top, "cat-file", "--batch")

    def read(self, spec: str) -> bytes | None:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        if "\n" in spec:
            return None
        self._proc.stdin.write(spec.encode("utf-8") + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline()
        parts = header.split()
        if len(parts) != 3 or parts[1] != b"blob":
            if len(parts) == 3:  # a tree or commit: skip its content
                self._proc.stdout.read(int(parts[2]) + 1)
            return None
        data = self._proc.stdout.read(int(parts[2]))
        self._proc.stdout.read(1)
        return data

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
