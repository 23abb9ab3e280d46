"""F003 (issue 16): an attachment recorded with its SHA-256 by `gtx attach` and later
swapped is a finding: an error once a signed transition's refs name it (validate fails,
advance refuses), a warning before. The cache never hides a swap, even one made in
place that keeps the size and the modification time (only the ctime tells), and the
answer is the same with and without the cache. A recorded attachment replaced by a
link, a folder or a pipe gives a clear finding, never a hang or a traceback.

Real git, real ssh-keygen keys (tests/support/git.py), gtx run in-process so that the
cache's racy window can be closed (RACY_NS = 0) and its hits counted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges import repo as repo_mod
from golmud_cli.pipeline import batch as cache
from golmud_cli.pipeline import check
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    add_documents,
    git,
    head,
    make_repo,
    project_dir,
    project_file,
    use_key,
)

SCAN = b"%PDF-1.4 expert review as it was signed\n"
SWAP = b"%PDF-1.4 expert review, rewritten by XY\n"  # the same length: only the bytes differ
assert len(SCAN) == len(SWAP)


def gtx(repo: Path, *args: str, lang: str = "en") -> Any:
    """gtx in-process; GTX_DEBUG=1 turns an internal fault into a raised exception, so
    an exit here is always a deliberate 0, 1 or 2."""
    res = CliRunner().invoke(
        app,
        [*args, "--repo", str(repo), "--lang", lang],
        env={"GTX_DEBUG": "1", "GTX_LANG": None},
    )
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exc_info
    assert res.exit_code in (0, 1, 2), (res.exit_code, res.stdout, res.stderr)
    return res


def validate(repo: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    r = gtx(repo, "validate", PROJECT, "--as-of", AS_OF, "--format", "json", *args)
    return r.exit_code, json.loads(r.stdout)["findings"]


def same_with_and_without_cache(repo: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    cached = validate(repo, *args)
    assert validate(repo, "--no-cache", *args) == cached
    return cached


def f003(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["code"] == "F003"]


def overwrite_in_place(path: Path, data: bytes) -> None:
    """New bytes in the same inode, with the size and the modification time it had:
    only the ctime (which no program can set back) moves."""
    before = path.stat()
    assert len(data) == before.st_size
    with path.open("r+b") as fh:
        fh.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The dossiers really checked (not answered by the cache); stamps trusted at once
    (RACY_NS = 0), so that a warm run is answered from the cache and not only because
    the files changed a moment ago."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    seen: list[str] = []
    real = check.check_bytes

    def spy(raw: bytes, **kw: Any) -> Any:
        seen.append(kw["folder"])
        return real(raw, **kw)

    monkeypatch.setattr(check, "check_bytes", spy)
    yield seen


@pytest.fixture
def repo(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> Path:
    """The draft dossier of tests/support/git.py with a scan of its expert review attached by
    `gtx attach` (not committed yet: the clerk's change)."""
    r = make_repo(tmp_path / "r", keys)
    scan = tmp_path / "专家评审意见 扫描件.pdf"
    scan.write_bytes(SCAN)
    res = gtx(r, "attach", PROJECT, str(scan), "--kind", "expert_review", "--date", "2023-07-20")
    assert res.exit_code == 0, res.output
    return r


def attachment(repo: Path) -> Path:
    text = project_file(repo).read_text("utf-8")
    rel = text.split("  expert_review:", 1)[1].split("file: ", 1)[1].split("\n", 1)[0].strip("\"'")
    return project_dir(repo) / rel


def test_attach_records_the_scan_as_it_is(repo: Path) -> None:
    text = project_file(repo).read_text("utf-8")
    assert f"sha256: {hashlib.sha256(SCAN).hexdigest()}" in text
    assert attachment(repo).read_bytes() == SCAN
    assert same_with_and_without_cache(repo) == (0, [])


def test_a_swap_before_any_act_is_a_warning_and_goes_when_restored(
    repo: Path, checked: list[str]
) -> None:
    att = attachment(repo)
    assert validate(repo) == (0, [])
    checked.clear()
    assert validate(repo) == (0, []) and checked == []  # warm: answered from the cache
    overwrite_in_place(att, SWAP)
    code, fs = same_with_and_without_cache(repo)
    assert code == 0 and [f["severity"] for f in f003(fs)] == ["warning"]
    (hit,) = f003(fs)
    assert hit["field"] == "documents.expert_review.sha256" and hit["line"] is not None
    assert hashlib.sha256(SCAN).hexdigest()[:12] in hit["message"]
    assert hashlib.sha256(SWAP).hexdigest()[:12] in hit["message"]
    assert "gtx attach" in hit["message"]
    assert validate(repo, "--strict")[0] == 1
    checked.clear()
    assert f003(validate(repo)[1]) and checked == []  # the finding itself is cached
    overwrite_in_place(att, SCAN)
    assert same_with_and_without_cache(repo) == (0, [])
    zh = gtx(repo, "validate", PROJECT, "--as-of", AS_OF, lang="zh")
    assert zh.exit_code == 0 and "F003" not in zh.stdout


def test_a_swapped_signed_attachment_fails_validate_and_blocks_advance(
    repo: Path, keys: dict[str, Key], checked: list[str]
) -> None:
    use_key(repo, keys["unit"])
    r = gtx(
        repo,
        "advance",
        PROJECT,
        "proposed",
        "--date",
        "2023-07-25",
        "--ref",
        "expert_review",
        "--include-changes",
        "--as-of",
        AS_OF,
    )
    assert r.exit_code == 0, r.output
    assert "-----BEGIN SSH SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")
    att = attachment(repo)
    assert validate(repo) == (0, [])
    checked.clear()
    assert validate(repo) == (0, []) and checked == []  # warm
    overwrite_in_place(att, SWAP)
    code, fs = same_with_and_without_cache(repo)
    assert code == 1 and [f["severity"] for f in f003(fs)] == ["error"]
    assert "History entry 1 (proposed) rests on it" in f003(fs)[0]["message"]
    assert "gtx advance --ref expert_review" in f003(fs)[0]["message"]
    zh = gtx(repo, "validate", PROJECT, "--as-of", AS_OF, lang="zh")
    assert zh.exit_code == 1 and "F003" in zh.stdout and "已签署" in zh.stdout
    # the gate of the next act sees it too: refused, nothing written or committed
    add_documents(repo, ["approval_reply"])
    use_key(repo, keys["ndrc"])
    before, text = head(repo), project_file(repo).read_bytes()
    approve = ("advance", PROJECT, "approved", "--date", "2023-08-30", "--ref", "approval_reply")
    r = gtx(repo, *approve, "--include-changes", "--as-of", AS_OF)
    assert r.exit_code == 1 and "F003" in r.output, r.output
    assert head(repo) == before and project_file(repo).read_bytes() == text
    overwrite_in_place(att, SCAN)  # the signed file back: clean again, and the act goes
    assert same_with_and_without_cache(repo) == (0, [])
    r = gtx(repo, *approve, "--include-changes", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert head(repo) != before


def test_the_same_answer_in_one_process_or_several(repo: Path, checked: list[str]) -> None:
    """Many dossiers (forked workers) each with a recorded scan, some swapped in place."""
    src = project_dir(repo)
    text = project_file(repo).read_text("utf-8")
    ids = [f"2023-copy-{n:03d}" for n in range(70)]  # above parallel.THRESHOLD
    for pid in ids:
        dest = repo / "dossiers" / pid
        shutil.copytree(src, dest)
        (dest / "project.yaml").write_text(text.replace(f"id: {PROJECT}", f"id: {pid}"), "utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "copies")

    def run(*args: str) -> tuple[int, str]:
        r = gtx(repo, "validate", "--as-of", AS_OF, "--format", "json", *args)
        return r.exit_code, r.stdout

    reference = run("--no-cache", "--jobs", "1")
    assert json.loads(reference[1])["checked"] == len(ids) + 1
    assert run("--jobs", "2") == reference == run("--jobs", "1")
    for pid in ids[::7]:
        overwrite_in_place(project_dir(repo, pid) / attachment(repo).relative_to(src), SWAP)
    swapped = run("--no-cache", "--jobs", "1")
    assert swapped != reference
    projects = {f["project"] for f in json.loads(swapped[1])["findings"] if f["code"] == "F003"}
    assert projects == set(ids[::7])
    assert run("--jobs", "2") == swapped == run("--jobs", "1") == run("--no-cache", "--jobs", "3")


# --- hostile replacements -----------------------------------------------------------------


def _link_inside(att: Path) -> None:
    keep = att.with_name("kept-" + att.name)
    att.rename(keep)
    att.symlink_to(keep.name)  # the very same bytes, but through a link


def _folder_linked(att: Path) -> None:
    folder = att.parent
    folder.rename(folder.with_name("scans"))
    folder.symlink_to("scans")  # the same inodes behind a link on the way


def _link_out(att: Path) -> None:
    out = att.parents[3] / "elsewhere.pdf"
    out.write_bytes(SCAN)
    att.unlink()
    att.symlink_to(out)


def _folder(att: Path) -> None:
    att.unlink()
    att.mkdir()
    (att / "page-1.pdf").write_bytes(SCAN)


def _fifo(att: Path) -> None:
    att.unlink()
    os.mkfifo(att)  # opening it for reading would block for ever


@pytest.mark.parametrize(
    ("replace", "code", "words"),
    [
        (_link_inside, "F003", "symbolic link"),
        (_folder_linked, "F003", "symbolic link"),
        (_link_out, "F002", "link pointing outside"),
        (_folder, "F001", "not a regular file"),
        (_fifo, "F001", "not a regular file"),
    ],
    ids=["a link inside", "its folder a link", "a link out", "a folder", "a pipe"],
)
def test_a_recorded_attachment_replaced_by_something_else(
    repo: Path, checked: list[str], replace: Any, code: str, words: str
) -> None:
    """The file a SHA-256 was recorded for becomes a link, a folder or a pipe: one clear
    finding (F001/F002 say what stands there; F003 only when a file still stands, through
    a link), the same from the warm cache and without it, and no hang."""
    assert validate(repo) == (0, [])
    replace(attachment(repo))
    got = same_with_and_without_cache(repo)
    assert [f["code"] for f in got[1]] == [code], got
    assert words in got[1][0]["message"]
    assert got[1][0]["field"].startswith("documents.expert_review.")
    assert got == validate(repo)  # warm, once more
    zh = gtx(repo, "validate", PROJECT, "--as-of", AS_OF, lang="zh")
    assert code in zh.stdout


# --- the edge: what is hashed, and how --------------------------------------------------------


def test_digest_in_never_follows_a_link_nor_waits_on_a_pipe(tmp_path: Path) -> None:
    d = tmp_path / "p"
    (d / "a").mkdir(parents=True)
    (d / "a/scan.pdf").write_bytes(SCAN)
    (d / "a/link.pdf").symlink_to("scan.pdf")
    (d / "b").symlink_to("a")
    os.mkfifo(d / "a/pipe.pdf")
    seen: dict[str, Any] = {}
    digest = repo_mod.digest_in(d, on_hash=seen.__setitem__)
    assert digest("a/scan.pdf").sha256 == hashlib.sha256(SCAN).hexdigest()
    assert seen["a/scan.pdf"].st_ino == (d / "a/scan.pdf").stat().st_ino
    assert digest("a/link.pdf").link and digest("a/link.pdf").sha256 is None
    assert digest("b/scan.pdf").link  # a link on the way
    pipe = digest("a/pipe.pdf")
    assert pipe.sha256 is None and not pipe.link and "pipe" in pipe.why_en and pipe.why_zh
    assert seen["a/link.pdf"] is None and seen["a/pipe.pdf"] is None  # never trusted


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as fh:  # sparse: no disk blocks, and never read
        fh.truncate(repo_mod.MAX_HASHED_BYTES + 1)
    got = repo_mod.digest_in(tmp_path)("big.pdf")
    assert got.sha256 is None and "1024 MB" in got.why_en and "1024 MB" in got.why_zh
