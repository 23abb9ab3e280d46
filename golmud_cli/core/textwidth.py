"""Text by display width: a CJK character takes two columns (rich.cells.cell_len)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_CLOSING = set("，。、；：？！）》」』】〕,.;:?!)")
_OPENING = set("（《「『【〔“‘([")
# a [clause] as one piece, a run of spaces, a word of Latin letters, a run of CJK
# characters (each of which is a piece of its own: a line may break between any two)
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_TOKEN = rf"\[[^\]\s]{{1,12}}\]|\s+|[^\s{_CJK}]+|[{_CJK}]+|."


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The tokenizer and the CJK-run test, compiled at the first line that needs
    breaking rather than at import: this module is imported by every command (the
    help's wrapping), and the CJK classes cost ~4-8 ms to compile before a cold
    `gtx validate` forks its workers, which never wrap a line (issue 17)."""
    return re.compile(_TOKEN, re.S), re.compile(rf"[{_CJK}]{{2,}}")


_CHAR_WIDTH: dict[str, int] = {}  # display width of each character met, measured once
# The width of each short piece wrap() met (a CJK character, a word, a [clause]):
# the same few hundred recur on every line of a long report.
_TOKEN_WIDTH: dict[str, int] = {}
_TOKEN_KEPT = 24
# The two characters after which rich measures a cluster, not character by character.
_JOINERS = ("\u200d", "\ufe0f")


def width(text: str) -> int:
    """rich.cells.cell_len's answer. Printable ASCII is one column a character; other
    text sums its characters' widths, each asked of rich once per process: a 10,000-
    dossier `gtx deadlines` measures half a million pieces of text, and rich's own
    layers cost more than the sum (docs/benchmarks.md)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    if _JOINERS[0] in text or _JOINERS[1] in text:
        return cell_len(text)
    return sum(char_widths(text))


def char_widths(text: str) -> list[int]:
    """The display width of each character (0, 1 or 2), as rich.cells measures one
    character alone."""
    known = _CHAR_WIDTH
    try:
        return list(map(known.__getitem__, text))
    except KeyError:  # a character not met before
        from rich.cells import cell_len

        for ch in set(text).difference(known):
            known[ch] = cell_len(ch)
        return list(map(known.__getitem__, text))


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
    if "\n" not in text and (
        # no character is wider than two columns: most lines fit without measuring
        (measure is None and 2 * (len(indent) + len(text)) <= cols)
        or size(indent) + size(text) <= cols
    ):
        return [indent + text]  # the common case, without tokenizing
    cols = max(cols, size(indent) + 4, size(rest) + 4)
    lines: list[str] = []
    line: list[str] = []
    used: float = size(indent)
    lead = indent
    known = _TOKEN_WIDTH
    tokens, cjk_run = _patterns()
    for run in tokens.findall(" ".join(text.split("\n"))):
        if len(run) > 1 and cjk_run.fullmatch(run):
            if measure is None and "\u3000" not in run:
                # A run of CJK characters that fits on the line goes on it at once:
                # the same as one character at a time (none of them breaks the line),
                # with ~10x fewer steps on a Chinese report (docs/benchmarks.md). An
                # ideographic space (U+3000) in the run is a space, as one at a time.
                run_w = sum(char_widths(run))
                if used + run_w <= cols:
                    line.extend(run)
                    used += run_w
                    continue
            pieces: str | list[str] = run  # one character at a time, as below
        else:
            pieces = [run]
        for tok in pieces:
            if tok.isspace():
                if line:
                    line.append(" ")
                    used += size(" ")
                continue
            if measure is not None:
                w = measure(tok)
            else:
                known_w = known.get(tok)
                if known_w is None:
                    known_w = width(tok)
                    if len(tok) <= _TOKEN_KEPT:
                        known[tok] = known_w
                w = known_w
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
