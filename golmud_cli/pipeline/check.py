"""One dossier from bytes to findings: load, schema, rules, positions (pure but for
the injected `stat`, which answers where each referenced file stands, and `digest`,
which hashes the files whose SHA-256 the dossier records)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

# the values as plain text (run_rules): a StrEnum member is found in a set of its
# values, and reading FundingSource.central off its class is a slow enum read
# (core/deadlines.py). A module without the model, loaded with batch.py anyway.
from golmud_cli.core.deadline_types import PROVINCIAL_FUNDING
from golmud_cli.core.findings import Finding, Severity
from golmud_cli.edges import loader
from golmud_cli.edges.repo import PROJECT_FILE, Repository, digest_in, read_limited, stat_in

if TYPE_CHECKING:
    from golmud_cli.core.lifecycle import Stage
    from golmud_cli.core.model import Dossier, Settings
    from golmud_cli.core.periods import Calendar
    from golmud_cli.core.rules import Check, Context, Digest, FileStatus, Rule

# The model, the schema check and the rules (pydantic, holidays) are imported when a
# dossier is first checked, not with this module: a run answered wholly from the
# cache never loads them (docs/benchmarks.md, warm run <= 0.5 s).

# 一: for central or provincial money the provincial measures govern; gtx checks only
# the file, its attachments and its history (docs/lifecycle.md, C001), and C001 says so.
# C002 rests on the city's own 二（三） and so does not apply either.
PROVINCIAL_SCOPE = ("S", "F", "H", "C001")


class Result:
    """One dossier's verdict. `dossier` is the model instance, or None when the file
    did not load; a result answered from the cache or by a worker process loads it
    again only when asked (`load`), as most callers need only the findings."""

    __slots__ = ("_dossier", "_load", "dossier_id", "file", "findings", "project", "recorded")

    def __init__(
        self,
        project: str,
        file: str,
        dossier: Dossier | None,
        findings: list[Finding],
        *,
        dossier_id: str | None = None,
        load: Callable[[], Dossier | None] | None = None,
        recorded: Dossier | None = None,
    ) -> None:
        self.project = project
        self.file = file
        self._dossier = dossier
        self._load = load if dossier is None else None
        self.findings = findings
        self.dossier_id = dossier.id if dossier is not None else dossier_id
        # `dossier` carries the effective history (core/corrections.py); this is the
        # dossier as written, when corrections changed it (gtx show marks them)
        self.recorded = recorded

    @property
    def dossier(self) -> Dossier | None:
        if self._load is not None:
            load, self._load = self._load, None
            self._dossier = load()
        return self._dossier

    @dossier.setter
    def dossier(self, value: Dossier | None) -> None:
        self._dossier, self._load = value, None

    def __repr__(self) -> str:
        return f"Result({self.project!r}, {self.file!r}, findings={len(self.findings)})"


_CATALOG: list[Rule] | None = None


def rules() -> list[Rule]:
    global _CATALOG
    if _CATALOG is None:
        from golmud_cli.core.rules import catalog

        _CATALOG = [r for r in catalog() if r.check is not None]
    return _CATALOG


def prepare(r: Repository, *, fast_model: bool = False, reference: bool = True) -> None:
    """Load what checking any dossier of `r` needs: gtx.yaml, the rule catalog and the
    repository's calendar; with `reference` pydantic and Dossier's validator, with
    `fast_model` core/fastmodel.py's classes. Done anyway at the first dossier; done
    sooner where something else runs meanwhile (git, for --changed-since) or before
    the workers fork, so that each inherits it (a cold run, pipeline/batch.py;
    docs/benchmarks.md). A run of a few dossiers that are valid needs no pydantic at
    all (`reference` False: it is imported at the first dossier that neither the fast
    model nor schema_check.validate_fast is sure of)."""
    r.settings  # noqa: B018 (loaded and kept by the repository)
    if reference:
        from golmud_cli.core.model import Dossier

        Dossier.model_rebuild(force=True)  # defer_build: made now, not at the first dossier
    if fast_model:
        import golmud_cli.core.fastmodel  # noqa: F401 (its classes, generated ahead: no pydantic)
    rules()
    r.calendar.table()


def run_rules(ctx: Context, *, file: str, only: Iterable[str] | None = None) -> list[Finding]:
    d = ctx.dossier
    provincial = d.funding_source in PROVINCIAL_FUNDING
    wanted = frozenset(only) if only is not None else None
    # base.NEEDS in order: whether the context has any of each
    key = (
        provincial,
        wanted,
        bool(d.rectifications),
        bool(d.extensions),
        bool((ctx.recorded or d).corrections),
        bool(ctx.digests),
        # a comprehension, not map(attrgetter): LOAD_ATTR specialized on the entry's slot
        # is cheaper than a getattr from C (~1,000 instructions a dossier, callgrind)
        *[h.stage for h in d.history],
    )
    table = _APPLICABLE.get(key)
    if table is None:
        table = _applicable(key)
    folder = ctx.folder
    out: list[Finding] = []
    for r, check in table:
        hits = check(ctx)  # a list or a tuple, most often empty (base.Check)
        if hits:
            # the project is its folder (a wrong id is itself S005)
            for hit in hits:
                out.append(r.finding(hit, folder, file))
    return out


# The rules that apply, with their checks, by what decides it: the scope (provincial
# funding), the codes asked for, which of base.NEEDS the context has, and the history's
# stages (a repository's dossiers share a few histories' worth of them). Computed once
# each, in catalog order; a rule that yields nothing without what it needs is left out.
_APPLICABLE: dict[tuple[object, ...], list[tuple[Rule, Check]]] = {}
_APPLICABLE_MAX = 1024


def _applicable(key: tuple[object, ...]) -> list[tuple[Rule, Check]]:
    from golmud_cli.core.rules.base import NEEDS

    provincial, wanted = key[0], key[1]
    present = dict(zip(NEEDS, key[2 : 2 + len(NEEDS)], strict=True))
    stages = cast("list[Stage]", list(key[2 + len(NEEDS) :]))
    got: list[tuple[Rule, Check]] = []
    applies: dict[object, bool] = {}  # by from_stage: most rules share a few
    for r in rules():
        if wanted is not None and r.code not in cast("frozenset[str]", wanted):
            continue
        if provincial and not r.code.startswith(PROVINCIAL_SCOPE):
            continue
        if r.needs and not present[r.needs]:
            continue
        ok = applies.get(r.from_stage)
        if ok is None:
            ok = applies[r.from_stage] = r.applies(stages)
        if ok:
            assert r.check is not None
            got.append((r, r.check))
    if len(_APPLICABLE) < _APPLICABLE_MAX:
        _APPLICABLE[key] = got
    return got


# What check_bytes and hashed call a dossier, imported at the first one (the model's
# modules are not loaded with this module, see above) and then read as one global: a
# `from` import in a function costs 5,000-9,000 instructions a call on Python 3.11
# (edges/repo.py, _statuses), and check_bytes made four (issue 17).
_CHECKING: tuple[Any, ...] | None = None


def _checking() -> tuple[Any, ...]:
    global _CHECKING
    from golmud_cli.core.corrections import effective
    from golmud_cli.core.periods import PACKAGE_CALENDAR
    from golmud_cli.core.rules.base import Context
    from golmud_cli.core.rules.structure import recorded_digests, referenced_files

    _CHECKING = (effective, PACKAGE_CALENDAR, Context, referenced_files, recorded_digests)
    return _CHECKING


# core/fastmodel.py's convert, imported at the first dossier that asks for it (a
# global for the same reason)
_FAST: Callable[[Any], Any] | None = None


def _fast() -> Callable[[Any], Any]:
    global _FAST
    from golmud_cli.core.fastmodel import convert

    _FAST = convert
    return convert


def check_bytes(
    raw: bytes,
    *,
    file: str,
    folder: str,
    settings: Settings,
    today: dt.date,
    stat: Callable[[str], FileStatus],
    digest: Callable[[str], Digest] | None = None,
    with_positions: bool = True,
    calendar: Calendar | None = None,
    fast_model: bool = False,
) -> Result:
    """One dossier's bytes to findings; due dates shifted in `calendar` (the
    repository's, edges/calendar.py; the package's when none is given). `digest` None:
    no file is hashed and F003 has nothing to judge (a commit's tree in verify, the
    scaffold's self-check). `fast_model`: the model is made by core/fastmodel.py where
    it can be (the same values, not a pydantic object: for callers that keep only the
    findings and the deadline data), else by pydantic."""
    effective, PACKAGE_CALENDAR, Context, referenced_files, _ = _CHECKING or _checking()
    loaded = loader.load(raw, file, folder)
    findings = list(loaded.findings)
    if findings and loaded.text is not None:
        findings = editor_positions(findings, loaded.text)
    dossier: Dossier | None = None
    recorded: Dossier | None = None
    dropped: list[tuple[str | int, ...]] = []
    judged = False  # whether the schema has had its say
    if fast_model and not findings:
        dossier = (_FAST or _fast())(loaded.data)
        judged = dossier is not None
        if not judged:
            # the usual failures (a value outside its list, an unquoted number, a
            # misspelt key, ...) worded without pydantic, as it words them (issue 17)
            from golmud_cli.pipeline import schema_check

            fast = schema_check.validate_fast(
                loaded.data, file=file, project=folder, dropped=dropped
            )
            if fast is not None:
                dossier, schema_findings = fast
                findings.extend(schema_findings)
                judged = True
    if not judged and (loaded.data is not None or not findings):
        # pydantic, the reference, only here: where the fast model was not asked or
        # was not sure (a run of valid dossiers never imports it, issue 17)
        from golmud_cli.core.model import Dossier
        from golmud_cli.pipeline import schema_check

        dossier, schema_findings = schema_check.validate(
            Dossier, loaded.data, file=file, project=folder, dropped=dropped
        )
        findings.extend(schema_findings)
    if dossier is not None:
        files = {f: stat(f) for _, f, _ in referenced_files(dossier)}
        digests = hashed(dossier, files, digest) if digest is not None else {}
        # every rule, deadline and listing reads the history with its corrections
        written, dossier = dossier, effective(dossier, today)
        recorded = written if dossier is not written else None
        ctx = Context(
            dossier,
            settings,
            today,
            folder,
            files,
            digests,
            calendar or PACKAGE_CALENDAR,
            recorded,
        )
        findings.extend(discount(run_rules(ctx, file=file), dropped))
    if with_positions and loaded.text is not None:
        findings = locate(findings, loaded.text)
    findings.sort(key=Finding.sort_key)
    return Result(folder, file, dossier, findings, recorded=recorded)


def hashed(
    dossier: Dossier, files: Mapping[str, FileStatus], digest: Callable[[str], Digest]
) -> dict[str, Digest]:
    """The digest of each file whose SHA-256 the dossier records (F003), taken once a
    file and only for one that stands: a missing, misplaced or odd one is F001's or
    F002's, and is never opened."""
    recorded_digests = (_CHECKING or _checking())[4]
    recorded = recorded_digests(dossier)
    if not recorded:
        return {}  # most dossiers record no SHA-256
    from golmud_cli.core.rules.base import FileStatus

    out: dict[str, Digest] = {}
    for _, f, _ in recorded:
        if f not in out and files.get(f) is FileStatus.ok:
            out[f] = digest(f)
    return out


# Rules that read no history: still sound when a history entry had to be dropped.
_HISTORY_FREE = frozenset({"S002", "S005", "F001", "F002", "C001", "C002"})
# Rules that read the extensions (三（六）: an extension moves the deadline).
_EXTENSION_RULES = frozenset({"K001", "K002", "K005"})


def discount(findings: list[Finding], dropped: list[tuple[str | int, ...]]) -> list[Finding]:
    """Rule findings that do not rest on what the schema check had to drop.

    A field that failed the schema is reported once (S002/S004) and left out of the
    partial model; the rules would otherwise report it again as missing, or, when
    a history entry is gone, report a stage mismatch that is not in the file.
    """
    if not dropped:
        return findings
    # a dropped list item shifts the indices after it: the whole list is unsure
    tainted = [
        p[: next((i for i, x in enumerate(p) if isinstance(x, int)), len(p))] for p in dropped
    ]
    heads = {p[0] for p in tainted if p}

    def sound(f: Finding) -> bool:
        # corrections change the history's dates: a dropped one taints the history too
        if heads & {"history", "corrections"} and f.code not in _HISTORY_FREE:
            return False
        if "extensions" in heads and f.code in _EXTENSION_RULES:
            return False
        return not any(
            t and f.path and (f.path[: len(t)] == t or t[: len(f.path)] == f.path) for t in tainted
        )

    return [f for f in findings if sound(f)]


def locate(findings: list[Finding], text: str) -> list[Finding]:
    """Fill in line and column from a second parse of the file."""
    todo = [f for f in findings if f.line is None]
    if not todo:
        return findings
    pos = loader.positions(text, ((f.path, f.anchor) for f in todo))
    to_editor = _editor_mapping(text)
    out = []
    for f in findings:
        if f.line is None:
            line, col = pos.get((f.path, f.anchor), (None, None))
            if to_editor is not None and line is not None and col is not None:
                line, col = to_editor(line, col)
            f = f.at(line, col)
        out.append(f)
    return out


# YAML (and libyaml) also break lines at NEL, LS, PS and a lone CR; an editor, a
# terminal and GitHub's annotations count "\n" only. Positions are given as they do.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
_ODD_CHARS = ("\r", "\x85", "\u2028", "\u2029")
_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _editor_mapping(text: str) -> Callable[[int, int], tuple[int, int]] | None:
    # `in` first: a regex search over CJK text costs ~25 µs, and most files have findings
    if not any(c in text for c in _ODD_CHARS) or not _ODD_BREAKS.search(text):
        return None  # the usual file: YAML's lines are the editor's
    starts = [0, *(m.end() for m in _YAML_BREAKS.finditer(text))]

    def to_editor(line: int, column: int) -> tuple[int, int]:
        if line < 1:
            return line, column
        # past the last break (the parser's end of stream): the end of the text
        index = min(starts[line - 1] + column - 1, len(text)) if line <= len(starts) else len(text)
        return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1

    return to_editor


def editor_positions(findings: list[Finding], text: str) -> list[Finding]:
    """Findings positioned by the YAML parser, in the editor's lines and columns."""
    to_editor = _editor_mapping(text)
    if to_editor is None:
        return findings
    return [
        f.at(*to_editor(f.line, f.column)) if f.line is not None and f.column is not None else f
        for f in findings
    ]


def worst(findings: Iterable[Finding]) -> Severity | None:
    ranks = [f.severity for f in findings]
    return min(ranks, key=lambda s: s.rank) if ranks else None


# --- the one read path of a dossier on disk ------------------------------------------------


def check_project(
    r: Repository, project: str, today: dt.date, *, with_positions: bool = True
) -> Result:
    path = r.project_file(project)
    rel = r.rel(path)
    if r.project_dir(project).is_symlink():
        return Result(project, rel, None, [_linked_folder(r, project)])
    try:
        raw = read_limited(path)  # no hang on a pipe, no 2 GB read
    except FileNotFoundError:
        return Result(project, rel, None, [_missing_file(project, rel)])
    except (IsADirectoryError, PermissionError, OSError) as e:
        return Result(project, rel, None, [_unreadable(project, rel, e)])
    return check_bytes(
        raw,
        file=rel,
        folder=project,
        settings=r.settings,
        today=today,
        stat=stat_in(r.project_dir(project)),
        digest=digest_in(r.project_dir(project)),
        with_positions=with_positions,
        calendar=r.calendar,
    )


def _missing_file(project: str, rel: str) -> Finding:
    return Finding(
        "S002",
        Severity.error,
        project,
        rel,
        (),
        "",
        f"文件夹 dossiers/{project}/ 中没有 {PROJECT_FILE}：请用 gtx new {project} 生成，或删除这个文件夹。",
        f"dossiers/{project}/ has no {PROJECT_FILE}: create it with gtx new {project}, or remove the folder.",
        None,
    )


def _linked_folder(r: Repository, project: str) -> Finding:
    # docs/dossier.md: a dossier is a folder of the repository. Git stores a link, not what it
    # points to, so the files read here would be nowhere in the record (F002's concern).
    target = os.readlink(r.project_dir(project))
    return Finding(
        "F002",
        Severity.error,
        project,
        f"dossiers/{project}",
        (),
        "",
        f"项目文件夹 dossiers/{project} 是指向 {target} 的链接：git 只保存链接本身，不保存其中的文件。"
        "请把文件夹本身放进档案仓库。",
        f"the project folder dossiers/{project} is a link to {target}: git keeps the link, not "
        "the files behind it. Put the folder itself in the dossier repository.",
        None,
    )


def _unreadable(project: str, rel: str, e: OSError) -> Finding:
    return Finding(
        "S001",
        Severity.error,
        project,
        rel,
        (),
        "",
        f"无法读取 {rel}：{getattr(e, 'zh', None) or e.strerror or type(e).__name__}。",
        f"cannot read {rel}: {getattr(e, 'en', None) or e.strerror or type(e).__name__}.",
        None,
    )
