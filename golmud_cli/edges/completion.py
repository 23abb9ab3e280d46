"""Shell completion of project ids (the folders under dossiers/ of the repository
found upward from here, or --repo), stages, and --format values. Light: no model or
YAML is loaded at a tab press."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer


def _root(ctx: typer.Context) -> Path | None:
    given = ctx.params.get("repo")
    start = Path(given) if given else Path.cwd()
    for d in (start, *start.parents):
        if (d / "gtx.yaml").is_file() or (d / "dossiers").is_dir():
            return d
    return None


def projects(ctx: typer.Context, incomplete: str) -> list[str]:
    root = _root(ctx)
    if root is None or not (root / "dossiers").is_dir():
        return []
    return sorted(
        p.name
        for p in (root / "dossiers").iterdir()
        if p.name.startswith(incomplete) and (p / "project.yaml").is_file()
    )


def stages(incomplete: str) -> list[tuple[str, str]]:
    from golmud_cli.core.lifecycle import STAGE_LABELS, Stage
    from golmud_cli.core.stage_words import MOVES

    items = [(s.value, STAGE_LABELS[s][0]) for s in Stage if s is not Stage.draft]
    items += [(m, zh) for m, (zh, _en) in MOVES.items()]
    return [(code, label) for code, label in items if code.startswith(incomplete)]


def choices(*values: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete
