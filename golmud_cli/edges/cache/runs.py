"""Whole runs answered again: the bytes a report wrote, kept with what they came from.

A warm `gtx validate` over 10,000 dossiers spent about 1 s rebuilding 10,000 results
from the result cache and drawing the same report again (docs/benchmarks.md). When
nothing it read has changed, the report is the same bytes: this module keeps those
bytes and answers the next identical command with them, after one lstat of each
file and folder the run depended on.

What a kept run ("memo") is keyed by: the command line (with `--as-of`'s date taken
out, not the option: the date is checked against the days the answer holds on, as
the result cache does), the current folder, the whole environment (language, colours, terminal and
gtx's own switches all live there), whether each standard stream is a terminal and
its size, and the Python that runs.

What it depends on, each by its lstat (kind, inode, size, mtime, ctime, as git's
index does; a path that was missing must still be missing): the files and folders
the run registered (depend(): the repository root, gtx.yaml, dossiers/, each
project folder, its project.yaml, the folders of its attachments, each attachment
hashed for F003, ...), and every Python module the run loaded and every file of the
gtx package (an upgrade of gtx or of a library is a new inode). A run is kept only
when:
- the command said its output may be kept (ready(): validate, deadlines and status
  in text or json, without --output) and on which days it holds;
- nothing forbade it (forbid(): a dossier whose result the cache cannot hold, a
  folder reached through a link, a progress bar drawn on a terminal, ...);
- it ended with exit code 0 or 1;
- every dependency was last changed more than RACY_NS before the run started: a
  file written during the run (or just before, within one timestamp tick) could
  differ from what the run read with the same stamp, so such a run is not kept.

`GTX_RUN_MEMO=0` turns it off; `--no-cache` never arms it. The store is
`.git/gtx-cache/runs/` (only inside git), at most KEEP files, each marshal data
behind a magic header, ignored when unreadable, foreign or of another format.
This module imports only the standard library: it runs before the CLI is loaded.
"""

from __future__ import annotations

import marshal
import os
import stat
import struct
import sys
import time
from collections.abc import Iterable

try:  # the hash hashlib hands out, without hashlib loading OpenSSL (~10 ms at start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

MAGIC = b"GTXRUN01"
RACY_NS = 2_000_000_000
KEEP = 8  # each holds every path it read: ~5 MB at 10,000 dossiers
RUNS_DIR = "runs"
MAX_BYTES = 1 << 30  # a memo larger than this is not read (nor written)
_SIG = struct.Struct("<IQqqq")  # file type bits, inode, size, mtime, ctime (ns)
ABSENT = _SIG.pack(0, 0, 0, 0, 0)
Chunk = tuple[int, bytes]  # (1 stdout | 2 stderr, bytes as written)


def sig(path: str) -> bytes | None:
    """The stamp of `path` as lstat sees it (ABSENT when missing); None when it cannot
    be looked at (a dependency that can never be shown unchanged)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return ABSENT
    except (OSError, ValueError):
        return None
    return stamp_of(st)


def stamp_of(st: os.stat_result) -> bytes:
    """The packed stamp of an lstat result (the one layout sig() and lookup() compare)."""
    return _SIG.pack(st.st_mode >> 12, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _recent(packed: bytes, limit: int) -> bool:
    kind, _, _, mtime, ctime = _SIG.unpack(packed)
    return bool(kind != 0 and (mtime >= limit or ctime >= limit))


# --- dates, without importing datetime (~8 ms at start-up) ---------------------------------


def ordinal(year: int, month: int, day: int) -> int | None:
    """datetime.date(year, month, day).toordinal(); None when there is no such day."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= days[month - 1]):
        return None
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400 + sum(days[: month - 1]) + day


