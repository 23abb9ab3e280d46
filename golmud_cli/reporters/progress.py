"""The progress bar of a long check (validate, deadlines, status over many dossiers).

The pipeline never prints: it is handed `bar` (a pipeline.batch.ProgressFactory) and
calls it with the number of dossiers to check, then advances what it returns."""

from __future__ import annotations

import os
import sys


class Bar:
    """A progress bar on the terminal (stderr); refreshed by hand, so no thread runs
    while worker processes are forked."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.progress = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        self.task = self.progress.add_task("", total=total)
        self.progress.start()

    def advance(self, n: int) -> None:
        self.progress.update(self.task, advance=n)
        self.progress.refresh()

    def stop(self) -> None:
        self.progress.stop()


def bar(total: int) -> Bar | None:
    """Only on a terminal: never in CI logs (even where CI gives a pseudo-terminal),
    pipes or files (README.md)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    return Bar(total)
