"""The journal of a `gtx advance` in progress: nothing half made survives a crash.

Before `gtx advance` touches project.yaml it writes `.git/gtx-advance.json` (which
project, which file, HEAD before, the transition, the blob ids of the file before and
after) and keeps the original file as `.git/gtx-advance.before` (a hard link: no copy,
no free space needed to put it back). Both go once the signed commit is made and the
index follows it. A journal left behind means the advance was stopped — killed, a
power cut, a full disk — somewhere between writing the file and finishing the commit.

The next `gtx advance` reads it first (`assess`, then `recover`):

- HEAD did not move: nothing was committed; project.yaml is put back as it was (a
  rename of the hard link) unless someone edited it since, and stray temporary files
  are removed: the repository is as before.
- HEAD is the transition's commit (the commit was made, the bookkeeping after it was
  not): the index is brought in line with it; the commit is complete.
- HEAD moved to something else: gtx cannot tell what happened and says what to run.

`gtx validate` only reports (`note`); it changes nothing. Standard library only, so
validate pays nothing for it unless a journal is there.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from golmud_cli.edges import git as gitops
from golmud_cli.edges.gitdir import blob_id as blob_id  # the one blob id (advance reads it here)
from golmud_cli.edges.repo import ADVANCE_JOURNAL as JOURNAL
from golmud_cli.i18n import Msg

BEFORE = "gtx-advance.before"
FORMAT = 1


@dataclass(slots=True)
class AdvanceRecord:
    """What the journal records of an advance in progress (to finish or undo it)."""

    project: str
    path: str  # project.yaml, relative to the work tree's top level (POSIX)
    head: str | None  # HEAD before the advance (None: no commit yet)
    transition: str  # "approved -> filed"
    before_blob: str  # git blob id of project.yaml before
    after_blob: str  # ... and as the advance writes it
    pid: int
    trailer: str = "Gtx-Transition"  # the commit's trailer that carries `transition`
    format: int = FORMAT


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # "running" | "rolled_back" | "completed" | "manual"
    zh: str
    en: str

    def message(self, lang: str) -> str:
        return Msg(self.zh, self.en).text(lang)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def begin(git_dir: Path, entry: AdvanceRecord, file: Path) -> None:
    """Keep the original and write the journal, durably, before the file is touched.
    Raises OSError (a full disk, say) with nothing changed but what it cleaned up."""
    backup = git_dir / BEFORE
    tmp = git_dir / f"{JOURNAL}.{entry.pid}.tmp"
    try:
        backup.unlink(missing_ok=True)
        try:
            os.link(file, backup)  # same inode: putting it back is a rename
        except OSError:
            shutil.copyfile(file, backup)  # another file system, or no hard links
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(asdict(entry), f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, git_dir / JOURNAL)
        _fsync_dir(git_dir)
    except BaseException:
        tmp.unlink(missing_ok=True)
        backup.unlink(missing_ok=True)
        raise


def read(git_dir: Path) -> AdvanceRecord | None:
    """The journal left in `git_dir`, or None. An unreadable one is an AdvanceRecord whose
    project is "?" (so that it is reported, never silently ignored)."""
    path = git_dir / JOURNAL
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        raw = b""
    try:
        data = json.loads(raw)
        # a field with a default may be absent (a journal of an older gtx)
        fields = [k for k in AdvanceRecord.__dataclass_fields__ if k != "format"]
        return AdvanceRecord(**{k: data[k] for k in fields if k in data})
    except (ValueError, TypeError, KeyError):
        return AdvanceRecord("?", "", None, "?", "", "", 0)


def finish(git_dir: Path) -> None:
    """The advance is complete (or wholly undone): forget it."""
    (git_dir / JOURNAL).unlink(missing_ok=True)
    (git_dir / BEFORE).unlink(missing_ok=True)


def restore(git_dir: Path, file: Path) -> None:
    """Put the original file back: a rename of the kept hard link (no space needed)."""
    os.replace(git_dir / BEFORE, file)


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: assume alive
    return True


def _stray_files(w: gitops.Work, entry: AdvanceRecord) -> list[Path]:
    """Temporary files a killed advance leaves: atomic_write's `.project.yaml.*.tmp`
    beside the file, the private indexes `.git/gtx-index.<pid>` and
    `.git/gtx-index-folder.<pid>` (edges/git.py, commit_signed), a journal temp."""
    out: list[Path] = []
    if entry.path:
        file = w.top / entry.path
        out += file.parent.glob(f".{file.name}.*.tmp")
    for p in w.git_dir.glob("gtx-index*"):
        m = re.fullmatch(r"gtx-index(?:-folder)?\.(\d+)", p.name)
        if m and not alive(int(m.group(1))):
            out.append(p)
    out += w.git_dir.glob(f"{JOURNAL}.*.tmp")
    return out


def _current_blob(w: gitops.Work, entry: AdvanceRecord) -> str | None:
    try:
        return blob_id((w.top / entry.path).read_bytes())
    except OSError:
        return None


def _rev(w: gitops.Work, spec: str) -> str | None:
    proc = gitops.git(w.top, "rev-parse", "-q", "--verify", spec, check=False)
    return (proc.stdout.decode().strip() or None) if proc.returncode == 0 else None


def assess(w: gitops.Work, entry: AdvanceRecord) -> str:
    """What a journal left behind means now: "running", "rolled_back" (nothing was
    committed), "completed" (the commit was made) or "manual"."""
    if entry.project == "?":
        return "manual"
    if alive(entry.pid) and entry.pid != os.getpid():
        return "running"
    now = gitops.head(w)
    if now == entry.head:
        return "rolled_back"
    if (
        now is not None
        and _rev(w, f"{now}^1") == entry.head
        and _rev(w, f"{now}:{entry.path}") == entry.after_blob
        and _ours(w, now, entry)
    ):
        return "completed"
    return "manual"


def _ours(w: gitops.Work, sha: str, entry: AdvanceRecord) -> bool:
    """The commit is the one the advance made: signed, with its trailers (a commit made
    by hand from the half-written file is not)."""
    raw = gitops.git(w.top, "cat-file", "commit", sha, check=False).stdout.decode(
        "utf-8", "replace"
    )
    header, _, message = raw.partition("\n\n")
    return (
        "\ngpgsig " in f"\n{header}"
        and f"Gtx-Project: {entry.project}\n" in message
        and f"{entry.trailer}: {entry.transition}\n" in message
    )


def _verb(entry: AdvanceRecord) -> str:
    # gtx correct keeps the same journal (services/correcting.py); either recovers it,
    # and the hint names the one the clerk was running
    return "gtx correct" if entry.trailer == "Gtx-Correction" else "gtx advance"


def _what(entry: AdvanceRecord) -> tuple[str, str]:
    verb = _verb(entry)
    return (
        f"上一次 {verb}（{entry.project}：{entry.transition}，进程 {entry.pid}）在写入 {entry.path} "
        f"与完成签名提交之间被中断（记录在 .git/{JOURNAL}）",
        f"the last {verb} ({entry.project}: {entry.transition}, process {entry.pid}) was "
        f"interrupted between writing {entry.path} and finishing its signed commit "
        f"(recorded in .git/{JOURNAL})",
    )


def note(w: gitops.Work, entry: AdvanceRecord) -> Verdict:
    """What happened and how to recover, without changing anything (for validate)."""
    zh, en = _what(entry)
    verb = _verb(entry)
    kind = assess(w, entry)
    if kind == "running":
        return Verdict(
            kind,
            f"注意：{verb} 正在运行（{entry.project}：{entry.transition}，进程 {entry.pid}）。",
            f"note: a {verb} is running ({entry.project}: {entry.transition}, process "
            f"{entry.pid}).",
        )
    if kind == "rolled_back":
        return Verdict(
            kind,
            f"注意：{zh}。HEAD 未变，没有提交。再运行一次 {verb} 会先把 {entry.path} 还原；"
            f"或手动还原：cp .git/{BEFORE} {entry.path} && rm .git/{JOURNAL} .git/{BEFORE}",
            f"note: {en}. HEAD did not move; nothing was committed. The next {verb} puts "
            f"{entry.path} back first; or restore it by hand: cp .git/{BEFORE} {entry.path} && "
            f"rm .git/{JOURNAL} .git/{BEFORE}",
        )
    if kind == "completed":
        return Verdict(
            kind,
            f"注意：{zh}。签名提交已经完成，只差收尾。再运行一次 {verb} 会完成收尾；"
            f"或手动：git reset -q -- {entry.path} && rm .git/{JOURNAL} .git/{BEFORE}",
            f"note: {en}. The signed commit was made; only the bookkeeping after it is left. "
            f"The next {verb} finishes it; or by hand: git reset -q -- {entry.path} && "
            f"rm .git/{JOURNAL} .git/{BEFORE}",
        )
    return _manual(w, entry)


def _manual(w: gitops.Work, entry: AdvanceRecord) -> Verdict:
    zh, en = _what(entry)
    verb = _verb(entry)
    if entry.project == "?":
        return Verdict(
            "manual",
            f"注意：.git/{JOURNAL} 无法读取（上一次 gtx advance 或 gtx correct 被中断时留下）。"
            f"请用 git status 和 git diff 检查 dossiers/ 下的改动，确认无误后删除 "
            f".git/{JOURNAL} 和 .git/{BEFORE}。",
            f"note: .git/{JOURNAL} cannot be read (left by an interrupted gtx advance or "
            f"gtx correct). Check the changes under dossiers/ with git status and git diff, "
            f"then delete .git/{JOURNAL} and .git/{BEFORE}.",
        )
    since = entry.head[:10] if entry.head else "(无)"
    return Verdict(
        "manual",
        f"{zh}，此后 HEAD 已移动，且不是这次流转的提交：gtx 无法判断发生了什么，未做任何修改。"
        f"请检查：git log {since}..HEAD -- {entry.path}；原文件保存在 .git/{BEFORE}。"
        f"如有未经签名的流转记录，请用 git revert 撤销，或用 cp .git/{BEFORE} {entry.path} 还原；"
        f"处理完后删除 .git/{JOURNAL} 和 .git/{BEFORE}，再重新运行 {verb}。",
        f"{en}, and HEAD has moved since to a commit that is not that transition: gtx cannot "
        f"tell what happened and changed nothing. Look at: git log {since}..HEAD -- "
        f"{entry.path}; the original file is kept in .git/{BEFORE}. Undo an unsigned "
        f"transition with git revert, or restore the file with cp .git/{BEFORE} {entry.path}; "
        f"then delete .git/{JOURNAL} and .git/{BEFORE} and run {verb} again.",
    )


def recover(w: gitops.Work, entry: AdvanceRecord) -> Verdict:
    """Act on a journal left behind (advance, under its lock): roll back or finish."""
    zh, en = _what(entry)
    kind = assess(w, entry)
    if kind in ("running", "manual"):
        return note(w, entry) if kind == "running" else _manual(w, entry)
    file = w.top / entry.path
    if kind == "completed":
        # The commit holds the whole transition; the index may still hold the old file.
        folder = str(Path(entry.path).parent.as_posix())
        synced = gitops.git(w.top, "reset", "-q", "--", folder, check=False).returncode == 0
        for p in _stray_files(w, entry):
            p.unlink(missing_ok=True)
        finish(w.git_dir)
        extra = (
            ("", "")
            if synced
            else (
                f"暂存区没能更新（另一个 git 正在运行？），稍后请运行：git reset -q -- {folder}",
                f" The index could not be updated (another git at work?); later run: git reset -q -- {folder}",
            )
        )
        return Verdict(
            kind,
            f"{zh}；签名提交已经完成（{_short(w)}），已完成收尾。{extra[0]}",
            f"{en}; the signed commit had been made ({_short(w)}); its bookkeeping is now "
            f"finished.{extra[1]}",
        )
    current = _current_blob(w, entry)
    if current == entry.before_blob:
        what = ("文件尚未改动", "the file had not been changed yet")
    elif current in (entry.after_blob, None) and (w.git_dir / BEFORE).exists():
        restore(w.git_dir, file)
        what = (f"已把 {entry.path} 还原为推进前的内容", f"{entry.path} is put back as it was")
    else:
        return Verdict(
            "manual",
            f"{zh}；此后 {entry.path} 又被修改过，gtx 没有覆盖它。原文件保存在 .git/{BEFORE}："
            f"请用 diff .git/{BEFORE} {entry.path} 比较，需要时用 cp 还原，然后删除 "
            f".git/{JOURNAL} 和 .git/{BEFORE}。",
            f"{en}; {entry.path} was edited since, so gtx did not overwrite it. The original is "
            f"kept in .git/{BEFORE}: compare with diff .git/{BEFORE} {entry.path}, restore it "
            f"with cp if need be, then delete .git/{JOURNAL} and .git/{BEFORE}.",
        )
    for p in _stray_files(w, entry):
        p.unlink(missing_ok=True)
    finish(w.git_dir)
    return Verdict(
        "rolled_back",
        f"{zh}；HEAD 未变，没有提交，{what[0]}：仓库与推进前相同。",
        f"{en}; HEAD did not move and nothing was committed; {what[1]}: the repository is "
        "as it was before.",
    )


def _short(w: gitops.Work) -> str:
    h = gitops.head(w)
    return h[:10] if h else "-"


def pending(root: Path) -> tuple[gitops.Work, AdvanceRecord] | None:
    """A journal in the git repository holding `root`, found without running git
    unless one is there (validate runs this on every call)."""
    g = gitops.git_dir(root.resolve())
    if g is None or not (g / JOURNAL).exists():
        return None
    entry = read(g)
    if entry is None:
        return None
    try:
        w = gitops.work(root)
    except gitops.GitError:
        return None
    return w, entry


# --- the advance lock: the transaction's guard, beside its log ------------------------

LOCK_NAME = "gtx-advance.lock"


def lock_held(w: gitops.Work) -> Path | None:
    """The advance lock, when another advance holds it (what advance_lock would
    refuse), for --dry-run to say so without taking it."""
    path = w.git_dir / LOCK_NAME
    try:
        pid = int(path.read_text().strip() or "0")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return path
    entry = read(w.git_dir)
    stale = entry is not None and entry.pid == pid and not alive(pid)
    return None if stale else path


def lock_refusal(path: Path) -> gitops.GitError:
    return gitops.GitError(
        f"另一个 gtx advance 正在这个仓库中运行（锁文件 {path}）：请等它结束后再试。"
        f"如果确认没有其他 gtx advance 在运行（例如上次被强行中止），删除该文件后重试。",
        f"another gtx advance is running in this repository (lock file {path}): wait for it "
        "to finish and try again. If none is running (say the last one was killed), delete "
        "that file and retry.",
    )


@contextmanager
def advance_lock(w: gitops.Work) -> Iterator[Path]:
    """One `gtx advance` at a time in a work tree: O_EXCL on a file under .git/.

    The second one is told so and changes nothing; the file is removed on every
    exit path of the first.
    """
    path = w.git_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        fd = _take_over_stale_lock(w, path)
    if fd < 0:
        raise lock_refusal(path)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
    except OSError:  # a full disk: no lock, nothing done
        path.unlink(missing_ok=True)
        raise
    try:
        yield path
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _take_over_stale_lock(w: gitops.Work, path: Path) -> int:
    """The lock of an advance that was killed: its process is gone and its journal
    (this module) names the same process, so the next advance may take the
    lock over and recover. Returns the new lock's descriptor, or -1 (not stale).

    A lock without a journal is left alone (the advance died before touching
    anything, or the lock is someone else's): the user is told to check and delete it.
    """
    try:
        pid = int(path.read_text().strip() or "0")
    except (OSError, ValueError):
        return -1
    entry = read(w.git_dir)
    if entry is None or entry.pid != pid or alive(pid):
        return -1
    stale = path.with_name(f"{path.name}.stale.{os.getpid()}")
    try:
        os.rename(path, stale)  # only one taker wins the rename
    except OSError:
        return -1
    try:
        if stale.read_text().strip() != str(pid):  # a fresh lock was taken in between: give it back
            os.rename(stale, path)
            return -1
        stale.unlink()
        return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except OSError:
        return -1
