"""A note beside a command's report, on stderr so that a json or github report on
stdout stays whole (the interrupted advance that `gtx validate` points out)."""

from __future__ import annotations

import sys


def note(text: str) -> None:
    print(text, file=sys.stderr)
