"""The dossiers the portfolio reports read (`gtx status`, `deadlines`, `list`,
`report`): loaded as `gtx validate` reads them, or from the cache it fills; and the
filters of `gtx list` (stage, unit, overdue, approval path, text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from golmud_cli.core.lifecycle import STAGE_LABELS, Stage
from golmud_cli.core.portfolio import Filters, Loaded
from golmud_cli.edges.repo import Repository
from golmud_cli.errors import UsageError

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Policy
    from golmud_cli.core.periods import Calendar
    from golmud_cli.pipeline.batch import ProgressFactory

# The model (pydantic) and the register's helpers are imported by the functions that
# need them: `gtx status` and `gtx deadlines` answered from the cache use neither
# (docs/benchmarks.md).


def load_dossiers(r: Repository, ids: Iterable[str], today: dt.date) -> Loaded:
    """Each dossier through the same checks as `gtx validate` (golmud_cli.pipeline.check), without
    the round-trip pass for positions: only the model is needed here."""
    from golmud_cli.pipeline.validation import check_project

    dossiers: list[Dossier] = []
    skipped: list[str] = []
    recorded: dict[str, Dossier] = {}
    for project in ids:
        # the same read as validate's: bounded, regular files only, no linked folder
        res = check_project(r, project, today, with_positions=False)
        if res.dossier is None:
            skipped.append(res.file)
        else:
            dossiers.append(res.dossier)
            if res.recorded is not None:
                recorded[res.dossier.id] = res.recorded
    return Loaded(dossiers, skipped, bool(r.settings_findings), recorded=recorded)


def load_cached(
    r: Repository, ids: list[str], today: dt.date, *, progress: ProgressFactory | None = None
) -> Loaded:
    """As load_dossiers, from the cache that `gtx validate` fills (and filling it); the
    progress display, if any, is the command's (reporters/progress.py)."""
    from golmud_cli.pipeline.batch import deadline_data

    data, skipped, settings_bad, policy = deadline_data(r, ids, today, progress=progress)
    return Loaded([], skipped, settings_bad, data, policy)


def parse_stage(value: str) -> Stage:
    from golmud_cli.core.register import norm

    for s in Stage:
        if norm(value) in (norm(s.value), *(norm(x) for x in STAGE_LABELS[s])):
            return s
    raise UsageError(
        f"--stage 不是已知的阶段：{value}；可用："
        + "、".join(f"{s.value}（{s.label}）" for s in Stage),
        f"--stage: no stage {value!r}; use one of: {', '.join(s.value for s in Stage)}",
    )


def parse_path(value: str) -> str:
    from golmud_cli.core.register import norm
    from golmud_cli.core.values import ENUM_LABELS

    labels = ENUM_LABELS["ApprovalPath"]
    for k, label in labels.items():
        if norm(value) in (norm(k), norm(label)):
            return k
    raise UsageError(
        f"--path 不是已知的审批路径：{value}；可用："
        + "、".join(f"{k}（{v}）" for k, v in labels.items()),
        f"--path: no approval path {value!r}; use one of: {', '.join(labels)}",
    )


def matching(
    dossiers: list[Dossier],
    f: Filters,
    policy: Policy,
    today: dt.date,
    calendar: Calendar | None = None,
) -> list[Dossier]:
    from golmud_cli.core.deadlines import State, compute
    from golmud_cli.core.periods import PACKAGE_CALENDAR
    from golmud_cli.core.register import norm

    calendar = calendar or PACKAGE_CALENDAR

    stage = parse_stage(f.stage) if f.stage else None
    path = parse_path(f.path) if f.path else None
    out = []
    for d in dossiers:
        if stage is not None and d.stage is not stage:
            continue
        if f.unit and norm(f.unit) not in norm(d.unit):
            continue
        if path is not None and (d.approval_path is None or d.approval_path.value != path):
            continue
        if f.text and norm(f.text) not in norm(" ".join((d.id, d.name, d.unit, d.basis or ""))):
            continue
        if f.overdue and not any(
            dl.state is State.overdue for dl in compute(d, policy, today, calendar) if dl.pending
        ):
            continue
        out.append(d)
    return out
