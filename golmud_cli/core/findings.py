"""A finding: one rule's verdict on one place of one file (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    project: str | None
    file: str | None  # relative to the repository, POSIX separators
    path: Path  # the field's key path in the file; () for the whole file
    label: str  # the field's Chinese label
    message_zh: str
    message_en: str
    clause: str | None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    # Where the position should point: the value (default) or the key itself
    # (an unknown key), or the parent mapping (a missing key).
    anchor: str = "value"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def field(self) -> str | None:
        return ".".join(str(p) for p in self.path) if self.path else None

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh

    def at(self, line: int | None, column: int | None) -> Finding:
        # dataclasses.replace's answer (every field kept, `extra` the same dict), made
        # without its loop over the fields (a Python step each): a finding placed in
        # the file is one call here, on a cold run's every dossier with findings
        return type(self)(
            self.code,
            self.severity,
            self.project,
            self.file,
            self.path,
            self.label,
            self.message_zh,
            self.message_en,
            self.clause,
            line,
            column,
            self.anchor,
            self.extra,
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.code)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "project": self.project,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "label": self.label or None,
            "message": self.message(lang),
            "clause": self.clause,
        }
