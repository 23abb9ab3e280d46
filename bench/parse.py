"""Parse only, one core: loader.build (ruamel's C parser events) against the fast path
(edges/fastyaml.py, with build() for what it hands over), on the project.yaml files of
a repository made by bench/generate.py (docs/benchmarks.md, "The fast YAML path").

    python bench/generate.py /tmp/fy -n 2000
    python bench/parse.py /tmp/fy --runs 5

CPU time (time.process_time) of one pass over every file, the passes of the two paths
interleaved; the medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from golmud_cli.edges import fastyaml, loader  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repo", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    texts = []
    for p in sorted(args.repo.glob("dossiers/*/project.yaml")):
        text, _ = loader.decode(p.read_bytes(), str(p), None)
        if text is not None:
            texts.append(text)

    def fast(t: str) -> Any:
        d = fastyaml.parse(t)
        return loader.build(t) if d is fastyaml.FALLBACK else d

    def one(f: Callable[[str], Any]) -> float:
        t0 = time.process_time()
        for t in texts:
            try:
                f(t)
            except Exception:  # a refusal costs what it costs
                pass
        return time.process_time() - t0

    handed = sum(fastyaml.parse(t) is fastyaml.FALLBACK for t in texts)
    times: dict[str, list[float]] = {"build": [], "fast": []}
    for _ in range(args.runs):
        times["build"].append(one(loader.build))
        times["fast"].append(one(fast))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"{len(texts)} files, {sum(map(len, texts)) / len(texts):.0f} characters on average, "
        f"{handed} handed over to ruamel"
    )
    for k, v in times.items():
        print(f"{k}: median {med[k]:.3f} s CPU ({', '.join(f'{x:.3f}' for x in v)})")
    print(f"ratio build / fast: {med['build'] / med['fast']:.2f}x")


if __name__ == "__main__":
    main()
