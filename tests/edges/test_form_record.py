"""`gtx form` records the form it makes (documents.filing_form: file, date) by a
comment-preserving edit, and never overwrites a form a signed transition rests on
(issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from golmud_cli.edges import loader
from tests.support.forms import FULL_YAML, make_repo

PID = "2024-smart-parking"
FOLDER = Path("dossiers") / PID
ATTACH = FOLDER / "attachments"

COMMENTED = FULL_YAML.replace(
    "network: internet\n", "network: internet   # 互联网（备案表第 9 行）\n"
)

FILED = COMMENTED.replace(
    "stage: approved\nhistory: []\n",
    "documents:\n"
    "  filing_form:\n"
    "    file: attachments/filing-form.docx\n"
    "    date: 2024-04-18\n"
    "stage: filed\n"
    "history:\n"
    "  - stage: filed\n"
    "    date: 2024-04-20\n"
    "    role: gov_office\n"
    "    refs: [filing_form]\n",
)


def data(repo: Path) -> Any:
    return loader.load((repo / FOLDER / "project.yaml").read_bytes(), "-", PID).data


def test_the_form_is_recorded_once_with_its_comments_kept(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, COMMENTED)
    res = gtx_form(repo)
    assert res.code == 0, res.err
    assert (repo / ATTACH / "filing-form.docx").is_file()
    record = data(repo)["documents"]["filing_form"]
    assert record == {"file": "attachments/filing-form.docx", "date": dt.date.today().isoformat()}
    text = (repo / FOLDER / "project.yaml").read_text("utf-8")
    assert "network: internet   # 互联网（备案表第 9 行）" in text  # the edit keeps comments
    assert "已在" in res.out and "documents.filing_form" in res.out
    # a second run (before filing) fills the form again and leaves the record alone
    again = gtx_form(repo, lang="en")
    assert again.code == 0, again.err
    assert (repo / FOLDER / "project.yaml").read_text("utf-8") == text
    assert "recorded in" not in again.out


def test_a_draft_or_a_form_outside_the_folder_is_not_recorded(
    tmp_path: Path, gtx_form: Any
) -> None:
    repo = make_repo(tmp_path, COMMENTED)
    before = (repo / FOLDER / "project.yaml").read_bytes()
    assert gtx_form(repo, output=tmp_path / "elsewhere.docx").code == 0
    assert gtx_form(repo, draft=True).code == 0
    assert (repo / FOLDER / "project.yaml").read_bytes() == before


def test_the_signed_form_is_never_overwritten(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, FILED)
    signed = repo / ATTACH / "filing-form.docx"
    signed.parent.mkdir(parents=True)
    signed.write_bytes(b"the signed form")
    before = (repo / FOLDER / "project.yaml").read_bytes()
    for lang, words in (("zh", "不会覆盖"), ("en", "never overwrites")):
        res = gtx_form(repo, lang=lang)
        assert res.code == 1, res.err
        assert words in res.err and "-o" in res.err
        # the same file by another name is the same file
        res = gtx_form(repo, lang=lang, output=repo / FOLDER / "." / "attachments" / signed.name)
        assert res.code == 1 and words in res.err
    assert signed.read_bytes() == b"the signed form"
    # -o elsewhere makes a copy, and the record still names the signed one
    copy = tmp_path / "copy.docx"
    res = gtx_form(repo, output=copy)
    assert res.code == 0, res.err
    assert copy.stat().st_size > 0
    assert (repo / FOLDER / "project.yaml").read_bytes() == before


def test_a_transition_that_refers_to_the_form_protects_it_before_filed(
    tmp_path: Path, gtx_form: Any
) -> None:
    text = FILED.replace("stage: filed\n", "stage: approved\n", 1).replace(
        "  - stage: filed\n", "  - stage: approved\n"
    )
    repo = make_repo(tmp_path, text)
    signed = repo / ATTACH / "filing-form.docx"
    signed.parent.mkdir(parents=True)
    signed.write_bytes(b"signed")
    assert gtx_form(repo).code == 1
    assert signed.read_bytes() == b"signed"
