"""Text from the repository made safe to print (docs/security.md, Terminal output).

A folder name, a file name or a value can hold a terminal escape sequence (ESC [2J
clears the screen, ESC ]8 forges a link, a carriage return overwrites the line) or
a line break: printed as it is, it would let a hostile commit draw its own
"all good" on a reviewer's terminal or forge a line of a CI log. Every text
reporter passes such text through `visible`; JSON needs nothing (json.dumps
escapes every control character itself).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the Unicode line/paragraph separators, the bidirectional
# overrides and isolates (CVE-2021-42574), and the lone surrogates by which Python
# stands for file-name bytes that are not UTF-8 (surrogateescape).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _show(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\n`,
    `\\u2028`, `\\xff` for a byte that is not UTF-8). With keep_newlines, line
    breaks stay (a report of several lines built by gtx itself)."""
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text  # the usual case, without building a new string
    return pattern.sub(_show, text)
