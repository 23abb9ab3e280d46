"""Editing project.yaml for a transition or a correction without disturbing anything
else (pure).

A stage transition changes exactly two things: the `stage` line and one appended
`history` entry (docs/lifecycle.md). A clerk's comments, blank lines, quote style and key
order must survive, so the edit is made on the text at the positions a round-trip
parse reports, and the result is parsed again and compared with what was meant.
Only when that text edit cannot be made (a flow-style history that is not `[]`) does
ruamel's round-trip dumper write the file, with the settings that keep it
byte-identical (docs/library-pitfalls.md: preserve_quotes, width=4096,
indent(mapping=2, sequence=4, offset=2)); its result is checked the same way.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from golmud_cli.edges import loader

_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@` \t")
# Words YAML 1.1 tools read as booleans or null: quoted, so every reader agrees.
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


class EditError(Exception):
    """The file cannot be edited safely (it should not happen to a valid dossier)."""


@dataclass(frozen=True, slots=True)
class NewHistoryEntry:
    """A history entry as it will be written: key order stage, date, role, refs, note."""

    stage: str
    date: str  # ISO
    role: str
    refs: Sequence[str] = ()
    note: str | None = None

    def as_data(self) -> dict[str, Any]:
        d: dict[str, Any] = {"stage": self.stage, "date": self.date, "role": self.role}
        if self.refs:
            d["refs"] = list(self.refs)
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True, slots=True)
class Labels:
    """Comment labels: the old and new stage's and the new role's (Chinese)."""

    old_stage: str = ""
    new_stage: str = ""
    role: str = ""


def scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string: plain when
    that is safe, otherwise double-quoted (JSON's escapes are valid YAML)."""
    import json

    if (
        text
        and text[0] not in _PLAIN_UNSAFE_START
        and text == text.strip()
        and "\n" not in text
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not _DATE_LIKE.match(text)
        and text.lower() not in _YAML11_WORDS
    ):
        data = loader.load(f"k: {text}\n".encode(), "-", None).data
        if data == {"k": text}:
            return text
    return json.dumps(text, ensure_ascii=False)


def _rt_load(text: str) -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    try:
        return y.load(text)
    except Exception as e:  # any parse fault: the caller reports the dossier's findings
        raise EditError(f"round-trip parse failed: {type(e).__name__}") from None


def _is_map(node: Any) -> bool:
    return isinstance(node, Mapping) and hasattr(node, "lc")


def _comment_col(line: str, start: int) -> int | None:
    """Column of an end-of-line comment that starts after `start` (plain values only)."""
    m = re.search(r"\s#", line[start:])
    return start + m.start() + 1 if m else None


