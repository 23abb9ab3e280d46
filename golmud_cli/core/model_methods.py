"""The models' methods and cross-field checks, without pydantic: core/model.py's
classes call them, and core/fastschema.py's msgspec twins are given the same functions,
so that the two answer alike by construction (issue 17: a start-up that reads only
valid files imports no pydantic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from golmud_cli.core.lifecycle import Stage


class _Entry(Protocol):
    @property
    def stage(self) -> Stage: ...

    @property
    def date(self) -> dt.date: ...


class _HasHistory(Protocol):
    @property
    def history(self) -> Sequence[_Entry]: ...


class _Validity(Protocol):
    @property
    def valid_from(self) -> dt.date | None: ...

    @property
    def until(self) -> dt.date | None: ...


V = TypeVar("V", bound=_Validity)


# --- Dossier ----------------------------------------------------------------------


def stages(dossier: _HasHistory) -> list[Stage]:
    """Dossier.stages: the stages of the history, in order."""
    return [h.stage for h in dossier.history]


def entered(dossier: _HasHistory, stage: Stage) -> dt.date | None:
    """Dossier.entered: the date the project last entered `stage`, from its history."""
    for h in reversed(dossier.history):
        if h.stage is stage:
            return h.date
    return None


def entered_dates(dossier: _HasHistory) -> dict[Stage, dt.date]:
    """Dossier.entered_dates: entered() for every stage in the history at once, each
    stage's latest date (core/deadlines.py reads eight of them for one dossier)."""
    return {h.stage: h.date for h in dossier.history}


# --- Signer (gtx.yaml) --------------------------------------------------------------


def validity_in_order(signer: V) -> V:
    """Signer's model validator: a key's validity must start before it ends."""
    if signer.valid_from and signer.until and signer.until < signer.valid_from:
        raise ValueError("validity_order")
    return signer


def valid_on(signer: _Validity, day: dt.date) -> bool:
    """Signer.valid_on: does the key count for an act dated `day` (both ends inclusive)?"""
    return (signer.valid_from is None or signer.valid_from <= day) and (
        signer.until is None or day <= signer.until
    )
