"""Which lines of a `.gitattributes` or `.gitmodules` file bear on the files gtx
reads (pure, no I/O; docs/security.md, Git attributes).

An attribute can make the file a command reads differ from the blob git stores
and a reviewer sees (`working-tree-encoding=UTF-16` turns a dossier into bytes
gtx cannot read after checkout; `filter`, `ident`, `eol=crlf` rewrite it) or hide
its diff from the reviewer (`binary`, `-diff`, `linguist-generated`). On
`gtx.yaml` or a `project.yaml` each is an error. Let through: what `gtx init`
writes for YAML (`text eol=lf`, which leaves an LF file as stored), `-text`
(bytes kept as they are), and attributes that change neither bytes nor diff.

Patterns follow gitattributes(5): gitignore syntax without negation; a pattern
without a slash matches a file name at any depth below the attributes file's
folder, else it is anchored there; `*` and `?` stay within one component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

HARMLESS = frozenset(
    {
        "text",
        "-text",
        "eol=lf",
        "whitespace",
        "conflict-marker-size",
        "delta",
        "lockable",
        "linguist-language",
        "linguist-documentation",
        "linguist-detectable",
    }
)


@dataclass(frozen=True, slots=True)
class Hit:
    line: int  # 1-based
    text: str  # the line as written
    path: str  # the first path it bears on


def _harmless(attr: str) -> bool:
    return attr in HARMLESS or attr.lstrip("-!").split("=", 1)[0] in HARMLESS


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


def attribute_hits(text: str, paths: Iterable[str]) -> list[Hit]:
    """Each line of an attributes file (`paths` relative to its folder, `/`-separated)
    that sets an attribute other than the harmless ones on one of `paths`. A macro
    defined in the same file (`[attr]name ...`) counts by what it expands to."""
    joined = "\n".join(paths)
    macros: dict[str, list[str]] = {"binary": ["-diff", "-merge", "-text"]}
    hits: list[Hit] = []
    for n, line in enumerate(text.splitlines(), 1):
        words = line.strip().split()
        if not words or words[0].startswith("#"):
            continue
        pattern, attrs = words[0], words[1:]
        if pattern.startswith("[attr]"):
            macros[pattern[6:]] = attrs
            continue
        expanded = [a for at in attrs for a in macros.get(at.lstrip("-!"), [at])]
        if all(_harmless(a) for a in expanded):
            continue
        # any match holds the pattern's longest literal run: a substring search (in
        # C) rules out the usual `*.docx binary` over 10,000 dossiers at once
        literal = max(re.split(r"[*?\[\]\\]", pattern.strip("/")), key=len)
        if literal and literal not in joined:
            continue
        m = _regex(pattern).search(joined)
        if m is not None:
            first = joined.rfind("\n", 0, m.start()) + 1
            last = joined.find("\n", m.start())
            hits.append(Hit(n, line.strip(), joined[first : last if last >= 0 else None]))
    return hits


def affecting(attributes_text: str, paths: Iterable[str]) -> list[str]:
    """The lines (as written) of an attributes file that bear on `paths`."""
    return [h.text for h in attribute_hits(attributes_text, paths)]


def submodule_hits(text: str, paths: Iterable[str]) -> list[Hit]:
    """`path = ...` lines of a `.gitmodules` that put a submodule at one of `paths`
    or at a folder above one."""
    wanted = list(paths)
    hits: list[Hit] = []
    for n, line in enumerate(text.splitlines(), 1):
        key, eq, value = line.strip().partition("=")
        if not eq or key.strip() != "path":
            continue
        sub = value.strip().strip('"').strip("/")
        hit = next((p for p in wanted if p == sub or p.startswith(sub + "/")), None)
        if hit is not None:
            hits.append(Hit(n, line.strip(), hit))
    return hits
