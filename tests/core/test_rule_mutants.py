"""Rules pinned where `make mutate` runs them (docs/testing.md, Mutation testing).

mutmut runs the tests in a copy of the tree that follows symbolic links, so the
committed cases F002-symlink-out and F003-recorded-attachment-became-a-link hold plain
files there and are deselected: their links are made here, at run time, and validated
as a user would.
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
BECAME_A_LINK = ROOT / "tests" / "cases" / "invalid" / "F003-recorded-attachment-became-a-link"


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


def test_a_signed_attachment_that_became_a_link_is_f003(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(BECAME_A_LINK, repo, symlinks=True)
    link = repo / "dossiers" / "2024-smart-parking" / "attachments" / "approval-reply.pdf"
    link.unlink(missing_ok=True)
    os.symlink("proposal.pdf", link)  # the same bytes, through a link
    run = validate_repository(open_repo(repo), today=dt.date(2026, 11, 2), use_cache=False)
    hits = [f for f in run.findings if f.code == "F003"]
    assert [(f.field, f.severity) for f in hits] == [
        ("documents.approval_reply.sha256", Severity.error)
    ]
    assert "is or passes through a symbolic link" in hits[0].message_en
    assert "是符号链接或经过链接" in hits[0].message_zh
