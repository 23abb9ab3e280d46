"""The content-keyed cache can never change a result (docs/benchmarks.md): an edited file,
an edited or removed attachment, a changed gtx.yaml, a new gtx or rule set and another
--as-of each give fresh results; two processes at once are safe; a corrupt or
truncated cache is ignored and rebuilt; --no-cache bypasses it. Every comparison is
against a run without the cache. No test here asserts a time."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from golmud_cli.pipeline import batch as cache
from tests.conftest import ROOT
from tests.support.cache_repo import AS_OF, OLD, age, git

Cli = Callable[..., Any]
PID = "2025-smart-parking"
PDIR = f"dossiers/{PID}"










def findings(cli: Cli, repo: Path, *args: str, as_of: str = AS_OF) -> tuple[int, list[dict[str, Any]]]:
    r = cli("validate", "--repo", repo, "--as-of", as_of, "--format", "json", "--jobs", "1", *args)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    return r.exit_code, json.loads(r.stdout)["findings"]


def same_as_without_cache(cli: Cli, repo: Path, *args: str, as_of: str = AS_OF) -> list[dict[str, Any]]:
    """The cached answer, after asserting it equals the answer without the cache."""
    cached = findings(cli, repo, *args, as_of=as_of)
    fresh = findings(cli, repo, "--no-cache", *args, as_of=as_of)
    assert cached == fresh
    return cached[1]


def codes(fs: list[dict[str, Any]], project: str = PID) -> list[str]:
    return sorted(f["code"] for f in fs if f["project"] == project)


# --- reuse ------------------------------------------------------------------------------


def test_a_second_run_checks_nothing_and_answers_the_same(cli: Cli, repo: Path, checks: list[str]) -> None:
    first = findings(cli, repo)
    assert len(checks) == 16 and (repo / ".git/gtx-cache/results/meta.bin").is_file()
    checks.clear()
    assert findings(cli, repo) == first
    assert checks == []
    assert findings(cli, repo, "--no-cache") == first
    assert len(checks) == 16


def test_outside_git_the_cache_is_a_folder_git_ignores(cli: Cli, tmp_path: Path, checks: list[str]) -> None:
    r = tmp_path / "plain"
    shutil.copytree(ROOT / "dossiers", r / "dossiers", symlinks=True)
    shutil.copy(ROOT / "gtx.yaml", r / "gtx.yaml")
    first = findings(cli, r)
    assert (r / ".gtx-cache/.gitignore").read_text("utf-8").splitlines()[-1] == "*"
    checks.clear()
    assert findings(cli, r) == first and checks == []
    f = r / PDIR / "project.yaml"
    f.write_text(re.sub(r'phone: "0979-(\d+)"', r"phone: 0979\1", f.read_text("utf-8"), count=1), "utf-8")
    after = same_as_without_cache(cli, r)
    assert codes(after) == ["S002"] and checks.count(PID) == 2


# --- what must give fresh results ---------------------------------------------------------


def test_an_edited_file(cli: Cli, repo: Path, checks: list[str]) -> None:
    assert codes(same_as_without_cache(cli, repo)) == []
    f = repo / PDIR / "project.yaml"
    text = f.read_text("utf-8")
    f.write_text(text.replace("\nunit:", "\nunit_name:", 1), "utf-8")  # unstaged
    assert "S004" in codes(same_as_without_cache(cli, repo))
    git(repo, "commit", "-q", "-am", "typo")  # committed: the index's blob id now
    checks.clear()
    assert "S004" in codes(same_as_without_cache(cli, repo))
    f.write_text(text, "utf-8")  # back as it was: the first entry's key again
    assert codes(same_as_without_cache(cli, repo)) == []


def test_an_untracked_dossier(cli: Cli, repo: Path) -> None:
    same_as_without_cache(cli, repo)
    new = repo / "dossiers/2026-new-copy"
    shutil.copytree(repo / PDIR, new)
    fs = same_as_without_cache(cli, repo)
    assert codes(fs, "2026-new-copy") == ["S005", "S005"]  # an id not its folder, used twice
    assert codes(fs) == ["S005"]  # the other one of the pair


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folder stamps trusted at once (not only two seconds after the folder changed),
    so that the tests go through the stamp path and not only the file-by-file one."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The project folders whose attachments were looked at file by file."""
    from golmud_cli.edges import repo as repo_mod

    seen: list[str] = []
    real = repo_mod.stat_in

    def spy(project_dir: Path | str, **kw: Any) -> Any:
        seen.append(Path(project_dir).name)
        return real(project_dir, **kw)

    monkeypatch.setattr(repo_mod, "stat_in", spy)
    return seen


