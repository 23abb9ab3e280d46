"""G014: `gtx verify` warns when a later commit changes a document that a signed act
names in its refs (the approval reply the NDRC signed for, say): its entry under
`documents` or the attachment's blob. A warning for the reviewer, not a failure:
verify's invariant (docs/security.md) does not forbid such an edit, and `ok` and the
exit code stay those of G001-G013.

Real repositories and ssh-keygen keys (tests/support/git.py): the draft proposed on
its date (refs: feasibility_study) and approved (refs: approval_reply), each a signed
commit on a branch; then an unsigned commit of the kind under test.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from golmud_cli.cli import app
from tests.services.test_corrections import approved_on_entry_day
from tests.support.git import DOCS, Key, commit, project_dir, project_file

runner = CliRunner()
REPLY = "attachments/approval-reply.pdf"


def verify(repo: Path, lang: str = "en", fmt: str = "text") -> Any:
    return runner.invoke(
        app, ["verify", "main..HEAD", "--repo", str(repo), "--lang", lang, "--format", fmt]
    )


def warnings(repo: Path) -> tuple[bool, list[tuple[str, list[str]]]]:
    res = verify(repo, fmt="json")
    data = json.loads(res.stdout)
    assert res.exit_code == (0 if data["ok"] else 1)
    return data["ok"], [
        (t["commit"], t["warning_codes"]) for t in data["transitions"] if t["warning_codes"]
    ]


def flat(text: str) -> str:
    """verify's text with its 80-column wrapping undone (it breaks at a space)."""
    return " ".join(line.strip() for line in text.splitlines())


def edit(repo: Path, old: str, new: str) -> None:
    path = project_file(repo)
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_unsigned_swap_of_the_signed_approval_reply_is_pointed_out(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    assert warnings(repo) == (True, [])  # the signed acts themselves: nothing to say
    # someone replaces the reply and records the new file's digest, unsigned
    forged = b"%PDF-1.4 another reply\n"
    (project_dir(repo) / REPLY).write_bytes(forged)
    edit(repo, "    number: 格发改〔2023〕52号\n", f"    number: 格发改〔2023〕52号\n    sha256: {hashlib.sha256(forged).hexdigest()}\n")
    swap = commit(repo, "update the approval reply")
    assert warnings(repo) == (True, [(swap, ["G014"])])  # ok stays true, exit 0
    text = flat(verify(repo).output)
    assert "! [G014] documents.approval_reply, which the signed history entry 2 (approved)" in text
    assert f"changed in this commit (the attachment {REPLY})" in text
    assert "1 warning(s) for the reviewer" in text
    zh = flat(verify(repo, lang="zh").output)
    assert "! [G014] documents.approval_reply 是已签署的第 2 项流转（approved）" in zh
    assert "另有 1 个提醒" in zh


def test_the_attachment_alone_or_the_entry_alone(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    # the file only, project.yaml untouched
    (project_dir(repo) / REPLY).write_bytes(b"%PDF-1.4 swapped\n")
    only_file = commit(repo, "swap the reply")
    # the entry only: another number
    edit(repo, "格发改〔2023〕52号", "格发改〔2023〕99号")
    only_entry = commit(repo, "renumber the reply")
    # the entry removed (the attachment stays)
    block = DOCS["approval_reply"].replace("52号", "99号")
    edit(repo, f"  approval_reply:\n{block}", "")
    removed = commit(repo, "drop the reply")
    assert warnings(repo) == (
        True,
        [(only_file, ["G014"]), (only_entry, ["G014"]), (removed, ["G014"])],
    )
    res = verify(repo, fmt="json")
    said = [w for t in json.loads(res.stdout)["transitions"] for w in t["warnings"]]
    assert f"(the attachment {REPLY})" in said[0]
    assert "(its entry under documents)" in said[1]
    assert "(its entry removed)" in said[2]


def test_what_no_signed_act_rests_on_or_a_digest_recorded_later_is_no_change(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    # gtx attach records the SHA-256 of the reply as it was signed: the same document
    same = (project_dir(repo) / REPLY).read_bytes()
    edit(repo, "    number: 格发改〔2023〕52号\n", f"    number: 格发改〔2023〕52号\n    sha256: {hashlib.sha256(same).hexdigest()}\n")
    commit(repo, "record the reply's digest")
    # a document no act names yet (the filing form, before filing), and a new file
    folder = project_dir(repo)
    (folder / "attachments" / "notes.pdf").write_bytes(b"%PDF-1.4 notes\n")
    commit(repo, "a clerk's notes")
    assert warnings(repo) == (True, [])
    # a commit that fails verify for its own reasons keeps its failure (G011) and warns too
    edit(repo, "格发改〔2023〕52号", "格发改〔2023〕53号")
    edit(repo, "\nstage: approved", "\nstage: filed")
    bad = commit(repo, "file it by hand")
    ok, warned = warnings(repo)
    assert not ok and warned == [(bad, ["G014"])]
    res = verify(repo)
    assert res.exit_code == 1 and "- [G011]" in res.output and "! [G014]" in res.output
