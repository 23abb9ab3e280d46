"""The portfolio of `gtx status` and `gtx list` (pure): one row per project with its
next deadline, and totals by stage and by unit. Built from the models, or from what the
validation cache keeps of them (the same rows, docs/benchmarks.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from golmud_cli.core.deadline_types import (
    PROVINCIAL_FUNDING,
    Deadline,
    DeadlinePolicy,
    Standing,
    next_pending,
)
from golmud_cli.core.lifecycle import Stage

if TYPE_CHECKING:
    # the model (pydantic) is imported only where models are reported on: a report
    # answered from the cache needs neither (docs/benchmarks.md)
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.periods import Calendar


class CachedDossier(Protocol):
    """What the reports need of a dossier known from the cache alone, without its
    model (pipeline.batch.DeadlineData fits it; the core cannot import the pipeline)."""

    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def rectification_findings(self) -> tuple[str, ...]: ...
    @property
    def standing(self) -> Standing: ...
    @property
    def deadlines(self) -> Sequence[Deadline]: ...
    def pending(self) -> list[Deadline]: ...


@dataclass(frozen=True, slots=True)
class Filters:
    """`gtx list`'s filters, as typed (parsed by services/listing.py); here so that the
    entry point can build them without importing a service."""

    stage: str | None = None
    unit: str | None = None
    overdue: bool = False
    path: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Loaded:
    """The dossiers of a repository that loaded, and the files that did not."""

    dossiers: list[Dossier]
    skipped: list[str]  # repository-relative files
    settings_bad: bool
    # Dossiers known by their deadline data alone (golmud_cli.pipeline.batch, shared with
    # `gtx validate`), without a model: what keeps 10,000 warm in <= 1 s (docs/benchmarks.md).
    data: Sequence[CachedDossier] = field(default_factory=list)
    # gtx.yaml's policy as the cache keeps it (None: read gtx.yaml, r.settings.policy)
    policy: DeadlinePolicy | None = None
    # by id, a dossier as its file records it when a correction changed a date in
    # `dossiers` (which read the history as corrected, core/corrections.py)
    recorded: dict[str, Dossier] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    name: str
    unit: str
    stage: Stage
    resume_to: Stage | None  # a suspended project's stage before the suspension
    budget_wan: Decimal | None
    funding_source: str | None  # model.FundingSource's value
    exempt: bool  # no Golmud deadline applies (terminated, rejected, central/provincial)
    next: Deadline | None

    @property
    def provincial(self) -> bool:
        return self.funding_source in PROVINCIAL_FUNDING


def row_of(st: Standing, name: str, unit: str, deadlines: Iterable[Deadline]) -> Row:
    return Row(
        st.id,
        name,
        unit,
        st.stage,
        st.resume_to,
        st.budget_wan,
        st.funding_source,
        st.exempt,
        next_pending(list(deadlines)),
    )


@dataclass(slots=True)
class Total:
    count: int = 0
    budget_wan: Decimal = Decimal(0)
    without_budget: int = 0  # projects whose budget is not written yet

    def add(self, budget_wan: Decimal | None) -> None:
        self.count += 1
        if budget_wan is None:
            self.without_budget += 1
        else:
            self.budget_wan += budget_wan


@dataclass(slots=True)
class Portfolio:
    as_of: dt.date
    rows: list[Row]
    skipped: list[str]
    settings_bad: bool
    by_stage: dict[Stage, Total] = field(default_factory=dict)
    by_unit: dict[str, Total] = field(default_factory=dict)
    total: Total = field(default_factory=Total)


def build(
    loaded: Loaded, policy: DeadlinePolicy, today: dt.date, calendar: Calendar | None = None
) -> Portfolio:
    """The portfolio (pure): rows in id order, totals by stage (lifecycle order) and
    unit; from the models, or from what the cache keeps of them (the same rows)."""
    rows: list[Row] = []
    if loaded.dossiers:
        from golmud_cli.core.deadlines import compute, standing
        from golmud_cli.core.periods import PACKAGE_CALENDAR

        cal = calendar or PACKAGE_CALENDAR
        rows = [
            row_of(standing(d, today), d.name, d.unit, compute(d, policy, today, cal))
            for d in loaded.dossiers
        ]
    rows += [row_of(x.standing, x.name, x.unit, x.pending()) for x in loaded.data]
    rows.sort(key=lambda row: row.id)
    by_stage: dict[Stage, Total] = {}
    by_unit: dict[str, Total] = {}
    total = Total()
    for row in rows:
        by_stage.setdefault(row.stage, Total()).add(row.budget_wan)
        by_unit.setdefault(row.unit, Total()).add(row.budget_wan)
        total.add(row.budget_wan)
    order = {s: i for i, s in enumerate(Stage)}
    return Portfolio(
        as_of=today,
        rows=rows,
        skipped=loaded.skipped,
        settings_bad=loaded.settings_bad,
        by_stage=dict(sorted(by_stage.items(), key=lambda kv: order[kv[0]])),
        by_unit=dict(sorted(by_unit.items(), key=lambda kv: (-kv[1].count, kv[0]))),
        total=total,
    )