def iso_ordinal(text: str) -> int | None:
    """The ordinal of a plain YYYY-MM-DD date (ASCII digits only), else None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    digits = text[:4] + text[5:7] + text[8:]
    if not (digits.isascii() and digits.isdigit()):
        return None
    return ordinal(int(text[:4]), int(text[5:7]), int(text[8:]))


def today_ordinal() -> int:
    """datetime.date.today().toordinal(): the local date."""
    t = time.localtime()
    return ordinal(t.tm_year, t.tm_mon, t.tm_mday) or 0


MIN_DAY, MAX_DAY = 1, 3652059  # date.min and date.max as ordinals


# --- the key -----------------------------------------------------------------------------


class Call:
    """One command line as a memo sees it: its key, the date it takes as today, and
    the folder whose repository keeps the memo."""

    __slots__ = ("day", "key", "repo")

    def __init__(self, key: str, day: int | None, repo: str | None) -> None:
        self.key, self.day, self.repo = key, day, repo

    def today(self) -> int:
        return self.day if self.day is not None else today_ordinal()


def _streams() -> list[str]:
    out = []
    for fd in (0, 1, 2):
        try:
            tty = os.isatty(fd)
        except OSError:
            tty = False
        size = ""
        if tty:
            try:
                cols, lines = os.get_terminal_size(fd)
                size = f"{cols}x{lines}"
            except OSError:
                size = "?"
        out.append(f"{fd}:{int(tty)}:{size}")
    return out


def call_of(argv: list[str]) -> Call | None:
    """The call's key, or None when a memo cannot be told apart safely (an --as-of
    that is not a plain YYYY-MM-DD date, or given twice)."""
    rest: list[str] = []
    day: int | None = None
    repo: str | None = None
    i = 0
    while i < len(argv):
        a = argv[i]
        value: str | None = None
        if a == "--as-of":
            if i + 1 >= len(argv):
                return None
            value, i = argv[i + 1], i + 2
        elif a.startswith("--as-of="):
            value, i = a[len("--as-of=") :], i + 1
        else:
            if a == "--repo" and i + 1 < len(argv):
                repo = argv[i + 1]
            elif a.startswith("--repo="):
                repo = a[len("--repo=") :]
            rest.append(a)
            i += 1
            continue
        if day is not None:
            return None
        day = iso_ordinal(value)
        if day is None:
            return None
        # where the date stood stays in the key (a word that only looked like the
        # option, say a --repo named "--as-of", must not share a memo with a line
        # without it); its value does not
        rest.append("\0as-of")
    h = blake2b(MAGIC, digest_size=32)
    for part in (
        sys.executable,
        sys.version,
        os.getcwd(),
        *_streams(),
        "\0argv",
        *rest,
        "\0env",
        *(f"{k}={v}" for k, v in sorted(os.environ.items())),
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return Call(h.hexdigest(), day, repo)


def _upward(start: str) -> list[str]:
    d, out = os.path.realpath(start), []
    while True:
        out.append(d)
        parent = os.path.dirname(d)
        if parent == d:
            return out
        d = parent


def _store_dir(call: Call) -> str | None:
    """`.git/gtx-cache/runs` of the repository the command finds (--repo, else upward
    from here, as edges/repo.find_root does; its .git as edges/gitdir.git_dir finds
    it, without pathlib); None outside git."""
    try:
        for d in _upward(call.repo if call.repo is not None else os.getcwd()):
            if os.path.isfile(f"{d}/gtx.yaml") or os.path.isdir(f"{d}/dossiers"):
                break
        else:
            return None
        for up in _upward(d):
            dot = f"{up}/.git"
            if os.path.isdir(dot):
                return f"{dot}/gtx-cache/{RUNS_DIR}"
            if os.path.isfile(dot):  # a worktree: "gitdir: <path>"
                with open(dot, encoding="utf-8") as f:
                    text = f.read().strip()
                if not text.startswith("gitdir:"):
                    return None
                g = os.path.join(up, text[7:].strip())
                return f"{os.path.realpath(g)}/gtx-cache/{RUNS_DIR}"
    except (OSError, ValueError):
        return None
    return None


def _read_regular(path: str) -> bytes | None:
    """The bytes of a regular file, through no final link and with no wait on a pipe
    (as edges/repo.read_limited, without importing it); None for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


# --- answering ----------------------------------------------------------------------------


