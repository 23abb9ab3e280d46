"""repo.read_limited: a file's bytes, never more than limit + 1 of them, whatever the
file's size and whatever its stat says (the first read is sized by the stat, issue 17)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.edges import repo

SIZES = [0, 1, 3466, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 7]
LIMITS = [0, 1, 3465, 3466, 1 << 20, 3 << 20]


@pytest.mark.parametrize("size", SIZES)
def test_every_size_under_every_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "project.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    for limit in LIMITS:
        assert repo.read_limited(path, limit) == data[: limit + 1], (size, limit)
    assert repo.read_limited(str(path)) == data


@pytest.mark.parametrize("told", [0, 1, 10, 1 << 30])
def test_a_stat_that_lies_only_changes_the_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: int
) -> None:
    # a file that grew after its stat, or a regular file whose stat says 0 (procfs)
    path = tmp_path / "project.yaml"
    data = b"a: 1\n" * 300_000
    path.write_bytes(data)
    real = os.fstat

    class Told:
        def __init__(self, st: os.stat_result) -> None:
            self.st = st

        def __getattr__(self, name: str) -> Any:
            return told if name == "st_size" else getattr(self.st, name)

    monkeypatch.setattr(os, "fstat", lambda fd: Told(real(fd)))
    for limit in (0, 4, 5, 1 << 20, 8 << 20):
        assert repo.read_limited(path, limit) == data[: limit + 1], limit