def _eol(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def advance_text(text: str, entry: NewHistoryEntry, labels: Labels = Labels()) -> str:
    """The file after the transition: `stage` set and `entry` appended to `history`."""
    before = loader.load(text.encode("utf-8"), "-", None).data
    if not isinstance(before, dict) or not isinstance(before.get("history"), list):
        raise EditError("project.yaml has no history list")
    expected = copy.deepcopy(before)
    expected["stage"] = entry.stage
    expected["history"].append(entry.as_data())

    def dump(doc: Any) -> None:
        doc["stage"] = entry.stage
        _append(doc, "history", entry.as_data())

    return _checked(text, expected, lambda: _edit_text(text, entry, labels), dump)


def _checked(
    text: str, expected: Any, by_text: Callable[[], str], dump: Callable[[Any], None]
) -> str:
    """The edit made on the text, or else by ruamel's round-trip dumper (`dump` changes the
    loaded document), whichever reads back as `expected`."""
    try:
        result: str | None = by_text()
    except EditError:
        result = None
    if result is None or loader.load(result.encode("utf-8"), "-", None).data != expected:
        result = _dumped(text, dump)
        if loader.load(result.encode("utf-8"), "-", None).data != expected:
            raise EditError("the edited file does not read back as intended")
    return result


def _edit_text(text: str, entry: NewHistoryEntry, labels: Labels) -> str:
    doc: Any = _rt_load(text)
    if not _is_map(doc) or "stage" not in doc or "history" not in doc:
        raise EditError("stage or history missing")
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    history = doc["history"]
    # the new entry's comments (stage, role labels) in the columns of the last one's
    stage_cc = role_cc = None
    last: Any = history[-1] if len(history) else None
    if _is_map(last):
        if "stage" in last:
            sl, sc = last.lc.value("stage")
            stage_cc = _comment_col(lines[sl], sc)
        if "role" in last:
            rl, rc = last.lc.value("role")
            role_cc = _comment_col(lines[rl], rc)
    insert_at, dash_col, key_col = _slot(doc, "history", lines, nl)

    new = _render(entry, labels, dash_col, key_col, stage_cc, role_cc, nl)

    # --- the stage line: the value token replaced, its comment kept in its column ---
    sl, sc = doc.lc.value("stage")
    line = lines[sl]
    if line[sc : sc + 1] in ("'", '"'):
        q = line[sc]
        end = line.index(q, sc + 1) + 1
        token = f"{q}{entry.stage}{q}"
    else:
        m = re.match(r"[^\s#]+", line[sc:])
        if not m:
            raise EditError("stage value not found")
        end = sc + m.end()
        token = entry.stage
    rest = line[end:].rstrip("\r\n")
    cm = re.match(r"(\s*)(#.*)?$", rest)
    if cm is None:
        raise EditError("unexpected text after stage")
    comment = cm.group(2)
    if comment is not None:
        ccol = end + len(cm.group(1))
        if labels.old_stage and labels.new_stage and comment[1:].strip() == labels.old_stage:
            comment = f"# {labels.new_stage}"
        pad = max(1, ccol - (sc + len(token)))
        tail = " " * pad + comment
    else:
        tail = cm.group(1)
    lines[sl] = line[:sc] + token + tail + (_eol(line) or "")

    lines[insert_at:insert_at] = new
    return "".join(lines)


def _slot(doc: Any, key: str, lines: list[str], nl: str) -> tuple[int, int, int]:
    """Where a new item of the list `key` goes: (line index, dash column, key column).
    An empty `[]` becomes a block list: the brackets go, a comment keeps its column,
    and the item follows the key at the usual indentation."""
    seq = doc[key]
    _, k_col = doc.lc.key(key)
    v_line, v_col = doc.lc.value(key)
    if len(seq) == 0:
        line = lines[v_line]
        if line[v_col : v_col + 1] != "[":
            raise EditError(f"empty {key} is not written as []")
        close = line.index("]", v_col)
        rest = line[close + 1 :]
        body = line[:v_col] + " " * (close + 1 - v_col) + rest.rstrip("\r\n")
        if not rest.strip():
            body = body.rstrip()
        lines[v_line] = body + (_eol(line) or nl)
        return v_line + 1, k_col + 2, k_col + 4
    if seq.fa.flow_style():
        raise EditError(f"flow-style {key}")
    dash_col = seq.lc.col
    last_line, key_col = seq.lc.item(len(seq) - 1)
    if key_col <= dash_col:
        raise EditError("unexpected sequence layout")
    insert_at = _block_end(lines, last_line, dash_col, key_col)
    if insert_at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    return insert_at, dash_col, key_col


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], last_line: int, dash_col: int, key_col: int) -> int:
    """The index just after the last line that belongs to the final sequence item:
    blank lines and comments at the item's outer edge stay where they are."""
    end = last_line + 1
    for i in range(last_line + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped:
            continue
        ind = _indent(lines[i])
        if stripped.startswith("#"):
            if ind >= key_col:
                end = i + 1
            continue
        if ind > dash_col:
            end = i + 1
            continue
        break
    return end


def _render(
    entry: NewHistoryEntry,
    labels: Labels,
    dash_col: int,
    key_col: int,
    stage_cc: int | None,
    role_cc: int | None,
    nl: str,
) -> list[str]:
    def with_comment(line: str, col: int | None, label: str) -> str:
        if col is None or not label:
            return line
        return line + " " * max(1, col - len(line)) + f"# {label}"

    lead = " " * dash_col + "-" + " " * (key_col - dash_col - 1)
    pad = " " * key_col
    out = [
        with_comment(f"{lead}stage: {entry.stage}", stage_cc, labels.new_stage),
        f"{pad}date: {entry.date}",
        with_comment(f"{pad}role: {entry.role}", role_cc, labels.role),
    ]
    if entry.refs:
        out.append(f"{pad}refs: [{', '.join(entry.refs)}]")
    if entry.note:
        out.append(f"{pad}note: {scalar(entry.note)}")
    return [line + nl for line in out]


def _dumped(text: str, change: Callable[[Any], None]) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    doc = y.load(text)
    change(doc)
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def _append(doc: Any, key: str, data: dict[str, Any]) -> None:
    """`data` appended to the list `key` (made right after history when missing)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    item = CommentedMap()
    for k, v in data.items():
        if k in ("date", "corrected"):
            v = dt.date.fromisoformat(v)
        elif k == "refs":
            v = CommentedSeq(v)
            v.fa.set_flow_style()
        item[k] = v
    if key not in doc:
        doc.insert(list(doc).index("history") + 1, key, CommentedSeq())
    seq = doc[key]
    if len(seq) == 0:
        seq.fa.set_block_style()
    seq.append(item)


# --- a correction of an act's date (gtx correct) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Correction:
    """A `corrections` entry as it will be written: entry, date, corrected, role, reason."""

    entry: int  # 1-based, as gtx show numbers history
    date: str  # ISO
    corrected: str  # ISO
    role: str
    reason: str

    def as_data(self) -> dict[str, Any]:
        return {
            "entry": self.entry,
            "date": self.date,
            "corrected": self.corrected,
            "role": self.role,
            "reason": self.reason,
        }


def correction_text(text: str, c: Correction) -> str:
    """The file with `c` appended to `corrections` (the list made after `history`
    when there is none); nothing else changes, comments and layout included."""
    before = loader.load(text.encode("utf-8"), "-", None).data
    if not isinstance(before, dict) or not isinstance(before.get("history"), list):
        raise EditError("project.yaml has no history list")
    if not isinstance(before.get("corrections", []), list):
        raise EditError("corrections is not a list")
    expected = copy.deepcopy(before)
    expected["corrections"] = [*expected.get("corrections", []), c.as_data()]
    return _checked(
        text,
        expected,
        lambda: _correction_edit(text, c),
        lambda doc: _append(doc, "corrections", c.as_data()),
    )


def _correction_edit(text: str, c: Correction) -> str:
    doc: Any = _rt_load(text)
    if not _is_map(doc) or "history" not in doc:
        raise EditError("history missing")
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    head: list[str] = []
    if "corrections" in doc:
        insert_at, dash_col, key_col = _slot(doc, "corrections", lines, nl)
    else:
        # a new list right after history, laid out as history is
        history = doc["history"]
        if not len(history) or history.fa.flow_style():
            raise EditError("no block history to follow")
        _, hk_col = doc.lc.key("history")
        dash_col = history.lc.col
        last_line, key_col = history.lc.item(len(history) - 1)
        insert_at = _block_end(lines, last_line, dash_col, key_col)
        if insert_at == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += nl
        head = [" " * hk_col + "corrections:" + nl]
    lead = " " * dash_col + "-" + " " * (key_col - dash_col - 1)
    pad = " " * key_col
    body = [
        f"{lead}entry: {c.entry}",
        f"{pad}date: {c.date}",
        f"{pad}corrected: {c.corrected}",
        f"{pad}role: {c.role}",
        f"{pad}reason: {scalar(c.reason)}",
    ]
    lines[insert_at:insert_at] = head + [line + nl for line in body]
    return "".join(lines)
