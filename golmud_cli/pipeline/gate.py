"""The gate: entering a stage requires that the whole dossier, with the new history
entry appended and `stage` set, has no error (docs/lifecycle.md, Gates). It runs
every rule (pipeline/check.py), so it lives in the pipeline, not in core/transitions.py.

Here too the values an advance hands its reporter (a plan, a dry run, a commit made):
result types, which reporters/advance.py reads and services/advancing.py builds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.lifecycle import Transition
from golmud_cli.core.rules import Digest, FileStatus
from golmud_cli.edges import git as gitops
from golmud_cli.errors import GtxError
from golmud_cli.pipeline.check import check_bytes

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Settings
    from golmud_cli.core.periods import Calendar


@dataclass(frozen=True, slots=True)
class Gate:
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.error]

    @property
    def holds(self) -> bool:
        return not self.errors


def gate(
    raw: bytes,
    *,
    file: str,
    folder: str,
    settings: Settings,
    today: dt.date,
    stat: Callable[[str], FileStatus],
    digest: Callable[[str], Digest] | None = None,
    with_positions: bool = True,
    calendar: Calendar | None = None,
    fast_model: bool = False,
) -> Gate:
    """Run every rule on the dossier as it will stand after the transition
    (`fast_model`: as check_bytes takes it)."""
    result = check_bytes(
        raw,
        file=file,
        folder=folder,
        settings=settings,
        today=today,
        stat=stat,
        digest=digest,
        with_positions=with_positions,
        calendar=calendar,
        fast_model=fast_model,
    )
    return Gate(result.findings)


# --- what an advance hands its reporter ------------------------------------------


class Said(Protocol):
    """A note for the user (a journal's verdict): the reporter says it, in their language."""

    def message(self, lang: str) -> str: ...


@dataclass(slots=True)
class Plan:
    """Everything a transition will write, worked out before anything is written."""

    project: str
    file: Path
    rel: str
    before: bytes
    after: bytes
    dossier: Dossier
    move: Transition
    gate: Gate
    when: dt.date  # the act's date (the history entry's), which a key must be valid on
    note: str | None = None
    # what the commit takes besides the advance's own edit (--include-changes)
    included: list[gitops.Change] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Done:
    plan: Plan
    committed: gitops.Committed
    signer: str  # the name gtx.yaml gives the key that signed
    folder: str  # the dossier's folder, from the top of the repository


@dataclass(frozen=True, slots=True)
class DryRun:
    plan: Plan
    settings: Settings
    # every check that would stop the real run, in its order; the gate's own refusal
    # is not among them (the plan shows it)
    failures: list[GtxError]
    exit_code: int
