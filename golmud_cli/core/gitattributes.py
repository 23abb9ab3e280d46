"""Which lines of a `.gitattributes` or `.gitmodules` file bear on the files gtx
reads (pure, no I/O; docs/security.md, Git attributes). The one checker of both
`gtx validate` (edges/fs.py, the working tree) and `gtx verify`
(services/verification.py, git's objects).

An attribute can make the file a command reads differ from the blob git stores and
a reviewer sees (`working-tree-encoding=UTF-16` turns a dossier into bytes gtx
cannot read after checkout; `filter`, `ident`, `eol=crlf` rewrite it; `export-subst`
changes an archive) or hide its diff from the reviewer (`binary`, `-diff`,
`linguist-generated`). On `gtx.yaml` or a `project.yaml` each counts. Let through:
what `gtx init` writes for YAML (`*.yaml text eol=lf`, which leaves an LF file as
stored), `-text` (see HARMLESS), and attributes that change neither bytes nor diff.
Any other name (a macro defined elsewhere, say) counts.

Patterns follow gitattributes(5): gitignore syntax without negation; a pattern
without a slash matches a name at any depth below the attributes file's folder,
else it is anchored there; `*` and `?` stay within one component, `**` does not.
One deliberate widening: a pattern naming a folder bears on everything below it
(`/dossiers filter=x`). git itself does not apply such a line to the files inside,
but it says what the author meant, costs nothing to remove, and a check that errs
this way can only ask for one line too many, never let a rewriting attribute by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Attributes (by name, set, unset or with a value) that change neither the bytes
# checked out nor the diff shown.
NEUTRAL = frozenset(
    {
        "whitespace",
        "conflict-marker-size",
        "delta",
        "lockable",
        "linguist-language",
        "linguist-documentation",
        "linguist-detectable",
    }
)

# Settings, exactly as written, that leave a file's bytes as git stores them.
# `text eol=lf` is what `gtx init` writes (an LF file checks out as stored). `-text`
# too is harmless, by decision: it tells git never to convert line ends, so the
# checkout is the blob byte for byte, and it changes no diff (git still judges
# binary by content). It can undo init's `eol=lf` for a file, but then what gtx
# reads is still what git stores and a reviewer sees, which is what this check
# guards. `text=auto` converts only on commit. `eol=crlf`, an encoding, a filter
# are not here: they rewrite the checkout.
HARMLESS = frozenset({"text", "-text", "text=auto", "eol=lf"})

# git's one built-in macro (gitattributes(5)): a line counts by what it expands to.
BUILTIN_MACROS: dict[str, list[str]] = {"binary": ["-diff", "-merge", "-text"]}


@dataclass(frozen=True, slots=True)
class AttrHit:
    """One line of an attributes file that bears on one of the paths."""

    line: int  # 1-based
    pattern: str
    attributes: tuple[str, ...]  # as written, e.g. ("working-tree-encoding=UTF-16",)
    path: str  # the first given path it bears on
    text: str = ""  # the line as written, stripped


@dataclass(frozen=True, slots=True)
class ModuleHit:
    """A `path = ...` line of a `.gitmodules` over one of the paths."""

    line: int  # 1-based
    text: str  # the line as written, stripped
    path: str  # the given path it bears on
    sub: str  # the submodule's path


def _name(attr: str) -> str:
    return attr.lstrip("-!").split("=", 1)[0]


def harmless(attr: str) -> bool:
    return attr in HARMLESS or _name(attr) in NEUTRAL


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    """A pattern as a regular expression searched in the paths joined by newlines
    (one scan in C for thousands of dossiers, instead of a match per path)."""
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/") if anchored else pattern.rstrip("/")
    out: list[str] = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:[^\n]*/)?")
            i += 3
            continue
        if body.startswith("**", i):
            out.append("[^\n]*")
            i += 2
            continue
        c = body[i]
        if c == "*":
            out.append("[^/\n]*")
        elif c == "?":
            out.append("[^/\n]")
        elif c == "[":
            end = body.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                cls = body[i + 1 : end].replace("\\", "\\\\")
                out.append("[" + ("^" + cls[1:] if cls.startswith("!") else cls) + "]")
                i = end
        elif c == "\\" and i + 1 < len(body):
            i += 1
            out.append(re.escape(body[i]))
        else:
            out.append(re.escape(c))
        i += 1
    # unanchored: any component; a pattern naming a folder bears on all below it
    start = "^" if anchored else "(?:^|(?<=/))"
    return re.compile(start + "".join(out) + "(?=/|$)", re.M)


def _split(line: str) -> tuple[str, list[str]] | None:
    """(pattern, attributes) of one line, None for blanks and comments. A quoted
    pattern (C-style escapes) is unquoted as git does for the common escapes."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    if text.startswith('"'):
        end = 1
        while end < len(text) and text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        raw = text[1:end]
        pattern = re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m[1], m[1]), raw)
        rest = text[end + 1 :]
    else:
        words = text.split(None, 1)
        pattern, rest = words[0], words[1] if len(words) > 1 else ""
    return pattern, rest.split()


