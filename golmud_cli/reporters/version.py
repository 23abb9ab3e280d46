"""`gtx --version`: one line, nothing heavy imported (the start-up budget of
docs/benchmarks.md: <= 0.15 s)."""

from __future__ import annotations

import sys


def write(version: str) -> None:
    sys.stdout.write(f"gtx {version}\n")
