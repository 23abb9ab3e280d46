"""The `gtx` program: answer a command again from a kept run when nothing it read has
changed (golmud_cli/edges/cache/runs.py), else run the CLI (golmud_cli/cli.py) and
keep what it wrote when the command allows it.

Kept apart from cli.py so that an answered command never loads typer, rich, pydantic
or the rules (about 0.1 s of imports before any work, docs/benchmarks.md).
"""

from __future__ import annotations

import io
import os
import sys

from golmud_cli.edges.cache import runs

TYPE_CHECKING = False  # typing itself costs ~15 ms at start-up: a type only
if TYPE_CHECKING:
    from typing import Any


def run() -> None:
    """The `gtx` program (the console script, `python -m golmud_cli`): main(), then the
    end of the process without Python freeing, one by one, every object the command
    made: after a cold run over 10,000 dossiers that teardown alone took ~0.3 s
    (docs/benchmarks.md). What the command wrote is flushed and the exit handlers run
    first, as at a normal exit; a flush that fails ends through the normal exit, which
    reports it as before."""
    try:
        main()
        code: Any = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)  # a message: Python prints it and exits 1
    try:
        _flush()
    except BaseException:  # the normal exit reports it, as it always did
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()  # a failing handler is printed and passed over, as at exit
    try:
        _flush()  # what the handlers wrote
    except BaseException:
        os._exit(120)  # what Python's own exit gives when the last flush fails
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        # the same line as cli.py's eager --version (reporters/version.py), without
        # loading typer for it (docs/benchmarks.md: <= 0.15 s)
        from golmud_cli import __version__

        sys.exit(_replay([(1, f"gtx {__version__}\n".encode())], 0))
    try:
        kept = runs.lookup(argv)
    except KeyboardInterrupt as e:
        sys.exit(_as_the_command_would(e))
    if kept is not None:
        sys.exit(_replay(*kept))
    rec = runs.start(argv)
    from golmud_cli.cli import main as cli_main

    if rec is None:
        cli_main()
        return
    log: list[runs.Chunk] = []
    status: str | int | None = 0
    with _Capture(log):
        try:
            cli_main()
        except SystemExit as e:
            status = e.code
    status = 0 if status is None else status
    if isinstance(status, int):
        runs.finish(rec, log, status)
    sys.exit(status)


def _replay(chunks: list[runs.Chunk], code: int) -> int:
    """Write the kept bytes to the streams they went to, in the order they went. A
    write that fails (a reader that stopped, a full disk) ends as it would have in
    the command itself: through commands.run_guarded."""
    try:
        for fd, data in chunks:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
    except (OSError, KeyboardInterrupt) as e:
        return _as_the_command_would(e)
    return code


def _as_the_command_would(err: BaseException) -> int:
    """End on `err` (a failed write, Ctrl-C) as a command does: commands.run_guarded
    prints its message in the language asked for and gives the exit code."""
    from golmud_cli import i18n
    from golmud_cli.commands import run_guarded

    def fail(_lang: str) -> int:
        raise err

    return run_guarded(fail, i18n.from_argv())


class _Tee(io.RawIOBase):
    """A raw stream that writes to a file descriptor and notes what it wrote."""

    def __init__(self, fd: int, log: list[runs.Chunk]) -> None:
        self.fd, self.log = fd, log

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        try:
            n = os.write(self.fd, data)
        except OSError:
            runs.forbid()  # a closed pipe, a full disk: the output is not whole
            raise
        self.log.append((self.fd, data[:n]))
        return n

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def fileno(self) -> int:
        return self.fd


class _Capture:
    """sys.stdout and sys.stderr, as they were (encoding, errors, buffering), but
    noting every byte written to file descriptors 1 and 2 while it is in effect."""

    def __init__(self, log: list[runs.Chunk]) -> None:
        self.log = log
        self.saved: list[Any] = []

    def __enter__(self) -> None:
        for name, fd in (("stdout", 1), ("stderr", 2)):
            old = getattr(sys, name)
            self.saved.append(old)
            if old is None or getattr(old, "fileno", None) is None:
                continue
            try:
                if old.fileno() != fd:
                    runs.forbid()  # redirected inside Python: not what was asked for
                    continue
                old.flush()
            except (OSError, ValueError, io.UnsupportedOperation):
                runs.forbid()
                continue
            new = io.TextIOWrapper(
                io.BufferedWriter(_Tee(fd, self.log)),
                encoding=old.encoding,
                errors=old.errors,
                line_buffering=old.line_buffering,
                write_through=getattr(old, "write_through", False),
            )
            setattr(sys, name, new)

    def __exit__(self, *exc: object) -> None:
        for name, old in zip(("stdout", "stderr"), self.saved, strict=True):
            new = getattr(sys, name)
            if new is not old:
                try:
                    new.flush()
                except (OSError, ValueError):
                    runs.forbid()
                setattr(sys, name, old)
