"""`gtx validate`: every dossier, or those named or changed, against every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.edges import repo as repo_mod
from golmud_cli.edges.cache import runs
from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import Run, validate_repository
from golmud_cli.reporters import FORMATS_VALIDATE, prepare_validation, report_validation
from golmud_cli.reporters.progress import bar


def run(
    *,
    repo: Path | None,
    targets: list[str],
    changed_since: str | None,
    strict: bool,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    use_cache: bool = True,
    jobs: int = 0,
    output: Path | None = None,
) -> int:
    formats = (*FORMATS_VALIDATE, "xlsx")
    if fmt not in formats:
        raise UsageError(
            f"--format 只能是 {' / '.join(formats)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(formats)}, not {fmt}.",
        )
    if targets and changed_since:
        raise UsageError(
            "不能同时指定项目和 --changed-since。",
            "name projects or use --changed-since, not both.",
        )
    r = workspace.open_repo(repo)
    _interrupted_advance(r.root, lang)
    today = as_of or dt.date.today()
    result: Run = validate_repository(
        r,
        today=today,
        targets=targets,
        changed_since=changed_since,
        use_cache=use_cache,
        jobs=jobs,
        progress=bar if fmt == "text" else None,
        meanwhile=prepare_validation(fmt),
    )
    if fmt == "xlsx":
        from golmud_cli.edges.xlsx import emit
        from golmud_cli.reporters.xlsx import findings_workbook

        emit(findings_workbook(result, lang), output, lang)
    else:
        report_validation(result, fmt=fmt, lang=lang, strict=strict)
        if fmt in ("text", "json"):
            runs.ready(today, daily=False)  # the report is the whole output: replayable
    return exit_code(result.findings, strict)


def _interrupted_advance(root: Path, lang: str) -> None:
    """A `gtx advance` stopped half way left its journal: say what happened and how to
    recover (golmud_cli/edges/journal.py). validate changes nothing; advance recovers."""
    from golmud_cli.edges.gitdir import git_dir

    g = git_dir(root.resolve())
    if g is not None:
        runs.depend((str(g / repo_mod.ADVANCE_JOURNAL),))  # its note is part of the output
    if g is None or not (g / repo_mod.ADVANCE_JOURNAL).exists():
        return  # the usual case, found without importing advance's machinery
    from golmud_cli.edges import journal

    left = journal.pending(root)
    if left is not None:
        from golmud_cli.reporters.notes import note

        note(journal.note(*left).message(lang))


def exit_code(findings: list[Finding], strict: bool) -> int:
    bad = {Severity.error} | ({Severity.warning} if strict else set())
    return EXIT_FINDINGS if any(f.severity in bad for f in findings) else EXIT_OK
