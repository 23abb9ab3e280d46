"""`make bench`: every scenario of docs/benchmarks.md, side by side with check-jsonschema.

Generates N synthetic dossiers (bench/generate.py) in a temporary git repository, then
times each scenario several times and prints a table of medians, the ratio to the
peer measured in the same run (interleaved, pair by pair), and the peak memory of the
whole process tree (gtx and its worker processes, sampled from /proc). Times are of
this machine, shared and noisy: the ratios count more than the seconds.

    python bench/run.py -n 10000 --runs 3 --markdown docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

AS_OF = "2026-11-30"
NEXT_DAY = "2026-12-01"  # the first run of a new day (issue 17)
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


GTX = tool("gtx")
# The peer as a user gets it: `pip install check-jsonschema` in its own environment
# (ruamel.yaml 0.19 then runs without its C extension, docs/benchmarks.md). `make bench`
# makes that environment and names it here; otherwise the one beside gtx is used.
PEER = (
    str(Path(os.environ["GTX_BENCH_PEER"]).resolve())
    if os.environ.get("GTX_BENCH_PEER")
    else tool("check-jsonschema")
)


def peer_has_clib() -> bool:
    python = Path(PEER).parent / "python"
    if not python.exists():
        return False
    probe = "import importlib.util as u; print(u.find_spec('_ruamel_yaml') is not None)"
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    return out.stdout.strip() == "True"


# --- measuring ------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (worker processes too)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo.extend(_children(p))
    return total


@dataclass
class Sample:
    seconds: float
    rc: int
    peak_kb: int = 0


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str], *, memory: bool = False) -> Sample:
    """One run, stdout discarded (not a terminal: no progress bar, as in CI)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    if memory:
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.01)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.stderr.write(
            f"bench: {' '.join(cmd[:3])} ... exited {proc.returncode}: {err.decode(errors='replace')[-800:]}\n"
        )
    return Sample(seconds, proc.returncode, peak)


@dataclass
class Row:
    scenario: str
    target: str
    limit: float | None  # seconds, for the verdict
    gtx: list[float] = field(default_factory=list)
    peer: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    min_ratio: float | None = None
    peak_kb: int = 0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.gtx)

    def verdict(self) -> str:
        ok = self.limit is None or self.median <= self.limit
        if self.min_ratio is not None and self.ratios:
            ok = ok and statistics.median(self.ratios) >= self.min_ratio
        return "yes" if ok else "NO"


# --- the scenarios -----------------------------------------------------------------------------


