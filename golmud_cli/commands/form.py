"""`gtx form ID [-o PATH] [--pdf] [--draft]`: fill the filing table (附件, 三（三）).

`run` returns the exit code of docs/cli.md: 0 written; 1 the dossier cannot be filled (its
filing fields are incomplete, listed as B001 findings with positions, or it does not
load); 3 the template is broken or LibreOffice failed. Usage errors (not a dossier
repository, unknown project, --pdf without LibreOffice: exit 2) are raised as
UsageError for run_guarded, like every other command. The work is services/filing.py's,
the output reporters/form.py's.
"""

from __future__ import annotations

from pathlib import Path

from golmud_cli.reporters.form import FormNotes
from golmud_cli.services.filing import fill_form


def run(
    project: str,
    *,
    output: Path | None = None,
    pdf: bool = False,
    draft: bool = False,
    repo: Path | None = None,
    lang: str = "zh",
) -> int:
    """Fill templates/filing-form.docx for one project; returns the exit code."""
    return fill_form(project, FormNotes(lang), output=output, pdf=pdf, draft=draft, repo=repo)
