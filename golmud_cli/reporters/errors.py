"""The one error printer of `commands.run_guarded`: a worded message on stderr."""

from __future__ import annotations

import sys


def error(text: str) -> None:
    print(text, file=sys.stderr)
