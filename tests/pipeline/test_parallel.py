"""Same answers on every path (docs/benchmarks.md): one process or several, with the cache
cold, warm or bypassed, on a generated repository of a few hundred dossiers with every
stage and ten kinds of broken file (bench/generate.py). Also: no progress bar off a
terminal, and the plain text report is byte for byte what rich prints. No test here
asserts a time."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from bench import generate
from golmud_cli import reporters
from golmud_cli.pipeline import batch as cache
from golmud_cli.pipeline import parallel
from golmud_cli.pipeline.validation import validate_repository
from golmud_cli.pipeline.workspace import open_repo

Cli = Callable[..., Any]
AS_OF = "2026-11-30"
N = 300  # above parallel.THRESHOLD, so that --jobs 2 really forks


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N synthetic dossiers, committed (made once for the module, copied per test)."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("home")
    (home / "gitconfig").write_text("[user]\n\tname = gtx test\n\temail = test@gtx.invalid\n")
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    try:
        dest = tmp_path_factory.mktemp("gen") / "repo"
        stats = generate.generate(dest, N)
    finally:
        mp.undo()
    assert stats["dossiers"] == N and stats["invalid"] == N // 10
    return dest


@pytest.fixture
def repo(generated: Path, tmp_path: Path, git_env: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(generated, dest, symlinks=True)
    return dest


def run_json(cli: Cli, repo: Path, *args: str) -> tuple[int, str]:
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", *args)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    return r.exit_code, r.stdout


def test_the_generated_repository_is_realistic(cli: Cli, repo: Path) -> None:
    code, out = run_json(cli, repo, "--no-cache", "--jobs", "1")
    data = json.loads(out)
    assert code == 1 and data["checked"] == N
    failing = {f["project"] for f in data["findings"] if f["severity"] == "error"}
    # every broken dossier fails (a duplicated id fails its twin as well), no valid one does
    assert N // 10 <= len(failing) <= N // 10 + N // 100 + 1
    kinds = {f["code"] for f in data["findings"]}
    assert {"S001", "S002", "S004", "S005", "F001", "H001"} <= kinds
    # the amounts written against a budget scale with it: no contract over its budget
    # (P004) that the samples do not have (unscaled, about a third of them had one)
    assert "P004" not in kinds
    stages = {p.read_text("utf-8").split("\nstage: ")[1].split("\n")[0]
              for p in (repo / "dossiers").glob("*/project.yaml") if "\nstage: " in p.read_text("utf-8")}
    assert len(stages) >= 15  # every stage but none


def test_one_process_or_several_cached_or_not(cli: Cli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forks: list[int] = []
    real = parallel.workers

    def counting(jobs: int, n: int) -> int:
        w = real(jobs, n)
        forks.append(w)
        return w

    monkeypatch.setattr(parallel, "workers", counting)
    reference = run_json(cli, repo, "--no-cache", "--jobs", "1")
    assert run_json(cli, repo, "--no-cache", "--jobs", "2") == reference
    assert run_json(cli, repo, "--no-cache", "--jobs", "3") == reference
    assert run_json(cli, repo, "--jobs", "2") == reference  # cold: the workers fill the cache
    assert run_json(cli, repo, "--jobs", "2") == reference  # warm
    assert run_json(cli, repo, "--jobs", "1") == reference
    assert 2 in forks and 3 in forks  # several processes really ran
    shutil.rmtree(repo / ".git/gtx-cache")
    assert run_json(cli, repo, "--jobs", "1") == reference  # cold in one process
    assert run_json(cli, repo, "--jobs", "2") == reference  # warm from it
    for lang in ("en", "zh"):
        for fmt in ("text", "github"):
            one = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", fmt, "--lang", lang, "--no-cache", "-j", "1")
            many = cli("validate", "--repo", repo, "--as-of", AS_OF, "--format", fmt, "--lang", lang, "-j", "2")
            assert (one.exit_code, one.stdout) == (many.exit_code, many.stdout)


def test_an_edit_between_parallel_runs(cli: Cli, repo: Path) -> None:
    run_json(cli, repo, "-j", "2")
    victims = sorted((repo / "dossiers").glob("*/project.yaml"))[::50]
    for p in victims:
        p.write_text(p.read_text("utf-8").replace("\nschema_version: 1", "\nschema_version: 1\nextra_key: 1", 1), "utf-8")
    after = run_json(cli, repo, "-j", "2")
    assert after == run_json(cli, repo, "--no-cache", "-j", "1")
    s004 = {f["project"] for f in json.loads(after[1])["findings"] if f["code"] == "S004"}
    assert {p.parent.name for p in victims} <= s004


def test_a_cold_run_keys_each_dossier_by_what_it_read(
    cli: Cli, repo: Path, checks: list[str]
) -> None:
    # A cold run (no cache) keys each entry by the blob id of the bytes it checked,
    # not by git's index: the next run, which asks git, finds them all; an edit made
    # after the cold run is checked again, and only that one.
    import subprocess

    checked = checks
    cold = run_json(cli, repo, "--jobs", "1")
    assert len(checked) == N
    entries = cache.Store(cache.cache_dir(repo)).entries
    listed = subprocess.run(
        ["git", "ls-files", "-s", "dossiers"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    blobs = {line.split("\t")[1].split("/")[1]: line.split()[1] for line in listed.splitlines()
             if line.endswith("/project.yaml")}
    keyed = {p: e[cache.E_KEY].split("|")[0] for p, e in entries.items() if e[cache.E_KEY]}
    assert len(keyed) >= N - N // 10  # the unreadable and linked ones get no key
    assert all(keyed[p] == blobs[p] for p in keyed if p in blobs)
    checked.clear()
    assert run_json(cli, repo, "--jobs", "1") == cold
    assert len(checked) <= N - len(keyed)  # only what the cache could not hold
    victim = sorted(keyed)[7]
    path = repo / "dossiers" / victim / "project.yaml"
    path.write_text(path.read_text("utf-8").replace("\nschema_version: 1", "\nschema_version: 1\nx_typo: 1", 1), "utf-8")
    checked.clear()
    after = json.loads(run_json(cli, repo, "--jobs", "1")[1])
    assert victim in checked and len(checked) <= N - len(keyed) + 1
    assert any(f["project"] == victim and f["code"] == "S004" for f in after["findings"])


def test_a_cold_run_on_several_cores_writes_the_whole_cache(
    cli: Cli, repo: Path, checks: list[str]
) -> None:
    # On several cores each worker writes the results files of the projects it
    # checked (pipeline/batch.py): the files hold every entry a run in one process
    # writes, the same entries, and the next run answers them all from the cache.
    cold = run_json(cli, repo, "--jobs", "2")
    many = cache.Store(cache.cache_dir(repo)).entries
    shutil.rmtree(repo / ".git/gtx-cache")
    assert run_json(cli, repo, "--jobs", "1") == cold
    one = cache.Store(cache.cache_dir(repo)).entries
    assert len(many) >= N - N // 10 and many.keys() == one.keys()
    for p, e in one.items():
        assert many[p][: cache.E_STAMPS] == e[: cache.E_STAMPS], p
        assert many[p][cache.E_STAMPS + 1 :] == e[cache.E_STAMPS + 1 :], p
    shutil.rmtree(repo / ".git/gtx-cache")
    run_json(cli, repo, "--jobs", "2")
    checks.clear()
    assert run_json(cli, repo, "--jobs", "1") == cold
    assert len(checks) <= N - len(many)  # only what the cache could not hold


@pytest.mark.parametrize("memo", ["0", "1"])
def test_a_gitattributes_added_after_a_cold_run_on_several_cores(
    cli: Cli, repo: Path, memo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers looked for each project folder's .gitattributes (and found none):
    # one added afterwards is read by the next run, kept run or not.
    monkeypatch.setenv("GTX_RUN_MEMO", memo)
    folder = sorted((repo / "dossiers").iterdir())[5]
    before = json.loads(run_json(cli, repo, "--jobs", "2")[1])
    assert not any(f["file"] == f"dossiers/{folder.name}/.gitattributes" for f in before["findings"])
    (folder / ".gitattributes").write_text("project.yaml eol=crlf\n", "utf-8")
    after = json.loads(run_json(cli, repo, "--jobs", "2")[1])
    hits = [f for f in after["findings"] if f["file"] == f"dossiers/{folder.name}/.gitattributes"]
    assert [(f["code"], f["line"]) for f in hits] == [("S001", 1)]
    assert run_json(cli, repo, "--jobs", "2") == run_json(cli, repo, "--no-cache", "--jobs", "1")


def test_meanwhile_runs_here_once_and_only_while_workers_check() -> None:
    # The caller's warm-up (the report's imports) runs in this process while the
    # workers check, once; without workers there is nothing to overlap and it is not
    # called (the report loads what it needs itself). The results are the same.
    here = os.getpid()
    calls: list[int] = []
    groups = [list(range(i, i + 5)) for i in range(0, 50, 5)]
    out = list(
        parallel.map_groups(
            lambda g: (os.getpid(), sum(g)),
            groups,
            processes=2,
            meanwhile=lambda: calls.append(os.getpid()),
        )
    )
    assert calls == [here]
    assert [s for _, s in out] == [sum(g) for g in groups]
    assert here not in {pid for pid, _ in out}
    calls.clear()
    few = [1, 2, 3]
    assert list(
        parallel.map_ordered(lambda x: x * 2, few, jobs=2, meanwhile=lambda: calls.append(1))
    ) == [2, 4, 6]
    assert calls == []  # below the threshold: one process
    many = list(range(parallel.THRESHOLD + 10))
    assert list(
        parallel.map_ordered(
            lambda x: x * 2, many, jobs=2, meanwhile=lambda: calls.append(os.getpid())
        )
    ) == [x * 2 for x in many]
    assert calls == [here]


def _children() -> set[int]:
    """This process's child processes still in the process table (zombies included)."""
    me = os.getpid()
    found = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.add(int(pid))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_answers_come_in_order_and_no_worker_is_left() -> None:
    # The workers answer out of order (the odd groups are slow); the caller gets the
    # answers in the order of the groups, and every worker is reaped after.
    import time

    parallel.reap()  # workers other tests' runs left to end
    before = _children()

    def slow_odd(g: int) -> tuple[int, int]:
        if g % 2:
            time.sleep(0.01)
        return g, os.getpid()

    out = list(parallel.map_groups(slow_odd, list(range(40)), processes=2))
    assert [g for g, _ in out] == list(range(40))
    workers = {pid for _, pid in out}
    assert len(workers) == 2  # both workers took groups
    # left to end by themselves while the caller goes on: they do, and cleanly
    assert set(parallel._LEFT) == workers
    for pid in workers:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    parallel._LEFT.clear()
    assert _children() == before
    # and a later run (or the process's exit) waits for those left before
    list(parallel.map_groups(slow_odd, list(range(4)), processes=2))
    parallel.reap()
    assert _children() == before


