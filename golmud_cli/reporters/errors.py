"""The one error printer of `commands.run_guarded`: a worded message on stderr.

A message is wrapped to the width of the terminal that reads it (issue 14: every line
fits, Chinese characters counted double): at word boundaries in English, between
characters in Chinese, never inside a path, a field name or a command
(core/textwidth.wrap keeps a run of Latin letters, digits and punctuation whole). The
text is the same apart from the line breaks. The width is

- COLUMNS when it is set (a CI log, `COLUMNS=80 gtx ...`, a shell that exports it);
- else the terminal's own width when stderr is a terminal;
- else none: a pipe or a file gets each message on its lines as written, for the
  programs that read them (JSON output goes to stdout and is never wrapped).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from golmud_cli.core.textwidth import wrap

# Below this a wrapped message is harder to read than a long line.
MIN_COLUMNS = 20


def columns(stream: TextIO) -> int | None:
    """The width to wrap to for `stream`, or None for no wrapping (see above)."""
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return max(int(env), MIN_COLUMNS)
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, MIN_COLUMNS)
    except (AttributeError, ValueError, OSError):  # a closed or fake stream
        pass
    return None


def fit(text: str, cols: int | None) -> str:
    """`text` with each of its lines wrapped to `cols` display columns (None: as is)."""
    if cols is None:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]  # an indented line stays indented
        out.extend(wrap(body, cols, indent) if body else [line])
    return "\n".join(out)


def error(text: str) -> None:
    print(fit(text, columns(sys.stderr)), file=sys.stderr)
