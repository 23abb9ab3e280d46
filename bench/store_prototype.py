"""Issue 15: would the result cache's store be as fast on sqlite3 as on its 256 files?

A throwaway prototype, kept so the numbers in docs/architecture.md can be re-measured:

    .venv/bin/python bench/store_prototype.py [-n 10000] [--runs 5]

Each scenario runs in a fresh store object (a new gtx run opens the store anew):
cold save (every entry written), warm read (every entry read, as `gtx validate`
does on an unchanged repository), and a few changed (3 entries read and rewritten,
as `--changed-since` does), the database with synchronous NORMAL (WAL's default
durability) and OFF (the durability of today's files, which are never fsynced). The entries have the shape and about the size of real
ones (pipeline/batch.py: key, files, stamps, findings, id, loaded, deadline data).
"""

from __future__ import annotations

import argparse
import marshal
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from golmud_cli.pipeline import batch as cache  # the store of today, measured as it is


def entry(i: int) -> tuple[Any, ...]:
    pid = f"gem-2025-{i:05d}"
    files = marshal.dumps(((f"docs/approval-{i}.pdf", "ok"), ("docs/contract.pdf", "ok")))
    stamps = (("", "docs"), os.urandom(48))
    findings = marshal.dumps(
        (("B002", "warning", "project.yaml", ("filing",), "未在批复后 30 日内备案", 12, 3),)
        if i % 3 == 0
        else ()
    )
    aux = marshal.dumps(
        (f"项目 {i}", "格尔木市数据局", ((1, 2, 3, "2025-01-01", 5, 6, 7),), (), None)
    )
    key = f"{os.urandom(20).hex()}|{os.urandom(20).hex()}|{'s' * 40}"
    return (key, files, stamps, findings, pid, True, aux)


class SqliteStore:
    """The prototype: one table, the entry as marshal bytes, one transaction a save."""

    def __init__(self, directory: Path, synchronous: str = "NORMAL") -> None:
        self.db = sqlite3.connect(directory / "results.sqlite3", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL fsyncs at each checkpoint (one when the last connection closes); OFF
        # never does, as today's files never do: a cache lost to a power cut costs
        # only time (a damaged database must then be detected and dropped).
        self.db.execute(f"PRAGMA synchronous={synchronous}")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS entries (project TEXT PRIMARY KEY, fp TEXT, entry BLOB)"
        )
        self.fp = cache.fingerprint()
        self._dirty: dict[str, tuple[Any, ...]] = {}

    def get(self, project: str) -> tuple[Any, ...] | None:
        row = self.db.execute(
            "SELECT entry FROM entries WHERE project = ? AND fp = ?", (project, self.fp)
        ).fetchone()
        return marshal.loads(row[0]) if row else None

    def get_all(self) -> dict[str, tuple[Any, ...]]:
        rows = self.db.execute("SELECT project, entry FROM entries WHERE fp = ?", (self.fp,))
        return {p: marshal.loads(e) for p, e in rows}

    def put(self, project: str, e: tuple[Any, ...]) -> None:
        self._dirty[project] = e

    def save(self) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                [(p, self.fp, marshal.dumps(e)) for p, e in self._dirty.items()],
            )
        self._dirty.clear()

    def close(self) -> None:
        self.db.close()


def timed(fn: Callable[[], object], runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    entries = {e[4]: e for e in (entry(i) for i in range(args.n))}
    names = list(entries)
    few = names[:: max(1, args.n // 3)][:3]
    tmp = Path(tempfile.mkdtemp(prefix="gtx-store-"))
    try:
        files_dir, db_dir = tmp / "files", tmp / "db"
        files_dir.mkdir()
        db_dir.mkdir()

        def files_save() -> None:
            s = cache.Store(files_dir)
            for p, e in entries.items():
                s.put(p, e)
            s.save()

        def files_read() -> None:
            s = cache.Store(files_dir)
            assert all(s.get(p) is not None for p in names)

        def files_few() -> None:
            s = cache.Store(files_dir)
            for p in few:
                s.put(p, s.get(p) or entries[p])
            s.save()

        def db(sync: str) -> dict[str, Callable[[], object]]:
            def save() -> None:
                s = SqliteStore(db_dir, sync)
                for p, e in entries.items():
                    s.put(p, e)
                s.save()
                s.close()

            def read_each() -> None:
                s = SqliteStore(db_dir, sync)
                assert all(s.get(p) is not None for p in names)
                s.close()

            def read_all() -> None:
                s = SqliteStore(db_dir, sync)
                assert len(s.get_all()) == len(names)
                s.close()

            def few_changed() -> None:
                s = SqliteStore(db_dir, sync)
                for p in few:
                    s.put(p, s.get(p) or entries[p])
                s.save()
                s.close()

            return {"save": save, "each": read_each, "all": read_all, "few": few_changed}

        normal, off = db("NORMAL"), db("OFF")
        scenarios = [
            ("cold save, every entry", files_save, "save"),
            ("warm read, every entry", files_read, "each"),
            ("warm read, one query", files_read, "all"),
            ("3 changed: read + save", files_few, "few"),
        ]
        rows = [
            (name, timed(f, args.runs), timed(normal[k], args.runs), timed(off[k], args.runs))
            for name, f, k in scenarios
        ]
        size_files = sum(p.stat().st_size for p in files_dir.rglob("*") if p.is_file())
        size_db = sum(p.stat().st_size for p in db_dir.rglob("*") if p.is_file())
        print(f"{args.n} entries, median of {args.runs} runs")
        print(f"{'scenario':<26}{'256 files':>12}{'sqlite NORMAL':>15}{'sqlite OFF':>12}")
        for name, a, b, c in rows:
            print(f"{name:<26}{a * 1000:>10.1f}ms{b * 1000:>13.1f}ms{c * 1000:>10.1f}ms")
        print(f"{'on disk':<26}{size_files / 1e6:>10.2f}MB{size_db / 1e6:>13.2f}MB")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
