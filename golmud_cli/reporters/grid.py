"""A long table drawn in one pass: gtx's own column layout for `gtx status`.

rich's Table measures every cell several times, renders each through its segment
machinery and wraps it: 6.5 s for the 10,000 rows of `gtx status` (docs/benchmarks.md,
2026-11-26), against a target of 1 s (issue 17). Here each cell's display width is
measured once (rich.cells.cell_len: a CJK character takes two columns), the column
widths are fixed from those, and each row is one string. It looks like rich's default
table (the same box, padding, title and header), and rich still draws the small tables.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from golmud_cli.core.textwidth import char_widths
from golmud_cli.core.textwidth import width as width_of

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    min_width: int = 1
    right: bool = False  # right-justified (numbers)


Cell = tuple[str, str]  # text, rich style ("" for none)


def fold(text: str, width: int) -> list[tuple[str, int]]:
    """The text in lines of at most `width` display columns (at least one character a
    line), broken at character boundaries as rich's overflow="fold" does; each line
    with its width. On a terminal 80 columns wide (or in a CI log) most rows fold: each
    break is found by bisecting the running total of the characters' widths, not by a
    step per character (docs/benchmarks.md)."""
    totals = list(accumulate(char_widths(text)))  # never decreasing: widths are >= 0
    lines: list[tuple[str, int]] = []
    start, base, end = 0, 0, len(text)
    while True:
        # the first character past the width, keeping at least one on the line
        cut = bisect_right(totals, base + width, start + 1, end)
        if cut >= end:
            lines.append((text[start:], (totals[-1] if totals else 0) - base))
            return lines
        used = totals[cut - 1] - base
        lines.append((text[start:cut], used))
        start, base = cut, base + used


def widths(columns: Sequence[Column], natural: list[int], total: int) -> list[int]:
    """Each column's content width: its widest cell, narrowed (widest column first,
    never below its minimum) until the table fits in `total` columns."""
    out = [max(n, 1) for n in natural]
    frame = 3 * len(columns) + 1  # a border and two spaces of padding each, one more border
    excess = sum(out) + frame - total
    while excess > 0:
        i = max(range(len(out)), key=lambda k: (out[k] - columns[k].min_width, out[k]))
        if out[i] <= columns[i].min_width:
            break  # nothing left to narrow: the terminal folds the lines itself
        out[i] -= 1
        excess -= 1
    return out


def lines(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    width: int,
    paint: dict[str, tuple[str, str]],
) -> Iterator[str]:
    """The table's lines (without the title): header, rule, one or more lines per row,
    bottom. `paint` maps a style to the (start, end) codes to put around a cell's
    text ("" and "" when colour is off)."""
    natural = [width_of(c.header) for c in columns]
    sizes: list[list[int]] = []
    # Each distinct text measured (and folded) once: units, stages and next deadlines
    # recur row after row (issue 17: status text without measuring every cell).
    measured: dict[str, int] = {}
    for row in rows:
        lens = []
        for text, _ in row:
            n = measured.get(text)
            if n is None:
                n = measured[text] = width_of(text)
            lens.append(n)
        sizes.append(lens)
        natural = [max(a, b) for a, b in zip(natural, lens, strict=True)]
    ws = widths(columns, natural, width)
    bold = paint.get("bold", ("", ""))
    folds: dict[tuple[str, int], list[tuple[str, int]]] = {}

    def folded_once(text: str, w: int) -> list[tuple[str, int]]:
        got = folds.get((text, w))
        if got is None:
            got = folds[(text, w)] = fold(text, w)
        return got

    def render(cells: Sequence[Cell], lens: Sequence[int], edge: str, sep: str) -> Iterator[str]:
        if all(n <= w for n, w in zip(lens, ws, strict=True)):
            parts = []
            for (text, style), n, w, col in zip(cells, lens, ws, columns, strict=True):
                start, end = paint.get(style, ("", "")) if style else ("", "")
                pad = " " * (w - n)
                parts.append(
                    f" {pad}{start}{text}{end} " if col.right else f" {start}{text}{end}{pad} "
                )
            yield edge + sep.join(parts) + edge
            return
        folded = [
            folded_once(text, w) if n > w else [(text, n)]
            for (text, _), n, w in zip(cells, lens, ws, strict=True)
        ]
        height = max(len(f) for f in folded)
        stacks = []  # each column's lines, padded, blank below its last one
        for f, (_, style), w, col in zip(folded, cells, ws, columns, strict=True):
            start, end = paint.get(style, ("", "")) if style else ("", "")
            stack = [
                (
                    f" {' ' * (w - n)}{start}{text}{end} "
                    if col.right
                    else f" {start}{text}{end}{' ' * (w - n)} "
                )
                if text
                else " " * (w + 2)
                for text, n in f
            ]
            stacks.append(stack + [" " * (w + 2)] * (height - len(f)))
        for line in zip(*stacks, strict=True):
            yield edge + sep.join(line) + edge

    # rich's box.HEAVY_HEAD, the default of its Table
    yield "┏" + "┳".join("━" * (w + 2) for w in ws) + "┓"
    yield from render(
        [(c.header, "bold" if bold[0] else "") for c in columns],
        [width_of(c.header) for c in columns],
        "┃",
        "┃",
    )
    yield "┡" + "╇".join("━" * (w + 2) for w in ws) + "┩"
    for row, lens in zip(rows, sizes, strict=True):
        yield from render(row, lens, "│", "│")
    yield "└" + "┴".join("─" * (w + 2) for w in ws) + "┘"


def painter(console: Console, styles: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The escape codes of each style on this console (none when it has no colour:
    not a terminal, NO_COLOR), taken from rich itself once per style."""
    from rich.text import Text

    out: dict[str, tuple[str, str]] = {}
    for style in styles:
        with console.capture() as cap:
            console.print(Text("\0", style=style), end="")
        start, _, end = cap.get().partition("\0")
        out[style] = (start, end)
    return out


def print_table(
    console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> None:
    """Draw the table on the console's file, in the console's width."""
    styles = {style for row in rows for _, style in row if style} | {"bold", "italic"}
    paint = painter(console, sorted(styles))
    start, end = paint["italic"]  # rich's table.title style
    out = [f"{start}{title}{end}", *lines(columns, rows, console.width, paint)]
    console.file.write("\n".join(out) + "\n")
    console.file.flush()
