"""The result cache's store: entries by key, in SHARDS files under `.git/gtx-cache/`
(or `.gtx-cache/` outside git). Lookup and save only: what an entry means is the
pipeline's (pipeline/batch.py).

Each file is written to a temporary name and renamed over the old one, so two
processes at once each see whole files. A cold run's workers write the files of the
projects they checked (fresh, write_fresh), each file by the one worker that holds
all of its entries. A file that is truncated, corrupt, of another
format or of another gtx (another fingerprint) is ignored and rebuilt. Its payload is
marshal data (plain tuples) behind a magic header and a checksum, with no pickle
anywhere (unpickling can run code; a cache file is data only).
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from golmud_cli.edges.gitdir import git_dir

FORMAT = 6  # 6: entries stamp the attachments hashed for F003 (E_HASHED)
MAGIC = b"GTXCACHE"
_HEADER = struct.Struct("<8sIQ20s")  # magic, format, payload length, sha1 of payload
CACHE_DIR = "gtx-cache"
OUTSIDE_GIT_DIR = ".gtx-cache"
RESULTS_DIR = "results"  # SHARDS files of entries, and META_FILE
SHARDS = 256
META_FILE = "meta.bin"  # gtx.yaml's findings and policy, and the repository-wide findings
LEGACY_FILE = "results.bin"  # format 3 kept everything in one file

# entry fields: the key; the referenced files and their statuses (marshal bytes, read
# only when a stamp moved); the folder stamps; the findings (marshal bytes, b"" for
# none); the dossier's id; whether it loaded; the deadline data (marshal bytes); the
# (first, last) day, as ordinals, on which all of it holds; the stamps of the files
# hashed for F003 (None for none). Bytes inside the cache file cost nothing to load
# until used.
E_KEY, E_FILES, E_STAMPS, E_FINDINGS, E_ID, E_LOADED, E_AUX, E_VALID, E_HASHED = range(9)


FindingRow = tuple[Any, ...]
StoredResult = tuple[Any, ...]  # one dossier's cached verdict, fields at E_KEY ... E_VALID


def cache_dir(root: Path) -> Path:
    g = git_dir(root)
    return g / CACHE_DIR if g is not None else root / OUTSIDE_GIT_DIR


# --- the store ------------------------------------------------------------------------------


def shard_of(project: str) -> int:
    """Which results file holds a project's entry (stable across runs and machines)."""
    return zlib.crc32(project.encode("utf-8", "surrogateescape")) % SHARDS


