"""Where an attachment stands, from one listing of its folder (edges/repo.py stat_in):
the same status as the exact resolve-based answer for every kind of entry, listed or
looked at one by one; a name the listing does not hold is looked at with lstat, never
taken as missing; and an attachment changed after its folder was listed never leaves
a cache entry that answers the next run (the folder's stamp is taken before the
listing). Real files, links, pipes and sockets; gtx run in-process on a real git
repository (tests/support/cache_repo.py)."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.edges import repo as repo_mod
from golmud_cli.pipeline import batch as cache
from golmud_cli.pipeline import check
from tests.pipeline.test_cache import _reference_stat
from tests.support.cache_repo import AS_OF

Cli = Callable[..., Any]
PID = "2025-smart-parking"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A project folder holding every kind of entry an attachment can be."""
    p = tmp_path / "proj"
    att = p / "attachments"
    (att / "sub").mkdir(parents=True)
    (att / "a.pdf").write_text("x")
    (att / "sub/b.pdf").write_text("x")
    (att / "合同.pdf").write_text("x")  # NFC
    (att / "合同-e\u0301.pdf").write_text("x")  # NFD: another name on Linux
    (p / "top.pdf").write_text("x")
    (tmp_path / "outside.pdf").write_text("x")
    os.symlink(tmp_path / "outside.pdf", att / "out.pdf")
    os.symlink("a.pdf", att / "in.pdf")
    os.symlink("sub", att / "subdir-link")
    os.symlink("nowhere", att / "dangling")
    os.symlink("loop-b", att / "loop-a")
    os.symlink("loop-a", att / "loop-b")
    os.mkfifo(att / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(att / "sock"))
    yield p
    sock.close()


CASES = [
    "attachments/a.pdf", "attachments/sub/b.pdf", "attachments/合同.pdf", "attachments/合同-e\u0301.pdf",
    "attachments/合同-\u00e9.pdf", "attachments/sub", "attachments/missing.pdf", "attachments/out.pdf",
    "attachments/in.pdf", "attachments/subdir-link", "attachments/subdir-link/b.pdf", "attachments/dangling",
    "attachments/loop-a", "attachments/fifo", "attachments/sock", "attachments/a.pdf/x", "top.pdf",
    "attachments//a.pdf", "./attachments/a.pdf", "attachments\\a.pdf", "nodir/x.pdf", "attachments/A.PDF",
    "attachments/" + "x" * 300, "attachments/" + "x/" * 1200 + "a.pdf",  # too long: never kept, same answer
]


@pytest.mark.parametrize("listed", [True, False])
def test_every_kind_of_entry_gives_the_exact_status(
    folder: Path, listed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listed (the usual folder) or looked at one by one (a folder too large to list)."""
    if not listed:
        monkeypatch.setattr(repo_mod, "LIST_MAX_BYTES", -1)
    fast, exact = repo_mod.stat_in(folder), _reference_stat(folder)
    assert [(c, fast(c).value) for c in CASES] == [(c, exact(c)) for c in CASES]
    assert {fast(c).value for c in CASES} == {"ok", "missing", "not_a_file", "link_out"}


def test_a_name_the_listing_does_not_hold_is_looked_at(folder: Path) -> None:
    """Entries made after the folder was listed (as a name that only lstat matches,
    macOS's other Unicode normalization or case, would be): found, never "missing"."""
    stat = repo_mod.stat_in(folder)
    assert stat("attachments/a.pdf").value == "ok"  # the folder is listed now
    att = folder / "attachments"
    (att / "late.pdf").write_text("x")
    (att / "late-folder").mkdir()
    os.symlink(folder.parent / "outside.pdf", att / "late-link.pdf")
    os.mkfifo(att / "late-fifo")
    got = [stat(f"attachments/{n}").value for n in ("late.pdf", "late-folder", "late-link.pdf", "late-fifo")]
    assert got == ["ok", "not_a_file", "link_out", "not_a_file"]


def test_the_folders_are_told_as_they_were_before_the_listing(folder: Path) -> None:
    seen: dict[str, os.stat_result] = {}
    before = os.lstat(folder / "attachments/sub")
    stat = repo_mod.stat_in(folder, folders=seen)
    stat("attachments/sub/b.pdf")
    stat("top.pdf")
    stat("attachments/out.pdf")  # a link: the exact answer, nothing more to tell
    assert sorted(seen) == ["attachments", "attachments/sub"]
    assert seen["attachments/sub"].st_ino == before.st_ino


def findings(cli: Cli, repo: Path, *args: str) -> list[dict[str, Any]]:
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--jobs", "1", *args)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    return list(json.loads(r.stdout)["findings"])


def codes(fs: list[dict[str, Any]]) -> list[str]:
    return sorted(f["code"] for f in fs if f["project"] == PID)


@pytest.mark.parametrize("how", ["removed", "a folder", "a link out", "a link in"])
def test_an_attachment_changed_after_the_listing_is_seen_by_the_next_run(
    cli: Cli, repo: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """contract.pdf changed while the dossier is checked, after its folder was listed:
    this run may answer from the listing, but the entry it keeps must not answer the
    next run, even with folder stamps trusted at once (RACY_NS = 0)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    att = repo / "dossiers" / PID / "attachments"
    outside = repo / "outside.pdf"
    outside.write_bytes(b"%PDF")
    real = check.check_bytes

    def change() -> None:
        target = att / "contract.pdf"
        if how == "removed":
            target.unlink()
        elif how == "a folder":
            target.unlink()
            target.mkdir()
        elif how == "a link out":
            target.unlink()
            target.symlink_to(outside)
        else:
            target.rename(att / "contract-signed.pdf")
            target.symlink_to("contract-signed.pdf")

    def racing(raw: bytes, **kw: Any) -> Any:
        if kw["folder"] != PID:
            return real(raw, **kw)
        stat = kw["stat"]

        def stat_then_change(rel: str) -> Any:
            got = stat(rel)  # the first file: the folder is listed now
            if not changed:
                changed.append(True)
                change()
            return got

        return real(raw, **{**kw, "stat": stat_then_change})

    changed: list[bool] = []
    monkeypatch.setattr(check, "check_bytes", racing)
    findings(cli, repo)
    assert changed
    monkeypatch.setattr(check, "check_bytes", real)
    after = findings(cli, repo)
    assert after == findings(cli, repo, "--no-cache")
    expected = {"removed": ["F001"], "a folder": ["F001"], "a link out": ["F002"], "a link in": []}[how]
    assert codes(after) == expected
