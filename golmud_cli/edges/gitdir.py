"""What gtx knows of a git repository without running git: where its .git folder is,
and git's object id of some bytes. Both are needed by edges that must not start a git
process on every run (the result cache, the calendar copy beside it, the advance
journal's lookup on every `validate`)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def git_dir(root: Path) -> Path | None:
    """The .git folder of the repository holding `root`, or None outside git."""
    for d in (root, *root.parents):
        dot = d / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            try:
                text = dot.read_text("utf-8").strip()
            except OSError:
                return None
            if text.startswith("gitdir:"):
                g = Path(text[7:].strip())
                return g if g.is_absolute() else (d / g).resolve()
            return None
    return None


def blob_id(data: bytes) -> str:
    """git's blob id of these bytes (sha1 repositories): the same content, the same id,
    whether git or gtx computes it (the cache keys on it, the journal compares by it)."""
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)  # not header + data: no copy of the file's bytes
    return h.hexdigest()
