"""Checking many dossiers on several cores (docs/benchmarks.md: 10,000 cold in <= 5 s).

Worker processes are forked, so they inherit the repository, the settings and the
loaded modules instead of importing and reading them again; they take chunks of
projects and send back plain rows (no model objects: pickling a dossier costs more
than checking it). Below a threshold, or where fork does not exist, or with
--jobs 1, everything runs in this process: the answers are the same either way.
map_groups runs caller-made groups, one task each, for work that is whole only per
group (a cold cache's results files, pipeline/batch.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Under this many items a pool costs more than it saves (start-up ~30 ms per worker).
THRESHOLD = 200
CHUNK = 64

_TASK: Callable[[Any], Any] | None = None


def workers(jobs: int, n: int) -> int:
    """How many processes for n items: --jobs (0 = one per core), 1 below the threshold."""
    if n < THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    want = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(want, (n + CHUNK - 1) // CHUNK))


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _TASK is not None
    return [_TASK(item) for item in chunk]


def map_ordered(
    task: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 0,
    on_progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    """task(item) for every item, in order; in forked workers when worth it.

    `task` may be a closure: the workers are forked after it is set, so it needs no
    pickling; only the items and the results cross between processes. `meanwhile`:
    see map_groups (called only when there are workers).
    """
    # The checks make many short-lived objects: every full collection would walk all
    # that the imports made (~6 % of a cold run's instructions, docs/benchmarks.md).
    # They are set aside while the items run (forked workers inherit that), and
    # unfrozen after, so that nothing frozen outlives its use.
    gc.freeze()
    try:
        yield from _map(task, items, jobs, on_progress, meanwhile)
    finally:
        gc.unfreeze()


def map_groups(
    task: Callable[[T], R],
    groups: Sequence[T],
    *,
    processes: int,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    """task(group) for every group, in order, each group a task of its own in one of
    `processes` forked workers (nothing run here: the caller warms this process up
    before, so that the workers inherit what a first item imports). For work that is
    whole only per group: a cold cache's results files, each written by the worker
    that checked every project it holds (pipeline/batch.py).

    `meanwhile` is called here once the workers have their first tasks: what the
    caller will need after the last result (the report's imports), made while this
    process would only wait for results, rather than after them (on two cores it
    then shares a core with a worker instead of adding to the wall time)."""
    global _TASK
    gc.freeze()  # as map_ordered
    _TASK = task
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes) as pool:
            results = pool.imap(_run_one, groups)
            if meanwhile is not None:
                meanwhile()
            yield from results
    finally:
        _TASK = None
        gc.unfreeze()


def _run_one(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def _map(
    task: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    on_progress: Callable[[int], None] | None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    global _TASK
    n = workers(jobs, len(items))
    if n <= 1:
        for item in items:
            yield task(item)
            if on_progress is not None:
                on_progress(1)
        return
    # The first item here, before forking: whatever it imports or builds on first use
    # (the model, the rule catalog, the holiday calendar) is then inherited by every
    # worker instead of being imported again in each.
    yield task(items[0])
    if on_progress is not None:
        on_progress(1)
    rest = items[1:]
    # Chunks small enough to balance the load, large enough to keep the overhead low.
    size = max(8, min(CHUNK, len(rest) // (n * 8) or 1))
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    _TASK = task
    ctx = multiprocessing.get_context("fork")
    try:
        with ctx.Pool(n) as pool:
            results = pool.imap(_run_chunk, chunks)
            if meanwhile is not None:
                meanwhile()  # as map_groups
            for out in results:
                yield from out
                if on_progress is not None:
                    on_progress(len(out))
    finally:
        _TASK = None
