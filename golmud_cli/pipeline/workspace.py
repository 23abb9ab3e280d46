"""Opening the dossier repository a command works on: the composition of the edges
(discovery in edges/repo.py, the calendar copy of edges/calendar.py) with the
pipeline's reading of gtx.yaml (pipeline/settings.py)."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.edges.repo import Repository, find_root
from golmud_cli.errors import UsageError
from golmud_cli.pipeline.settings import load_settings


def open_repo(repo: Path | None, *, no_links: bool = False) -> Repository:
    """The repository at --repo or around the current folder. With `no_links`, a
    gtx.yaml or dossiers/ that is a symbolic link is refused (exit 2): the commands
    that read the working tree ask for it; validate reports a link as a finding
    instead, verify reads git's objects (golmud_cli/edges/fs.py)."""
    if repo is not None:
        if not repo.is_dir():
            raise UsageError(f"--repo {repo} 不是文件夹。", f"--repo {repo} is not a folder.")
        root = find_root(repo)
    else:
        root = find_root()
    if no_links:
        from golmud_cli.edges.fs import refuse_links

        refuse_links(root)
    from golmud_cli.edges.calendar import calendar_for

    # gtx.yaml is read when first needed; the calendar when a due date is first shifted
    return Repository(root, load_settings=load_settings, calendar=calendar_for(root))
