"""Stages, roles and the legal transitions of docs/lifecycle.md, as data (pure).

Used alike by `validate` (H002), `advance` and `verify`, so the three can never
disagree on what move is legal and who must sign it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    draft = "draft"
    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    filed = "filed"
    procuring = "procuring"
    under_construction = "under_construction"
    completed = "completed"
    preliminarily_accepted = "preliminarily_accepted"
    acceptance_requested = "acceptance_requested"
    accepted = "accepted"
    operating = "operating"
    self_evaluated = "self_evaluated"
    post_evaluated = "post_evaluated"
    suspended = "suspended"
    terminated = "terminated"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self][0]

    def label_in(self, lang: str) -> str:
        return STAGE_LABELS[self][0 if lang == "zh" else 1]


STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.draft: ("草拟", "draft"),
    Stage.proposed: ("已申报（审批中）", "proposed (under review)"),
    Stage.approved: ("审批通过（已立项）", "approved"),
    Stage.rejected: ("未通过审核", "rejected"),
    Stage.filed: ("已备案", "filed"),
    Stage.procuring: ("采购中", "procuring"),
    Stage.under_construction: ("建设中", "under construction"),
    Stage.completed: ("已建成", "completed"),
    Stage.preliminarily_accepted: ("初步验收通过", "preliminarily accepted"),
    Stage.acceptance_requested: ("已申请竣工验收", "final acceptance requested"),
    Stage.accepted: ("竣工验收通过", "accepted"),
    Stage.operating: ("投入运行", "operating"),
    Stage.self_evaluated: ("已自评价", "self-evaluated"),
    Stage.post_evaluated: ("已后评价", "post-evaluated"),
    Stage.suspended: ("暂停建设", "suspended"),
    Stage.terminated: ("终止", "terminated"),
}


class Role(StrEnum):
    unit = "unit"
    ndrc = "ndrc"
    gov_office = "gov_office"
    finance = "finance"
    audit = "audit"
    cac = "cac"
    tech = "tech"
    service = "service"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self][0]

    def label_in(self, lang: str) -> str:
        return ROLE_LABELS[self][0 if lang == "zh" else 1]


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.unit: ("建设单位", "the building unit"),
    Role.ndrc: ("市发改委", "the city NDRC"),
    Role.gov_office: ("市政府办公室", "the city government office"),
    Role.finance: ("市财政局", "the city finance bureau"),
    Role.audit: ("市审计局", "the city audit bureau"),
    Role.cac: ("市委网信办", "the city cyberspace office"),
    Role.tech: ("市工商科信局", "the city industry, commerce, science and IT bureau"),
    Role.service: ("市政务服务监督管理局", "the city government services bureau"),
}

# The main line, in order. A rule "applies from" a stage once that stage or any
# later stage of this line is in the project's history (docs/lifecycle.md, Gates).
MAIN_LINE: tuple[Stage, ...] = (
    Stage.draft,
    Stage.proposed,
    Stage.approved,
    Stage.filed,
    Stage.procuring,
    Stage.under_construction,
    Stage.completed,
    Stage.preliminarily_accepted,
    Stage.acceptance_requested,
    Stage.accepted,
    Stage.operating,
    Stage.self_evaluated,
    Stage.post_evaluated,
)
MAIN_INDEX: dict[Stage, int] = {s: i for i, s in enumerate(MAIN_LINE)}

# Who enters each stage of the main line (docs/lifecycle.md, Stages). 三（二）: the NDRC
# approves; 三（三）: the government office files; 三（四）: finance governs procurement.
ENTERED_BY: dict[Stage, Role] = {
    Stage.proposed: Role.unit,
    Stage.approved: Role.ndrc,
    Stage.rejected: Role.ndrc,
    Stage.filed: Role.gov_office,
    Stage.procuring: Role.finance,
    Stage.under_construction: Role.unit,
    Stage.completed: Role.unit,
    Stage.preliminarily_accepted: Role.unit,
    Stage.acceptance_requested: Role.unit,
    Stage.accepted: Role.ndrc,
    Stage.operating: Role.unit,
    Stage.self_evaluated: Role.unit,
    Stage.post_evaluated: Role.ndrc,
    # 三（五）: the NDRC (with finance) may suspend construction or terminate.
    Stage.suspended: Role.ndrc,
    Stage.terminated: Role.ndrc,
}

# 三（五）: 市发改委可以会同市财政局 ... 暂停项目建设直至终止项目: a joint act. The entry is
# signed by the NDRC (ENTERED_BY) and records the concurring roles (`concurred`, R005);
# verify/advance are to require a signature of each concurring role as well.
JOINT_ACTS: dict[Stage, tuple[Role, ...]] = {
    Stage.suspended: (Role.finance,),
    Stage.terminated: (Role.finance,),
}

# The clauses each act (entering a stage) rests on, for `gtx rules --coverage`: the
# stage's gate (its rules) and the role that signs it enforce these clauses.
STAGE_CLAUSES: dict[Stage, tuple[str, ...]] = {
    Stage.proposed: ("三（二）",),  # 编报项目建议书、可行性研究报告 ...
    Stage.approved: ("三（二）", "二（五）"),  # 市发改委负责项目审批
    Stage.rejected: ("三（二）",),  # 未通过审核的项目不予实施
    Stage.filed: ("三（三）", "二（五）"),  # 市政府办公室负责项目备案
    Stage.procuring: ("三（四）", "二（四）"),  # 市财政局 ... 计划备案和监管
    Stage.under_construction: ("附件",),  # 开工时间
    Stage.completed: ("三（六）", "附件"),  # 建成 (计划建设时间)
    Stage.preliminarily_accepted: ("三（六）",),
    Stage.acceptance_requested: ("三（六）",),
    Stage.accepted: ("三（六）",),
    Stage.operating: ("三（七）",),
    Stage.self_evaluated: ("三（七）",),
    Stage.post_evaluated: ("三（七）",),
    Stage.suspended: ("三（五）",),
    Stage.terminated: ("三（五）",),
}

FINAL: frozenset[Stage] = frozenset({Stage.rejected, Stage.terminated, Stage.post_evaluated})
SUSPENDABLE: frozenset[Stage] = frozenset(
    MAIN_LINE[MAIN_INDEX[Stage.approved] : MAIN_INDEX[Stage.operating] + 1]
)


@dataclass(frozen=True, slots=True)
class Transition:
    source: Stage
    target: Stage
    role: Role
    kind: str  # "advance" | "reject" | "suspend" | "resume" | "terminate"


def position(stages: Sequence[Stage]) -> tuple[Stage, Stage | None]:
    """The current stage after `stages` (history order) and, when suspended, the
    stage to resume to."""
    # Only the last two entries matter: a suspended project resumes to the stage it
    # was in when suspended, the entry before (draft when there is none).
    current = stages[-1] if stages else Stage.draft
    if current is not Stage.suspended:
        return current, None
    return current, stages[-2] if len(stages) > 1 else Stage.draft


def transition(source: Stage, target: Stage, resume_to: Stage | None = None) -> Transition | None:
    """The legal move from `source` to `target`, or None when there is none.

    `resume_to` is the stage a suspended project was suspended from: it resumes
    only there (docs/lifecycle.md: "resumes to the stage it was suspended from").
    """
    if source in FINAL:
        return None
    if target is Stage.terminated:
        return Transition(source, target, Role.ndrc, "terminate")
    if source is Stage.suspended:
        if resume_to is not None and target is resume_to:
            return Transition(source, target, Role.ndrc, "resume")
        return None
    if target is Stage.suspended:
        if source in SUSPENDABLE:
            return Transition(source, target, Role.ndrc, "suspend")
        return None
    if source is Stage.proposed and target is Stage.rejected:
        return Transition(source, target, Role.ndrc, "reject")
    if source in MAIN_INDEX and target in MAIN_INDEX:
        if MAIN_INDEX[target] == MAIN_INDEX[source] + 1:
            return Transition(source, target, ENTERED_BY[target], "advance")
    return None


def next_stages(source: Stage, resume_to: Stage | None = None) -> list[Stage]:
    """Every stage legally reachable in one move (for messages and `gtx show`)."""
    return [t for t in Stage if transition(source, t, resume_to) is not None]


def reached(stages: Sequence[Stage], stage: Stage) -> bool:
    """Has the project reached `stage` on the main line (docs/lifecycle.md, Gates)?

    A suspended or terminated project keeps what it reached; `draft` is reached by all.
    """
    if stage is Stage.draft:
        return True
    want = MAIN_INDEX.get(stage)
    if want is None:
        return stage in stages
    return any(s in MAIN_INDEX and MAIN_INDEX[s] >= want for s in stages)
