"""What `gtx set` and `gtx attach` did: the results the service returns and the
reporter prints (both import them from here, the layer below them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Attached", "Change"]


@dataclass(frozen=True, slots=True)
class Change:
    project: str
    file: str
    key: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Attached:
    project: str
    kind: str
    file: str  # relative to the project folder
    sha256: str
    copied: bool  # False when the same content was there already
