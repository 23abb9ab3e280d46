"""`gtx new ID`: scaffold dossiers/ID/project.yaml at stage draft (docs/cli.md).

The file carries a Chinese comment beside every field (services/scaffolding.py) and
loads without error as written. `--interactive` asks for the fields of the filing
table one by one (services/interview.py, prompts through reporters/new.py); the
folder appears whole or not at all (written aside, then renamed into place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golmud_cli.errors import EXIT_OK
from golmud_cli.pipeline.workspace import open_repo
from golmud_cli.reporters import new as report
from golmud_cli.services import scaffolding as scaffold
from golmud_cli.services.interview import FieldPath, Interview


def run(
    *,
    repo: Path | None,
    project: str,
    name: str | None,
    unit: str | None,
    interactive: bool,
    lang: str,
) -> int:
    scaffold.check_id(project)
    scaffold.check_text("--name", name)
    scaffold.check_text("--unit", unit)
    r = open_repo(repo, no_links=True)
    scaffold.ensure_free(r, project)
    values: dict[FieldPath, Any] = {}
    if name is not None:
        values[("name",)] = name.strip()
    if unit is not None:
        values[("unit",)] = unit.strip()
    if interactive:
        values = Interview(report.RichAsker(), lang, r.settings, values).run()
    scaffold.create_project(r, project, values)
    report.created(
        project=project,
        rel=r.rel(r.project_file(project)),
        folder=r.rel(r.project_dir(project)),
        unit=values.get(("unit",)),
        settings=r.settings,
        lang=lang,
    )
    return EXIT_OK
