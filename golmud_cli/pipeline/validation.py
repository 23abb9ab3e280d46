"""Validating a repository: which dossiers, in what order, with repository-wide
checks. Shared by `validate`, `advance` (the gate) and the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from golmud_cli.core.findings import Finding
from golmud_cli.edges.repo import (
    SETTINGS_FILE,
    Changed,
    Repository,
    read_limited,
    start_changed,
)
from golmud_cli.errors import UsageError
from golmud_cli.pipeline.check import Result
from golmud_cli.pipeline.check import check_project as check_project

if TYPE_CHECKING:
    from golmud_cli.pipeline.batch import ProgressFactory


@dataclass(slots=True)
class Run:
    checked: int
    results: list[Result]
    findings: list[Finding] = field(default_factory=list)  # all, sorted


def select(r: Repository, targets: Iterable[str], changed: Changed | None) -> list[str]:
    """The projects to check: those named, those git says changed, or all."""
    targets = list(targets)
    all_ids = r.project_ids()
    if targets:
        # pre-commit names gtx.yaml among the changed files (.pre-commit-hooks.yaml): the
        # settings bear on every dossier, as with --changed-since.
        if any(_is_settings_file(r, t) for t in targets):
            return all_ids
        return sorted({r.resolve_target(t) for t in targets})
    if changed is not None:
        projects, settings_changed = changed.result(all_ids)
        if settings_changed:
            return all_ids
        present = set(all_ids)
        return sorted(p for p in projects if p in present)
    return all_ids


def _is_settings_file(r: Repository, target: str) -> bool:
    p = Path(target)
    return (
        p.name == SETTINGS_FILE and (Path.cwd() / p).resolve() == (r.root / SETTINGS_FILE).resolve()
    )


def duplicate_ids(r: Repository, results: list[Result]) -> list[Finding]:
    """S005 across the repository: an id that names another project's folder or
    another checked dossier. Folder names are unique by construction, and a
    dossier whose id differs from its folder is already an S005 of its own, so
    comparing against folder names finds every clash without reading every file."""
    by_id: dict[str, list[Result]] = {}
    for res in results:
        if res.dossier_id is not None:  # the id of the dossier that loaded
            by_id.setdefault(res.dossier_id, []).append(res)
    folders = set(r.project_ids())
    if not any(len(g) > 1 or (pid in folders and pid != g[0].project) for pid, g in by_id.items()):
        return []
    from golmud_cli.core.rules import Hit, by_code  # only when there is a clash to report
    from golmud_cli.core.rules.structure import DUPLICATES_LISTED

    rule = by_code()["S005"]
    out = []
    for pid, group in by_id.items():
        if len(group) == 1 and (pid == group[0].project or pid not in folders):
            continue  # the usual id, held by its own folder alone: nothing to say (issue 17)
        # every folder holding the id: its dossiers, and the folder named after it (whatever
        # its own dossier says); each finding names the others, sorted, once per group
        holders = sorted({g.project for g in group} | ({pid} if pid in folders else set()))
        for res in group:
            count = len(holders) - (res.project in holders)
            if not count:
                continue
            shown = []
            for o in holders:
                if o != res.project:
                    shown.append(f"dossiers/{o}")
                    if len(shown) == DUPLICATES_LISTED:
                        break
            params: dict[str, object] = {"id": pid, "others": ", ".join(shown)}
            variant = "duplicate"
            if count > DUPLICATES_LISTED:
                variant = "duplicate_many"
                params.update(count=count, more=count - DUPLICATES_LISTED)
            hit = Hit(("id",), params, variant=variant)
            out.append(rule.finding(hit, res.project, res.file))
    return out


def located_duplicates(r: Repository, results: list[Result]) -> list[Finding]:
    """duplicate_ids with line and column."""
    dups = duplicate_ids(r, results)
    if not dups:
        return []
    from golmud_cli.pipeline.check import locate

    out: list[Finding] = []
    by_file: dict[str, list[Finding]] = {}
    for f in dups:
        by_file.setdefault(f.file or "", []).append(f)
    wanted = {f.project for f in dups}
    own = {res.project: res.findings for res in results if res.project in wanted}
    for file, fs in by_file.items():
        placed = _placed_as(fs, own.get(fs[0].project or "", ()))
        if placed is not None:  # placed by the check, in the text it read: not read again
            out.extend(placed)
            continue
        try:  # the one read path: no link followed, no pipe waited on
            text = read_limited(r.root / file).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        out.extend(locate(fs, text) if text else fs)
    return out


def _placed_as(findings: list[Finding], checked: Iterable[Finding]) -> list[Finding] | None:
    """`findings` placed where the dossier's own S005 (an id that is not its folder's)
    at the same path and anchor already is: the check placed it in the same text
    (edges/loader.py decodes as above), so the file need not be parsed again (half of
    the duplicated ids, issue 17). None when one of them has no such twin."""
    places = {
        (g.path, g.anchor): (g.line, g.column)
        for g in checked
        if g.code == "S005" and g.line is not None
    }
    out = []
    for f in findings:
        if f.line is None:
            got = places.get((f.path, f.anchor))
            if got is None:
                return None
            f = f.at(*got)
        out.append(f)
    return out


def validate_repository(
    r: Repository,
    *,
    today: dt.date,
    targets: Iterable[str] = (),
    changed_since: str | None = None,
    use_cache: bool = True,
    jobs: int = 0,
    progress: ProgressFactory | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Run:
    """Check the selected dossiers and the repository-wide rules.

    use_cache: answer unchanged dossiers from the content-keyed cache (golmud_cli/pipeline/batch.py);
    jobs: worker processes for the dossiers not in the cache (0 = one per core);
    progress: called with the number of dossiers to check, what it returns shown their
    progress (reporters/progress.py: a bar on a terminal only);
    meanwhile: called while worker processes check, if any do (batch.check_projects).
    The findings are the same whatever these are (tests/pipeline/test_cache.py, test_parallel.py).
    """
    from golmud_cli.pipeline.batch import check_projects

    if jobs < 0:
        raise UsageError(
            f"--jobs 须为 0（自动：每个处理器核心一个进程）或正整数，而不是 {jobs}。",
            f"--jobs takes 0 (automatic: one process per core) or a positive number, not {jobs}.",
        )
    changed = None
    if changed_since:
        from golmud_cli.edges.cache import runs

        runs.forbid()  # the answer depends on git's history and refs: not kept
        # git stats the whole working tree in other processes (~0.1 s of both cores at
        # 10,000 dossiers): load what checking the changed dossiers needs meanwhile,
        # in this thread (a second thread would only fight it for the interpreter).
        changed = start_changed(r.root, changed_since)
        _preload(r)
    ids = select(r, targets, changed)
    batch = check_projects(
        r,
        ids,
        today,
        use_cache=use_cache,
        jobs=jobs,
        progress=progress,
        repository_wide=lambda results: located_duplicates(r, results),
        with_models=False,  # the report reads findings and ids (Result.dossier makes one again)
        meanwhile=meanwhile,
    )
    results = batch.results
    from golmud_cli.edges.fs import attribute_findings, link_findings

    # a linked gtx.yaml is already said by its own S001 (pipeline/settings.py)
    linked = [f for f in link_findings(r.root) if f.file != SETTINGS_FILE]
    linked += attribute_findings(r.root, ids, batch.bare)
    findings = [*linked, *batch.settings_findings, *batch.repository_wide]
    for res in results:
        findings.extend(res.findings)
    findings.sort(key=Finding.sort_key)
    return Run(len(ids), results, findings)


def _preload(r: Repository) -> None:
    """check.prepare, while git works (no output, no effect on any result: only what a
    first check would do anyway)."""
    try:
        from golmud_cli.pipeline import check

        check.prepare(r, fast_model=True, reference=False)
    except Exception:  # the real run will meet and report it
        pass


def require_projects(r: Repository) -> None:
    if not r.project_ids():
        raise UsageError(
            "dossiers/ 下没有任何项目：用 gtx new ID 新建一个。",
            "there is no project under dossiers/: create one with gtx new ID.",
        )
