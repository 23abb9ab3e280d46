"""`gtx status`: the portfolio, one row per project, with totals by stage and by unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from golmud_cli.commands.deadlines import Loaded, check_options, load_cached
from golmud_cli.core.deadlines import Deadline, Standing, compute, next_pending, standing
from golmud_cli.core.lifecycle import Stage
from golmud_cli.core.model import FundingSource, Policy
from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import require_projects

FORMATS = ("text", "json", "csv", "xlsx")


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    name: str
    unit: str
    stage: Stage
    resume_to: Stage | None  # a suspended project's stage before the suspension
    budget_wan: Decimal | None
    funding_source: FundingSource | None
    exempt: bool  # no Golmud deadline applies (terminated, rejected, central/provincial)
    next: Deadline | None

    @property
    def provincial(self) -> bool:
        return self.funding_source in (FundingSource.central, FundingSource.provincial)


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


def build(loaded: Loaded, policy: Policy, today: dt.date) -> Portfolio:
    """The portfolio (pure): rows in id order, totals by stage (lifecycle order) and
    unit; from the models, or from what the cache keeps of them (the same rows)."""
    rows = [
        row_of(standing(d, today), d.name, d.unit, compute(d, policy, today))
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


def run(
    *, repo: Path | None, as_of: dt.date | None, fmt: str, lang: str, output: Path | None = None
) -> int:
    check_options(fmt, FORMATS)
    r = workspace.open_repo(repo, no_links=True)
    require_projects(r)
    today = as_of or dt.date.today()
    if fmt == "xlsx":
        # The workbook carries every register field (for gtx import), which the
        # cache does not keep: the models are loaded.
        from golmud_cli.commands.deadlines import load_dossiers
        from golmud_cli.reporters.deadlines import warn_skipped
        from golmud_cli.reporters.xlsx import emit, status_workbook

        full = load_dossiers(r, r.project_ids(), today)
        warn_skipped(full.skipped, full.settings_bad, lang)
        by_id = {d.id: d for d in full.dossiers}
        emit(status_workbook(build(full, r.settings.policy, today), by_id, lang), output, lang)
        return EXIT_OK
    # From the cache `gtx validate` fills (and filling it): at 10,000 dossiers the
    # models alone took 15 s and 340 MB (docs/benchmarks.md: <= 300 MB for any command).
    loaded = load_cached(r, r.project_ids(), today, progress=fmt == "text")
    portfolio = build(loaded, r.settings.policy, today)

    from golmud_cli.reporters.status import report_status

    report_status(portfolio, fmt=fmt, lang=lang)
    return EXIT_OK