def test_answers_keep_their_types_across_the_pipe() -> None:
    # Plain rows travel by marshal, anything else by pickle: a finding object, a
    # str-valued enum member, a tuple subclass come back as what they were, not as
    # the plain value marshal would have made of them.
    from golmud_cli.core.findings import Finding, Severity

    finding = Finding(
        "S001",
        Severity.error,
        "x",
        "dossiers/x/project.yaml",
        ("name",),
        "名称",
        "坏",
        "bad",
        "三（一）",
        line=3,
    )

    def answer(g: int) -> Any:
        return [(g, b"row", "文本", None, True, 1.5), finding, Severity.warning, {g: [g]}]

    out = list(parallel.map_groups(answer, list(range(6)), processes=2))
    for g, got in enumerate(out):
        assert got == answer(g)
        assert type(got[1]) is Finding and type(got[2]) is Severity
        assert type(got[0]) is tuple and type(got[3]) is dict


def test_a_worker_exception_is_raised_here_with_its_traceback() -> None:
    def boom(g: int) -> int:
        if g == 7:
            raise ValueError(f"bad group {g}")
        return g

    with pytest.raises(ValueError, match="bad group 7") as caught:
        list(parallel.map_groups(boom, list(range(20)), processes=2))
    cause = caught.value.__cause__
    assert isinstance(cause, parallel.WorkerError)
    assert "in boom" in str(cause)  # the worker's own traceback


