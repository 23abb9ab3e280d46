"""`gtx report -o DIR`: the static HTML report for leaders (thin: options ->
services.reporting -> reporters.html_report -> files)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from golmud_cli.errors import EXIT_OK, UsageError
from golmud_cli.pipeline.workspace import open_repo

# Written into every report folder: gtx replaces only a folder that holds it.
MARKER = ".gtx-report"


def run(*, repo: Path | None, output: Path, as_of: dt.date | None, lang: str) -> int:
    if output.exists() and not (output / MARKER).is_file():
        if not output.is_dir() or any(output.iterdir()):
            raise UsageError(
                f"{output} 已存在且不是 gtx 生成的报告文件夹：请给一个新的或空的文件夹。",
                f"{output} exists and is not a report gtx made: name a new or empty folder.",
            )
    if output.is_symlink():
        raise UsageError(f"{output} 是一个链接。", f"{output} is a link.")
    from golmud_cli.reporters.html_report import render, report_written
    from golmud_cli.services.reporting import gather

    # a new repository (gtx init's daily job) gets a report of no projects, not an error
    r = open_repo(repo)
    pages = render(gather(r, as_of or dt.date.today(), lang), lang)
    parent = output.resolve().parent
    if not parent.is_dir():
        raise UsageError(f"文件夹 {parent} 不存在。", f"the folder {parent} does not exist.")
    # Built aside and swapped in: a reader never sees half a report.
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=parent))
    try:
        (tmp / "projects").mkdir()
        for rel, html in pages.items():
            (tmp / rel).write_text(html, "utf-8")
        (tmp / MARKER).write_text("gtx report\n", "utf-8")
        os.chmod(tmp, 0o755)
        old = None
        if output.exists():
            old = parent / f".{output.name}.old-{os.getpid()}"
            os.rename(output, old)
        os.rename(tmp, output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report_written(output, len(pages), lang)
    return EXIT_OK
