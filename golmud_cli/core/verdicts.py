"""What `gtx verify` finds (pure values): a problem with its G/S code, a verdict per
transition or path, the range checked and the result, built by services/verification.py
and printed by reporters/verify.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golmud_cli.i18n import pick


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    zh: str
    en: str


@dataclass(slots=True)
class Verdict:
    """One transition, or one finding about a path or a dossier at a commit."""

    commit: str
    project: str  # the project id, or the path a structural problem is about
    source: str | None = None
    target: str | None = None
    role: str | None = None
    signer: str | None = None
    problems: list[Problem] = field(default_factory=list)
    transition: bool = False
    correction: str | None = None  # "2: 2026-11-30 -> 2023-08-30" for a correction's commit
    # what the reviewer should look at without failing the check (G014)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, zh: str, en: str) -> None:
        self.problems.append(Problem(code, zh, en))

    def warn(self, code: str, zh: str, en: str) -> None:
        self.warnings.append(Problem(code, zh, en))

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "project": self.project,
            "from": self.source,
            "to": self.target,
            "role": self.role,
            "signer": self.signer,
            "ok": self.ok,
            "problems": [pick(lang, p.zh, p.en) for p in self.problems],
            "codes": [p.code for p in self.problems],
            "correction": self.correction,
            "warnings": [pick(lang, p.zh, p.en) for p in self.warnings],
            "warning_codes": [p.code for p in self.warnings],
        }


@dataclass(frozen=True, slots=True)
class Range:
    base: str
    tip: str
    spec: str


@dataclass(slots=True)
class Result:
    range: Range
    commits: int  # commits checked (B..H)
    verdicts: list[Verdict]

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)