@pytest.mark.parametrize("stamps", ["trusted", "racy"])
@pytest.mark.parametrize("how", ["removed", "a folder", "a link out", "renamed away and back"])
def test_an_attachment_a_rule_reads(
    cli: Cli, repo: Path, checks: list[str], how: str, stamps: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if stamps == "trusted":
        monkeypatch.setattr(cache, "RACY_NS", 0)
    assert codes(same_as_without_cache(cli, repo)) == []
    att = repo / PDIR / "attachments/contract.pdf"
    if how == "removed":
        att.unlink()
    elif how == "a folder":
        att.unlink()
        att.mkdir()
    elif how == "a link out":
        att.unlink()
        (repo / "outside.pdf").write_bytes(b"%PDF")
        att.symlink_to(repo / "outside.pdf")
    else:
        att.rename(repo / "away.pdf")
        checks.clear()
        findings(cli, repo)
        (repo / "away.pdf").rename(att)
    # the folder's timestamps put back as they were: its ctime and inode still tell
    os.utime(att.parent, (OLD, OLD))
    checks.clear()
    fs = same_as_without_cache(cli, repo)
    expected = {"removed": ["F001"], "a folder": ["F001"], "a link out": ["F002"], "renamed away and back": []}[how]
    assert codes(fs) == expected
    assert PID in checks


def test_stamps_that_hold_spare_the_recheck(
    cli: Cli, repo: Path, checks: list[str], stats: list[str], trusted: None
) -> None:
    findings(cli, repo)
    (repo / PDIR / "attachments/contract.pdf").write_bytes(b"%PDF-1.7 new content")  # content: no status change
    checks.clear()
    stats.clear()
    assert findings(cli, repo)[1] == findings(cli, repo, "--no-cache")[1]
    assert checks.count(PID) == 1  # only the --no-cache run
    assert stats.count(PID) == 1  # the same: the cached run looked at no attachment
    (repo / PDIR / "attachments/new.pdf").write_bytes(b"%PDF")  # the folder changed, no status did
    checks.clear()
    stats.clear()
    findings(cli, repo)
    assert checks == [] and stats == [PID]  # looked at file by file, not checked again
    stats.clear()
    findings(cli, repo)
    assert stats == []  # and the new stamps kept


def test_a_changed_gtx_yaml(cli: Cli, repo: Path, checks: list[str]) -> None:
    before = same_as_without_cache(cli, repo)
    s = repo / "gtx.yaml"
    s.write_text(s.read_text("utf-8").replace("simplified_max_budget_wan: 500", "simplified_max_budget_wan: 200"), "utf-8")
    checks.clear()
    after = same_as_without_cache(cli, repo)
    assert len(checks) == 32  # every dossier, twice
    assert after != before and any(f["code"].startswith("A") for f in after)
    s.write_text(s.read_text("utf-8").replace("simplified_max_budget_wan: 200", "simplified_max_budget_wan: 5x0"), "utf-8")
    broken = same_as_without_cache(cli, repo)
    assert [f["file"] for f in broken if f["code"] == "S002"] == ["gtx.yaml"]


def test_a_new_gtx_or_rule_set(cli: Cli, repo: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = findings(cli, repo)
    checks.clear()
    monkeypatch.setattr(cache, "fingerprint", lambda: "another gtx, other rules")
    assert findings(cli, repo) == first
    assert len(checks) == 16
    checks.clear()
    assert findings(cli, repo) == first and checks == []


def test_the_fingerprint_follows_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "golmud_cli"
    shutil.copytree(ROOT / "golmud_cli", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.docx"))
    fake = pkg / "pipeline" / "batch.py"
    monkeypatch.setattr(cache, "__file__", str(fake))
    cache.fingerprint.cache_clear()
    try:
        a = cache.fingerprint()
        cache.fingerprint.cache_clear()
        rule = pkg / "core" / "rules" / "approval.py"
        rule.write_text(rule.read_text("utf-8") + "\n# a changed rule\n", "utf-8")
        b = cache.fingerprint()
    finally:
        cache.fingerprint.cache_clear()
    assert a != b


def test_another_as_of(cli: Cli, repo: Path) -> None:
    early = same_as_without_cache(cli, repo, as_of="2026-11-01")
    late = same_as_without_cache(cli, repo, as_of="2031-01-01")
    assert early != late  # deadlines passed in between
    assert same_as_without_cache(cli, repo, as_of="2026-11-01") == early


# --- a damaged cache, two processes, --no-cache ------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped byte", "empty", "a folder", "another format"])
def test_a_damaged_cache_is_ignored_and_rebuilt(cli: Cli, repo: Path, checks: list[str], damage: str) -> None:
    first = findings(cli, repo)
    files = sorted((repo / ".git/gtx-cache/results").glob("*.bin"))
    assert len(files) > 2  # the settings file and the entries' files
    for f in files:
        raw = f.read_bytes()
        if damage == "truncated":
            f.write_bytes(raw[: len(raw) // 2])
        elif damage == "garbage":
            f.write_bytes(os.urandom(4096))
        elif damage == "flipped byte":
            f.write_bytes(raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:])
        elif damage == "empty":
            f.write_bytes(b"")
        elif damage == "a folder":
            f.unlink()
            f.mkdir()
        else:
            f.write_bytes(raw[:8] + (999).to_bytes(4, "little") + raw[12:])
    checks.clear()
    assert findings(cli, repo) == first
    assert len(checks) == 16
    if damage != "a folder":  # rebuilt: the next run is answered by it
        checks.clear()
        assert findings(cli, repo) == first and checks == []


def test_a_run_over_one_changed_dossier_touches_only_its_file(cli: Cli, repo: Path, checks: list[str]) -> None:
    """Cost grows with what changed (docs/benchmarks.md): after a full run, a run over one
    edited dossier reads and rewrites the results file of that project only."""
    first = findings(cli, repo)
    results = repo / ".git/gtx-cache/results"
    before = {f.name: f.stat().st_mtime_ns for f in results.iterdir()}
    mine = f"{cache.shard_of(PID):02x}.bin"
    assert mine in before and len(before) > 3
    p = repo / PDIR / "project.yaml"
    p.write_text(p.read_text("utf-8") + "# a note\n", "utf-8")
    time.sleep(0.01)
    checks.clear()
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--changed-since", "HEAD")
    assert json.loads(r.stdout)["checked"] == 1 and checks == [PID]
    after = {f.name: f.stat().st_mtime_ns for f in results.iterdir()}
    assert {n for n in after if after[n] != before.get(n)} <= {mine, "meta.bin"}
    assert after[mine] != before[mine]
    checks.clear()
    assert findings(cli, repo) == first and checks == []  # a comment: the same findings


def test_the_single_file_of_an_older_gtx_is_removed(cli: Cli, repo: Path) -> None:
    legacy = repo / ".git/gtx-cache/results.bin"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"GTXCACHE" + os.urandom(64))
    first = findings(cli, repo)
    assert not legacy.exists() and first == findings(cli, repo, "--no-cache")


def test_no_cache_bypasses_it(cli: Cli, repo: Path) -> None:
    first = findings(cli, repo)
    # a cache that lies (made to, with the right checksum): only --no-cache ignores it
    store = cache.Store(repo / ".git/gtx-cache")
    entry = store.entries[PID]
    lie = cache.finding_row(cache.finding_of(("X999", "error", PID, f"{PDIR}/project.yaml", (), "", "假", "fake",
                                              None, 1, 1, "value")))
    assert lie is not None
    store.put(PID, (*entry[: cache.E_FINDINGS], cache._blob((lie,)), *entry[cache.E_FINDINGS + 1 :]))
    store.save()
    assert "X999" in codes(findings(cli, repo)[1])
    assert findings(cli, repo, "--no-cache") == first
    shutil.rmtree(repo / ".git/gtx-cache")
    findings(cli, repo, "--no-cache")
    assert not (repo / ".git/gtx-cache").exists()


@pytest.mark.parametrize("aux", [b"", b"\x00garbage", "marshal-of-wrong-shape", "pickle"])
def test_deadline_data_that_is_not_gtxs_is_recomputed(cli: Cli, repo: Path, aux: Any) -> None:
    """The deadline data in an entry is plain marshal data, never unpickled: whatever
    else is found there (written with a valid checksum) gives the report of a run
    without the cache."""
    import marshal
    import pickle

    fresh = cli("deadlines", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--all")
    findings(cli, repo)  # fills the cache
    store = cache.Store(repo / ".git/gtx-cache")
    entry = store.get(PID)
    assert entry is not None and entry[cache.E_AUX]
    if aux == "marshal-of-wrong-shape":
        aux = marshal.dumps(("name", "unit", (("x",),), ()))
    elif aux == "pickle":
        aux = pickle.dumps(("name", "unit", (), ()))
    store.put(PID, (*entry[: cache.E_AUX], aux, *entry[cache.E_AUX + 1 :]))
    store.save()
    again = cli("deadlines", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--all")
    assert again.exit_code == fresh.exit_code and json.loads(again.stdout) == json.loads(fresh.stdout)
    assert any(d["project"] == PID for d in json.loads(again.stdout)["deadlines"])


def test_two_processes_at_once(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "golmud_cli", "validate", "--as-of", AS_OF, "--format", "json"]
    for _ in range(3):
        shutil.rmtree(repo / ".git/gtx-cache", ignore_errors=True)
        procs = [subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        outs = [p.communicate() for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert outs[0][0] == outs[1][0]
        again = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, check=True)
        assert again.stdout == outs[0][0]
        fresh = subprocess.run([*cmd, "--no-cache"], cwd=repo, env=env, capture_output=True, check=True)
        assert fresh.stdout == outs[0][0]
    # the results, the calendar table (edges/calendar.py), the kept runs
    # (edges/cache/runs.py), and no temporary file
    leftovers = [
        p.name
        for p in (repo / ".git/gtx-cache").iterdir()
        if p.name not in ("results", "calendar-cn.json", "runs")
    ]
    assert leftovers == []
    runs_dir = repo / ".git/gtx-cache/runs"
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.name) for p in runs_dir.iterdir()) if runs_dir.is_dir() else True
    assert all(re.fullmatch(r"([0-9a-f]{2}|meta)\.bin", p.name) for p in (repo / ".git/gtx-cache/results").iterdir())


# --- the parts ---------------------------------------------------------------------------------


def test_blob_ids_are_gits(repo: Path) -> None:
    f = repo / PDIR / "project.yaml"
    assert cache.blob_id(f.read_bytes()) == git(repo, "hash-object", str(f)).strip()
    ids = cache.content_ids(repo, [f"{PDIR}/project.yaml", "gtx.yaml", "dossiers/none/project.yaml"], in_git=True)
    assert ids[f"{PDIR}/project.yaml"] == git(repo, "rev-parse", f"HEAD:{PDIR}/project.yaml").strip()
    assert ids["dossiers/none/project.yaml"] is None
    f.write_bytes(f.read_bytes() + b"# edited\n")
    assert cache.content_ids(repo, [f"{PDIR}/project.yaml"], in_git=True)[f"{PDIR}/project.yaml"] == \
        cache.blob_id(f.read_bytes())


def _reference_stat(project_dir: Path) -> Callable[[str], str]:
    """The resolve-based answer the fast stat_in must always give (edges/repo.py before it)."""
    from golmud_cli.edges.repo import _CONTROL, _WINDOWS_ABS

    base = project_dir.resolve()

    def stat(rel: str) -> str:
        if _CONTROL.search(rel):
            return "bad_name"
        if _WINDOWS_ABS.match(rel) or PurePosixPath(rel).is_absolute():
            return "absolute"
        parts = PurePosixPath(rel.replace("\\", "/")).parts
        if ".." in parts:
            return "escapes"
        try:
            real = base.joinpath(*parts).resolve()
        except (OSError, RuntimeError):
            return "link_out"
        if not real.is_relative_to(base):
            return "link_out"
        try:
            if not real.exists():
                return "missing"
            if not real.is_file():
                return "not_a_file"
        except OSError:
            return "missing"
        return "ok"

    return stat


def test_the_fast_attachment_status_is_the_exact_one(tmp_path: Path) -> None:
    from golmud_cli.edges.repo import stat_in

    p = tmp_path / "proj"
    (p / "attachments/sub").mkdir(parents=True)
    (p / "attachments/a.pdf").write_text("x")
    (p / "attachments/sub/b.pdf").write_text("x")
    (tmp_path / "outside.pdf").write_text("x")
    os.symlink(tmp_path / "outside.pdf", p / "attachments/out.pdf")
    os.symlink("a.pdf", p / "attachments/in.pdf")
    os.symlink(p / "attachments", p / "lnk")
    os.symlink(tmp_path, p / "up")
    os.symlink("loop1", p / "loop2")
    os.symlink("loop2", p / "loop1")
    os.mkfifo(p / "attachments/fifo")
    os.symlink("nowhere", p / "dangling")
    cases = [
        "attachments/a.pdf", "attachments//a.pdf", "./attachments/./a.pdf", "attachments/sub/b.pdf",
        "attachments/sub", "attachments", "attachments/missing.pdf", "nodir/x.pdf", "attachments/a.pdf/x",
        "attachments/out.pdf", "attachments/in.pdf", "lnk/a.pdf", "up/outside.pdf", "loop1", "loop1/x",
        "attachments/fifo", "dangling", "", ".", "/etc/passwd", "C:\\x", "\\x", "../x",
        "attachments/../attachments/a.pdf", "a\x01b", "attachments\\a.pdf", "attachments/a.pdf/",
        "attachments/sub/", "up", "lnk",
    ]
    fast, exact = stat_in(p), _reference_stat(p)
    assert [(c, fast(c).value) for c in cases] == [(c, exact(c)) for c in cases]
    assert {fast(c).value for c in cases} >= {"ok", "missing", "not_a_file", "link_out", "escapes", "absolute",
                                              "bad_name"}


def test_a_removed_project_is_forgotten(cli: Cli, repo: Path) -> None:
    findings(cli, repo)
    assert PID in cache.Store(repo / ".git/gtx-cache").entries
    shutil.rmtree(repo / PDIR)
    fs = same_as_without_cache(cli, repo)
    assert codes(fs) == []
    assert PID not in cache.Store(repo / ".git/gtx-cache").entries


def test_a_linked_attachment_whose_target_goes(cli: Cli, repo: Path, trusted: None) -> None:
    """A link's target can vanish without its folder changing: such an entry is looked
    at file by file every time, never trusted on its folder's stamp."""
    att = repo / PDIR / "attachments/contract.pdf"
    (repo / PDIR / "attachments/signed").mkdir()
    att.rename(repo / PDIR / "attachments/signed/contract.pdf")
    att.symlink_to("signed/contract.pdf")
    age(repo)
    assert codes(same_as_without_cache(cli, repo)) == []
    (repo / PDIR / "attachments/signed/contract.pdf").unlink()
    os.utime(repo / PDIR / "attachments/signed", (OLD, OLD))
    assert codes(same_as_without_cache(cli, repo)) == ["F001"]


@pytest.mark.parametrize("stamps", ["trusted", "racy"])
def test_a_recorded_attachment_overwritten_in_place(
    cli: Cli, repo: Path, checks: list[str], stamps: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F003: the scan's SHA-256 is recorded and a signed act refers to it (refs: [contract]);
    new bytes written into the same inode, size and mtime put back, show at once."""
    if stamps == "trusted":
        monkeypatch.setattr(cache, "RACY_NS", 0)
    att = repo / PDIR / "attachments/contract.pdf"
    signed = att.read_bytes()
    f = repo / PDIR / "project.yaml"
    line = "    file: attachments/contract.pdf\n"
    sha = hashlib.sha256(signed).hexdigest()
    f.write_text(f.read_text("utf-8").replace(line, f"{line}    sha256: {sha}\n"), "utf-8")
    assert codes(same_as_without_cache(cli, repo)) == []
    checks.clear()
    findings(cli, repo)
    assert (PID in checks) is (stamps == "racy")  # trusted stamps answer from the cache
    st = att.stat()
    att.write_bytes(signed[::-1])
    os.utime(att, ns=(st.st_atime_ns, st.st_mtime_ns))
    fs = same_as_without_cache(cli, repo)
    assert [(x["code"], x["severity"]) for x in fs if x["project"] == PID] == [("F003", "error")]
    att.write_bytes(signed)
    os.utime(att, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert codes(same_as_without_cache(cli, repo)) == []


def test_a_results_file_is_written_whole_with_its_mode(tmp_path: Path) -> None:
    # edges/cache/store.py writes each file to a temporary name of its own process and
    # renames it: rw-r--r-- whatever the umask (as edges/fs.py's atomic_write), an old
    # file's mode kept, no temporary file left, and one left behind by a run killed
    # under the same pid is no obstacle.
    from golmud_cli.edges.cache import store

    entry = ("k", b"", None, b"", "p", True, None, (1, 2), None)
    s = store.Store(tmp_path, "fp")
    s.put("p", entry)
    old = os.umask(0o077)
    try:
        s.save()
    finally:
        os.umask(old)
    name = store._shard_name(store.shard_of("p"))
    path = tmp_path / store.RESULTS_DIR / name
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    (tmp_path / store.RESULTS_DIR / f".{name}.{os.getpid()}.tmp").write_bytes(b"left behind")
    s.put("p", (*entry[:4], "q", *entry[5:]))
    s.save()
    assert path.stat().st_mode & 0o777 == 0o600
    assert store.Store(tmp_path, "fp").get("p") == (*entry[:4], "q", *entry[5:])
    left = [p.name for p in (tmp_path / store.RESULTS_DIR).iterdir() if p.name.endswith(".tmp")]
    assert left == [f".{name}.{os.getpid()}.tmp"]  # the stale one only: not ours to remove
