"""The gtx wheel a dossier repository vendors, and what `gtx init --upgrade` changed:
the values the service (services/wheel.py) builds and the reporter prints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["WHEEL_DIR", "Upgrade", "Wheel"]

WHEEL_DIR = ".gtx/wheels"


@dataclass(frozen=True, slots=True)
class Wheel:
    name: str  # golmud_cli-0.1.0-py3-none-any.whl
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def rel(self) -> str:
        """Its path in a dossier repository."""
        return f"{WHEEL_DIR}/{self.name}"


@dataclass(frozen=True, slots=True)
class Upgrade:
    wheel: Wheel
    removed: list[str]  # older wheels taken out of .gtx/wheels/
    written: list[str]  # every path written, the new wheel first
    unpinned: list[str]  # workflow files that name no vendored wheel (edit by hand)