class Store:
    """The cache of one repository: entries by project folder, settings findings by
    gtx.yaml content, all for one fingerprint of gtx.

    The entries are spread over SHARDS files by a hash of the folder name, each read
    when a project in it is first asked for and written only when one of its entries
    changed: a run over three changed dossiers reads and writes three small files, not
    the whole repository's results (docs/benchmarks.md: cost grows with what changed).
    Each file is whole on its own (magic, format, checksum, gtx's fingerprint), so a
    damaged one costs only its own entries, and two processes at once each replace
    whole files: the last writer wins, and every entry is still checked against its key
    before use."""

    def __init__(self, directory: Path | None, fingerprint: str) -> None:
        self.directory = directory  # None: disabled (--no-cache)
        # whose results these are: entries of another gtx (or rule set) are not read
        self.fingerprint = fingerprint
        self._shards: dict[int, dict[str, StoredResult]] = {}
        self._dirty: set[int] = set()
        self.settings: dict[str, tuple[FindingRow, ...]] = {}
        self.memos: dict[str, tuple[FindingRow, ...]] = {}
        # gtx.yaml's policy as plain values, by its content id (core/deadline_types.py:
        # PolicyFacts.row): a warm report does not validate gtx.yaml again
        self.policies: dict[str, Any] = {}
        self._meta_dirty = False
        if directory is not None:
            data = self._read(META_FILE)
            settings, memos = data.get("settings"), data.get("memos")
            if isinstance(settings, dict) and isinstance(memos, dict):
                self.settings, self.memos = settings, memos
            policies = data.get("policies")
            if isinstance(policies, dict):
                self.policies = policies

    @property
    def path(self) -> Path | None:
        """The folder of the results files."""
        return self.directory / RESULTS_DIR if self.directory is not None else None

    def _read(self, name: str) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            raw = (self.path / name).read_bytes()
        except OSError:
            return {}
        payload = _unpack(raw)
        if payload is None:
            return {}
        try:
            data = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}
        if not isinstance(data, dict) or data.get("fp") != self.fingerprint:
            return {}
        return data

    def _shard(self, k: int) -> dict[str, StoredResult]:
        entries = self._shards.get(k)
        if entries is None:
            got = self._read(_shard_name(k)).get("entries")
            entries = got if isinstance(got, dict) else {}
            self._shards[k] = entries
        return entries

    def get(self, project: str) -> StoredResult | None:
        return self._shard(shard_of(project)).get(project)

    @property
    def entries(self) -> dict[str, StoredResult]:
        """Every entry (reads every file: for tests and inspection)."""
        out: dict[str, StoredResult] = {}
        for k in range(SHARDS):
            out.update(self._shard(k))
        return out

    def put(
        self, project: str, entry: StoredResult, *, written: bool = False, shard: int = -1
    ) -> None:
        """Keep an entry; `written`: its results file already holds it (written by the
        worker that checked it, write_fresh), so the file is not written again.
        `shard`: shard_of(project), when the caller has it already."""
        k = shard if shard >= 0 else shard_of(project)
        self._shard(k)[project] = entry if written else plain(entry)
        if not written:
            self._dirty.add(k)

    def fresh(self, shards: Iterable[int]) -> None:
        """Start these results files empty, unread: a cold run (pipeline/batch.py) makes
        every entry they will hold, and has them written by its workers. An entry the
        file had for a project this run does not check is lost (a recheck next time)."""
        for k in shards:
            self._shards[k] = {}

    def write_fresh(self, entries: dict[int, dict[str, StoredResult]]) -> set[int]:
        """Write these results files whole, each with exactly the entries given (from
        a worker, after fresh() in the parent): the files written."""
        folder = self.path
        done: set[int] = set()
        if folder is None:
            return done
        fp = self.fingerprint
        for k, got in entries.items():
            if _write(folder, _shard_name(k), {"fp": fp, "entries": got}):
                done.add(k)
        return done

    def drop(self, project: str) -> None:
        k = shard_of(project)
        if self._shard(k).pop(project, None) is not None:
            self._dirty.add(k)

    def memo(self, key: str) -> tuple[FindingRow, ...] | None:
        """Repository-wide findings saved under `key` (see put_memo)."""
        return self.memos.get(key)

    def put_memo(self, key: str, rows: tuple[FindingRow, ...]) -> None:
        self.memos = {key: rows}  # only the latest: the key covers the whole repository
        self._meta_dirty = True

    def put_settings(self, sid: str, rows: tuple[FindingRow, ...]) -> None:
        self.settings = {sid: rows}
        self._meta_dirty = True

    def put_policy(self, sid: str, row: Any) -> None:
        self.policies = {sid: row}  # only the current gtx.yaml's
        self._meta_dirty = True

    @property
    def changed(self) -> bool:
        return self._meta_dirty or bool(self._dirty)

    def save(self) -> None:
        """Write the changed files, each atomically; any failure leaves the old file (or
        none): a cache that cannot be written only costs time next run."""
        folder = self.path
        if folder is None or not self.changed or not self.ready():
            return
        fp = self.fingerprint
        if self._meta_dirty and _write(
            folder,
            META_FILE,
            {"fp": fp, "settings": self.settings, "memos": self.memos, "policies": self.policies},
        ):
            self._meta_dirty = False
        for k in sorted(self._dirty):
            if _write(folder, _shard_name(k), {"fp": fp, "entries": self._shards[k]}):
                self._dirty.discard(k)
        if self.directory is not None:
            try:  # the single file of gtx before the results were spread (format 3)
                (self.directory / LEGACY_FILE).unlink()
            except OSError:
                pass

    def ready(self) -> bool:
        """Make the folder of the results files (False: it cannot be)."""
        folder = self.path
        if folder is None:
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if self.directory is not None and self.directory.name == OUTSIDE_GIT_DIR:
                ignore = self.directory / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# gtx's private cache (docs/benchmarks.md)\n*\n", "utf-8")
        except OSError:
            return False
        return True


def plain(entry: StoredResult) -> StoredResult:
    """An entry as the store keeps it. The same few names recur in every entry
    ("attachments", "ok", the usual file names): one object each, which marshal then
    writes once (smaller, faster)."""
    st = entry[E_STAMPS]
    if st is not None:
        st = (tuple(_intern(f) for f in st[0]), st[1])
    hashed = entry[E_HASHED]
    if hashed is not None:
        hashed = (tuple(_intern(f) for f in hashed[0]), hashed[1])
    return (*entry[:E_STAMPS], st, *entry[E_STAMPS + 1 : E_HASHED], hashed)


def _shard_name(k: int) -> str:
    return f"{k:02x}.bin"


def _write(folder: Path, name: str, data: dict[str, Any]) -> bool:
    """One results file, written to a temporary name and renamed over the old one."""
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return False
    raw = _HEADER.pack(MAGIC, FORMAT, len(payload), hashlib.sha1(payload).digest()) + payload
    from golmud_cli.edges.fs import atomic_write  # only when writing

    try:
        atomic_write(folder / name, raw, durable=False)
        return True
    except OSError:
        return False


_intern = sys.intern


def _unpack(raw: bytes) -> bytes | None:
    if len(raw) < _HEADER.size:
        return None
    magic, fmt, length, digest = _HEADER.unpack_from(raw)
    payload = raw[_HEADER.size :]
    if magic != MAGIC or fmt != FORMAT or length != len(payload):
        return None
    if hashlib.sha1(payload).digest() != digest:
        return None
    return payload
