"""Usage errors of the command line, already worded (i18n_click), on stderr."""

from __future__ import annotations

import typer


def show(text: str) -> None:
    typer.echo(text, err=True)
