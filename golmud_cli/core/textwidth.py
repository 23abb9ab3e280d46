"""Text by display width: a CJK character takes two columns (rich.cells.cell_len)."""

from __future__ import annotations

import re

_CLOSING = set("，。、；：？！）》」』】〕,.;:?!)")
_OPENING = set("（《「『【〔“‘([")
# a [clause] as one piece, a run of spaces, a word of Latin letters, one CJK character
_TOKEN = r"\[[^\]\s]{1,12}\]|\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|."


def width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, cols: int, indent: str = "", rest: str | None = None) -> list[str]:
    """`text` (one paragraph) in lines of at most `cols` display columns."""
    rest = indent if rest is None else rest
    if "\n" not in text and width(indent) + width(text) <= cols:
        return [indent + text]  # the common case, without tokenizing
    cols = max(cols, width(indent) + 4, width(rest) + 4)
    lines: list[str] = []
    line: list[str] = []
    used = width(indent)
    lead = indent
    for tok in re.findall(_TOKEN, " ".join(text.split("\n")), re.S):
        if tok.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        w = width(tok)
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
            used = width(rest) + sum(width(t) for t in carry)
        while used + w > cols and not line and w > 1:  # a word longer than a line
            cut, part = 0, ""
            for ch in tok:
                if used + cut + width(ch) > cols:
                    break
                cut += width(ch)
                part += ch
            if not part:
                break
            lines.append(lead + part)
            lead = rest
            tok = tok[len(part) :]
            used, w = width(rest), width(tok)
        line.append(tok)
        used += w
    while line and line[-1] == " ":
        line.pop()
    if line or not lines:
        lines.append(lead + "".join(line))
    return lines
