"""Rules pinned where `make mutate` runs them (docs/testing.md, Mutation testing).

mutmut runs the tests in a copy of the tree that follows symbolic links, so the
committed case F002-symlink-out holds a plain file there and is deselected: the link
out of the project folder is made here, at run time, and validated as a user would.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from golmud_cli.core.findings import Severity
from golmud_cli.pipeline.validation import validate_repository
from golmud_cli.pipeline.workspace import open_repo
from tests.conftest import ROOT

CASE = ROOT / "tests" / "cases" / "invalid" / "F002-symlink-out"


def test_an_attachment_linking_out_of_the_project_folder_is_f002(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CASE, repo, symlinks=True)
    link = repo / "dossiers" / "2024-smart-parking" / "attachments" / "proposal.pdf"
    link.unlink()
    os.symlink("../../../case.yaml", link)  # a real file, outside the project's folder
    run = validate_repository(open_repo(repo), today=dt.date(2026, 11, 2), use_cache=False)
    hits = [f for f in run.findings if f.code == "F002"]
    assert [(f.field, f.severity) for f in hits] == [("documents.proposal.file", Severity.error)]
    assert "is a link pointing outside the folder" in hits[0].message_en
    assert "是指向项目文件夹外的链接" in hits[0].message_zh
    # the same folder with the link pointing inside it is clean of F002
    link.unlink()
    os.symlink("feasibility-study.pdf", link)
    run = validate_repository(open_repo(repo), today=dt.date(2026, 11, 2), use_cache=False)
    assert "F002" not in {f.code for f in run.findings}
