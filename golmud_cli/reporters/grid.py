"""A long table drawn in one pass: gtx's own column layout for `gtx status`.

rich's Table measures every cell several times, renders each through its segment
machinery and wraps it: 6.5 s for the 10,000 rows of `gtx status` (docs/benchmarks.md,
2026-11-26), against a target of 1 s (issue 17). Here each cell's display width is
measured once (rich.cells.cell_len: a CJK character takes two columns), the column
widths are fixed from those, and each row is one string. It looks like rich's default
table (the same box, padding, title and header), and rich still draws the small tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    min_width: int = 1
    right: bool = False  # right-justified (numbers)


Cell = tuple[str, str]  # text, rich style ("" for none)


_CHAR_WIDTH: dict[str, int] = {}  # display width by character, measured once each


def width_of(text: str) -> int:
    """Display width (rich.cells.cell_len's answer): ids and numbers are ASCII, one
    column a character; other text by its characters' widths, each measured once."""
    if text.isascii():
        return len(text)  # the loader refuses control characters (loader._UNPRINTABLE)
    from rich.cells import cell_len

    known = _CHAR_WIDTH
    total = 0
    for ch in text:
        w = known.get(ch)
        if w is None:
            w = known[ch] = cell_len(ch)
        total += w
    return total


def fold(text: str, width: int) -> list[tuple[str, int]]:
    """The text in lines of at most `width` display columns (at least one character a
    line), broken at character boundaries as rich's overflow="fold" does; each line
    with its width. On a terminal 80 columns wide (or in a CI log) most rows fold:
    the characters' widths are looked up in a dict, not measured again (docs/benchmarks.md)."""
    from rich.cells import cell_len

    known = _CHAR_WIDTH
    lines: list[tuple[str, int]] = []
    start, used = 0, 0
    for i, ch in enumerate(text):
        w = known.get(ch)
        if w is None:
            w = known[ch] = cell_len(ch)
        if i > start and used + w > width:
            lines.append((text[start:i], used))
            start, used = i, 0
        used += w
    lines.append((text[start:], used))
    return lines


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
    for row in rows:
        lens = [width_of(text) for text, _ in row]
        sizes.append(lens)
        natural = [max(a, b) for a, b in zip(natural, lens, strict=True)]
    ws = widths(columns, natural, width)
    bold = paint.get("bold", ("", ""))

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
            fold(text, w) if n > w else [(text, n)]
            for (text, _), n, w in zip(cells, lens, ws, strict=True)
        ]
        for k in range(max(len(f) for f in folded)):
            parts = []
            for f, (_, style), w, col in zip(folded, cells, ws, columns, strict=True):
                text, n = f[k] if k < len(f) else ("", 0)
                start, end = paint.get(style, ("", "")) if style and text else ("", "")
                pad = " " * (w - n)
                parts.append(
                    f" {pad}{start}{text}{end} " if col.right else f" {start}{text}{end}{pad} "
                )
            yield edge + sep.join(parts) + edge

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
