"""A spreadsheet as data (pure): the sheets a reporter builds and an edge writes
(edges/xlsx.py), and the cell cleaning that every spreadsheet output shares (csv
and xlsx), so that a reporter and an edge both reach it without importing each other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell that a spreadsheet would take for a formula (=, +, -, @) is written
    with a leading apostrophe (OWASP's CSV injection advice); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(slots=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: list[list[Any]]
    # Column kinds for formats: "date", "wan" (万元), "int", or "" for text.
    kinds: Sequence[str] = ()