def test_an_exception_that_cannot_be_pickled_still_arrives() -> None:
    class Odd(Exception):
        def __reduce__(self) -> Any:
            raise TypeError("not picklable")

    def boom(g: int) -> int:
        if g == 3:
            raise Odd("odd one")
        return g

    with pytest.raises(parallel.WorkerError, match="odd one"):
        list(parallel.map_groups(boom, list(range(10)), processes=2))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    # A worker killed mid-task (out of memory, a signal) must not leave the run
    # hanging: the parent sees its pipe close and says so.
    parallel.reap()  # workers other tests' runs left to end
    before = _children()

    def die(g: int) -> int:
        if g == 5:
            os._exit(9)
        return g

    with pytest.raises(parallel.WorkerError, match="ended"):
        list(parallel.map_groups(die, list(range(30)), processes=2))
    assert _children() == before


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_caller_that_stops_early_ends_the_workers() -> None:
    import time

    parallel.reap()  # workers other tests' runs left to end
    before = _children()

    def slow(g: int) -> int:
        time.sleep(0.005)
        return g

    it = parallel.map_groups(slow, list(range(200)), processes=2)
    assert next(it) == 0
    it.close()  # the caller stops reading: the workers are ended and reaped
    assert _children() == before


def test_results_hold_their_dossier_on_every_path(repo: Path) -> None:
    r = open_repo(repo)
    today = dt.date.fromisoformat(AS_OF)
    cold = validate_repository(r, today=today, jobs=2)
    warm = validate_repository(open_repo(repo), today=today, jobs=2)
    plain = validate_repository(open_repo(repo), today=today, use_cache=False, jobs=1)
    for a, b, c in list(zip(cold.results, warm.results, plain.results, strict=True))[:: N // 30]:
        assert a.project == b.project == c.project
        assert a.findings == b.findings == c.findings
        assert a.dossier == b.dossier == c.dossier  # loaded again when asked for
        assert a.dossier_id == c.dossier_id


def test_deadline_data_is_what_compute_gives(repo: Path) -> None:
    from golmud_cli.core.deadlines import compute

    r = open_repo(repo)
    today = dt.date.fromisoformat(AS_OF)
    ids = r.project_ids()
    cold, skipped, bad, _ = cache.deadline_data(r, ids, today, jobs=2)
    warm, skipped2, _, _ = cache.deadline_data(open_repo(repo), ids, today)
    plain = validate_repository(open_repo(repo), today=today, use_cache=False, jobs=1)
    loaded = [res for res in plain.results if res.dossier is not None]
    assert [d.project for d in cold] == [res.project for res in loaded] == [d.project for d in warm]
    assert skipped == skipped2 == [res.file for res in plain.results if res.dossier is None]
    assert bad is False
    for data, res in zip(warm, loaded, strict=True):
        d = res.dossier
        assert d is not None
        assert list(data.deadlines) == compute(d, r.settings.policy, today)
        assert (data.name, data.unit) == (d.name, d.unit)
        assert data.rectification_findings == tuple(x.finding for x in d.rectifications)
    assert sum(len(d.deadlines) for d in warm) > N  # the repository has deadlines to speak of


def test_no_progress_bar_off_a_terminal(cli: Cli, repo: Path) -> None:
    r = cli("validate", "--repo", repo, "--as-of", AS_OF, "-j", "2")
    assert r.exit_code == 1
    assert "━" not in r.stdout + r.stderr and "\x1b[" not in r.stdout + r.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plain_report_is_what_rich_prints(repo: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = validate_repository(open_repo(repo), today=dt.date.fromisoformat(AS_OF), jobs=1)
    assert len(run.findings) > 20

    def report() -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            reporters.report_validation(run, fmt="text", lang=lang, strict=False)
        return out.getvalue()

    plain = report()
    monkeypatch.setattr(reporters, "_write_plain", lambda _out, _text: False)
    assert report() == plain


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_deadline_report_is_what_rich_prints(repo: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from golmud_cli.core import deadline_report as cmd
    from golmud_cli.reporters import deadlines as rep
    from golmud_cli.services import listing

    r = open_repo(repo)
    today = dt.date.fromisoformat(AS_OF)
    from_cache = cmd.build(listing.load_cached(r, r.project_ids(), today), r.settings.policy, today,
                           within=None, show_all=True)
    from_models = cmd.build(listing.load_dossiers(r, r.project_ids(), today), r.settings.policy, today,
                            within=None, show_all=True)
    assert from_cache == from_models and len(from_cache.entries) > N

    def report() -> str:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rep.report_deadlines(from_cache, fmt="text", lang=lang)
        return out.getvalue()

    plain = report()
    monkeypatch.setattr(reporters, "_write_plain", lambda _out, _text: False)
    assert report() == plain


@pytest.mark.parametrize("as_of", [AS_OF, "2025-06-01"])
def test_the_portfolio_from_the_cache_is_the_one_from_the_models(repo: Path, as_of: str) -> None:
    """`gtx status` reads the cache (cold: filling it; warm: answered by it); its rows
    and totals equal those built from every model, today and as of a past date."""
    from golmud_cli.core import portfolio as cmd
    from golmud_cli.services import listing as dl_cmd

    r = open_repo(repo)
    today = dt.date.fromisoformat(as_of)
    policy = r.settings.policy
    from_models = cmd.build(dl_cmd.load_dossiers(r, r.project_ids(), today), policy, today)
    cold = cmd.build(dl_cmd.load_cached(r, r.project_ids(), today), policy, today)
    warm = cmd.build(dl_cmd.load_cached(r, r.project_ids(), today), policy, today)
    assert cold == warm == from_models
    assert len(from_models.rows) == N - len(from_models.skipped) and len(from_models.by_stage) > 5
    if as_of == AS_OF:  # the generator's suspended and provincial projects, as they stand now
        assert any(row.resume_to is not None for row in warm.rows) and any(row.exempt for row in warm.rows)


def test_a_negative_jobs_is_a_usage_error(cli: Cli, repo: Path) -> None:
    for lang, words in (("zh", "--jobs 须为 0"), ("en", "--jobs takes 0")):
        r = cli("validate", "--repo", repo, "--jobs", "-1", "--lang", lang)
        assert r.exit_code == 2 and words in r.stderr and r.stdout == ""


def _stderr_on_a_terminal(repo: Path, *args: str, env: dict[str, str]) -> str:
    """Run gtx with stderr on a pseudo-terminal (stdout a pipe); what the terminal got."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    # stdout is not read here: a pipe nobody drains blocks gtx once it fills (64 KiB)
    proc = subprocess.Popen([sys.executable, "-m", "golmud_cli", *args], cwd=repo, env=env,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        got += chunk
    proc.communicate()
    os.close(master)
    return got.decode("utf-8", "replace")


def test_progress_on_a_terminal_only_for_text_and_never_in_ci(repo: Path) -> None:
    import os

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "GTX_LANG")}
    env["PYTHONPATH"] = str(ROOT)
    base = ["validate", "--as-of", AS_OF, "--no-cache", "-j", "1"]
    shown = _stderr_on_a_terminal(repo, *base, env=env)
    assert f"/{N}" in shown  # the bar's count, e.g. 120/300
    assert f"/{N}" not in _stderr_on_a_terminal(repo, *base, "--format", "json", env=env)
    assert f"/{N}" not in _stderr_on_a_terminal(repo, *base, env={**env, "CI": "true"})
