"""Transitions as `advance`, `verify` and `show` see them (pure; the gate, which runs
the rules, is pipeline/gate.py).

- what a commit did to a dossier's history: one entry appended, or something else;
- who may sign a transition: the signers `gtx.yaml` lists for the role the
  transition needs, a unit's signers for that unit's own projects only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Finding
from golmud_cli.core.lifecycle import (
    FINAL,
    MAIN_INDEX,
    Role,
    Stage,
    Transition,
    position,
    transition,
)
from golmud_cli.i18n import Msg

if TYPE_CHECKING:
    from golmud_cli.core.model import Settings, Signer

# Words a clerk may type instead of a stage (docs/lifecycle.md: suspend, resume, terminate).
ALIASES = {"suspend": Stage.suspended, "terminate": Stage.terminated}


def resolve_target(word: str, current: Stage, resume_to: Stage | None) -> Stage | None:
    """The stage named on the command line; `resume` is the stage it was suspended from."""
    w = word.strip().lower()
    if w == "resume":
        return resume_to if current is Stage.suspended else None
    if w in ALIASES:
        return ALIASES[w]
    try:
        return Stage(w)
    except ValueError:
        return None


def why_illegal(source: Stage, target: Stage) -> str:
    """The kind of an illegal move, for its message: final, same, back, skip, resume, other."""
    if source in FINAL:
        return "final"
    if source is target:
        return "same"
    if source is Stage.suspended:
        return "resume"
    if source in MAIN_INDEX and target in MAIN_INDEX:
        return "back" if MAIN_INDEX[target] < MAIN_INDEX[source] else "skip"
    return "other"


ILLEGAL: dict[str, Msg] = {
    "final": Msg("{source} 是终局阶段，不能再流转", "{source} is final: no move leaves it"),
    "same": Msg("项目已处于 {source}", "the project is already {source}"),
    "back": Msg(
        "不能从 {source} 退回 {target}：阶段不能倒退，更正材料请另行提交修改，而不是退回阶段",
        "{source} cannot go back to {target}: stages never go back; a correction is a new "
        "commit that edits documents, not a stage rewind",
    ),
    "skip": Msg(
        "不能从 {source} 跳到 {target}：不能跳过阶段",
        "{source} cannot skip ahead to {target}: no stage may be skipped",
    ),
    "resume": Msg(
        "暂停的项目只能恢复到暂停前的阶段 {resume}",
        "a suspended project resumes only to the stage it was suspended from, {resume}",
    ),
    "other": Msg("不能从 {source} 进入 {target}", "{source} cannot move to {target}"),
}


def illegal_message(source: Stage, target: Stage, resume_to: Stage | None, lang: str) -> str:
    msg = ILLEGAL[why_illegal(source, target)].format(
        source=source.value, target=target.value, resume=resume_to.value if resume_to else "-"
    )
    return msg.text(lang)


# --- what a commit did to a history ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryChange:
    """How the history after a commit relates to the history before it."""

    rewritten: list[int]  # indices (0-based) of earlier entries changed or removed
    appended: list[Any]  # entries added at the end (raw YAML data)
    source: Stage  # where the project stood before
    resume_to: Stage | None


def _stages(history: Sequence[Any]) -> list[Stage]:
    out = []
    for h in history:
        try:
            out.append(Stage(str(h.get("stage"))) if isinstance(h, dict) else Stage.draft)
        except ValueError:
            break
    return out


def compare_history(before: Sequence[Any], after: Sequence[Any]) -> HistoryChange:
    """History is append-only (docs/lifecycle.md): anything but entries added at the end
    is a rewrite of the past."""
    rewritten = [i for i, h in enumerate(before) if i >= len(after) or after[i] != h]
    appended = list(after[len(before) :])  # empty when nothing was added
    source, resume_to = position(_stages(before))
    return HistoryChange(rewritten, appended, source, resume_to)


def entry_stage(entry: Any) -> Stage | None:
    try:
        return Stage(str(entry.get("stage"))) if isinstance(entry, dict) else None
    except ValueError:
        return None


def legal(source: Stage, target: Stage, resume_to: Stage | None) -> Transition | None:
    return transition(source, target, resume_to)


# --- who may sign ---------------------------------------------------------------------


def allowed_signers(settings: Settings, role: Role, unit: str | None) -> list[Signer]:
    """The signers `gtx.yaml` lists for an act of `role` on a project of `unit`.

    A unit acts for its own projects only: its signers are those under
    `units[<the dossier's unit>]`, never another unit's.
    """
    if role is Role.unit:
        entry = settings.units.get(unit) if unit else None
        return list(entry.signers) if entry else []
    r = settings.roles.get(role)
    return list(r.signers) if r else []


@dataclass(frozen=True, slots=True)
class Holder:
    """One listing of a key in gtx.yaml: a role's signer, or a unit's."""

    kind: str  # "role" | "unit"
    name: str  # the role value, or the unit's name
    signer: str  # the person

    def describe(self, lang: str) -> str:
        if self.kind == "unit":
            return (
                f"{self.signer}（建设单位 {self.name}）"
                if lang != "en"
                else f"{self.signer} (unit {self.name})"
            )
        role = Role(self.name)
        return (
            f"{self.signer}（{role.value} {role.label}）"
            if lang != "en"
            else f"{self.signer} ({role.value}, {role.label_in(lang)})"
        )


def holders(settings: Settings, matches: Callable[[str], bool]) -> list[Holder]:
    """Every listing in gtx.yaml whose key `matches`."""
    out: list[Holder] = []
    for role, entry in settings.roles.items():
        out.extend(Holder("role", role.value, s.name) for s in entry.signers if matches(s.key))
    for unit, uentry in settings.units.items():
        out.extend(Holder("unit", unit, s.name) for s in uentry.signers if matches(s.key))
    return out


def validity_span(valid_from: dt.date | None, until: dt.date | None) -> str:
    """A signer's `from`/`until` as advance and verify name it ("… – 2025-06-30")."""
    return f"{valid_from or '…'} – {until or '…'}"


# --- the words of advance's messages (pure; the service and the reporter share them) --


def finding_lines(findings: list[Finding], lang: str) -> str:
    out = []
    for f in findings:
        pos = f"{f.file}:{f.line}:{f.column}" if f.line else f"{f.file}"
        out.append(f"  {pos}  {f.code}  {f.message(lang)}")
    return "\n".join(out)


CHANGE_WORDS = {
    "??": ("新文件", "new"),
    "A": ("新增", "added"),
    "M": ("修改", "modified"),
    "D": ("删除", "deleted"),
    "T": ("类型改变", "type changed"),
}


def change_line(code: str, shown_path: str, lang: str) -> str:
    """One uncommitted change (git's two-letter status, the path already made safe
    to show) as advance lists it."""
    key = "??" if code == "??" else next((x for x in code if x != " "), "M")
    zh, en = CHANGE_WORDS.get(key, (code, code))
    return f"  {en if lang == 'en' else zh}: {shown_path}"
