"""`make bench-scale`: how gtx's time and memory grow with the repository (issue 17, item 4).

For each size (default 10,000 and 100,000 dossiers of bench/generate.py's mix) it
generates a repository, then measures, with the peak resident memory of the whole
process tree (gtx and its worker processes):

- cold `gtx validate` (no cache, every core), once;
- warm `gtx validate`, `gtx deadlines` and `gtx status --format json`, nothing changed;
- warm `gtx validate` after editing 1, 10 and 100 dossiers (so the time of a warm run
  can be set against the number of dossiers changed).

It prints microseconds per dossier beside each time: a run linear in the number of
dossiers keeps that figure as the repository grows tenfold. `--markdown` writes the
table into docs/benchmarks.md's "Scale" section (below bench/run.py's kept marker, so
`make bench` keeps it).

    python bench/scale.py --sizes 10000 100000 --markdown docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import AS_OF, GTX, KEEP, Sample, bench_env, parallel_capacity, run  # noqa: E402

SECTION = "## Scale: 10,000 to 100,000 dossiers (issue 17, item 4)"
END = "<!-- end of scale -->"
MEMORY_LIMIT_MB = 1024  # issue 17: at most 1 GB at 100,000 dossiers


def measure(repo: Path, env: dict[str, str], runs: int) -> list[tuple[str, list[float], int]]:
    """(scenario, seconds of each run, peak KB of the tree in one extra sampled run)."""
    cache = repo / ".git" / "gtx-cache"
    out: list[tuple[str, list[float], int]] = []

    def timed(
        name: str,
        argv: list[str],
        n: int,
        before: Callable[[int], None] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        secs: list[float] = []
        peak = 0
        for i in range(n + 1):  # the last run is sampled for memory, not timed
            if before is not None:
                before(i)
            s: Sample = run([GTX, *argv], repo, {**env, **(extra or {})}, memory=(i == n))
            if i < n:
                secs.append(s.seconds)
            else:
                peak = s.peak_kb
        out.append((name, secs, peak))
        print(
            f"  {name}: {', '.join(f'{x:.2f}' for x in secs)} s; {peak / 1024:.0f} MB", flush=True
        )

    def drop(_i: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    timed("`gtx validate`, cold (no cache)", ["validate", "--as-of", AS_OF], 1, drop)
    run([GTX, "validate", "--as-of", AS_OF], repo, env)  # a cache every later run finds
    timed("`gtx validate`, warm, nothing changed", ["validate", "--as-of", AS_OF], runs)
    timed("`gtx deadlines`, warm", ["deadlines", "--as-of", AS_OF], runs)
    timed(
        "`gtx status --format json`, warm", ["status", "--as-of", AS_OF, "--format", "json"], runs
    )
    # The same from the result cache alone (a kept run answers the ones above: when
    # anything a run read has changed, this is the cost)
    off = {"GTX_RUN_MEMO": "0"}
    timed("`gtx validate`, warm, `GTX_RUN_MEMO=0`", ["validate", "--as-of", AS_OF], runs, extra=off)
    timed(
        "`gtx deadlines`, warm, `GTX_RUN_MEMO=0`", ["deadlines", "--as-of", AS_OF], runs, extra=off
    )
    timed(
        "`gtx status --format json`, warm, `GTX_RUN_MEMO=0`",
        ["status", "--as-of", AS_OF, "--format", "json"],
        runs,
        extra=off,
    )
    files = sorted((repo / "dossiers").glob("*/project.yaml"))
    for k in (1, 10, 100):
        picked = files[:: max(1, len(files) // k)][:k]

        def edit(i: int, picked: list[Path] = picked) -> None:
            # new content each run, so the cache cannot answer for these files
            for p in picked:
                text = p.read_text("utf-8").split("\n# scale edit")[0]
                p.write_text(text + f"\n# scale edit {i}\n", "utf-8")

        timed(f"`gtx validate`, warm, {k} changed", ["validate", "--as-of", AS_OF], runs, edit)
    return out


def table(results: dict[int, list[tuple[str, list[float], int]]]) -> list[str]:
    sizes = sorted(results)
    head = "| scenario | " + " | ".join(f"{n:,} dossiers" for n in sizes)
    head += " | time ratio (×10 dossiers) |" if len(sizes) == 2 else " |"
    lines = [head, "|---" * (len(sizes) + 1 + (len(sizes) == 2)) + "|"]
    for i, (name, _, _) in enumerate(results[sizes[0]]):
        cells = []
        medians = []
        for n in sizes:
            _, secs, peak = results[n][i]
            m = statistics.median(secs)
            medians.append(m)
            cells.append(f"{m:.2f} s, {m / n * 1e6:.0f} µs/dossier, {peak / 1024:.0f} MB")
        row = f"| {name} | " + " | ".join(cells)
        if len(sizes) == 2:
            row += f" | {medians[1] / medians[0]:.1f}× |"
        else:
            row += " |"
        lines.append(row)
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument(
        "--generate-only", action="store_true", help="make the repositories (--work) and stop"
    )
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each warm scenario")
    ap.add_argument("--markdown", type=Path, help="write the Scale section of this file")
    ap.add_argument("--keep", action="store_true", help="keep the generated repositories")
    ap.add_argument(
        "--work",
        type=Path,
        help="a folder kept between runs: a repository of the same size found there is "
        "used again (its edits undone) instead of generated (100,000 take minutes)",
    )
    args = ap.parse_args()
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="gtx-scale-"))
    keep = args.keep or args.work is not None
    env = bench_env(work)
    load_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    capacity, spin = parallel_capacity()
    results: dict[int, list[tuple[str, list[float], int]]] = {}
    generated: dict[int, str] = {}
    try:
        for n in args.sizes:
            repo = work / f"repo-{n}"
            t0 = time.perf_counter()
            stats_file = work / f"repo-{n}.json"
            if (repo / ".git").is_dir() and stats_file.exists():
                subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, env=env, check=True)
                stats = json.loads(stats_file.read_text("utf-8"))
                how = "used again"
            else:
                shutil.rmtree(repo, ignore_errors=True)
                stats = generate.generate(repo, n)
                stats_file.write_text(json.dumps(stats), "utf-8")
                how = f"generated in {time.perf_counter() - t0:.0f} s"
            generated[n] = (
                f"{n:,} dossiers ({stats['lifecycle']:,} full-lifecycle, {stats['invalid']:,} "
                f"invalid), {stats['attachments']:,} attachments, {how}"
            )
            print(generated[n], flush=True)
            if args.generate_only:
                continue
            results[n] = measure(repo, env, args.runs)
            if not keep:
                shutil.rmtree(repo, ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    if args.generate_only:
        return 0
    capacity_end, spin_end = parallel_capacity()
    peak_mb = max(p for rows in results.values() for _, _, p in rows) / 1024
    text = [
        SECTION,
        "",
        "Written by `make bench-scale` (bench/scale.py). Medians of "
        f"{args.runs} runs (cold: one run); memory: the peak resident memory of gtx and its "
        "worker processes, sampled every 10 ms in one more run. A time linear in the number "
        "of dossiers keeps its µs/dossier as the repository grows; the last column is the "
        "time at the largest size over the time at the smallest.",
        "",
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores (nproc); "
        f"load average at the start {load_start}, at the end "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- one core's speed (6,000,000 additions in pure Python): {spin:.2f} s before, "
        f"{spin_end:.2f} s after; two processes at once did {capacity:.2f}× / {capacity_end:.2f}× "
        "the work of one (2.00 = two free cores)",
        *(f"- {g}" for g in generated.values()),
        "",
        *table(results),
        "",
        f"Peak memory over every run: {peak_mb:.0f} MB; target ≤ {MEMORY_LIMIT_MB} MB: "
        f"{'yes' if peak_mb <= MEMORY_LIMIT_MB else 'NO'}.",
        "",
        END,
    ]
    out = "\n".join(text) + "\n"
    print(out)
    if args.markdown:
        old = args.markdown.read_text("utf-8") if args.markdown.exists() else ""
        if SECTION in old:
            start = old.index(SECTION)
            stop = old.index(END, start) + len(END) + 1 if END in old[start:] else len(old)
            new = old[:start] + out + old[stop:]
        elif KEEP in old:
            new = old.rstrip("\n") + "\n\n" + out
        else:
            new = old.rstrip("\n") + f"\n\n{KEEP}\n" + out
        args.markdown.write_text(new, "utf-8")
        print(f"written to {args.markdown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
