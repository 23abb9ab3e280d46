"""`gtx status`'s project table, drawn by gtx's own layout (reporters/grid.py): on any
terminal width every line of the table is as wide as the others and no wider than the
terminal (when the columns' minimums allow), and each cell's text is all there, read
column by column, folded or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.reporters.grid import Column, fold, lines, width_of
from tests.test_status import AS_OF, PROJECTS, repo  # noqa: F401  (six projects and a broken one)


def table_lines(out: str) -> list[str]:
    rows = out.splitlines()
    start = next(i for i, line in enumerate(rows) if line.startswith("┏"))
    end = next(i for i, line in enumerate(rows) if line.startswith("└"))
    return rows[start : end + 1]


def column_text(table: list[str], k: int) -> str:
    """Column k's text, its folded lines joined (the body only)."""
    body = [line for line in table if line.startswith("│")]
    return "".join(line.strip("│").split("│")[k].strip() for line in body)


@pytest.mark.parametrize("columns", [60, 80, 120, 240])
def test_the_table_fits_the_terminal_and_keeps_every_cell(repo: Path, columns: int) -> None:  # noqa: F811
    r: Any = CliRunner().invoke(
        app,
        ["status", "--repo", str(repo), "--as-of", AS_OF],
        env={"NO_COLOR": "1", "GTX_LANG": None, "COLUMNS": str(columns)},
    )
    assert r.exit_code == 0, r.output
    table = table_lines(r.stdout)
    widths = {cell_len(line) for line in table}
    assert len(widths) == 1  # a rectangle
    minimum = 14 + 12 + 10 + 8 + 8 + 12 + 3 * 6 + 1  # the columns' minimums and the frame
    assert widths.pop() <= max(columns, minimum)
    ids = column_text(table, 0)
    for p in sorted(PROJECTS, key=lambda p: p["id"]):
        assert p["id"] in ids
    names = column_text(table, 1)
    for p in PROJECTS:
        assert p["name"] in names


@pytest.mark.parametrize("text", ["abc", "格尔木市就业创业公共服务平台", "a格b—c", "ｶﾀｶﾅ半角", "①②③"])
@pytest.mark.parametrize("width", [1, 2, 3, 7, 40])
def test_fold_keeps_the_text_and_the_widths(text: str, width: int) -> None:
    parts = fold(text, width)
    assert "".join(t for t, _ in parts) == text
    assert all(n == cell_len(t) and (n <= width or len(t) == 1) for t, n in parts)
    assert width_of(text) == cell_len(text)


def test_right_justified_numbers_and_styles() -> None:
    cols = (Column("id"), Column("n", right=True))
    out = list(lines(cols, [(("a", ""), ("12", "red")), (("bb", ""), ("3", ""))], 80, {"red": ("<", ">")}))
    assert out[3] == "│ a  │ <12> │" and out[4] == "│ bb │  3 │"
