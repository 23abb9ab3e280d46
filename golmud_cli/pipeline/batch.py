"""The content-keyed result cache (docs/benchmarks.md: "cost must grow with what changed").

What a dossier's verdict depends on, and how each is keyed:

- its bytes: git's blob id (content hash) from `git ls-files -s`; a file modified in
  the working tree, untracked, or outside git is hashed the same way here
  (sha1(b"blob <size>\\0" + data));
- gtx.yaml: its blob id, likewise;
- gtx itself: a fingerprint of the package's sources and version (any change to a
  rule, the model or a message gives a new fingerprint, and the whole cache is
  dropped);
- the date taken as today (`--as-of`): not in the key. A result holds over an
  interval of dates, recorded while it is computed (core/dateinterval.py: every
  comparison with today narrows it; any other use of today's value makes it today
  alone), and is answered from the cache on any day in that interval, so the first
  run of a new day is as warm as the second (issue 17). The deadlines' days_left,
  the one value that changes every day, is recomputed on each run from the stored
  due date;
- where each referenced attachment stands (FileStatus, which the F rules read). The
  statuses are kept with the entry; the folders that hold the files are stamped
  (inode, mtime, ctime): a file can appear, vanish, or change type only through
  its folder, which changes the folder's stamps. When a stamp differs, or a folder
  or file is a symbolic link, or a stamp is too recent to trust ("racy", as in git's
  index), the statuses are taken again file by file and compared;
- the bytes of each attachment whose SHA-256 the dossier records (F003): hashed on a
  miss only; the entry keeps each such file's stamp (inode, size, mtime, ctime, as
  taken before it was read), and one lstat per file on the warm path tells an
  overwrite in place (ctime moves even when size and mtime are put back). A file
  that could not be hashed, or whose stamp is racy, is stamped so that it never
  holds: its dossier is checked again until it settles.

The store (edges/cache/store.py) keeps the entries in `.git/gtx-cache/results/` (or
`.gtx-cache/results/` outside git), spread over 256 files, each whole on its own and
ignored and rebuilt when damaged, foreign or of another gtx; this module decides what
an entry holds and when it still answers: cache lookup, then check the misses (on
several cores through pipeline/parallel.py), then save. A cold run on several cores
hands each worker whole results files' worth of projects, and the worker writes those
files itself, side by side with the other's checks, instead of this process writing all
256 after the last result (issue 17: every second of this process is wall time). It
never prints: a progress display is handed in (ProgressFactory; reporters/progress.py
draws the bar).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import marshal
import os
import stat as stat_mod
import struct
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from golmud_cli import __version__
from golmud_cli.core.deadline_data import DeadlineData as DeadlineData
from golmud_cli.core.deadline_data import DeadlineInfo, decode, encode
from golmud_cli.core.deadline_types import PolicyFacts
from golmud_cli.core.findings import Finding, Severity
from golmud_cli.edges.cache import runs as _runs
from golmud_cli.edges.cache import store as _store
from golmud_cli.edges.cache.store import (
    E_AUX,
    E_FILES,
    E_FINDINGS,
    E_HASHED,
    E_ID,
    E_KEY,
    E_LOADED,
    E_STAMPS,
    E_VALID,
    FORMAT,
    FindingRow,
    StoredResult,
    cache_dir,
)
from golmud_cli.edges.cache.store import shard_of as shard_of
from golmud_cli.edges.fs import ATTRIBUTES
from golmud_cli.edges.gitdir import blob_id as blob_id
from golmud_cli.edges.gitdir import git_dir

# A folder changed this recently may change again within the same timestamp tick
# unseen: its stamp is not trusted (git's "racy" entries).
RACY_NS = 2_000_000_000

# Up to this many files are hashed here rather than looked up in git's index.
FEW = 64

# The least number of projects a worker checks at once in a cold run (_shard_groups):
# 10,000 dossiers make 256 groups of ~39 (one results file each), 410 make 13.
GROUP = 32

ALWAYS = (dt.date.min.toordinal(), dt.date.max.toordinal())  # a result no date bears on


def _blob(rows: tuple[FindingRow, ...]) -> bytes:
    return marshal.dumps(rows) if rows else b""


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """gtx's version and the hash of every source and data file of the package: a new
    release, an edited rule or an edited message all invalidate the cache."""
    h = hashlib.sha1(f"{__version__}\0{sys.version}\0{FORMAT}\0".encode())
    from golmud_cli.edges.resources import package_root

    pkg = package_root(__file__)
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".json", ".yaml") and p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(pkg).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
    # The libraries that shape a verdict (parsing, validation, the holiday calendar):
    # an upgrade rewrites their files. Located without importing them.
    import importlib.util

    for name in ("pydantic", "pydantic_core", "ruamel.yaml", "_ruamel_yaml", "holidays"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin:
            try:
                st = os.stat(origin)
                h.update(f"{name}\0{origin}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
            except OSError:
                pass
    return h.hexdigest()


class Store(_store.Store):
    """The store of this gtx's results: another gtx's (another fingerprint) are ignored."""

    def __init__(self, directory: Path | None) -> None:
        super().__init__(directory, fingerprint())


# --- content ids ------------------------------------------------------------------------


def git_index(root: Path) -> Index:
    """git's index of the dossier files and gtx.yaml, asked now and read later
    (edges/git.py runs git; imported only when there are many files to key)."""
    from golmud_cli.edges.git import Index

    return Index(root, [":(glob)dossiers/*/project.yaml", "gtx.yaml"])


def content_ids(
    root: Path, rels: Iterable[str], *, in_git: bool, started: Index | None = None
) -> dict[str, str | None]:
    """The content id of each repository-relative file (None: missing or unreadable):
    in git, the index's blob id of each file git reports unmodified (git_index, which
    may have been started earlier); every other file is read and hashed here."""
    wanted = list(rels)
    index: dict[str, str] = {}
    # A few files (named projects, --changed-since) are hashed sooner than git is asked.
    if in_git and len(wanted) > FEW:
        index = (started or git_index(root)).blob_ids()
    elif started is not None:
        started.close()
    out: dict[str, str | None] = {}
    for rel in wanted:
        cid = index.get(rel)
        if cid is None and os.path.islink(root / os.path.dirname(rel)):
            out[rel] = None  # a project folder that is a link is never answered from the cache
            continue
        if cid is None:
            try:
                from golmud_cli.edges.repo import read_limited

                cid = blob_id(read_limited(root / rel))  # no hang on a pipe, no 2 GB read
            except OSError:
                cid = None
        out[rel] = cid
    return out


# --- attachment stamps ------------------------------------------------------------------


def _folders(rels: tuple[str, ...]) -> tuple[str, ...]:
    """The folders (relative to the project folder, "" for itself) whose listings decide
    where these files stand: every folder on each path. The project folder itself only
    for a file directly in it: "attachments" replaced or made a link shows in its own
    stamp, and a project folder moved behind a link moves its base with it (stat_in).
    Remembered: a repository's dossiers name the same few sets of files (but not
    sets of any size: a hostile file could fill the memory with them)."""
    if sum(map(len, rels)) <= 4096:
        return _folders_kept(rels)
    return _folders_now(rels)


def _folders_now(rels: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for rel in rels:
        parts = [p for p in rel.replace("\\", "/").split("/") if p and p != "."]
        if len(parts) == 1:
            seen[""] = None
        for i in range(1, len(parts)):
            seen["/".join(parts[:i])] = None
    return tuple(seen)


_folders_kept = lru_cache(maxsize=1024)(_folders_now)

_STAMP = struct.Struct("<BQqq")  # kind (0 gone, 1 not a folder, 2 a folder), inode, mtime, ctime
Stamps = tuple[tuple[str, ...], bytes]  # the folders, and their stamps packed


def _stamps_now(
    project_dir: str,
    folders: Iterable[str],
    limit: int | None,
    known: Mapping[str, os.stat_result] | None = None,
) -> bytes | None:
    """The folders' stamps as they are now (or as `known` has them: an lstat taken
    before the folder's files were looked at, so that any later change shows in it);
    None if one is a link, cannot be looked at, or (with `limit`) changed at or after
    `limit` (ns)."""
    out = []
    for folder in folders:
        st = known.get(folder) if known is not None else None
        if st is None:
            try:
                st = os.lstat(f"{project_dir}/{folder}" if folder else project_dir)
            except FileNotFoundError:
                out.append(_STAMP.pack(0, 0, 0, 0))  # gone: its return shows here as a change
                continue
            except OSError:
                return None
        mode = st.st_mode
        if stat_mod.S_ISDIR(mode):
            if limit is not None and (st.st_mtime_ns >= limit or st.st_ctime_ns >= limit):
                return None
            out.append(_STAMP.pack(2, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
        elif stat_mod.S_ISLNK(mode):
            return None
        else:
            out.append(_STAMP.pack(1, 0, 0, 0))  # a file where a folder would be
    return b"".join(out)


def stamps(
    project_dir: str,
    files: Mapping[str, str],
    since_ns: int,
    *,
    links_seen: bool = True,
    known: Mapping[str, os.stat_result] | None = None,
) -> Stamps | None:
    """Stamps of the folders holding `files` (relative path -> status), or None when
    they cannot be trusted: a link on the way (its target may change unseen), a file
    that is a link, or a folder changed since `since_ns` - RACY_NS. `links_seen`
    False: the statuses were found without meeting any link (stat_in's fast path),
    so the files need not be looked at again for one. `known`: folders' lstats taken
    before their files were looked at (stat_in's `folders`, after `since_ns`), used
    instead of new ones: a change after them shows in the next run's stamps, and one
    before is caught as racy, as with an lstat taken now."""
    statuses = list(files.values())
    if statuses.count("ok") == len(statuses):  # the usual dossier: one count in C
        fs_dependent = tuple(files)
    else:
        fs_dependent = tuple(
            [rel for rel, st in files.items() if st in ("ok", "missing", "not_a_file", "link_out")]
        )
    folders = _folders(fs_dependent)
    packed = _stamps_now(project_dir, folders, since_ns - RACY_NS, known)
    if packed is None:
        return None
    for rel, status in files.items() if links_seen else ():
        if status in ("ok", "not_a_file", "link_out"):
            try:
                if stat_mod.S_ISLNK(os.lstat(f"{project_dir}/{rel}").st_mode):
                    return None
            except OSError:
                return None
    return folders, packed


def stamps_hold(project_dir: str, saved: Stamps) -> bool:
    """True when every saved folder stamp is as it was."""
    folders, packed = saved
    return _stamps_now(project_dir, folders, None) == packed


# A hashed attachment's stamp: inode, size, mtime, ctime (ns). NEVER stamps a file that
# could not be hashed or changed too recently to trust: no lstat gives a size of -1.
_FILE_STAMP = struct.Struct("<Qqqq")
NEVER = _FILE_STAMP.pack(0, -1, 0, 0)
Hashed = tuple[tuple[str, ...], bytes]  # the files hashed for F003, and their stamps packed


def file_stamp(st: os.stat_result | None, limit: int) -> bytes:
    """A hashed file's stamp from the stat it was hashed at; NEVER when there is none or
    when it changed at or after `limit` (ns): a write within the same timestamp tick
    after the read would leave the stamp as it is (git's "racy" entries)."""
    if st is None or st.st_mtime_ns >= limit or st.st_ctime_ns >= limit:
        return NEVER
    return _FILE_STAMP.pack(st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def hashed_hold(project_dir: str, saved: Hashed) -> bool:
    """True when every hashed attachment is still the regular file it was hashed as
    (one lstat each: no hashing on the warm path)."""
    try:
        files, packed = saved
        now = []
        for rel in files:
            st = os.lstat(f"{project_dir}/{rel}")
            if not stat_mod.S_ISREG(st.st_mode):
                return False
            now.append(_FILE_STAMP.pack(st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    except (OSError, TypeError, ValueError, struct.error):
        return False  # gone, unreadable, or not what gtx writes
    return b"".join(now) == packed


# --- findings as plain rows --------------------------------------------------------------


def finding_row(f: Finding) -> FindingRow | None:
    if f.extra:
        return None  # not plain data: such a result is not cached
    return (
        f.code,
        f.severity.value,
        f.project,
        f.file,
        f.path,
        f.label,
        f.message_zh,
        f.message_en,
        f.clause,
        f.line,
        f.column,
        f.anchor,
    )


# Severity by value without the enum's call (~1,800 a cold 10,000-dossier report)
_SEVERITIES = {s.value: s for s in Severity}


def finding_of(row: FindingRow) -> Finding:
    return Finding(
        row[0],
        _SEVERITIES.get(row[1]) or Severity(row[1]),  # an unknown one raises, as it did
        row[2],
        row[3],
        tuple(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
    )


def finding_rows(findings: Iterable[Finding]) -> tuple[FindingRow, ...] | None:
    rows = []
    for f in findings:
        row = finding_row(f)
        if row is None:
            return None
        rows.append(row)
    return tuple(rows)


# --- checking many projects, from the cache where it holds ----------------------------------


class Progress(Protocol):
    """What shows a long check's progress (reporters/progress.py: a bar on a terminal)."""

    def advance(self, n: int) -> None: ...

    def stop(self) -> None: ...


# Called with the number of dossiers to check; None: nothing to show (not a terminal).
ProgressFactory = Callable[[int], Progress | None]

if TYPE_CHECKING:
    from golmud_cli.edges.git import Index
    from golmud_cli.edges.repo import Repository
    from golmud_cli.pipeline.check import Result


def deadline_info(entry: StoredResult, today: dt.date) -> DeadlineInfo | None:
    aux = entry[E_AUX]
    if not isinstance(aux, bytes):
        return None
    return decode(aux, today)


class Checked:
    """One project's verdict with its cache entry (None when not cacheable)."""

    __slots__ = ("entry", "result")

    def __init__(self, result: Result, entry: StoredResult | None) -> None:
        self.result, self.entry = result, entry


def check_projects(
    r: Repository,
    ids: list[str],
    today: dt.date,
    *,
    use_cache: bool = True,
    jobs: int = 0,
    progress: ProgressFactory | None = None,
    repository_wide: Callable[[list[Result]], list[Finding]] | None = None,
    with_findings: bool = True,
    with_policy: bool = False,
    with_models: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> Batch:
    """Every project's result in `ids` order, gtx.yaml's findings, and the findings of
    `repository_wide` over all results: from the cache where the key and the
    attachments hold, else checked (in worker processes when there are many). The
    answers are the same on every path (tests/pipeline/test_cache.py).
    `with_findings` False: a result answered from the cache comes without its
    findings (the reports that read only the deadline data skip making 10,000 lists
    of them). `with_policy`: the Batch holds gtx.yaml's policy as plain values
    (PolicyFacts, kept by gtx.yaml's content id), for the reports. `with_models`
    False: no result comes with its model (a caller that reads only findings and ids,
    `gtx validate`), so that each dossier the fast model takes is checked without
    pydantic, however few they are; a result's model is then made again if asked.
    `meanwhile`: called once while worker processes check the dossiers, if any do
    (pipeline/parallel.py map_groups): what the caller needs after, made then."""
    from golmud_cli.edges.repo import PROJECT_FILE, SETTINGS_FILE
    from golmud_cli.pipeline.check import Result
    from golmud_cli.pipeline.parallel import map_ordered

    was_collecting = _pause_gc()
    try:
        store = Store(cache_dir(r.root) if use_cache else None)
        # No cache yet (a fresh clone) or another gtx's: every dossier will be checked
        # and read anyway, so each is keyed by the blob id of the bytes its check reads
        # (in _check_one) rather than by git's index, which is not asked at all (at
        # 10,000 dossiers its listing held a cold run ~0.5 s before any check began).
        cold = use_cache and len(ids) >= FEW and not store.settings
        in_git = use_cache and not cold and git_dir(r.root) is not None
        started = git_index(r.root) if in_git and len(ids) >= FEW else None  # git works meanwhile
        if cold:
            from golmud_cli.pipeline import parallel
            from golmud_cli.pipeline.check import prepare

            # gtx.yaml, the rules and the calendar before the workers fork; the fast
            # model where no model leaves the check (keep_model False below). Pydantic
            # (the reference) is not loaded here for the fast model's runs: each
            # worker imports it at its first dossier the fast model is not sure of.
            # With some invalid dossiers that is the same wall time (the workers'
            # imports run side by side instead of the parent's before them, ~0.25 s);
            # with none, as in a repository kept clean, it is never imported at all.
            many = parallel.workers(jobs, len(ids)) > 1 or len(ids) >= parallel.THRESHOLD
            fast = many or not with_models
            prepare(r, fast_model=fast, reference=not fast)
        rels = {p: f"dossiers/{p}/{PROJECT_FILE}" for p in ids}
        keys: dict[str, str | None] = dict.fromkeys(ids)
        suffix: str | None = None
        sid = "none"
        if use_cache:
            files = [SETTINGS_FILE] if cold else [*rels.values(), SETTINGS_FILE]
            cids = content_ids(r.root, files, in_git=in_git, started=started)
            settings_id = cids[SETTINGS_FILE]
            if settings_id is None and os.path.lexists(r.root / SETTINGS_FILE):
                use_cache = False  # gtx.yaml there but unreadable: nothing to key on, check afresh
            sid = settings_id or "none"
            suffix = f"|{sid}"  # no date: each entry says over which days it holds (E_VALID)
            for p in [] if cold else ids:
                cid = cids[rels[p]]
                keys[p] = cid + suffix if cid is not None and use_cache else None
        # keyed in the worker, from the bytes it checks: cold runs only
        key_suffix = suffix if cold and use_cache else None
        if use_cache:
            rows = store.settings.get(sid)
            if rows is None:
                settings_findings = list(r.settings_findings)
                new_rows = finding_rows(settings_findings)
                if new_rows is not None:
                    store.put_settings(sid, new_rows)
            else:
                settings_findings = [finding_of(row) for row in rows]
        else:
            settings_findings = list(r.settings_findings)

        done: dict[str, Checked] = {}
        bare: set[str] = set()  # projects checked here whose folder had no .gitattributes
        known: dict[str, bytes] = {}  # paths' stamps the checks took (a kept run's)
        # projects whose dependencies their worker told the recorded run (_group_note)
        noted: set[str] = set()
        misses: list[str] = []
        day = today.toordinal()
        for p in ids:
            key = keys[p]
            entry = store.get(p) if key is not None else None
            if entry is not None and entry[E_KEY] == key and _holds(entry, day):
                fresh = _revalidate(r, p, entry)
                if fresh is not None:
                    if fresh is not entry:
                        store.put(p, fresh)
                    done[p] = Checked(
                        _result_of(r, p, fresh, today, with_findings=with_findings), fresh
                    )
                    continue
            misses.append(p)
    finally:
        _resume_gc(was_collecting)

    if misses:
        settings = r.settings  # loaded before forking: the workers inherit it
        policy = settings.policy
        single = True

        def task(p: str) -> tuple[Any, ...]:
            return _check_one(
                r, p, today, keys[p], settings, policy, keep_model=single, key_suffix=key_suffix
            )

        from golmud_cli.pipeline import parallel

        # Keep the models only for a few dossiers (the gate of `advance`, a named
        # project): ten thousand of them would cost ~250 MB (docs/benchmarks.md: <= 300 MB).
        single = (
            with_models
            and parallel.workers(jobs, len(misses)) <= 1
            and len(misses) < parallel.THRESHOLD
        )
        bar = progress(len(misses)) if progress and len(misses) >= parallel.THRESHOLD else None
        if bar is not None:
            _runs.forbid()  # a bar drawn on the terminal is not an answer to replay

        def take(p: str, out: tuple[Any, ...], written: bool = False, shard: int = -1) -> None:
            entry, findings, model, sigs, no_attributes = out
            if sigs is not None:
                known.update(sigs)
            if no_attributes:
                bare.add(p)
            if key_suffix is not None:
                keys[p] = _key_of(entry)
            if entry is not None:
                if keys[p] is not None:
                    store.put(p, entry, written=written, shard=shard)
                res = _result_of(r, p, entry, today, model)
            else:
                res = Result(p, rels[p], model, findings)
            done[p] = Checked(res, entry)

        processes = parallel.workers(jobs, len(misses))
        try:
            if key_suffix is not None and processes > 1 and store.ready():
                # A cold run on several cores: each worker checks whole results files'
                # worth of projects and writes those files itself, side by side, rather
                # than this process writing all 256 after the last result (10,000
                # dossiers: ~0.1-0.15 s of serial work, docs/benchmarks.md).
                groups = _shard_groups(misses)
                store.fresh(k for shards, _ in groups for k in shards)
                task(misses[0])  # here first: the workers inherit what it imported

                root = str(r.root)

                def group_task(group: tuple[tuple[int, ...], list[str]]) -> tuple[Any, ...]:
                    outs = [task(p) for p in group[1]]
                    entries: dict[int, dict[str, StoredResult]] = {k: {} for k in group[0]}
                    for p, out in zip(group[1], outs, strict=True):
                        entry = out[0]
                        if entry is not None and entry[E_KEY]:  # what take() keeps
                            entries[shard_of(p)][p] = _store.plain(entry)
                    note = _group_note(root, group[1], outs)
                    if note is not None:  # the stamps' only reader was _note_run
                        outs = [(*out[:3], None, *out[4:]) for out in outs]
                    return outs, store.write_fresh(entries), note

                for (_, projects), (outs, written, note) in zip(
                    groups,
                    parallel.map_groups(
                        group_task, groups, processes=processes, meanwhile=meanwhile
                    ),
                    strict=True,
                ):
                    for p, out in zip(projects, outs, strict=True):
                        k = shard_of(p)
                        take(p, out, k in written, k)
                    if note is not None:
                        part, first, last = note
                        if part is None:
                            _runs.forbid()
                        else:
                            _runs.depend_stamped(part)
                            _runs.holds(first, last)
                        noted.update(projects)
                    if bar is not None:
                        bar.advance(len(projects))
            else:
                for p, out in zip(
                    misses,
                    map_ordered(
                        task,
                        misses,
                        jobs=jobs,
                        on_progress=bar.advance if bar else None,
                        meanwhile=meanwhile,
                    ),
                    strict=True,
                ):
                    take(p, out)
        finally:
            if bar is not None:
                bar.stop()
    checked = [done[p] for p in ids]
    results = [c.result for c in checked]
    if _runs.recording():
        _note_run(str(r.root), ids, checked, keys, known, noted)
    wide: list[Finding] = []
    if repository_wide is not None:
        # Keyed by every checked entry and the list of folders: unchanged, the same answer.
        memo_key = None
        if use_cache and all(
            c.entry is not None and keys[p] is not None for p, c in zip(ids, checked, strict=True)
        ):
            h = hashlib.sha1(b"repository-wide\0")
            # one text, one update: the same bytes as one per project, ~10,000 calls fewer
            text = "".join(
                [
                    f"{p}\0{keys[p]}\0{c.result.dossier_id}\0"
                    for p, c in zip(ids, checked, strict=True)
                ]
            )
            h.update(text.encode("utf-8", "surrogateescape"))
            h.update("\0".join(r.project_ids()).encode("utf-8", "surrogateescape"))
            memo_key = h.hexdigest()
        rows = store.memo(memo_key) if memo_key is not None else None
        if rows is not None:
            wide = [finding_of(row) for row in rows]
        else:
            wide = repository_wide(results)
            new_rows = finding_rows(wide)
            if memo_key is not None and new_rows is not None:
                store.put_memo(memo_key, new_rows)
    if use_cache and len(ids) == len(r.project_ids()):
        # a run over the whole repository (which has read nearly every results file
        # already): forget projects whose folder is gone
        wanted = set(ids)
        for p in [p for p in store.entries if p not in wanted]:
            if not os.path.isdir(r.root / "dossiers" / p):
                store.drop(p)
    facts = None
    if with_policy:
        facts = PolicyFacts.from_row(store.policies.get(sid)) if use_cache else None
        if facts is None:
            facts = PolicyFacts.of(r.settings.policy)
            if use_cache:
                store.put_policy(sid, facts.row())
    store.save()
    return Batch(checked, settings_findings, wide, facts, bare)


def _shard_groups(projects: list[str]) -> list[tuple[tuple[int, ...], list[str]]]:
    """The projects by results file, whole files together, a group of at least
    GROUP projects where there are that many (a task of a few dossiers costs more in
    passing it than in checking them); the projects of each group in their order."""
    by_shard: dict[int, list[str]] = {}
    for p in projects:
        by_shard.setdefault(shard_of(p), []).append(p)
    groups: list[tuple[tuple[int, ...], list[str]]] = []
    shards: list[int] = []
    members: list[str] = []
    for k in sorted(by_shard):
        shards.append(k)
        members += by_shard[k]
        if len(members) >= GROUP:
            groups.append((tuple(shards), members))
            shards, members = [], []
    if members:
        groups.append((tuple(shards), members))
    return groups


def _note_run(
    root: str,
    ids: list[str],
    checked: list[Checked],
    keys: dict[str, str | None],
    known: dict[str, bytes] | None = None,
    noted: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Tell a recorded run (edges/cache/runs.py) what these results depend on: the
    same things the entries are kept by, each as a path whose stamp must not move
    (project.yaml by its own stamp, as git's index keeps it, not by its blob id), and
    the days on which they all hold. A result the cache cannot hold, or one kept
    without folder stamps (a link on the way, a folder changed too recently), forbids
    keeping the run. `noted`: projects whose worker told it already (_group_note)."""
    deps = _dependencies(
        root,
        ((p, c.entry, keys[p]) for p, c in zip(ids, checked, strict=True) if p not in noted),
    )
    if deps is None:
        _runs.forbid()
        return
    paths, first, last = deps
    _runs.holds(first, last)
    _runs.depend([root, f"{root}/dossiers", f"{root}/gtx.yaml", *paths], known)


def _key_of(entry: StoredResult | None) -> str | None:
    """The key a cold run's entry was made under (_check_one: the blob id of what it
    read), or None when the project could not be read: nothing to keep it by."""
    return (entry[E_KEY] or None) if entry is not None else None


def _dependencies(
    root: str, results: Iterable[tuple[str, StoredResult | None, str | None]]
) -> tuple[list[str], int, int] | None:
    """The paths the results (project, entry, key) depend on and the days on which
    they all hold (_note_run); None when one cannot be kept."""
    paths: list[str] = []
    first, last = _runs.MIN_DAY, _runs.MAX_DAY
    for p, entry, key in results:
        if entry is None or key is None or entry[E_STAMPS] is None:
            return None
        pdir = f"{root}/dossiers/{p}"
        paths += (pdir, f"{pdir}/project.yaml")
        paths.extend(f"{pdir}/{f}" if f else pdir for f in entry[E_STAMPS][0])
        if entry[E_HASHED] is not None:
            paths.extend(f"{pdir}/{f}" for f in entry[E_HASHED][0])
        valid = entry[E_VALID]
        first, last = max(first, valid[0]), min(last, valid[1])
    return paths, first, last


def _group_note(
    root: str, projects: list[str], outs: list[tuple[Any, ...]]
) -> tuple[_runs.Stamped | None, int, int] | None:
    """In a cold run's worker: what _note_run would tell a recorded run of these
    projects, with the paths stamped here (their stamps taken while they were read,
    the others looked at now): (None, 0, 0) when the run cannot be kept; None when no
    run is recorded here. At 10,000 dossiers that is ~30,000 paths the parent
    otherwise went through, one by one, after the last result (docs/benchmarks.md)."""
    if not _runs.recording():
        return None
    deps = _dependencies(
        root, ((p, out[0], _key_of(out[0])) for p, out in zip(projects, outs, strict=True))
    )
    if deps is None:
        return None, 0, 0
    known: dict[str, bytes] = {}
    for out in outs:
        if out[3] is not None:
            known.update(out[3])
    paths, first, last = deps
    part = _runs.stamped(paths, known)
    return (None, 0, 0) if part is None else (part, first, last)


class Batch:
    __slots__ = ("bare", "checked", "policy", "repository_wide", "settings_findings")

    def __init__(
        self,
        checked: list[Checked],
        settings_findings: list[Finding],
        repository_wide: list[Finding],
        policy: PolicyFacts | None = None,
        bare: set[str] | None = None,
    ) -> None:
        self.checked, self.settings_findings, self.repository_wide = (
            checked,
            settings_findings,
            repository_wide,
        )
        self.policy = policy  # with_policy: gtx.yaml's policy as plain values
        # the projects whose folder held no .gitattributes when checked (edges/fs.py:
        # attribute_findings need not look again; the rest are looked at there)
        self.bare = bare if bare is not None else set()

    @property
    def results(self) -> list[Result]:
        return [c.result for c in self.checked]


def _pause_gc() -> bool:
    """Stop the cycle collector while the cache's entries are read and answered: tens
    of thousands of small tuples, none of them garbage, that every collection would
    walk again (~20 % of a warm 10,000-dossier report, docs/benchmarks.md). True when
    it was running."""
    was = gc.isenabled()
    gc.disable()
    return was


def _resume_gc(was: bool) -> None:
    if was:
        gc.freeze()  # what was read lives until the process ends: later collections skip it
        gc.enable()


def _holds(entry: StoredResult, day: int) -> bool:
    """Whether the entry's result holds on this day (an ordinal)."""
    if len(entry) <= E_HASHED:
        return False  # not an entry this gtx writes
    valid = entry[E_VALID]
    return (
        isinstance(valid, tuple)
        and len(valid) == 2
        and isinstance(valid[0], int)
        and isinstance(valid[1], int)
        and valid[0] <= day <= valid[1]
    )


def _revalidate(r: Repository, project: str, entry: StoredResult) -> StoredResult | None:
    """The entry if its attachments stand as when it was made (an entry with fresh
    stamps if only the stamps moved), else None."""
    pdir = f"{r.root}/dossiers/{project}"  # a str: pathlib costs ~10 µs a dossier here
    hashed = entry[E_HASHED]
    if hashed is not None and not hashed_hold(pdir, hashed):
        return None  # a recorded attachment was touched: hash it again (F003)
    saved = entry[E_STAMPS]
    if saved is not None and stamps_hold(pdir, saved):
        return entry
    if hashed is not None:
        # a folder on a hashed file's way changed: a link may now stand on it, which
        # the lstat above follows unseen; check the dossier again
        return None
    from golmud_cli.edges.repo import stat_in

    since = time.time_ns()
    stat = stat_in(r.project_dir(project))
    files = dict(marshal.loads(entry[E_FILES]))
    for rel, status in files.items():
        if stat(rel).value != status:
            return None
    new_stamps = stamps(pdir, files, since)
    if new_stamps == saved:
        return entry
    return (*entry[:E_STAMPS], new_stamps, *entry[E_STAMPS + 1 :])


def _result_of(
    r: Repository,
    project: str,
    entry: StoredResult,
    today: dt.date,
    model: Any = None,
    *,
    with_findings: bool = True,
) -> Result:
    made: type[Result] = (_WORKER or _worker())[1].Result  # no import a result (_worker)
    rel = f"dossiers/{project}/project.yaml"
    blob = entry[E_FINDINGS] if with_findings else b""
    found = [finding_of(row) for row in marshal.loads(blob)] if blob else []
    if model is not None or not entry[E_LOADED]:
        return made(project, rel, model, found, dossier_id=entry[E_ID])

    def load() -> Any:
        # the model again, for the few callers that need more than the findings
        from golmud_cli.pipeline.check import check_project

        return check_project(r, project, today).dossier

    return made(project, rel, None, found, dossier_id=entry[E_ID], load=load)


def _lexists_by_lstat(path: str) -> bool:
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _lexists_by_access(path: str) -> bool:
    try:
        return os.access(path, os.F_OK, follow_symlinks=False)
    except ValueError:  # a NUL in the path, as lexists
        return False


# os.path.lexists' answer (a link counts, dangling or not; False on any error) without
# its exception: the usual project folder has no .gitattributes, and the OSError lstat
# raises for it (errno, message, filename) cost ~10,000 instructions a dossier; access
# with AT_SYMLINK_NOFOLLOW answers the same as a bool (issue 17; it checks the path's
# search permissions with the real rather than the effective ids: gtx runs setuid nowhere)
_lexists = _lexists_by_access if os.access in os.supports_follow_symlinks else _lexists_by_lstat


# What _check_one and _result_of call, imported at the first dossier or result (not
# with this module: a run that checks nothing never loads them) and then read as one
# global: a `from` import in a function costs 5,000-9,000 instructions a call on
# Python 3.11 (edges/repo.py, _statuses), three of them a dossier here and one a result
# (issue 17). The modules, not their functions, so that a function replaced in its
# module is the one called.
_WORKER: tuple[Any, Any, Any] | None = None


def _worker() -> tuple[Any, Any, Any]:
    global _WORKER
    from golmud_cli.core.dateinterval import TrackedDay
    from golmud_cli.edges import repo
    from golmud_cli.pipeline import check

    _WORKER = (repo, check, TrackedDay)
    return _WORKER


def _check_one(
    r: Repository,
    project: str,
    today: dt.date,
    key: str | None,
    settings: Any,
    policy: Any,
    *,
    keep_model: bool,
    key_suffix: str | None = None,
) -> tuple[StoredResult | None, list[Finding] | None, Any, dict[str, bytes] | None, bool]:
    """Check one project (in a worker or here): (entry, None, model, stamps, bare) when
    the result is plain data, else (None, findings, model, None, bare). The model
    crosses no process boundary. `stamps`: for a kept run, the lstats taken of its
    paths. `bare`: the project folder held no .gitattributes after its lstat (one
    that appears later moves the folder's stamp), which edges/fs.py then need not
    look for again (10,000 lstats in one process, issue 17).
    `key_suffix` (a cold run, check_projects): the entry is keyed by the blob id of the
    bytes read here, followed by it; a project that cannot be read gets no key."""
    repo, check, TrackedDay = _WORKER or _worker()
    since = time.time_ns()
    pdir = f"{r.root}/dossiers/{project}"  # str: pathlib costs here (docs/benchmarks.md)
    rel = f"dossiers/{project}/project.yaml"
    # a kept run (edges/cache/runs.py) is stamped with the lstats taken here, before
    # reading, rather than with 40,000 more in one process at its end (10,000 dossiers)
    kept = _runs.recording()
    try:
        own = os.lstat(pdir)  # stat_in's too
        if stat_mod.S_ISLNK(own.st_mode):  # F002 without reading through the link (check_project)
            raise IsADirectoryError(pdir)
        own_file = os.lstat(f"{pdir}/project.yaml") if kept else None
        raw = repo.read_limited(f"{pdir}/project.yaml")  # no hang on a pipe, no 2 GB read
    except OSError:
        # its S001/S002/F002 finding for the read error
        res = check.check_project(r, project, today)
        rows = finding_rows(res.findings)
        if rows is None:
            return None, res.findings, None, None, False
        # a read error's finding bears on no date
        failed: StoredResult = (
            "",
            marshal.dumps(()),
            None,
            _blob(rows),
            None,
            False,
            None,
            ALWAYS,
            None,
        )
        return failed, None, None, None, False
    bare = not _lexists(f"{pdir}/{ATTRIBUTES}")  # as attribute_findings looks
    if key_suffix is not None:
        key = blob_id(raw) + key_suffix  # exactly the content these findings are of
    exact: list[bool] = []
    folder_stats: dict[str, os.stat_result] = {}
    seen: dict[str, Any] = {}  # each referenced file -> its FileStatus
    stat = repo.stat_in(
        pdir,
        on_exact=lambda: exact.append(True),
        folders=folder_stats,
        answers=seen,
        lstat=own,
    )
    racy = since - RACY_NS
    hashed: dict[str, bytes] = {}
    digest = repo.digest_in(pdir, on_hash=lambda f, st: hashed.__setitem__(f, file_stamp(st, racy)))

    # today as a TrackedDay: the rules and the deadlines record over which days their
    # answer holds (core/dateinterval.py), and the entry serves every one of them
    tracked = TrackedDay(today)
    res = check.check_bytes(
        raw,
        file=rel,
        folder=project,
        settings=settings,
        today=tracked,
        stat=stat,
        calendar=r.calendar,
        digest=digest,
        # a model that leaves this function is pydantic's; one that stays here may be
        # core/fastmodel.py's (the same values, ~170 us less a dossier)
        fast_model=not keep_model,
    )
    model = res.dossier
    rows = finding_rows(res.findings)
    if rows is None:
        return None, res.findings, model if keep_model else None, None, bare
    aux = encode(model, policy, tracked, r.calendar) if model is not None else None
    st = None
    if key is not None:
        # no link met: the folders' lstats stat_in took before looking into them
        # are their stamps (a link on the way: stamped afresh, and looked at again)
        known = None if exact else folder_stats
        st = stamps(pdir, seen, since, links_seen=bool(exact), known=known)
    entry = (
        key or "",
        marshal.dumps(tuple([(f, str(s)) for f, s in seen.items()])),  # plain str for marshal
        st,
        _blob(rows),
        res.dossier_id,
        model is not None,
        aux,
        tracked.interval,
        (tuple(hashed), b"".join(hashed.values())) if hashed else None,
    )
    sigs = None
    if kept and st is not None and own_file is not None and not exact:
        sigs = {pdir: _runs.stamp_of(own), f"{pdir}/project.yaml": _runs.stamp_of(own_file)}
        for f in st[0]:
            folder = folder_stats.get(f) if f else own
            if folder is not None:
                sigs[f"{pdir}/{f}" if f else pdir] = _runs.stamp_of(folder)
    return entry, None, model if keep_model else None, sigs, bare


# --- for `gtx deadlines` ----------------------------------------------------------------------


def deadline_data(
    r: Repository,
    ids: list[str],
    today: dt.date,
    *,
    use_cache: bool = True,
    jobs: int = 0,
    progress: ProgressFactory | None = None,
) -> tuple[list[DeadlineData], list[str], bool, PolicyFacts]:
    """(data per dossier that loaded, files that did not, whether gtx.yaml has
    findings, gtx.yaml's policy), from the same cache as `gtx validate`
    (docs/benchmarks.md: 10,000 warm in <= 0.5 s): a dossier validate has seen
    unchanged costs one small decoding here, and gtx.yaml is not read again."""
    batch = check_projects(
        r,
        ids,
        today,
        use_cache=use_cache,
        jobs=jobs,
        progress=progress,
        with_findings=False,
        with_policy=True,
    )
    assert batch.policy is not None  # with_policy
    out: list[DeadlineData] = []
    skipped: list[str] = []
    was_collecting = _pause_gc()
    try:
        _decode_all(r, ids, batch, today, out, skipped)
    finally:
        _resume_gc(was_collecting)
    # a C006 notice (local policy) is no fault: only an error makes the defaults apply
    bad = any(f.severity is Severity.error for f in batch.settings_findings)
    return out, skipped, bad, batch.policy


def _decode_all(
    r: Repository,
    ids: list[str],
    batch: Batch,
    today: dt.date,
    out: list[DeadlineData],
    skipped: list[str],
) -> None:
    """deadline_data's answer for each dossier, into `out` and `skipped`."""
    policy = None
    for p, c in zip(ids, batch.checked, strict=True):
        info = deadline_info(c.entry, today) if c.entry is not None else None
        if info is None and c.result.dossier is not None:
            # not cacheable (a finding with extra data), or deadline data that is not
            # what gtx writes: from the model itself (Result.dossier reads it again)
            if policy is None:
                policy = r.settings.policy
            info = decode(encode(c.result.dossier, policy, today, r.calendar), today)
        if info is None:
            skipped.append(c.result.file)
        else:
            out.append(DeadlineData(p, *info))
