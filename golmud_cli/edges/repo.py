"""The dossier repository on disk: discovery, gtx.yaml, listing, attachments,
changed-since. The only module (with gitops) that touches the file system for
reading dossiers."""

from __future__ import annotations

import errno
import os
import re
import stat as stat_mod
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from golmud_cli.core.findings import Finding
from golmud_cli.edges import loader
from golmud_cli.errors import UsageError

if TYPE_CHECKING:
    from golmud_cli.core.model import Settings
    from golmud_cli.core.periods import Calendar
    from golmud_cli.core.rules import Digest, FileStatus
    from golmud_cli.edges.git import Runs

# The model (pydantic) is imported when first needed, not with this module: a run
# answered from the cache never needs it (docs/benchmarks.md, warm run <= 0.5 s).
# So is edges/git.py: only --changed-since runs git from here.

SETTINGS_FILE = "gtx.yaml"
DOSSIERS_DIR = "dossiers"
PROJECT_FILE = "project.yaml"
ATTRIBUTE_FILES = (".gitattributes", ".gitmodules")
# advance's recovery journal in .git/ (golmud_cli/edges/journal.py): named here so that
# validate can look for it without importing advance's machinery.
ADVANCE_JOURNAL = "gtx-advance.json"
SettingsLoader = Callable[[Path], "tuple[Settings, list[Finding]]"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_ABS = re.compile(r"^(?:[A-Za-z]:)?[\\/]")


class Repository:
    """A dossier repository. Its settings (gtx.yaml) are read when first asked for."""

    __slots__ = ("_calendar", "_ids", "_load", "_settings", "_settings_findings", "root")

    def __init__(
        self,
        root: Path,
        settings: Settings | None = None,
        settings_findings: list[Finding] | None = None,
        *,
        load_settings: SettingsLoader | None = None,
        calendar: Calendar | None = None,
    ) -> None:
        self.root = root
        # Turning gtx.yaml into Settings and findings is pipeline work (schema check,
        # positions): it is handed in by pipeline/workspace.py, never imported here.
        self._load = load_settings
        self._ids: tuple[int, list[str]] | None = None  # (dossiers/ mtime, listing)
        self._calendar = calendar
        self._settings = settings
        self._settings_findings = (
            settings_findings
            if settings_findings is not None
            else ([] if settings is not None else None)
        )

    def _load_settings(self) -> None:
        if self._load is None:
            raise RuntimeError(
                "Repository without a settings loader: open it with pipeline.workspace.open_repo"
            )
        self._settings, self._settings_findings = self._load(self.root)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._load_settings()
        assert self._settings is not None
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    @property
    def settings_findings(self) -> list[Finding]:
        if self._settings_findings is None:
            self._load_settings()
        assert self._settings_findings is not None
        return self._settings_findings

    @settings_findings.setter
    def settings_findings(self, value: list[Finding]) -> None:
        self._settings_findings = value

    @property
    def calendar(self) -> Calendar:
        """China's official calendar for this repository's due dates: the one
        pipeline/workspace.py hands in (edges/calendar.py, a copy kept beside the
        cache), else the `holidays` package's own (the same dates, read slower)."""
        if self._calendar is None:
            from golmud_cli.core.periods import PACKAGE_CALENDAR

            self._calendar = PACKAGE_CALENDAR
        return self._calendar

    def __repr__(self) -> str:
        return f"Repository({self.root!r})"

    @property
    def dossiers_dir(self) -> Path:
        return self.root / DOSSIERS_DIR

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def project_dir(self, project: str) -> Path:
        return self.dossiers_dir / project

    def project_file(self, project: str) -> Path:
        return self.project_dir(project) / PROJECT_FILE

    def project_ids(self) -> list[str]:
        """Every folder under dossiers/, sorted (a folder without project.yaml too).

        Listed once per change of dossiers/ itself (its mtime moves when a folder is
        added, removed or renamed): a run asks several times, and 10,000 entries take
        ~30 ms each time (docs/benchmarks.md)."""
        if os.path.islink(self.dossiers_dir):
            return []  # never listed through a link (edges/fs.py); validate reports it
        try:
            mtime = os.stat(self.dossiers_dir).st_mtime_ns
            if self._ids is not None and self._ids[0] == mtime:
                return list(self._ids[1])
            with os.scandir(self.dossiers_dir) as it:
                ids = sorted(e.name for e in it if e.is_dir() and not e.name.startswith("."))
        except FileNotFoundError:
            return []
        self._ids = (mtime, ids)
        return list(ids)

    def resolve_target(self, target: str) -> str:
        """A project named on the command line, as an id or a path into its folder."""
        from golmud_cli.core.values import ID_RE

        if ID_RE.match(target) and self.project_dir(target).is_symlink():
            raise UsageError(
                f"项目文件夹 dossiers/{target} 是一个链接：请先运行 gtx validate 查看并改正（F002）。",
                f"the project folder dossiers/{target} is a link: run gtx validate and fix it (F002).",
            )
        if ID_RE.match(target) and self.project_dir(target).is_dir():
            return target
        p = Path(target)
        p = (Path.cwd() / p).resolve() if not p.is_absolute() else p.resolve()
        try:
            parts = p.relative_to(self.dossiers_dir.resolve()).parts
        except ValueError:
            parts = ()
        if parts and self.project_dir(parts[0]).is_dir():
            return parts[0]
        raise UsageError(
            f"找不到项目 {target}：请给出 dossiers/ 下的项目编号或其文件夹路径（gtx status 列出全部项目）。",
            f"no project {target}: name a project id under dossiers/ or its folder "
            "(gtx status lists them all).",
        )


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder upward holding gtx.yaml or dossiers/."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / SETTINGS_FILE).is_file() or (d / DOSSIERS_DIR).is_dir():
            return d
    raise UsageError(
        f"这里不是档案仓库：在 {here} 及其上级目录中找不到 gtx.yaml 或 dossiers/。"
        "请进入档案仓库，或用 --repo 指定，或用 gtx init 新建。",
        f"not a dossier repository: no gtx.yaml or dossiers/ in {here} or above. "
        "Change into one, pass --repo, or create one with gtx init.",
    )


class NotRegularFile(OSError):
    """A file gtx reads (project.yaml, gtx.yaml) that is a pipe, a device, a socket or
    a folder: reading a pipe blocks for ever, reading /dev/zero never ends."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))
        self.kind = kind
        self.zh = f"不是普通文件（是{_KIND_ZH.get(kind, kind)}）"
        self.en = f"not a regular file (a {kind})"


_KIND_ZH = {
    "folder": "文件夹",
    "pipe": "管道",
    "device": "设备",
    "socket": "套接字",
    "symbolic link": "符号链接，gtx 不跟随链接读取",
}


def _open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """An open descriptor of a regular file and its stat, taken through no final link
    and with no wait on a pipe (O_NONBLOCK). Raises OSError (NotRegularFile, ...)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        if e.errno == errno.ELOOP or os.path.islink(path):
            raise NotRegularFile(Path(path), "symbolic link") from None
        raise
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if not stat_mod.S_ISREG(mode):
            kind = (
                "folder"
                if stat_mod.S_ISDIR(mode)
                else "pipe"
                if stat_mod.S_ISFIFO(mode)
                else "socket"
                if stat_mod.S_ISSOCK(mode)
                else "device"
            )
            raise NotRegularFile(Path(path), kind)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_limited(path: Path | str, limit: int = loader.MAX_BYTES) -> bytes:
    """A dossier file's bytes, never more than `limit` + 1 of them (enough for the
    loader to say "too large"), from a regular file only. A file that a broken
    editor, a bad merge or a hostile commit turned into a pipe, a device link or a
    multi-gigabyte file gives an OSError or a short read, never a hang or a 2 GB
    read. A symbolic link is not followed (docs/security.md, Links): git stores the
    link's text, so the file behind it is nowhere in the record.
    Raises OSError (FileNotFoundError, NotRegularFile, ...)."""
    fd, st = _open_regular(path)
    try:
        most = limit + 1
        # The first read sized by the file's stat (a dossier: one read of its few KB and
        # one that finds the end), not a 1 MiB buffer each time; the size is only a
        # hint: whatever the file holds is read on, as before, up to `most` bytes.
        first = os.read(fd, min(most, st.st_size + 1, 1 << 20))
        left = most - len(first)
        if not first or not left:
            return first
        more = os.read(fd, min(left, 1 << 20))
        if not more:
            return first
        return b"".join([first, more, *_chunks(fd, left - len(more))])
    finally:
        os.close(fd)


def _chunks(fd: int, most: int) -> Iterator[bytes]:
    """The file's bytes in chunks of at most 1 MiB, `most` of them at the most."""
    while most > 0:
        chunk = os.read(fd, min(most, 1 << 20))
        if not chunk:
            return
        most -= len(chunk)
        yield chunk


# The largest attachment gtx hashes for F003: a scan of some thousand pages. A larger
# one is reported as unreadable rather than read for seconds on every change.
MAX_HASHED_BYTES = 1 << 30


class TooLarge(OSError):
    def __init__(self, path: Path, limit: int) -> None:
        mb = limit >> 20
        super().__init__(errno.EFBIG, f"larger than {mb} MB", str(path))
        self.zh = f"超过 {mb} MB，gtx 不计算其摘要"
        self.en = f"larger than {mb} MB, which gtx does not hash"


def sha256_limited(path: Path, limit: int = MAX_HASHED_BYTES) -> tuple[str, os.stat_result]:
    """The SHA-256 (hex) of a regular file read in chunks, through no final link, never
    more than `limit` bytes, and the file's stat as it was before the read (so that a
    change during the read shows in the next stat). Raises OSError (TooLarge, ...)."""
    import hashlib

    fd, st = _open_regular(path)
    try:
        if st.st_size > limit:
            raise TooLarge(path, limit)
        h = hashlib.sha256()
        read = 0
        for chunk in _chunks(fd, limit + 1):
            h.update(chunk)
            read += len(chunk)
        if read > limit:
            raise TooLarge(path, limit)  # it grew while being read
        return h.hexdigest(), st
    finally:
        os.close(fd)


def digest_in(
    project_dir: Path | str, on_hash: Callable[[str, os.stat_result | None], None] | None = None
) -> Callable[[str], Digest]:
    """The SHA-256 of a referenced attachment (relative to its project folder) for
    F003, taken only for a file that stat_in found standing (status ok): no link is
    followed, on the way or at the end (a link's target is nowhere in the record),
    and no pipe is waited on. `on_hash` is told each file with the stat it was hashed
    at, or None when it could not be (the cache keys the entry on these)."""
    made = (_STATUSES or _statuses())[4]  # the Digest class
    base = str(project_dir)

    def told(rel: str, st: os.stat_result | None, d: Digest) -> Digest:
        if on_hash is not None:
            on_hash(rel, st)
        return d

    memo: dict[str, Digest] = {}  # advance's two checks (before, after) hash once
    folders: dict[str, bool] = {}  # folder on the way -> whether it is a link

    def digest(rel: str) -> Digest:
        got = memo.get(rel)
        if got is None:
            got = memo[rel] = taken(rel)
        return got

    def taken(rel: str) -> Digest:
        parts = _parts(rel)
        if not parts or ".." in parts:  # not a file stat_in lets through; never read
            return told(rel, None, made(None, why_zh="不是文件", why_en="not a file"))
        cur = base
        for p in parts[:-1]:
            cur = cur + "/" + p
            linked = folders.get(cur)
            if linked is None:
                linked = folders[cur] = _is_link(cur)
            if linked:
                return told(rel, None, made(None, link=True))
        try:
            hexdigest, st = sha256_limited(Path(cur + "/" + parts[-1]))
        except OSError as e:
            zh = getattr(e, "zh", None) or e.strerror or type(e).__name__
            en = getattr(e, "en", None) or e.strerror or type(e).__name__
            link = isinstance(e, NotRegularFile) and e.kind == "symbolic link"
            return told(rel, None, made(None, link=link, why_zh=zh, why_en=en))
        return told(rel, st, made(hexdigest))

    return digest


def _parts(rel: str) -> list[str]:
    """The components PurePosixPath would give (empty and "." parts dropped), with a
    backslash taken as a separator."""
    return [p for p in rel.replace("\\", "/").split("/") if p and p != "."]


def _is_link(path: str) -> bool:
    try:
        return stat_mod.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False  # not there: the open that follows says what is wrong


@lru_cache(maxsize=8)
def _realpath(folder: str, _ino: int, _dev: int, _ctime: int) -> str:
    # keyed by what lstat says of the folder too: a folder replaced (or a link
    # retargeted) on the way is resolved afresh
    return os.path.realpath(folder)


def _resolved(project_dir: str, lstat: os.stat_result | None = None) -> str:
    """Path(project_dir).resolve(), with its parent (dossiers/) resolved once per run:
    the same path unless the project folder itself is a link, which is resolved in
    full. `lstat`: the project folder's, if the caller has just taken it. Strings, not
    pathlib: this runs once a dossier (docs/benchmarks.md)."""
    parent, name = os.path.split(project_dir)
    if name in ("", ".", "..") or not parent:
        return str(Path(project_dir).resolve())
    try:
        if stat_mod.S_ISLNK((lstat if lstat is not None else os.lstat(project_dir)).st_mode):
            return str(Path(project_dir).resolve())
        st = os.lstat(parent)
    except OSError:
        return str(Path(project_dir).resolve())
    return os.path.join(_realpath(parent, st.st_ino, st.st_dev, st.st_ctime_ns), name)


# Listing a folder costs about three lstats and then answers every name in it; a
# folder larger than this (st_size, bytes: a few thousand names on ext4, tmpfs, btrfs,
# APFS) is not listed for a handful of names: its files are looked at one by one.
LIST_MAX_BYTES = 64 * 1024


# The same few paths recur in every dossier of a repository: each is split once. A
# longer one is split each time, never kept: a hostile file could fill the memory.
_KEPT_CHARS = 1024


def _split_now(rel: str) -> FileStatus | tuple[str, str, tuple[str, ...]]:
    """What a referenced path's text alone says (F002: a control character, an
    absolute path, `..`), else (folder, name, parts) relative to the project folder."""
    from golmud_cli.core.rules import FileStatus

    if _CONTROL.search(rel):
        return FileStatus.bad_name
    if _WINDOWS_ABS.match(rel) or rel.startswith("/"):
        return FileStatus.absolute
    parts = tuple(_parts(rel))
    if ".." in parts:
        return FileStatus.escapes
    if not parts:
        return "", "", parts
    return "/".join(parts[:-1]), parts[-1], parts


_split_kept = lru_cache(maxsize=4096)(_split_now)


_Statuses = tuple[type["FileStatus"], "FileStatus", "FileStatus", "FileStatus", type["Digest"]]
_STATUSES: _Statuses | None = None


def _statuses() -> _Statuses:
    """FileStatus, its ok, missing and not_a_file, and Digest, imported at the first
    dossier (the rules' package is not loaded with this module) and then read as a
    global: a `from` import in a function costs ~5,000 instructions a call on Python
    3.11 (~9,000 from a module that is not a package: the failed lookup of its
    __path__ formats an AttributeError), and a member read off an enum class goes
    through EnumType's __getattr__ hook (issue 17)."""
    global _STATUSES
    if _STATUSES is None:
        from golmud_cli.core.rules.base import Digest, FileStatus

        _STATUSES = (
            FileStatus,
            FileStatus.ok,
            FileStatus.missing,
            FileStatus.not_a_file,
            Digest,
        )
    return _STATUSES


def stat_in(
    project_dir: Path | str,
    on_exact: Callable[[], None] | None = None,
    *,
    folders: dict[str, os.stat_result] | None = None,
    answers: dict[str, FileStatus] | None = None,
    lstat: os.stat_result | None = None,
) -> Callable[[str], FileStatus]:
    """Where a referenced attachment stands, relative to its project folder.

    F002 (docs/dossier.md, Attachments): no absolute path, no `..`, no link out.

    Fast path (docs/benchmarks.md): one lstat per folder on the way, then one listing
    of the folder that holds the files (os.scandir: every name with its type, from the
    directory entry, without an lstat each), instead of a full realpath per file. A
    name the listing does not answer plainly is looked at with its own lstat: a name
    not in the listing (created since, or one the file system matches otherwise, as
    macOS does across Unicode normalization or case), a type the entry does not tell
    (DT_UNKNOWN), an error. Whenever a component is a symbolic link, or lstat fails
    other than "not there", the exact resolve-based answer is taken instead, so both
    give the same status. `on_exact` is told each time (the cache then knows that a
    link is on the way).

    `folders`, when given, is told each real folder on the way (relative to the
    project folder) with its lstat, taken before anything in it was looked at: the
    cache stamps it (pipeline/batch.py). `answers`: each path asked and its status,
    given once per stat_in (one listing is one moment; a path referenced twice is
    looked at once). `lstat`: the project folder's, if the caller has just taken it.
    """
    statuses, ok, missing, not_a_file, _ = _STATUSES or _statuses()
    path = os.fspath(project_dir)
    # The folder's own path where the caller's lstat says it is no link: everything
    # below it is lstat'ed on the way (a link there takes the exact path), so the files
    # reached are the same as from the resolved path, which only the exact way needs
    # (_resolved: a split, an lstat of dossiers/ and a join a dossier, issue 17).
    fast_base = (
        lstat is not None
        and not stat_mod.S_ISLNK(lstat.st_mode)
        and path.rpartition("/")[0] != ""
        and path.rpartition("/")[2] not in ("", ".", "..")
    )
    base_s = path if fast_base else _resolved(path, lstat)
    resolved: list[str] = [] if fast_base else [base_s]  # the exact way's base, once
    dirs: dict[str, int] = {}  # folder -> its st_size (a real folder), or -1: missing/not a folder
    # folder (relative) -> None: take the exact path; a status: that of every file in
    # it (a missing folder); else its path and its listing by name (None: not listed)
    places: dict[str, tuple[str, dict[str, os.DirEntry[str]] | None] | FileStatus | None] = {}
    said: dict[str, FileStatus] = {} if answers is None else answers

    def slow(parts: tuple[str, ...]) -> FileStatus:
        if on_exact is not None:
            on_exact()
        if not resolved:
            resolved.append(_resolved(path, lstat))
        base = Path(resolved[0])
        full = base.joinpath(*parts)
        try:
            real = full.resolve()
        except (OSError, RuntimeError):  # a link loop
            return statuses.link_out
        if not real.is_relative_to(base):
            return statuses.link_out
        try:
            if not real.exists():
                return statuses.missing
            if not real.is_file():
                return statuses.not_a_file
        except OSError:
            return statuses.missing
        return ok

    def place(
        parts: tuple[str, ...],
    ) -> tuple[str, dict[str, os.DirEntry[str]] | None] | FileStatus | None:
        """Where the files of the folder parts[:-1] are looked up (see `places`)."""
        cur = base_s
        size = -1  # the project folder itself (a file directly in it) is not listed
        for i, p in enumerate(parts[:-1]):
            cur = cur + "/" + p
            got = dirs.get(cur)
            if got is None:
                try:
                    st = os.lstat(cur)
                except (FileNotFoundError, NotADirectoryError):
                    got = -1
                except OSError:
                    return None
                else:
                    mode = st.st_mode
                    if stat_mod.S_ISLNK(mode):
                        return None
                    got = st.st_size if stat_mod.S_ISDIR(mode) else -1
                    if got >= 0 and folders is not None:
                        folders["/".join(parts[: i + 1])] = st
                dirs[cur] = got
            if got < 0:
                return missing  # a missing folder, or a file used as one
            size = got
        if size < 0 or size > LIST_MAX_BYTES:
            return cur, None
        try:
            with os.scandir(cur) as it:
                return cur, {e.name: e for e in it}
        except OSError:
            return cur, None  # e.g. a folder that may be passed through but not read

    def look(split: FileStatus | tuple[str, str, tuple[str, ...]]) -> FileStatus:
        if not isinstance(split, tuple):
            return split
        folder, name, parts = split
        if not parts:
            return slow(parts)
        try:
            where = places[folder]
        except KeyError:
            where = places[folder] = place(parts)
        if where is None:
            return slow(parts)
        if not isinstance(where, tuple):
            return where
        cur, listing = where
        e = listing.get(name) if listing is not None else None
        if e is not None:
            try:
                # the type from the directory entry (an lstat only if it was DT_UNKNOWN)
                if e.is_file(follow_symlinks=False):
                    return ok
                if e.is_symlink():
                    return slow(parts)
                if e.is_dir(follow_symlinks=False):
                    return not_a_file
            except OSError:
                pass
        # not listed, not listed plainly, or another kind (a pipe, a device): lstat
        try:
            mode = os.lstat(cur + "/" + name).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return missing
        except OSError:
            return slow(parts)
        if stat_mod.S_ISLNK(mode):
            return slow(parts)
        return ok if stat_mod.S_ISREG(mode) else not_a_file

    def stat(rel: str) -> FileStatus:
        got = said.get(rel)
        if got is not None:
            return got
        split = _split_kept(rel) if len(rel) <= _KEPT_CHARS else _split_now(rel)
        # The common path inline, without look's call (~17 files a dossier: one Python
        # call a file rather than three, docs/benchmarks.md): a plain file in a folder
        # already listed. Anything else, and a folder's first file, is look's.
        if type(split) is tuple:
            where = places.get(split[0])
            if type(where) is tuple and where[1] is not None:
                e = where[1].get(split[1])
                try:
                    if e is not None and e.is_file(follow_symlinks=False):
                        said[rel] = ok
                        return ok
                except OSError:
                    pass  # look asks again, and then lstat
        got = said[rel] = look(split)
        return got

    return stat


class Changed:
    """`git`'s answer to "what differs from REV", asked by start_changed and read by
    result(): the asking is cheap, the answer takes git ~0.1 s at 10,000 dossiers."""

    __slots__ = ("rev", "root", "runs")

    def __init__(self, root: Path, rev: str, runs: Runs) -> None:
        self.root, self.rev, self.runs = root, rev, runs

    def result(self, folders: Iterable[str] | None = None) -> tuple[set[str], bool]:
        """Projects whose files differ from the revision (committed, staged, unstaged or
        untracked), and whether gtx.yaml changed (then every dossier must be checked
        again). `folders`: the folders under dossiers/, if already listed."""
        from golmud_cli.edges.git import failed

        (rc, _, err), *rest = self.runs.outputs()
        if rc != 0 and "not a git repository" in err:
            raise UsageError(
                f"--changed-since 只能在 git 仓库中使用：{self.root} 不在 git 仓库中。"
                "请去掉这个选项以校验全部项目，或先 git init。",
                f"--changed-since needs a git repository: {self.root} is not in one. Leave the "
                "option out to check every project, or git init first.",
            )
        if rc != 0 and err:  # --quiet: git says nothing for a name that is no commit
            raise failed(["rev-parse"], err)
        if rc != 0:
            raise _no_commit(self.rev)
        for args, (rc, _, err) in zip(self.runs.commands[1:], rest, strict=True):
            if rc != 0:
                raise failed(args, err)
        staged, unstaged, tracked = (o for _, o, _ in rest)
        projects: set[str] = set()
        settings_changed = False
        for name in [*staged.split("\0"), *unstaged.split("\0")]:
            parts = name.split("/")
            if (
                name == SETTINGS_FILE
                or name in ATTRIBUTE_FILES
                or (len(parts) == 2 and parts[0] == DOSSIERS_DIR and parts[1] in ATTRIBUTE_FILES)
            ):
                # gtx.yaml bears on every dossier; an attributes file on every file
                # it matches: all of them are checked again
                settings_changed = True
            elif len(parts) >= 2 and parts[0] == DOSSIERS_DIR:
                projects.add(parts[1])
        known = {n.split("/")[1] for n in tracked.split("\0") if n.count("/") == 2}
        if SETTINGS_FILE not in tracked.split("\0") and (self.root / SETTINGS_FILE).is_file():
            settings_changed = True  # a gtx.yaml git does not know yet
        if folders is None:  # the folders under dossiers/, as Repository.project_ids lists them
            folders = Repository(self.root).project_ids()
        projects.update(f for f in folders if f not in known)
        return projects, settings_changed


def _no_commit(rev: str) -> UsageError:
    return UsageError(
        f"找不到提交 {rev!r}：--changed-since 需要一个提交（分支、标签或提交号，如 origin/main）。"
        "在 CI 的浅克隆中，请先 git fetch 该分支。",
        f"no commit {rev!r}: --changed-since takes a commit (a branch, tag or hash, such as "
        "origin/main). In a shallow CI clone, git fetch that branch first.",
    )


def start_changed(root: Path, rev: str) -> Changed:
    """Ask git what differs from `rev`, without waiting for the answer (Changed.result).

    The index against rev (committed and staged), the working tree against the index
    (unstaged) and the tracked project files, asked at once: together a superset of
    `git diff rev` plus the untracked files (a file staged and then reverted is checked
    again, which is never wrong).

    Untracked files: listing them all walks every folder (0.27 s of a 10,000-dossier
    repository's 0.37 s, docs/benchmarks.md). What an untracked file can change is a new
    project (its project.yaml untracked), a new gtx.yaml, or an attachment that appears;
    an appearing attachment can only clear a finding (F001), never raise one, so the new
    projects and gtx.yaml are what must be found: the folders under dossiers/ without a
    tracked project.yaml, from one index read and one listdir."""
    # -z: names as they are; without it git quotes a name with non-ASCII characters
    # ("dossiers/x/attachments/\345\217\257...pdf") and the project would be missed.
    if rev.startswith("-") or _CONTROL.search(rev):
        raise _no_commit(rev)  # never an option to git, nor a NUL it cannot be given
    # .gitattributes and .gitmodules too: a change to one may change how every file
    # it matches is checked out (docs/security.md, Git attributes)
    spec = ["--", DOSSIERS_DIR, SETTINGS_FILE, ATTRIBUTE_FILES[0], ATTRIBUTE_FILES[1]]
    commit = f"{rev}^{{commit}}"
    from golmud_cli.edges.git import Runs

    return Changed(
        root,
        rev,
        Runs(
            root,
            ["rev-parse", "--verify", "--quiet", commit],
            ["diff", "--cached", "--name-only", "-z", "--relative", "--no-renames", commit, *spec],
            ["diff-files", "--name-only", "-z", "--relative", *spec],
            ["ls-files", "-z", "--", f"{DOSSIERS_DIR}/*/{PROJECT_FILE}", SETTINGS_FILE],
        ),
    )


def changed_projects(
    root: Path, rev: str, folders: Iterable[str] | None = None
) -> tuple[set[str], bool]:
    """Projects whose files differ from `rev`, and whether gtx.yaml changed."""
    return start_changed(root, rev).result(folders)
