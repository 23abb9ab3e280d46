"""Checking many dossiers on several cores (docs/benchmarks.md: 10,000 cold in <= 3 s).

Worker processes are forked, so they inherit the repository, the settings, the loaded
modules and the task itself (a closure needs no pickling) instead of importing and
reading them again; they take items by index and send back plain rows (no model
objects: pickling a dossier costs more than checking it). Below a threshold, or
where fork does not exist, or with --jobs 1, everything runs in this process: the
answers are the same either way. map_groups runs caller-made groups, one task each,
for work that is whole only per group (a cold cache's results files,
pipeline/batch.py).

The workers are plain os.fork() children talking over two pipes each, not a
multiprocessing.Pool (issue 17): the pool's own threads cost this process ~0.2-0.3 s
of CPU in a cold 10,000-dossier run -- its worker-handler thread waits on the result
pipe too and spins while each result is read -- which on two cores is taken from the
workers; and importing multiprocessing took ~50 ms before the first fork. Here the
parent hands each worker an index (4 bytes) and reads its length-prefixed answers
(marshal, or pickle where marshal cannot) in order, with nothing running between. A
worker that fails sends its exception back (raised here, with its traceback as the
cause); one that dies is reported as such, never waited for forever.
"""

from __future__ import annotations

import gc
import marshal
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Under this many items a pool costs more than it saves.
THRESHOLD = 200
CHUNK = 64
# Tasks given to each worker ahead of its answers: it starts the next one while this
# process reads the last, and no worker waits for an index.
AHEAD = 2


class WorkerError(RuntimeError):
    """A worker process failed or ended before its work was done."""