def disabled() -> bool:
    return os.environ.get("GTX_RUN_MEMO") == "0"


def lookup(argv: list[str]) -> tuple[list[Chunk], int] | None:
    """What the same command wrote and returned before, if everything it read is as it
    was and today is among the days its answer holds on; else None."""
    if disabled():
        return None
    call = call_of(argv)
    if call is None:
        return None
    where = _store_dir(call)
    if where is None:
        return None
    data = _read_regular(f"{where}/{call.key}")
    if data is None:
        return None
    memo = _decode(data, call.key)
    if memo is None:
        return None
    first, last, present, packed, absent, chunks, code = memo
    if not first <= call.today() <= last:
        return None
    try:  # one lstat a path: the whole cost of an answer
        now = b"".join(map(stamp_of, map(os.lstat, present)))
    except (OSError, ValueError):
        return None  # one is gone or cannot be looked at: changed
    if now != packed or any(map(os.path.lexists, absent)):
        return None
    return chunks, code


# days (first, last); the paths that were there and their stamps; the paths that were not;
# what was written; the exit code
Memo = tuple[int, int, tuple[str, ...], bytes, tuple[str, ...], list[Chunk], int]


def _decode(data: bytes, key: str) -> Memo | None:
    if not data.startswith(MAGIC):
        return None
    try:
        m = marshal.loads(data[len(MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return None
    try:
        mkey, first, last, paths, packed, absent, chunks, code = m
        ok = (
            mkey == key
            and isinstance(first, int)
            and isinstance(last, int)
            and isinstance(paths, tuple)
            and all(isinstance(p, str) for p in paths)
            and isinstance(packed, bytes)
            and len(packed) == _SIG.size * len(paths)
            and isinstance(absent, tuple)
            and all(isinstance(p, str) for p in absent)
            and isinstance(chunks, tuple)
            and all(
                isinstance(c, tuple) and len(c) == 2 and c[0] in (1, 2) and isinstance(c[1], bytes)
                for c in chunks
            )
            and code in (0, 1)
        )
    except (TypeError, ValueError):
        return None
    if not ok:
        return None
    return first, last, paths, packed, absent, list(chunks), code


# --- recording ----------------------------------------------------------------------------


class Recorder:
    """What one run depends on, and whether and over which days its output may be kept."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.started_ns = time.time_ns()
        self.paths: dict[str, None] = {}
        # stamps of some of them taken while they were read (depend's `known`)
        self.known: dict[str, bytes] = {}
        # paths already stamped and found old enough elsewhere (depend_stamped)
        self.stamped: list[Stamped] = []
        self.first, self.last = MIN_DAY, MAX_DAY
        self.forbidden = False
        self.ready_day: int | None = None


ACTIVE: Recorder | None = None


def start(argv: list[str]) -> Recorder | None:
    """Arm a recorder for this run (None when memos are off or the call has no key)."""
    global ACTIVE
    if disabled():
        return None
    call = call_of(argv)
    ACTIVE = Recorder(call) if call is not None else None
    return ACTIVE


def recording() -> bool:
    return ACTIVE is not None and not ACTIVE.forbidden


def depend(paths: Iterable[str], known: dict[str, bytes] | None = None) -> None:
    """The run's output depends on these paths (files or folders, present or not).
    `known`: the stamps (stamp_of) of some of them as lstat saw them before they were
    read, kept instead of an lstat at the end: a change after it shows as a different
    stamp when the run is looked up, and one before it as a recent one."""
    if ACTIVE is not None and not ACTIVE.forbidden:
        ACTIVE.paths.update(dict.fromkeys(paths))
        if known:
            ACTIVE.known.update(known)


# paths that were there, their stamps (packed, in order), paths that were not
Stamped = tuple[tuple[str, ...], bytes, tuple[str, ...]]


def stamped(
    paths: Iterable[str], known: dict[str, bytes] | None = None, rec: Recorder | None = None
) -> Stamped | None:
    """The paths' stamps as the run (`rec`, else the one recording) keeps them: the
    `known` one of a path, else an lstat now. None when one cannot be looked at or
    changed within RACY_NS before the run started (the run cannot be kept), or when
    no run is recorded."""
    rec = rec or ACTIVE
    if rec is None:
        return None
    limit = rec.started_ns - RACY_NS
    known = known or {}
    present: list[str] = []
    packed: list[bytes] = []
    absent: list[str] = []
    for p in paths:
        s = known.get(p) or sig(p)
        if s is None or _recent(s, limit):
            return None
        if s == ABSENT:
            absent.append(p)
        else:
            present.append(p)
            packed.append(s)
    return tuple(present), b"".join(packed), tuple(absent)


def depend_stamped(part: Stamped) -> None:
    """As depend(), for paths stamped() has stamped (in a worker process, pipeline/
    batch.py: ~30,000 paths at 10,000 dossiers, not stamped again here)."""
    if ACTIVE is not None and not ACTIVE.forbidden:
        ACTIVE.stamped.append(part)


def holds(first: int, last: int) -> None:
    """The run's output holds only on these days (ordinals), as far as this part goes."""
    if ACTIVE is not None:
        ACTIVE.first = max(ACTIVE.first, first)
        ACTIVE.last = min(ACTIVE.last, last)


def forbid() -> None:
    """This run's output must not be kept."""
    if ACTIVE is not None:
        ACTIVE.forbidden = True


def ready(today: dt.date, *, daily: bool) -> None:
    """Called by a command whose output may be kept: its whole output is the report
    written to stdout/stderr, and `today` is the date it took as today. `daily`: the
    report shows values that change every day (days left): it holds on `today` only;
    else on the days every part of it said (holds())."""
    if ACTIVE is not None:
        ACTIVE.ready_day = today.toordinal()
        if daily:
            holds(ACTIVE.ready_day, ACTIVE.ready_day)


def _code_paths() -> list[str]:
    """Every module the run loaded, and every file and folder of the gtx package."""
    out = [
        f for m in list(sys.modules.values()) if isinstance(f := getattr(m, "__file__", None), str)
    ]
    pkg = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for top, dirs, files in os.walk(pkg):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        out.append(top)
        out.extend(os.path.join(top, f) for f in files)
    return out


def finish(rec: Recorder, chunks: list[Chunk], code: int) -> None:
    """Keep the run if it may be kept (module docstring); never raises."""
    global ACTIVE
    ACTIVE = None
    try:
        _save(rec, chunks, code)
    except Exception:  # a memo is an optimisation: failing to keep one changes nothing
        pass


def _save(rec: Recorder, chunks: list[Chunk], code: int) -> None:
    call = rec.call
    if (
        rec.forbidden
        or rec.ready_day is None
        or code not in (0, 1)
        or rec.ready_day != call.today()
        or not rec.first <= rec.ready_day <= rec.last
        or not rec.paths
    ):
        return
    where = _store_dir(call)
    if where is None or not os.path.isdir(os.path.dirname(where)):
        return  # only beside a result cache the run made or used
    own = stamped(dict.fromkeys([*rec.paths, *_code_paths()]), rec.known, rec)
    if own is None:
        return
    # a path in two parts is looked at twice by lookup(): the same stamp both times
    parts = [own, *rec.stamped]
    present = tuple(p for part in parts for p in part[0])
    absent = tuple(p for part in parts for p in part[2])
    memo = (call.key, rec.first, rec.last, present, b"".join(part[1] for part in parts), absent)
    data = MAGIC + marshal.dumps((*memo, tuple(chunks), code))
    if len(data) > MAX_BYTES or os.path.islink(where):
        return  # a link would put the memo somewhere else
    os.makedirs(where, exist_ok=True)
    # a temporary name, then a rename: a reader sees the old memo or the new one
    tmp = f"{where}/.{call.key}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, f"{where}/{call.key}")
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    _prune(where)


def _prune(where: str) -> None:
    """Keep the KEEP most recently written memos."""
    entries = []
    for e in os.scandir(where):
        try:
            entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass
