"""`gtx import FILE`: a register (.xlsx or .csv) -> draft dossiers (thin: options ->
services.importing -> reporters.importing -> exit code)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.pipeline.workspace import open_repo

FORMATS = ("text", "json")


def run(
    *,
    repo: Path | None,
    source: Path,
    sheet: str | None,
    mapping: Path | None,
    save_mapping: Path | None,
    dry_run: bool,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
) -> int:
    if fmt not in FORMATS:
        raise UsageError(
            f"--format 只能是 {' / '.join(FORMATS)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(FORMATS)}, not {fmt}.",
        )
    from golmud_cli.edges import xlsx
    from golmud_cli.edges.fs import atomic_write
    from golmud_cli.reporters.importing import report_plan
    from golmud_cli.services import importing

    r = open_repo(repo)
    user = importing.read_mapping(mapping) if mapping is not None else None
    grid = xlsx.read(source, sheet)
    plan = importing.make_plan(grid, r, as_of or dt.date.today(), user)
    plan.source = source.name
    if save_mapping is not None:
        if not save_mapping.parent.is_dir() or save_mapping.is_dir():
            raise UsageError(
                f"无法写入映射文件 {save_mapping}：请给出已有文件夹中的文件名。",
                f"cannot write the mapping {save_mapping}: name a file in an existing folder.",
            )
        atomic_write(save_mapping, importing.mapping_text(plan).encode())
    written: list[str] = []
    if not dry_run and not plan.errors:
        written = importing.write(plan, r)
    report_plan(plan, fmt=fmt, lang=lang, dry_run=dry_run, written=written)
    return EXIT_FINDINGS if plan.errors else EXIT_OK
