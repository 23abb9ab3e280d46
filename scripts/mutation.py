"""Mutation testing of gtx's core with mutmut 3 (docs/testing.md).

The modules mutated and the tests run are in pyproject.toml, [tool.mutmut]; the mutants
judged equivalent, each with its reason, in tests/mutation_equivalents.toml. This script
reads mutmut's results under mutants/ and never changes the package.

    python scripts/mutation.py report [--markdown]   # per module, after `mutmut run`
    python scripts/mutation.py sample --seed S -n N  # CI: N mutants drawn with seed S, each
                                                     # run against its module's test files

`report` exits 1 when a mutant survives that is not listed as equivalent (or an entry of
the list no longer matches its mutant); `sample` exits 1 when a sampled one survives.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
SELECTION = ROOT / "tests" / "mutation_selection.toml"

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into what a report needs
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "killed",
}


@dataclass(frozen=True)
class Equivalent:
    mutant: str
    change: str  # the mutated line as mutmut shows it (after "+"), stripped
    reason: str


def load_equivalents() -> dict[str, Equivalent]:
    data = tomllib.loads(EQUIVALENTS.read_text("utf-8"))
    out: dict[str, Equivalent] = {}
    for e in data.get("equivalent", []):
        out[e["mutant"]] = Equivalent(e["mutant"], e["change"].strip(), e["reason"])
    return out


def results() -> dict[str, dict[str, int | None]]:
    """{module file: {mutant name: exit code or None (not run)}} from mutants/**/*.meta."""
    out: dict[str, dict[str, int | None]] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        if codes:
            out[meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")] = codes
    return out


def status(code: int | None) -> str:
    return "not run" if code is None else STATUS.get(code, "suspicious")


def diff(name: str) -> str:
    """`mutmut show NAME`'s diff, in this process (a `mutmut show` each took seconds, and
    the report shows every survivor and checks every equivalent entry)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return get_diff_for_mutant(name)
    except Exception as e:  # a mutant no longer generated: the stale check reports it
        return f"(no diff: {e})"
    finally:
        os.chdir(cwd)


def added_lines(d: str) -> list[str]:
    return [
        line[1:].strip()
        for line in d.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]


def removed_lines(d: str) -> list[str]:
    return [
        line[1:].strip()
        for line in d.splitlines()
        if line.startswith("-") and not line.startswith("---")
    ]


def stale(eq: dict[str, Equivalent], names: set[str]) -> list[str]:
    """Entries whose mutant is gone or no longer makes the change they were judged on.
    A mutant that only removes a line (a keyword argument on a line of its own) adds
    none: its entry names the line removed."""
    bad = []
    for e in eq.values():
        if e.mutant not in names:
            continue
        d = diff(e.mutant)
        if e.change not in (added_lines(d) or removed_lines(d)):
            bad.append(f"{e.mutant}: no longer `{e.change}`")
    return bad


def pct(score: float | None, unit: str) -> str:
    """A module none of whose mutants has run yet has no score (not 100 %)."""
    return "-" if score is None else f"{score:.1f}{unit}"


def report(markdown: bool) -> int:
    res = results()
    if not res:
        print("no results under mutants/: run `make mutate` first", file=sys.stderr)
        return 2
    eq = load_equivalents()
    rows = []
    alive: list[str] = []
    for module, codes in res.items():
        c = Counter(status(code) for code in codes.values())
        equivalent = sum(1 for n, code in codes.items() if n in eq and status(code) == "survived")
        survived = c["survived"] - equivalent
        alive += [
            n
            for n, code in codes.items()
            if status(code) in ("survived", "no tests") and n not in eq
        ]
        judged = c["killed"] + c["timeout"] + survived + c["no tests"]
        score = 100.0 * (c["killed"] + c["timeout"]) / judged if judged else None
        rows.append(
            (
                module,
                len(codes),
                c["killed"],
                c["timeout"],
                survived,
                equivalent,
                c["no tests"],
                c["not run"] + c["suspicious"],
                score,
            )
        )
    head = (
        "module",
        "mutants",
        "killed",
        "timeout",
        "survived",
        "equivalent",
        "no tests",
        "not run",
        "score",
    )
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join([f"`{r[0]}`", *map(str, r[1:-1]), pct(r[-1], " %")]) + " |")
    else:
        print(f"{head[0]:38} " + " ".join(f"{h:>10}" for h in head[1:]))
        for r in rows:
            print(f"{r[0]:38} " + " ".join(f"{v:>10}" for v in r[1:-1]) + f" {pct(r[-1], '%'):>10}")
    problems = stale(eq, {n for codes in res.values() for n in codes})
    for p in problems:
        print(f"stale equivalent entry: {p}", file=sys.stderr)
    for name in alive:
        print(f"\nsurvived, not judged equivalent: {name}\n{diff(name)}", file=sys.stderr)
    return 1 if alive or problems else 0


