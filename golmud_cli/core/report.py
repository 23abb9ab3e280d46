"""What the HTML report of `gtx report` shows (pure): the gathered data and the charts'
geometry, computed here so that the pages need no script. The service gathers it
(services/reporting.py), the reporter renders it (reporters/html_report.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from golmud_cli.core.deadline_report import DeadlineReport, DeadlineRow
from golmud_cli.core.findings import Finding
from golmud_cli.core.portfolio import Portfolio

# Chart geometry (SVG user units).
BAR_H, BAR_GAP, LABEL_W, CHART_W = 22, 8, 190, 640


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: str  # as shown (a count, or 万元)
    y: int
    width: int
    href: str = ""


@dataclass(frozen=True, slots=True)
class Dot:
    label: str
    due: str
    x: int
    y: int
    overdue: bool
    href: str


@dataclass(slots=True)
class Timeline:
    width: int
    height: int
    today_x: int
    ticks: list[tuple[int, str]]
    dots: list[Dot]


@dataclass(slots=True)
class ReportData:
    as_of: dt.date
    city: str
    portfolio: Portfolio
    deadlines: DeadlineReport
    findings: list[Finding]
    projects: list[dict[str, Any]]  # as `gtx show --format json` gives them
    stage_bars: list[Bar] = field(default_factory=list)
    unit_bars: list[Bar] = field(default_factory=list)
    timeline: Timeline | None = None


def bars(items: list[tuple[str, Decimal, str, str]]) -> list[Bar]:
    """Horizontal bars scaled to the largest value: (label, value, shown, link)."""
    top = max((v for _, v, _, _ in items), default=Decimal(0)) or Decimal(1)
    room = CHART_W - LABEL_W - 90
    return [
        Bar(label, shown, i * (BAR_H + BAR_GAP), max(int(room * v / top), 1 if v else 0), href)
        for i, (label, v, shown, href) in enumerate(items)
    ]


def timeline(entries: list[DeadlineRow], today: dt.date) -> Timeline | None:
    """Pending deadlines on a date axis, one row each, today marked."""
    if not entries:
        return None
    dues = [e.deadline.due for e in entries]
    lo, hi = min([*dues, today]), max([*dues, today])
    span = max((hi - lo).days, 1)
    left, room = LABEL_W, CHART_W - LABEL_W - 30

    def x(d: dt.date) -> int:
        return left + int(room * (d - lo).days / span)

    dots = [
        Dot(
            f"{e.deadline.project}",
            e.deadline.due.isoformat(),
            x(e.deadline.due),
            20 + i * 18,
            e.deadline.state.value == "overdue",
            f"projects/{e.deadline.project}.html",
        )
        for i, e in enumerate(entries)
    ]
    ticks = []
    for year in range(lo.year, hi.year + 1):
        for month in (1, 7):
            d = dt.date(year, month, 1)
            if lo <= d <= hi:
                ticks.append((x(d), d.strftime("%Y-%m")))
    return Timeline(CHART_W, 40 + len(dots) * 18, x(today), ticks, dots)
