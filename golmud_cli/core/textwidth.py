"""Text by display width: a CJK character takes two columns (rich.cells.cell_len)."""

from __future__ import annotations

import re
from collections.abc import Callable

_CLOSING = set("，。、；：？！）》」』】〕,.;:?!)")
_OPENING = set("（《「『【〔“‘([")
# a [clause] as one piece, a run of spaces, a word of Latin letters, one CJK character
_TOKEN = r"\[[^\]\s]{1,12}\]|\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|."


def width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(
    text: str,
    cols: float,
    indent: str = "",
    rest: str | None = None,
    measure: Callable[[str], float] | None = None,
) -> list[str]:
    """`text` (one paragraph) in lines of at most `cols` display columns.

    `measure` replaces the terminal's width of a piece of text (the filing form measures
    in fractions of an em, core/form_layout.py); the breaking rules stay the same.
    """
    size: Callable[[str], float] = width if measure is None else measure
    rest = indent if rest is None else rest
    if "\n" not in text and size(indent) + size(text) <= cols:
        return [indent + text]  # the common case, without tokenizing
    cols = max(cols, size(indent) + 4, size(rest) + 4)
    lines: list[str] = []
    line: list[str] = []
    used: float = size(indent)
    lead = indent
    for tok in re.findall(_TOKEN, " ".join(text.split("\n")), re.S):
        if tok.isspace():
            if line:
                line.append(" ")
                used += size(" ")
            continue
        w = size(tok)
        if used + w > cols and line:
            carry: list[str] = []
            while line and line[-1] == " ":
                line.pop()
            if tok[0] in _CLOSING and len(line) > 1 and line[-1] != " ":
                carry = [line.pop()]  # the character before moves down with the mark
            while len(line) > 1 and line[-1] in _OPENING:
                carry.insert(0, line.pop())  # an opening bracket never ends a line
                while line and line[-1] == " ":
                    line.pop()
            lines.append(lead + "".join(line))
            lead, line = rest, carry
            used = size(rest) + sum(size(t) for t in carry)
        while used + w > cols and not line and w > 1:  # a word longer than a line
            cut: float = 0
            part = ""
            for ch in tok:
                if used + cut + size(ch) > cols:
                    break
                cut += size(ch)
                part += ch
            if not part:
                break
            lines.append(lead + part)
            lead = rest
            tok = tok[len(part) :]
            used, w = size(rest), size(tok)
        line.append(tok)
        used += w
    while line and line[-1] == " ":
        line.pop()
    if line or not lines:
        lines.append(lead + "".join(line))
    return lines
