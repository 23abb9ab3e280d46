"""What a rule is (docs/lifecycle.md, Rules): the rule modules import this, and the
catalog (`golmud_cli.core.rules`) imports the rule modules, so the arrows go one way.

A rule is a code, a severity, the clause it rests on, the stage from which it
applies, bilingual messages naming the field's key and Chinese label, and a pure
check of (dossier, settings, today). `gtx rules` prints this list; docs/rules.md
is generated from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Finding, Path, Severity
from golmud_cli.core.labels import label_for
from golmud_cli.core.lifecycle import Stage, reached
from golmud_cli.core.periods import PACKAGE_CALENDAR, Calendar

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Settings


class FileStatus(StrEnum):
    ok = "ok"
    missing = "missing"
    not_a_file = "not_a_file"
    absolute = "absolute"
    escapes = "escapes"  # `..` leaves the project folder
    link_out = "link_out"  # a symbolic link that points outside the folder
    bad_name = "bad_name"  # control characters or other names no clerk can type


@dataclass(frozen=True, slots=True)
class Digest:
    """A referenced file as the edge hashed it for F003: its SHA-256, or why there is
    none (a symbolic link on the way, which gtx does not follow, or a read error)."""

    sha256: str | None  # lowercase hex; None when the file could not be hashed
    link: bool = False
    why_zh: str = ""
    why_en: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a check may look at. Pure data: the edges fill it in."""

    dossier: Dossier  # with its effective history (core/corrections.py)
    settings: Settings
    today: dt.date
    folder: str  # the project folder's name
    files: Mapping[str, FileStatus] = field(default_factory=dict)  # referenced path -> status
    # referenced path -> its digest, for each file with a recorded sha256 that stands
    # (status ok); empty where nothing was hashed (verify's trees, the scaffold check)
    digests: Mapping[str, Digest] = field(default_factory=dict)
    calendar: Calendar = PACKAGE_CALENDAR  # the repository's (edges/calendar.py), passed in
    # the dossier as written, when corrections changed its history (H004-H009 read it)
    recorded: Dossier | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    path: Path
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # overrides the rule's, e.g. V001 early = warning
    anchor: str = "value"
    variant: str = ""  # picks another message of the same rule


# A check returns its hits at once, as a list or a tuple (empty: none), not as a
# generator: ~35 checks run a dossier and most find nothing, and a generator's frame
# made, started and exhausted cost ~1,200 instructions each (docs/benchmarks.md).
Check = Callable[[Context], Sequence[Hit]]

# Rule.needs: what a check may read its hits from alone. The dossier's lists (the
# corrections as written: ctx.recorded's when corrections changed the history) and the
# files hashed for F003.
NEEDS = ("rectifications", "extensions", "corrections", "digests")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    clause: str | None
    from_stage: Stage | None  # None: any stage
    title_zh: str
    title_en: str
    # message templates by variant ("" is the default); placeholders: {field}, {label}
    # and the hit's params
    messages: Mapping[str, tuple[str, str]]
    check: Check | None = None  # None: produced by loading and the schema (S001-S004)
    local_policy: bool = False  # rests on a knob of gtx.yaml, not on the measures
    also: tuple[str, ...] = ()  # other clauses the rule enforces (`gtx rules --coverage`)
    # what the check reads hits from alone, one of NEEDS: with none of it (no
    # rectification order, no extension, no correction, no file hashed) it yields
    # nothing, and run_rules does not call it (tests/core/test_rules_catalog.py holds
    # each claim)
    needs: str = ""

    def applies(self, stages: list[Stage]) -> bool:
        return self.from_stage is None or reached(stages, self.from_stage)

    def finding(self, hit: Hit, project: str | None, file: str | None) -> Finding:
        zh_t, en_t = self.messages.get(hit.variant) or self.messages[""]
        label = label_for(hit.path) if hit.path else ""
        params = {"field": ".".join(map(str, hit.path)) or "-", "label": label, **hit.params}
        zh, en = zh_t.format(**params), _counted(en_t, params).format(**params)
        if self.local_policy:
            zh += "（此数值为本地政策，非《办法》规定）"
            en += " (this limit is local policy, not the measures)"
        return Finding(
            code=self.code,
            severity=hit.severity or self.severity,
            project=project,
            file=file,
            path=hit.path,
            label=label,
            message_zh=zh,
            message_en=en,
            clause=self.clause,
            anchor=hit.anchor,
        )


# A count written before its unit in an English template ("{late} days late"): one
# takes the singular. Only the template's own words change, never a value it quotes.
_COUNT = re.compile(r"\{(\w+)\} (days|months|years)\b")


def _counted(template: str, params: Mapping[str, object]) -> str:
    """`template` with "{n} days" made "{n} day" wherever params[n] is 1."""
    # the counted names of each template, found once (the templates are the catalog's):
    # most have none, and most hits count nothing that is 1
    names = _COUNTED.get(template)
    if names is None:
        names = _COUNTED[template] = tuple(m[1] for m in _COUNT.finditer(template))
    if not any(params.get(n) == 1 for n in names):
        return template
    return _COUNT.sub(lambda m: m[0][:-1] if params.get(m[1]) == 1 else m[0], template)


_COUNTED: dict[str, tuple[str, ...]] = {}


E, W, I = Severity.error, Severity.warning, Severity.info  # noqa: E741 (I = info, as in the table)


def rule(
    code: str,
    severity: Severity,
    clause: str | None,
    from_stage: Stage | None,
    title: tuple[str, str],
    message: tuple[str, str],
    *,
    variants: Mapping[str, tuple[str, str]] | None = None,
    local_policy: bool = False,
    also: tuple[str, ...] = (),
    needs: str = "",
) -> Callable[[Check], Rule]:
    """Turn a check function into a catalog entry: `B003 = rule("B003", ...)(b003)`.

    Applied by a call after the plain `def b003`, not as a decorator: mutmut 3 leaves
    decorated functions unmutated, and the checks are what mutation testing must reach
    (docs/testing.md, Mutation testing).
    """

    def wrap(check: Check) -> Rule:
        return Rule(
            code,
            severity,
            clause,
            from_stage,
            title[0],
            title[1],
            {"": message, **(variants or {})},
            check,
            local_policy,
            also,
            needs,
        )

    return wrap


def structural(code: str, title: tuple[str, str], message: tuple[str, str]) -> Rule:
    """A rule produced by loading and the schema rather than by a check (its `check`
    is None). Its message documents the finding's form ("{detail}"); the loader and
    the schema check word the finding themselves."""
    return Rule(code, E, None, None, title[0], title[1], {"": message})


# A document that records an act and the history entry of that act should carry the
# same date; a reviewer looks when they are more than this many days apart (A011, K009).
ACT_DATE_TOLERANCE_DAYS = 30


def far_from_act(
    kind: str, doc_date: dt.date | None, act: dt.date | None, act_key: str
) -> Sequence[Hit]:
    """The finding of a document `kind` dated more than ACT_DATE_TOLERANCE_DAYS from
    its act; its message names the act's date as `{act_key}`."""
    if doc_date is None or act is None:
        return ()
    days = abs((doc_date - act).days)
    if days <= ACT_DATE_TOLERANCE_DAYS:
        return ()
    params = {"date": doc_date, act_key: act, "days": days, "limit": ACT_DATE_TOLERANCE_DAYS}
    return (Hit(("documents", kind, "date"), params),)
