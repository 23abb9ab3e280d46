"""`gtx list`: the dossiers that match filters (stage, unit, overdue, approval
path, text), as a portfolio of their own (pure but for the loading)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from golmud_cli.core.lifecycle import STAGE_LABELS, Stage
from golmud_cli.core.model import ENUM_LABELS, Dossier, Policy
from golmud_cli.core.register import norm
from golmud_cli.errors import UsageError


@dataclass(frozen=True, slots=True)
class Filters:
    stage: str | None = None
    unit: str | None = None
    overdue: bool = False
    path: str | None = None
    text: str | None = None


def parse_stage(value: str) -> Stage:
    for s in Stage:
        if norm(value) in (norm(s.value), *(norm(x) for x in STAGE_LABELS[s])):
            return s
    raise UsageError(
        f"--stage 不是已知的阶段：{value}；可用："
        + "、".join(f"{s.value}（{s.label}）" for s in Stage),
        f"--stage: no stage {value!r}; use one of: {', '.join(s.value for s in Stage)}",
    )


def parse_path(value: str) -> str:
    labels = ENUM_LABELS["ApprovalPath"]
    for k, label in labels.items():
        if norm(value) in (norm(k), norm(label)):
            return k
    raise UsageError(
        f"--path 不是已知的审批路径：{value}；可用："
        + "、".join(f"{k}（{v}）" for k, v in labels.items()),
        f"--path: no approval path {value!r}; use one of: {', '.join(labels)}",
    )


def matching(dossiers: list[Dossier], f: Filters, policy: Policy, today: dt.date) -> list[Dossier]:
    from golmud_cli.core.deadlines import State, compute

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
            dl.state is State.overdue for dl in compute(d, policy, today) if dl.pending
        ):
            continue
        out.append(d)
    return out
