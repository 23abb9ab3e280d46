"""`gtx report`: what the HTML report shows, gathered from the repository (the
portfolio, deadlines, findings, each project as `gtx show` sees it); the data and the
charts' geometry are the core's (golmud_cli.core.report)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from golmud_cli.core.deadline_report import build as build_deadlines
from golmud_cli.core.portfolio import build as build_portfolio
from golmud_cli.core.report import ReportData, bars, timeline
from golmud_cli.core.wan import wan_text
from golmud_cli.edges.repo import Repository
from golmud_cli.pipeline.validation import validate_repository
from golmud_cli.services.listing import load_dossiers
from golmud_cli.services.showing import project_json


def gather(r: Repository, today: dt.date, lang: str) -> ReportData:
    loaded = load_dossiers(r, r.project_ids(), today)
    policy = r.settings.policy
    portfolio = build_portfolio(loaded, policy, today, r.calendar)
    deadlines = build_deadlines(
        loaded, policy, today, within=None, show_all=False, calendar=r.calendar
    )
    run = validate_repository(
        r, today=today, targets=[], changed_since=None, use_cache=True, jobs=0, progress=None
    )
    projects = []
    for d in sorted(loaded.dossiers, key=lambda d: d.id):
        projects.append(project_json(r, d.id, d, loaded.recorded.get(d.id), today, lang)[0])
    data = ReportData(today, r.settings.city, portfolio, deadlines, run.findings, projects)
    data.stage_bars = bars(
        [
            (s.label_in(lang), Decimal(t.count), str(t.count), "")
            for s, t in portfolio.by_stage.items()
        ]
    )
    data.unit_bars = bars(
        [(u, t.budget_wan, wan_text(t.budget_wan), "") for u, t in portfolio.by_unit.items()]
    )
    data.timeline = timeline(deadlines.entries, today)
    return data