def workers(jobs: int, n: int) -> int:
    """How many processes for n items: --jobs (0 = one per core), 1 below the threshold."""
    if n < THRESHOLD or not hasattr(os, "fork"):
        return 1
    want = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(want, (n + CHUNK - 1) // CHUNK))


def map_ordered(
    task: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 0,
    on_progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Generator[R, None, None]:
    """task(item) for every item, in order; in forked workers when worth it.

    `task` may be a closure: the workers are forked after it is set, so it needs no
    pickling; only the results cross between processes. `meanwhile`: see map_groups
    (called only when there are workers).
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
) -> Generator[R, None, None]:
    """task(group) for every group, in order, each group a task of its own in one of
    `processes` forked workers (nothing run here: the caller warms this process up
    before, so that the workers inherit what a first item imports). For work that is
    whole only per group: a cold cache's results files, each written by the worker
    that checked every project it holds (pipeline/batch.py).

    `meanwhile` is called here once the workers have their first tasks: what the
    caller will need after the last result (the report's imports), made while this
    process would only wait for results, rather than after them (on two cores it
    then shares a core with a worker instead of adding to the wall time)."""
    gc.freeze()  # as map_ordered
    try:
        yield from _forked(task, groups, processes, meanwhile)
    finally:
        gc.unfreeze()


def _map(
    task: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    on_progress: Callable[[int], None] | None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
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

    def run_chunk(chunk: Sequence[T]) -> list[R]:
        return [task(item) for item in chunk]

    for out in _forked(run_chunk, chunks, n, meanwhile):
        yield from out
        if on_progress is not None:
            on_progress(len(out))


# --- the workers ------------------------------------------------------------------------


def _forked(
    task: Callable[[T], R],
    items: Sequence[T],
    processes: int,
    meanwhile: Callable[[], None] | None,
) -> Iterator[R]:
    """task(item) for every item, in order, in `processes` forked workers; each
    worker is given the index of its next item as it answers one (AHEAD in hand)."""
    import select

    reap()  # an earlier run's workers, long ended by now
    procs: list[tuple[int, int, int]] = []  # (pid, fd to give indices, fd to read answers)
    finished = False
    try:
        for _ in range(processes):
            give_r, give_w = os.pipe()
            answer_r, answer_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                code = 1
                try:
                    # only this worker's own ends stay open here: a worker then sees
                    # the end of its input when this process goes, however it goes
                    for fd in (give_w, answer_r, *(f for _, w, r in procs for f in (w, r))):
                        os.close(fd)
                    _serve(task, items, give_r, answer_w)
                    code = 0
                finally:
                    # no atexit handlers, no flushing of buffers copied from this process
                    os._exit(code)
            os.close(give_r)
            os.close(answer_w)
            procs.append((pid, give_w, answer_r))

        poll = select.poll()
        slot_of: dict[int, int] = {}
        for k, (_, _, fd) in enumerate(procs):
            poll.register(fd, select.POLLIN)
            slot_of[fd] = k
        given: list[deque[int]] = [deque() for _ in procs]
        todo = iter(range(len(items)))

        def give(k: int) -> None:
            i = next(todo, None)
            if i is not None:
                try:
                    os.write(procs[k][1], i.to_bytes(4, "little"))
                except BrokenPipeError:  # not this process's output: the worker is gone
                    raise WorkerError(f"worker process {procs[k][0]} ended early") from None
                given[k].append(i)

        for _ in range(AHEAD):
            for k in range(len(procs)):
                give(k)
        if meanwhile is not None:
            meanwhile()
        answers: dict[int, Any] = {}
        for want in range(len(items)):
            while want not in answers:
                for fd, _ in poll.poll():
                    k = slot_of[fd]
                    message = _receive(fd)
                    if message is None or not given[k]:
                        raise WorkerError(
                            f"worker process {procs[k][0]} ended before its work was done"
                        )
                    answers[given[k].popleft()] = message
                    give(k)
            yield _answer(_unpacked(answers.pop(want)))
        finished = True
    finally:
        _end(procs, finished)


def _serve(task: Callable[[Any], Any], items: Sequence[Any], give: int, answer: int) -> None:
    """A worker's loop: read an index, answer task(items[index]), until no more come."""
    import signal

    # Ctrl-C reaches the whole process group: the parent ends its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        head = _exactly(give, 4)
        if head is None:
            return  # the parent closed its end: nothing more to do
        try:
            payload = _packed((True, task(items[int.from_bytes(head, "little")])))
        except BaseException as e:  # sent back whole, raised in the parent
            payload = _failure(e)
        data = memoryview(len(payload).to_bytes(8, "little") + payload)
        while data:
            data = data[os.write(answer, data) :]


def _packed(message: tuple[Any, ...]) -> bytes:
    """An answer's bytes: marshal for plain data (the rows and cache entries a check
    sends are tuples, bytes, text and numbers: no import, and faster than pickle),
    pickle for anything else (a finding object, a subclass: marshal refuses those
    rather than change their type)."""
    try:
        return b"M" + marshal.dumps(message)
    except ValueError:
        import pickle

        return b"P" + pickle.dumps(message, pickle.HIGHEST_PROTOCOL)


def _unpacked(payload: bytes) -> Any:
    body = memoryview(payload)[1:]
    if payload[:1] == b"M":
        return marshal.loads(body)
    import pickle

    return pickle.loads(body)


def _failure(e: BaseException) -> bytes:
    """A worker's exception as an answer: its traceback's text, and the exception
    itself when it can be pickled."""
    import pickle
    import traceback

    text = "".join(traceback.format_exception(e))
    try:
        exc = pickle.dumps(e, pickle.HIGHEST_PROTOCOL)
    except Exception:  # the text says it all
        exc = b""
    return b"P" + pickle.dumps((False, text, exc), pickle.HIGHEST_PROTOCOL)


def _answer(message: tuple[Any, ...]) -> Any:
    if message[0]:
        return message[1]
    import pickle

    text, exc = message[1], message[2]
    cause = WorkerError(f"in a worker process:\n{text}")
    try:
        e = pickle.loads(exc) if exc else None
    except Exception:  # an exception that cannot be rebuilt here
        e = None
    if not isinstance(e, BaseException):
        raise cause
    raise e from cause


def _exactly(fd: int, n: int) -> bytes | None:
    """n bytes from the pipe, or None at its end (nothing, or a message cut short)."""
    chunk = os.read(fd, n)
    if len(chunk) == n or not chunk:
        return chunk or None
    parts = [chunk]
    got = len(chunk)
    while got < n:
        chunk = os.read(fd, n - got)
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _receive(fd: int) -> bytes | None:
    """One length-prefixed message from a worker, or None when it has ended."""
    head = _exactly(fd, 8)
    if head is None:
        return None
    return _exactly(fd, int.from_bytes(head, "little"))  # never empty: a tag byte first


# Workers of runs that ended normally, not waited for yet: each ends by itself once
# its pipe closes, while this process goes on with the report (waiting for them at once
# took a cold 10,000-dossier run ~10-20 ms after its last result); reap() waits for
# them, at the latest when the process exits.
_LEFT: list[int] = []


def _end(procs: list[tuple[int, int, int]], finished: bool) -> None:
    """Close the pipes (a worker at its next read then ends by itself). After a run
    that got every answer the workers are left to end (reap()); otherwise (an error,
    an interruption, a caller that stopped reading) they are ended and waited for."""
    import signal

    for _, give_w, answer_r in procs:
        os.close(give_w)
        os.close(answer_r)
    if finished:
        if not _LEFT:
            import atexit

            atexit.register(reap)  # once per batch of leftovers (reap() unregisters)
        _LEFT.extend(pid for pid, _, _ in procs)
        return
    for pid, _, _ in procs:
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def reap() -> None:
    """Wait for the workers of runs that ended normally (_end)."""
    import atexit

    atexit.unregister(reap)
    while _LEFT:
        try:
            os.waitpid(_LEFT.pop(), 0)
        except ChildProcessError:
            pass