def bench_env(work: Path) -> dict[str, str]:
    """The environment of every timed run: a home of its own under `work` with a git
    identity, no GIT_/GTX_ variable of the caller, plain output. This process's git
    (the generator's commits) gets the same home."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("[user]\n\tname = gtx bench\n\temail = bench@example.invalid\n")
    # PYTHONDONTWRITEBYTECODE (set in some shells and CI images) would make every run
    # compile gtx's modules again (0.2-0.4 s, 2026-12-01): a user's gtx has its bytecode
    # cached after the first run, and so does the benchmark's.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "GTX_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        LC_ALL="C.UTF-8",
        NO_COLOR="1",
    )
    os.environ.update({k: env[k] for k in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")})
    return env


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("-n", type=int, default=10000, help="number of dossiers (default 10000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per scenario (default 3)")
    ap.add_argument(
        "--peer-runs",
        type=int,
        default=None,
        help="runs of check-jsonschema on all files (default: --runs)",
    )
    ap.add_argument(
        "--markdown", type=Path, help="also write the report to this file (e.g. docs/benchmarks.md)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = ap.parse_args()
    peer_runs = args.peer_runs or args.runs

    args.load_at_start = (
        " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    )
    work = Path(tempfile.mkdtemp(prefix="gtx-bench-"))
    repo = work / "repo"
    env = bench_env(work)
    try:
        t0 = time.perf_counter()
        stats = generate.generate(repo, args.n)
        gen_s = time.perf_counter() - t0
        print(
            f"generated {stats['dossiers']} dossiers ({stats['invalid']} invalid), {stats['attachments']} "
            f"attachments, {stats['bytes'] / stats['dossiers']:.0f} bytes per project.yaml, in {gen_s:.0f} s",
            flush=True,
        )
        args.capacity_start, args.spin_start = parallel_capacity()
        rows = scenarios(repo, env, args.runs, peer_runs)
        args.capacity_end, args.spin_end = parallel_capacity()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {repo}")
    text = report(rows, stats, args)
    print(text)
    if args.markdown:
        # a hand-written part after KEEP (the fast YAML path's figures) survives the rewrite
        old = args.markdown.read_text("utf-8") if args.markdown.exists() else ""
        kept = old[old.index(KEEP) :] if KEEP in old else ""
        args.markdown.write_text(text + ("\n" + kept if kept else ""), "utf-8")
        print(f"written to {args.markdown}")
    missed = [r.scenario for r in rows if r.verdict() == "NO"]
    if missed:
        print(f"targets not met on this machine: {'; '.join(missed)}")
    return 1 if missed and args.strict else 0


def scenarios(repo: Path, env: dict[str, str], runs: int, peer_runs: int) -> list[Row]:
    cache = repo / ".git" / "gtx-cache"
    files = sorted(str(p.relative_to(repo)) for p in (repo / "dossiers").glob("*/project.yaml"))
    schema = "schema/dossier.schema.json"
    rows: list[Row] = []

    def gtx(*argv: str, extra: dict[str, str] | None = None) -> Callable[..., Sample]:
        def go(i: int, memory: bool = False) -> Sample:
            return run([GTX, *argv], repo, {**env, **(extra or {})}, memory=memory)

        return go

    def timed(
        row: Row,
        fn: Callable[..., Sample],
        peer: Callable[[int], Sample] | None = None,
        before: Callable[[int], None] | None = None,
        n: int = runs,
    ) -> Row:
        for i in range(n):
            if before is not None:
                before(i)
            g = fn(i)
            row.gtx.append(g.seconds)
            if peer is not None:
                p = peer(i)
                row.peer.append(p.seconds)
                row.ratios.append(p.seconds / g.seconds)
        if before is not None:
            before(n)
        row.peak_kb = fn(n, memory=True).peak_kb
        rows.append(row)
        print(f"  {row.scenario}: median {row.median:.3f} s", flush=True)
        return row

    def drop_cache(_i: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    timed(Row("`gtx --version`", "≤ 0.15 s", 0.15), gtx("--version"), n=max(runs, 5))
    timed(Row("`gtx --help`", "≤ 0.15 s", 0.15), gtx("--help"), n=max(runs, 5))

    peer_all = lambda _i: run([PEER, "--schemafile", schema, *files], repo, env)  # noqa: E731
    timed(
        Row(
            f"`gtx validate`, {len(files):,} dossiers, cold (no cache)",
            "≤ 3 s and ≥ 20× check-jsonschema",
            3.0,
            min_ratio=20.0,
        ),
        gtx("validate", "--as-of", AS_OF),
        peer=peer_all,
        before=drop_cache,
        n=peer_runs,
    )
    r = rows[-1]
    r.note = "cache removed before each run; all cores (`--jobs 0`)"

    one = Row(
        f"`gtx validate -j 1`, {len(files):,} dossiers, cold (one process)", "(for reference)", None
    )
    timed(one, gtx("validate", "--as-of", AS_OF, "--jobs", "1"), before=drop_cache, n=1)

    gtx("validate", "--as-of", AS_OF)(0)  # warm the cache
    timed(
        Row(f"`gtx validate`, {len(files):,} dossiers, nothing changed", "≤ 0.3 s", 0.3),
        gtx("validate", "--as-of", AS_OF),
    )
    gtx("validate", "--as-of", AS_OF, "--format", "json")(0)  # its first run keeps it
    timed(
        Row(
            f"`gtx validate --format json`, {len(files):,} dossiers, nothing changed",
            "≤ 0.3 s",
            0.3,
        ),
        gtx("validate", "--as-of", AS_OF, "--format", "json"),
    )
    # The same without the kept runs (edges/cache/runs.py): the result cache alone, as
    # when anything a run read has just changed.
    no_memo = {"GTX_RUN_MEMO": "0"}
    timed(
        Row(
            f"`gtx validate`, {len(files):,} dossiers, nothing changed, `GTX_RUN_MEMO=0`",
            "(for reference)",
            None,
        ),
        gtx("validate", "--as-of", AS_OF, extra=no_memo),
    )

    # The first run of a new day: the cache as the day before left it, each time.
    snapshot = repo.parent / "cache-day-before"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(cache, snapshot)

    def day_before(_i: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(snapshot, cache)

    r = timed(
        Row(
            f"`gtx validate`, {len(files):,} dossiers, first run of a new day",
            "≤ 0.3 s",
            0.3,
        ),
        gtx("validate", "--as-of", NEXT_DAY),
        before=day_before,
    )
    r.note = f"the cache as a run --as-of {AS_OF} left it, then --as-of {NEXT_DAY}"
    day_before(0)

    changed = [files[len(files) // 7], files[len(files) // 2], files[-3]]

    def edit(i: int) -> None:
        # a new comment each time: new content, so neither run is answered by the cache
        for f in changed:
            p = repo / f
            text = p.read_text("utf-8").split("\n# bench edit")[0]
            p.write_text(text + f"\n# bench edit {i}\n", "utf-8")

    peer_changed = lambda _i: run([PEER, "--schemafile", schema, *changed], repo, env)  # noqa: E731
    timed(
        Row(f"`gtx validate --changed-since HEAD`, 3 of {len(files):,} changed", "≤ 0.5 s", 0.5),
        gtx("validate", "--as-of", AS_OF, "--changed-since", "HEAD"),
        peer=peer_changed,
        before=edit,
    )
    subprocess.run(["git", "checkout", "-q", "--", *changed], cwd=repo, env=env, check=True)
    # files written this recently are not trusted by a kept run (edges/cache/runs.py,
    # RACY_NS): the warm rows below start once they are older, as a clerk's files are
    time.sleep(2.1)
    # What finding the changed dossiers takes (repo.changed_projects: git's queries at once
    # and one listing of dossiers/, with Python's start): the floor under that scenario,
    # since the working tree must be looked at file by file.
    git_alone = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from golmud_cli.edges.repo import changed_projects; "
        "changed_projects(Path(sys.argv[1]), 'HEAD')",
        str(repo),
    ]
    timed(
        Row(
            "(finding the changed dossiers alone: git and one listing, `repo.changed_projects`)",
            "(for reference)",
            None,
        ),
        lambda i, memory=False: run(git_alone, repo, env, memory=memory),
    )

    gtx("deadlines", "--as-of", AS_OF)(0)  # warm (the validate cache serves it too)
    timed(
        Row(f"`gtx deadlines`, {len(files):,} dossiers, warm", "≤ 0.5 s", 0.5),
        gtx("deadlines", "--as-of", AS_OF),
    )
    timed(
        Row(
            f"`gtx deadlines`, {len(files):,} dossiers, warm, `GTX_RUN_MEMO=0`",
            "(for reference)",
            None,
        ),
        gtx("deadlines", "--as-of", AS_OF, extra=no_memo),
    )

    # The portfolio from the same cache (issue 17: text ≤ 1 s, json ≤ 0.5 s).
    for fmt, limit, note in (
        ("json", 0.5, ""),
        ("text", 1.0, "a table of every project (stdout not a terminal: rich's default width)"),
    ):
        gtx("status", "--as-of", AS_OF, "--format", fmt)(0)  # its first run keeps it
        r = timed(
            Row(
                f"`gtx status --format {fmt}`, {len(files):,} dossiers, warm",
                f"≤ {limit:g} s",
                limit,
            ),
            gtx("status", "--as-of", AS_OF, "--format", fmt),
        )
        r.note = note

    adv = advance_setup(repo, env)
    if adv is not None:
        project, sign_s = adv
        gtx("validate", "--as-of", AS_OF)(0)

        def undo(i: int) -> None:
            if i > 0:
                subprocess.run(
                    ["git", "reset", "-q", "--hard", "HEAD~1"], cwd=repo, env=env, check=True
                )

        row = Row(
            f"`gtx advance` (draft → proposed, signed) in {len(files):,} dossiers",
            "≤ 1 s + signing",
            1.0 + sign_s,
        )
        timed(
            row,
            gtx(
                "advance",
                project,
                "proposed",
                "--date",
                "2026-11-20",
                "--ref",
                "proposal",
                "--as-of",
                AS_OF,
            ),
            before=undo,
        )
        row.note = f"the signing tool alone (ssh-keygen -Y sign): {sign_s:.3f} s"
        undo(1)
    return rows


def parallel_capacity() -> tuple[float, float]:
    """How many cores this machine really gives: the work of two CPU-bound processes run
    at once, over the time of one (2.0 = two free cores; other work lowers it); and the
    time of the one, a yardstick of one core's speed to set runs of other days against
    (a shared virtual machine's core is not always as fast: its host may be busy)."""
    spin = [sys.executable, "-c", "x = 0\nfor i in range(6_000_000): x += i"]
    t = time.perf_counter()
    subprocess.run(spin, check=True)
    one = time.perf_counter() - t
    t = time.perf_counter()
    procs = [subprocess.Popen(spin) for _ in range(2)]
    for p in procs:
        p.wait()
    two = time.perf_counter() - t
    return 2 * one / two, one


def advance_setup(repo: Path, env: dict[str, str]) -> tuple[str, float] | None:
    """A signer for the unit of a draft dossier, SSH signing configured; returns that
    dossier and the signing tool's own time (median of 5)."""
    if not shutil.which("ssh-keygen"):
        return None
    drafts = sorted(
        p.parent.name for p in (repo / "dossiers").glob("*social-assistance*/project.yaml")
    )
    if not drafts:
        return None
    key = repo.parent / "signer"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench@gtx", "-f", str(key)],
        check=True,
    )
    line = key.with_suffix(".pub").read_text().strip()
    settings = repo / "gtx.yaml"
    text = settings.read_text("utf-8")
    old = "  格尔木市民政局:\n    signers: []"
    if old not in text:
        return None
    settings.write_text(
        text.replace(
            old, f'  格尔木市民政局:\n    signers:\n      - name: 测试签署人\n        key: "{line}"'
        ),
        "utf-8",
    )
    for cfg in (["gpg.format", "ssh"], ["user.signingkey", str(key)], ["commit.gpgsign", "false"]):
        subprocess.run(["git", "config", *cfg], cwd=repo, env=env, check=True)
    subprocess.run(
        ["git", "commit", "-q", "-m", "bench signer", "gtx.yaml"], cwd=repo, env=env, check=True
    )
    msg = repo.parent / "msg"
    msg.write_text("tree 0\nauthor bench\n\nbench\n")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(
            ["ssh-keygen", "-Y", "sign", "-q", "-f", str(key), "-n", "git", str(msg)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - t)
        Path(str(msg) + ".sig").unlink(missing_ok=True)
    return drafts[0], statistics.median(times)


# --- the report ---------------------------------------------------------------------------------


def _version(cmd: list[str]) -> str:
    try:
        return (
            subprocess.run(cmd, capture_output=True, text=True, check=False)
            .stdout.strip()
            .splitlines()[0]
        )
    except (OSError, IndexError):
        return "?"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


KEEP = "<!-- kept by bench/run.py -->"


def report(rows: list[Row], stats: dict[str, int], args: argparse.Namespace) -> str:
    nproc = os.cpu_count() or 0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem = 0.0
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py) from its own run; the scenarios and targets are the",
        "project's performance targets (the target column). Medians of the timed runs; the ratio is check-jsonschema's time",
        "over gtx's, pair by pair in the same run (its median). Peak memory: the whole process tree (gtx",
        "and its worker processes), sampled every 10 ms in one extra run.",
        "",
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- machine: {nproc} cores (nproc), {mem:.0f} GiB, {_cpu()}; load average (1/5/15 min) at the start "
        f"{args.load_at_start}, at the end {load} (other work shares the machine)",
        f"- cores this run could use: two CPU-bound processes at once did {args.capacity_start:.2f}× the work "
        f"of one before the run, {args.capacity_end:.2f}× after it (2.00 = two free cores); the cold "
        "runs with several worker processes depend on it",
        f"- one core's speed: a pure-Python loop of 6,000,000 additions took {args.spin_start:.2f} s before "
        f"the run and {args.spin_end:.2f} s after it (compare runs of other days by it: every figure "
        "below scales with it)",
        f"- Python {platform.python_version()}, {_version([GTX, '--version'])}, {_version([PEER, '--version'])} (its own environment: ruamel.yaml.clib {'present' if peer_has_clib() else 'absent, as pip installs it'})",
        f"- repository: {stats['dossiers']:,} dossiers ({stats['invalid']:,} invalid in ten ways, "
        f"{stats.get('lifecycle', 0):,} full-lifecycle: operating, self- or post-evaluated, with every "
        "document and attachment), "
        f"{stats['attachments']:,} attachments, {stats['bytes'] / stats['dossiers']:.0f} bytes per project.yaml "
        "on average (derived from the samples in dossiers/, comments left out), one git commit",
        f"- runs per scenario: {args.runs} (check-jsonschema on every file: {args.peer_runs or args.runs})",
        "",
        "| scenario | target | gtx (median) | check-jsonschema (median) | ratio | peak memory | meets target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        peer = f"{statistics.median(r.peer):.2f} s" if r.peer else "—"
        ratio = f"{statistics.median(r.ratios):.1f}×" if r.ratios else "—"
        secs = f"{r.median:.3f} s" if r.median < 1 else f"{r.median:.2f} s"
        out.append(
            f"| {r.scenario} | {r.target} | {secs} | {peer} | {ratio} | {r.peak_kb / 1024:.0f} MB | "
            f"{r.verdict() if r.limit is not None or r.min_ratio is not None else '—'} |"
        )
    worst = max(rows, key=lambda r: r.peak_kb)
    peak_mb = worst.peak_kb / 1024
    out += [
        "",
        f"Peak memory over every scenario: {peak_mb:.0f} MB ({worst.scenario}); target ≤ 300 MB: "
        f"{'yes' if peak_mb <= 300 else 'NO'}.",
    ]
    notes = [f"- {r.scenario}: {r.note}" for r in rows if r.note]
    if notes:
        out += ["", *notes]
    out += ["", "Every run of every scenario, in seconds:", ""]
    for r in rows:
        peer = f"; check-jsonschema {', '.join(f'{x:.2f}' for x in r.peer)}" if r.peer else ""
        out.append(f"- {r.scenario}: gtx {', '.join(f'{x:.3f}' for x in r.gtx)}{peer}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
