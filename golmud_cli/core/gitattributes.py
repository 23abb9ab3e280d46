"""Which lines of a `.gitattributes` file touch given paths (pure, no I/O).

An attribute can change what a checkout writes (`working-tree-encoding`, `filter`,
`eol`, `text`, `crlf`, `ident`), what an archive holds (`export-subst`,
`export-ignore`) or what a reviewer is shown (`diff`, `merge`, `binary`,
`linguist-generated`). On `dossiers/` or `gtx.yaml` any of them makes the file a
reviewer or a gtx command reads differ from what git stores (docs/security.md).
Attributes known to change none of that (and `text eol=lf`, which leaves an LF
file as stored) are let through; any other name (a macro defined elsewhere, say)
counts.

Patterns follow gitattributes(5): gitignore syntax without negation; a pattern
without a slash matches a file name at any depth below the file's folder, else
it is anchored there; `*` stays within one path component, `**` does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Attributes that change neither the bytes checked out nor the diff shown.
HARMLESS = frozenset(
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

# Settings that leave an LF file as stored: what `gtx init` writes for YAML
# (`*.yaml text eol=lf`) is one of them; `eol=crlf` or an encoding is not.
HARMLESS_AS_WRITTEN = frozenset({"text", "-text", "text=auto", "eol=lf"})


@dataclass(frozen=True, slots=True)
class AttrHit:
    """One line of an attributes file that applies to one of the paths."""

    line: int  # 1-based
    pattern: str
    attributes: tuple[str, ...]  # as written, e.g. ("working-tree-encoding=UTF-16",)
    path: str  # the first given path it matches


def _name(attr: str) -> str:
    return attr.lstrip("-!").split("=", 1)[0]


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    anchored = "/" in pattern.rstrip("/")
    body = pattern.lstrip("/") if anchored else pattern
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if body.startswith("/**", i) and i + 3 == len(body):
            out.append("/.*")
            i += 3
            continue
        if body.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = body.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                cls = body[i + 1 : end].replace("\\", "\\\\")
                if cls.startswith("!"):
                    cls = "^" + cls[1:]
                out.append(f"[{cls}]")
                i = end
        elif c == "\\" and i + 1 < len(body):
            i += 1
            out.append(re.escape(body[i]))
        else:
            out.append(re.escape(c))
        i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + r"\Z", re.DOTALL)


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
        pattern, _, rest = text.partition(" ") if " " in text else text.partition("\t")
    return pattern, rest.split()


def attributes_affect(text: str, paths: Sequence[str]) -> list[AttrHit]:
    """Every line of `text` (an attributes file) that sets, unsets or specifies an
    attribute other than the harmless ones on one of `paths` (relative to the
    file's folder, `/`-separated). A macro defined here (`[attr]name ...`) counts
    when its expansion does."""
    macros: dict[str, list[str]] = {}
    hits: list[AttrHit] = []
    for n, line in enumerate(text.splitlines(), 1):
        parsed = _split(line)
        if parsed is None:
            continue
        pattern, attrs = parsed
        if pattern.startswith("[attr]"):
            macros[pattern[6:]] = attrs
            continue
        expanded = [a for attr in attrs for a in (attr, *macros.get(_name(attr), []))]
        if all(_name(a) in HARMLESS or a in HARMLESS_AS_WRITTEN for a in expanded):
            continue
        rx = _regex(pattern)
        hit = next((p for p in paths if rx.match(p)), None)
        if hit is not None:
            hits.append(AttrHit(n, pattern, tuple(attrs), hit))
    return hits


def modules_affect(text: str, paths: Sequence[str]) -> list[str]:
    """The `path = ...` values of a `.gitmodules` file that are one of `paths` or a
    folder holding one (a submodule in place of a dossier or of gtx.yaml)."""
    found: list[str] = []
    for line in text.splitlines():
        key, eq, value = line.strip().partition("=")
        if not eq or key.strip() != "path":
            continue
        sub = value.strip().strip('"').strip("/")
        if any(p == sub or p.startswith(sub + "/") or sub.startswith(p + "/") for p in paths):
            found.append(sub)
    return found
