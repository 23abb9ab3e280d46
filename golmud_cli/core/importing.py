"""What `gtx import` plans from a register, row by row: the result the service builds
and the reporter prints (both import it from here, the layer below them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golmud_cli.core.register import column_letter

__all__ = ["CellNote", "FieldPath", "Mapped", "Plan", "RowPlan"]

FieldPath = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CellNote:
    """A cell gtx could not use, and why (both languages)."""

    ref: str  # e.g. C7
    header: str
    zh: str
    en: str


@dataclass(slots=True)
class Mapped:
    index: int  # 0-based column
    header: str  # the header text as written (sub-header under a merged group)
    key: str | None  # dotted field key, IGNORE, or None (not recognised)
    reason: tuple[str, str] | None = None  # why an ignored or duplicate column is not used

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(slots=True)
class RowPlan:
    row: int  # 1-based sheet row
    state: str  # new | exists | error | total
    project: str = ""
    name: str = ""
    unit: str = ""
    values: dict[FieldPath, Any] = field(default_factory=dict)
    notes: list[CellNote] = field(default_factory=list)
    reason: tuple[str, str] = ("", "")
    text: str = ""  # the dossier as it would be written


@dataclass(slots=True)
class Plan:
    source: str
    sheet: str
    header_rows: tuple[int, int]  # 1-based, inclusive
    columns: list[Mapped]
    rows: list[RowPlan]
    empty_rows: int = 0

    @property
    def new(self) -> list[RowPlan]:
        return [r for r in self.rows if r.state == "new"]

    @property
    def errors(self) -> list[RowPlan]:
        return [r for r in self.rows if r.state == "error"]

    def mapping(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for c in self.columns:
            out.setdefault(c.header, c.key)
        return out
