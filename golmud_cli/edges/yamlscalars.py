"""YAML 1.2 core-schema resolution of a plain scalar, exactly as the loader does it
(dates stay text for the model; `0979...` phone numbers only become numbers when all
digits). One copy, shared by edges/loader.py (the reference, on ruamel's C events) and
edges/fastyaml.py (the strict-subset fast path), so the two can never resolve apart.
The characters the loader refuses in a file are here for the same reason: the fast
path refuses every line holding one, so a text it reads passes the loader's checks."""

from __future__ import annotations

import re
from typing import Any

# The C0/C1 controls YAML forbids, and the bidirectional overrides and isolates: no
# dossier needs them, and in a name or a comment they make a reviewer or a terminal
# show text other than what is stored ("Trojan Source", CVE-2021-42574).
UNPRINTABLE_CHARS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
)
_UNPRINTABLE = re.compile(f"[{UNPRINTABLE_CHARS}]")
# The line breaks YAML 1.1 knows besides '\n' (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR):
# git diff and editors show none (loader.decode refuses them).
HIDDEN_BREAKS = "\x85\u2028\u2029"

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
# A plain scalar can be a number only if it starts with one of these (_resolve_plain).
_NUMERIC_START = frozenset("0123456789+-.")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o[0-7_]+|[-+]?[0-9][0-9_]*|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


def _resolve_plain(value: str) -> Any:
    if value in _NULL:
        return None
    b = _BOOL.get(value)
    if b is not None:
        return b
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            v = value.replace("_", "")
            sign = -1 if v.startswith("-") else 1
            v = v.lstrip("+-")
            try:
                if v.startswith("0b"):
                    return sign * int(v[2:], 2)
                if v.startswith("0o"):
                    return sign * int(v[2:], 8)
                if v.startswith("0x"):
                    return sign * int(v[2:], 16)
                return sign * int(v)
            except ValueError:
                return value
        if _FLOAT.match(value):
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
    return value
