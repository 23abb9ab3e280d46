"""`gtx status`: the portfolio, one row per project, with totals by stage and by unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from golmud_cli import repo as repo_mod
from golmud_cli.commands.deadlines import Loaded, check_options, load_dossiers
from golmud_cli.deadlines import Deadline, compute, exempt, next_pending
from golmud_cli.deadlines import as_of as standing_on
from golmud_cli.errors import EXIT_OK
from golmud_cli.lifecycle import Stage, position
from golmud_cli.model import Dossier, FundingSource, Policy
from golmud_cli.validation import require_projects

FORMATS = ("text", "json", "csv")


@dataclass(frozen=True, slots=True)
class Row:
    dossier: Dossier
    next: Deadline | None
    resume_to: Stage | None  # a suspended project's stage before the suspension
    exempt: bool  # no Golmud deadline applies (terminated, rejected, central/provincial)

    @property
    def provincial(self) -> bool:
        return self.dossier.funding_source in (FundingSource.central, FundingSource.provincial)


@dataclass(slots=True)
class Total:
    count: int = 0
    budget_wan: Decimal = Decimal(0)
    without_budget: int = 0  # projects whose budget is not written yet

    def add(self, d: Dossier) -> None:
        self.count += 1
        if d.budget_wan is None:
            self.without_budget += 1
        else:
            self.budget_wan += d.budget_wan


@dataclass(slots=True)
class Portfolio:
    as_of: dt.date
    rows: list[Row]
    skipped: list[str]
    settings_bad: bool
    by_stage: dict[Stage, Total] = field(default_factory=dict)
    by_unit: dict[str, Total] = field(default_factory=dict)
    total: Total = field(default_factory=Total)


def build(loaded: Loaded, policy: Policy, today: dt.date) -> Portfolio:
    """The portfolio (pure): rows in id order, totals by stage (lifecycle order) and unit."""
    rows: list[Row] = []
    by_stage: dict[Stage, Total] = {}
    by_unit: dict[str, Total] = {}
    total = Total()
    for d in sorted(loaded.dossiers, key=lambda d: d.id):
        d = standing_on(d, today)  # the stage on that date, as the deadlines see it
        _, resume_to = position(d.stages)
        rows.append(Row(d, next_pending(compute(d, policy, today)), resume_to, exempt(d)))
        by_stage.setdefault(d.stage, Total()).add(d)
        by_unit.setdefault(d.unit, Total()).add(d)
        total.add(d)
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


def run(*, repo: Path | None, as_of: dt.date | None, fmt: str, lang: str) -> int:
    check_options(fmt, FORMATS)
    r = repo_mod.open_repo(repo)
    require_projects(r)
    today = as_of or dt.date.today()
    loaded = load_dossiers(r, r.project_ids(), today)
    portfolio = build(loaded, r.settings.policy, today)

    from golmud_cli.reporters.status import report_status

    report_status(portfolio, fmt=fmt, lang=lang)
    return EXIT_OK