def attributes_affect(text: str, paths: Iterable[str]) -> list[AttrHit]:
    """Every line of `text` (an attributes file) that sets, unsets or specifies an
    attribute other than the harmless ones on one of `paths` (relative to the
    file's folder, `/`-separated). A macro (git's `binary`, or one defined in the
    same file as `[attr]name ...`) counts by what it expands to."""
    joined = "\n".join(paths)
    macros = dict(BUILTIN_MACROS)
    hits: list[AttrHit] = []
    for n, line in enumerate(text.splitlines(), 1):
        parsed = _split(line)
        if parsed is None:
            continue
        pattern, attrs = parsed
        if pattern.startswith("[attr]"):
            macros[pattern[6:]] = attrs
            continue
        expanded = [a for at in attrs for a in macros.get(at.lstrip("-!"), [at])]
        if all(harmless(a) for a in expanded):
            continue
        # any match holds the pattern's longest literal run: a substring search (in
        # C) rules out the usual `*.docx binary` over 10,000 dossiers at once
        # (a bracket expression is no literal: its letters are alternatives)
        outside = re.sub(r"\[[^\]]*\]", "*", pattern.strip("/"))
        literal = max(re.split(r"[*?\[\]\\]", outside), key=len)
        if literal and literal not in joined:
            continue
        m = _regex(pattern).search(joined)
        if m is not None:
            first = joined.rfind("\n", 0, m.start()) + 1
            last = joined.find("\n", m.start())
            path = joined[first : last if last >= 0 else None]
            hits.append(AttrHit(n, pattern, tuple(attrs), path, line.strip()))
    return hits


def affecting(attributes_text: str, paths: Iterable[str]) -> list[str]:
    """The lines (as written) of an attributes file that bear on `paths`."""
    return [h.text for h in attributes_affect(attributes_text, paths)]


def submodule_hits(text: str, paths: Iterable[str]) -> list[ModuleHit]:
    """`path = ...` lines of a `.gitmodules` that put a submodule at one of `paths`,
    at a folder above one, or below one (a submodule inside dossiers/)."""
    wanted = list(paths)
    hits: list[ModuleHit] = []
    for n, line in enumerate(text.splitlines(), 1):
        key, eq, value = line.strip().partition("=")
        if not eq or key.strip() != "path":
            continue
        sub = value.strip().strip('"').strip("/")
        hit = next(
            (p for p in wanted if p == sub or p.startswith(sub + "/") or sub.startswith(p + "/")),
            None,
        )
        if hit is not None:
            hits.append(ModuleHit(n, line.strip(), hit, sub))
    return hits


def modules_affect(text: str, paths: Iterable[str]) -> list[str]:
    """The submodule paths of a `.gitmodules` file over one of `paths`."""
    return [h.sub for h in submodule_hits(text, paths)]