def generate(jobs: int) -> None:
    """mutmut's generation step alone (no test run), so the names can be sampled."""
    from mutmut.__main__ import (
        copy_also_copy_files,
        copy_src_dir,
        create_mutants,
        setup_source_paths,
        store_lines_covered_by_tests,
    )
    from mutmut.mutation.trampoline import set_mutant_under_test

    set_mutant_under_test("mutant_generation")
    MUTANTS.mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    store_lines_covered_by_tests()
    create_mutants(jobs)


def selection() -> tuple[dict[str, list[str]], list[str]]:
    """The test files per module (tests/mutation_selection.toml) and the options every
    run of the selection takes (pyproject.toml: `-m`, `--deselect`, the plugins)."""
    table = tomllib.loads(SELECTION.read_text("utf-8"))["tests"]
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    sel = cfg["pytest_add_cli_args_test_selection"]
    opts = [
        a for i, a in enumerate(sel) if not a.startswith("tests/") or sel[i - 1] == "--deselect"
    ]
    return table, ["-x", "-q", "--rootdir=.", *opts, *cfg["pytest_add_cli_args"]]


def files_of(name: str, table: dict[str, list[str]]) -> list[str]:
    best = max((m for m in table if name.startswith(m + ".")), key=len, default=None)
    if best is None:
        raise SystemExit(f"{name}: its module has no test files in {SELECTION.name}")
    return table[best]


def pytest_in_copy(mutant: str, args: list[str], limit: float) -> tuple[int, float]:
    """pytest in mutants/ with `mutant` active (mutmut's trampolines read the variable)."""
    start = time.monotonic()
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant}
    try:
        r = subprocess.run(
            [sys.executable, "-m", "pytest", *args],
            cwd=MUTANTS,
            env=env,
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
        )
        code = r.returncode
    except subprocess.TimeoutExpired:
        code = 36  # mutmut's "timeout": the mutant made its tests run on
    return code, time.monotonic() - start


def sample(seed: int, n: int, jobs: int, module: str = "") -> int:
    """N mutants drawn with the seed, each run against its module's test files (no stats
    pass: mutmut's would map every test of the selection first, minutes before the
    first mutant). A survivor fails the run."""
    from concurrent.futures import ThreadPoolExecutor

    start = time.monotonic()
    os.chdir(ROOT)
    generate(jobs)
    eq = load_equivalents()
    names = sorted(
        n for codes in results().values() for n in codes if n not in eq and n.startswith(module)
    )
    chosen = sorted(random.Random(seed).sample(names, min(n, len(names))))
    table, args = selection()
    files = {name: files_of(name, table) for name in chosen}
    print(
        f"mutation sample: seed {seed}, {len(chosen)} of {len(names)} non-equivalent mutants "
        f"(generated in {time.monotonic() - start:.0f} s)"
    )
    every = list(dict.fromkeys(f for fs in files.values() for f in fs))
    code, took = pytest_in_copy("", [*args, *every], 1800)
    print(f"clean run of {len(every)} test files: exit {code} in {took:.0f} s")
    if code != 0:
        print("the tests fail without a mutant: fix them first", file=sys.stderr)
        return 2
    limit = max(120.0, 3 * took)

    def one(name: str) -> tuple[str, int, float]:
        return (name, *pytest_in_copy(name, [*args, *files[name]], limit))

    alive = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, code, took in pool.map(one, chosen):
            verdict = status(code)
            print(f"  {verdict:9} {took:5.1f} s  {name}")
            if verdict not in ("killed", "timeout"):
                alive.append(name)
    for name in alive:
        print(f"\nsurvived: {name}\n{diff(name)}", file=sys.stderr)
    took = time.monotonic() - start
    print(f"mutation sample: {len(chosen) - len(alive)} of {len(chosen)} killed in {took:.0f} s")
    if alive:
        print(
            "a sampled mutant survived: a test lost its strength, or the mutant is equivalent "
            "(then add it with its reason to tests/mutation_equivalents.toml)",
            file=sys.stderr,
        )
    return 1 if alive else 0


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("report", help="per-module scores of the last run")
    rp.add_argument("--markdown", action="store_true")
    sp = sub.add_parser("sample", help="run a seeded sample of the mutants")
    sp.add_argument("--seed", type=int, required=True)
    sp.add_argument("-n", type=int, default=40)
    sp.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    sp.add_argument("--module", default="", help="draw only mutants whose name starts so")
    a = ap.parse_args()
    if a.command == "report":
        return report(a.markdown)
    return sample(a.seed, a.n, a.jobs, a.module)


if __name__ == "__main__":
    sys.exit(main())
