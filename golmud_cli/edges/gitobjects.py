"""git's object store as stored: commits, trees and blobs read as objects.

The one place `gtx verify` reads history. Nothing here parses a file name out of
line-oriented output: commits come from `rev-list` (object ids only), trees are
parsed from their raw bytes (so duplicate entries and unsafe names are seen, not
folded away by git), signatures come NUL-separated. Replace refs and grafts are
off (`--no-replace-objects`, an empty graft file): history is what the objects
say (docs/security.md).

Sizes are asked before any content is read (`cat-file --batch-command`, `info`
then `contents`), so an oversized blob is never held in memory; a watchdog ends
a git process that stops answering, so no read blocks forever.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
from dataclasses import dataclass

from golmud_cli.edges import git as gitops
from golmud_cli.edges.git import GitError, Work

# one git log, run by edges/git.py; named here too, where verify reads history
from golmud_cli.edges.git import signatures as signatures

# Trees are small (a dossier folder holds a few dozen names); a tree above this
# size is refused like an oversized blob rather than read.
MAX_TREE_BYTES = 16 * 1024 * 1024
TIMEOUT_S = 900.0  # one verify of a whole repository takes seconds

MODE_FILE = ("100644", "100755")
MODE_TREE = "40000"
MODE_LINK = "120000"
MODE_GITLINK = "160000"


def _git(w: Work, *args: str, check: bool = True, input: bytes | None = None) -> bytes:
    proc = gitops.git(w.top, "--no-replace-objects", *args, check=check, input=input)
    return proc.stdout if proc.returncode == 0 else b""


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str  # as stored: "100644", "40000", "120000", "160000", ...
    name: bytes  # raw bytes: any name git stores
    oid: str

    @property
    def text(self) -> str:
        return self.name.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Commit:
    oid: str
    tree: str
    parents: tuple[str, ...]
    date: str  # committer date, YYYY-MM-DD (UTC)


class TooLarge(Exception):
    def __init__(self, oid: str, size: int, limit: int) -> None:
        super().__init__(oid)
        self.oid, self.size, self.limit = oid, size, limit


class Missing(Exception):
    """The object is not in the repository (a shallow clone, a broken one)."""


def resolve(w: Work, name: str) -> str | None:
    out = _git(
        w, "rev-parse", "-q", "--verify", "--end-of-options", f"{name}^{{commit}}", check=False
    )
    text = out.decode("ascii", "replace").strip()
    return text or None


def symbolic(w: Work, name: str) -> str | None:
    """What a symbolic ref such as origin/HEAD points at (refs/remotes/origin/main)."""
    out = _git(w, "symbolic-ref", "-q", name, check=False).decode("utf-8", "replace").strip()
    return out or None


def merge_base(w: Work, a: str, b: str) -> str | None:
    out = _git(w, "merge-base", a, b, check=False).decode("ascii", "replace").strip()
    return out or None


def commits_between(w: Work, base: str, tip: str) -> list[str]:
    """Every commit reachable from `tip` and not from `base`, parents before children."""
    out = _git(w, "rev-list", "--topo-order", "--reverse", f"{base}..{tip}", "--")
    return out.decode("ascii").split()


def hash_bytes(w: Work) -> int:
    fmt = _git(w, "rev-parse", "--show-object-format", check=False).decode().strip()
    return 32 if fmt == "sha256" else 20


def parse_tree(raw: bytes, hash_len: int) -> list[TreeEntry]:
    """A tree object's entries as stored, in order, duplicates included.

    Format (git's tree.c): `<octal mode> SP <name> NUL <binary id>` repeated.
    """
    entries: list[TreeEntry] = []
    i = 0
    while i < len(raw):
        sp = raw.find(b" ", i)
        nul = raw.find(b"\0", sp + 1)
        if sp < 0 or nul < 0 or nul + 1 + hash_len > len(raw):
            raise ValueError("truncated tree")
        mode = raw[i:sp].decode("ascii", "replace")
        entries.append(TreeEntry(mode, raw[sp + 1 : nul], raw[nul + 1 : nul + 1 + hash_len].hex()))
        i = nul + 1 + hash_len
    return entries


def parse_commit(oid: str, raw: bytes) -> Commit:
    head = raw.split(b"\n\n", 1)[0].decode("utf-8", "replace").split("\n")
    tree, parents, date = "", [], ""
    for line in head:
        key, _, value = line.partition(" ")
        if key == "tree" and not tree:
            tree = value.strip()
        elif key == "parent":
            parents.append(value.strip())
        elif key == "committer" and not date:
            # "Name <email> 1700000000 +0800": the epoch is what counts
            try:
                epoch = int(value.rsplit(" ", 2)[-2])
                date = dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()
            except (ValueError, IndexError, OverflowError, OSError):
                date = ""
    return Commit(oid, tree, tuple(parents), date)


class Objects:
    """One `git cat-file --batch-command` for the whole run."""

    def __init__(self, w: Work, timeout: float = TIMEOUT_S) -> None:
        self.hash_len = hash_bytes(w)
        self._proc = gitops.popen(w.top, "--no-replace-objects", "cat-file", "--batch-command")
        self._timer = threading.Timer(timeout, self._proc.kill)
        self._timer.daemon = True
        self._timer.start()
        self._trees: dict[str, list[TreeEntry]] = {}
        self._commits: dict[str, Commit] = {}

    def _ask(self, command: str) -> list[bytes]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            self._proc.stdin.write(command.encode("ascii") + b"\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._stopped()
        header = self._proc.stdout.readline()
        if not header:
            self._stopped()
        return header.split()

    def _stopped(self) -> None:
        raise GitError(
            "git 在读取对象时停止响应（超时或被终止）。",
            "git stopped answering while objects were read (timed out or killed).",
        )

    def info(self, oid: str) -> tuple[str, int]:
        parts = self._ask(f"info {oid}")
        if len(parts) != 3:
            raise Missing(oid)
        return parts[1].decode(), int(parts[2])

    def read(self, oid: str, kind: str, limit: int) -> bytes:
        """An object's content, after its size was checked against `limit`."""
        found, size = self.info(oid)
        if found != kind:
            raise Missing(oid)
        if size > limit:
            raise TooLarge(oid, size, limit)
        parts = self._ask(f"contents {oid}")
        assert self._proc.stdout is not None
        if len(parts) != 3:
            raise Missing(oid)
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)
        if len(data) != size:
            self._stopped()
        return data

    def tree(self, oid: str) -> list[TreeEntry]:
        if oid not in self._trees:
            self._trees[oid] = parse_tree(self.read(oid, "tree", MAX_TREE_BYTES), self.hash_len)
        return self._trees[oid]

    def commit(self, oid: str) -> Commit:
        if oid not in self._commits:
            self._commits[oid] = parse_commit(oid, self.read(oid, "commit", MAX_TREE_BYTES))
        return self._commits[oid]

    def close(self) -> None:
        self._timer.cancel()
        if self._proc.stdin:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
