"""Corrections of a recorded act's date, and the effective history (pure).

History is append-only (docs/lifecycle.md): an entry, once signed, is never edited,
so a wrong date (an advance run without `--date` records today) is corrected by a
new entry in `corrections`, signed by the role that signed the act. The effective
history is the history with the corrections applied in their order; every rule,
deadline, gate and listing reads it. A correction that breaks a rule (H004-H009)
does not count: the date stays as recorded and the rule says why. The one exception
is a correction dated after today (H007): it is on record, and judged "in the future"
only against the day taken as today, which for verify's gate of a later act is that
act's (historical) date, so it counts and H007 says what is wrong with its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from golmud_cli.core.findings import Finding

if TYPE_CHECKING:
    from golmud_cli.core.model import Correction, Dossier, HistoryEntry


class Fault(StrEnum):
    """Why a correction does not count; each is one rule's (or variant's) finding."""

    entry = "entry"  # H004: no such history entry
    role = "role"  # H005: not the role that signed the act
    before_previous = "before_previous"  # H006: before the previous entry's date
    after_next = "after_next"  # H006: after the next entry's date
    future = "future"  # H007: made after today
    act_after_correction = "act_after_correction"  # H007: the act dated after its correction
    order = "order"  # H008: made before the correction above it
    reason = "reason"  # H009: no reason given


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One correction and what became of it."""

    index: int  # 0-based position in `corrections`
    correction: Correction
    faults: tuple[Fault, ...]
    recorded: dt.date | None  # the entry's date as history records it (None: no entry)
    previous: dt.date | None  # the effective date of the entry before, when it matters
    following: dt.date | None  # ... and of the entry after
    previous_corrected: dt.date | None  # the `corrected` of the correction above

    @property
    def counts(self) -> bool:
        return all(f is Fault.future for f in self.faults)


@dataclass(frozen=True, slots=True)
class Review:
    history: list[HistoryEntry]  # the effective history
    corrections: list[Reviewed]

    def applied(self) -> dict[int, Reviewed]:
        """0-based history index -> the last correction that counts for it."""
        return {r.correction.entry - 1: r for r in self.corrections if r.counts}


def review(
    history: Sequence[HistoryEntry], corrections: Sequence[Correction], today: dt.date
) -> Review:
    """Apply `corrections` in order to `history`; each is judged against the history
    as the corrections above it left it."""
    effective = list(history)
    out: list[Reviewed] = []
    last_made: dt.date | None = None
    for k, c in enumerate(corrections):
        faults: list[Fault] = []
        i = c.entry - 1
        inside = 0 <= i < len(effective)
        prev = effective[i - 1].date if inside and i > 0 else None
        nxt = effective[i + 1].date if inside and i + 1 < len(effective) else None
        if not inside:
            faults.append(Fault.entry)
        elif c.role is not history[i].role:
            faults.append(Fault.role)
        if prev is not None and c.date < prev:
            faults.append(Fault.before_previous)
        if nxt is not None and c.date > nxt:
            faults.append(Fault.after_next)
        if c.corrected > today:
            faults.append(Fault.future)
        if c.date > c.corrected:
            faults.append(Fault.act_after_correction)
        if last_made is not None and c.corrected < last_made:
            faults.append(Fault.order)
        if c.reason is None or not c.reason.strip():
            faults.append(Fault.reason)
        out.append(
            Reviewed(
                k,
                c,
                tuple(faults),
                history[i].date if inside else None,
                prev,
                nxt,
                last_made,
            )
        )
        if all(f is Fault.future for f in faults):
            effective[i] = effective[i].model_copy(update={"date": c.date})
        last_made = c.corrected if last_made is None else max(last_made, c.corrected)
    return Review(effective, out)


def effective(d: Dossier, today: dt.date) -> Dossier:
    """The dossier with its effective history (itself when nothing is corrected)."""
    if not d.corrections:
        return d
    history = review(d.history, d.corrections, today).history
    if all(a is b for a, b in zip(history, d.history, strict=True)):
        return d
    return d.model_copy(update={"history": history})


@dataclass(frozen=True, slots=True)
class Made:
    """What `gtx correct` did (services/correcting.py builds it, reporters/correct.py
    says it)."""

    project: str
    entry: int  # 1-based
    stage: str  # the stage the corrected act entered
    was: dt.date  # the date in force before the correction
    date: dt.date  # the corrected date
    role: str
    commit: str
    signer: str  # the name gtx.yaml gives the key that signed
    folder: str  # the dossier's folder, from the top of the repository
    index_synced: bool
    warnings: list[Finding]


@dataclass(frozen=True, slots=True)
class Preview:
    """What `gtx correct --dry-run` shows: the edit and who may sign it; nothing written."""

    rel: str  # project.yaml, from the repository
    before: bytes
    after: bytes
    entry: int
    stage: str
    was: dt.date
    date: dt.date
    role: str
    signers: list[str]  # the names gtx.yaml lists for the role, valid on the day
    warnings: list[Finding]
