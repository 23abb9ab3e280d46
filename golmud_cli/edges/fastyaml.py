"""A strict-subset fast path from text to the data `loader.build()` gives (issue 17).

Only the block style gtx writes is read here: block mappings and sequences (compact
`- key: value` items and a sequence at its key's indentation included), plain,
single- and double-quoted scalars on one line (double-quoted without any `\\`
escape), comments, and the empty flow collections `[]` and `{}`. Anything else --
anchors, aliases, tags, block scalars, multi-line scalars, flow collections with
content, tabs, carriage returns, BOMs, directives, `---`/`...`, odd indentation,
duplicate or non-text keys, keys with `:` or `#`, deep nesting, an empty file --
returns FALLBACK, and the caller parses the text with ruamel's C parser
(`loader.build`), which stays the reference and gives every refusal and every
position. tests/edges/test_fastyaml.py holds the two paths to the same answer.

Plain scalars are resolved exactly as `build()` resolves them (YAML 1.2 core schema,
dates and `0979-...` phone numbers kept as text), with the loader's own function.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from golmud_cli.edges.yamlscalars import (
    _BOOL,
    _NULL,
    _NUMERIC_START,
    HIDDEN_BREAKS,
    UNPRINTABLE_CHARS,
    _resolve_plain,
)

FALLBACK: Any = object()  # "not sure: ask ruamel"
MAX_DEPTH = 40  # below the loader's 64: deeper files go to ruamel, which refuses them
MAX_KEY = 128  # libyaml limits a simple key to 1024 characters; stay far below


class _Fallback(Exception):
    pass


# A plain key: no indicator first, no ':' or '#' inside, ': ' or ':' at the end of line.
_KEY = re.compile(r"([^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*):(?: +(.*))?$")
_DQ = re.compile(r'"([^"\\]*)"(?: +#.*)?$')
_SQ = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?$")
# A plain scalar may not start with these (nor with '-', '?', ':' unless '-' precedes a
# digit or a dot: a negative number).
_INDICATORS = frozenset(",[]{}#&*!|>'\"%@`?:")
_DIGITS = frozenset("0123456789")
# A one-line flow sequence of scalars, `[ndrc, finance]`, `[12, 24]`: plain items with
# none of `,[]{}:#'"` in them (nor an indicator first; '-' only before a digit or a
# dot), or quoted ones without escapes; no nesting, no empty item, no trailing comma.
_FLOW_ITEM = (
    r"""(?:'[^']*'|"[^"\\]*"|(?:-(?=[0-9.]))?[^\s,\[\]{}:#&*!|>'"%@`?\-][^,\[\]{}:#'"]*?)"""
)
_FLOW_SEQ = re.compile(rf"\[ *{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})* *\](?: +#.*)?$")
_FLOW_ITEMS = re.compile(rf"({_FLOW_ITEM}) *[,\]]")


def _plain(v: str) -> Any:
    """loader.build()'s resolution of a plain scalar, the same rule in the same order."""
    if v[:1] in _NUMERIC_START:
        if v[4:5] == "-" and v[:4].isdigit():
            return v
        # What _resolve_plain's patterns (~1 us each) come to for the usual numbers and
        # numbers' look-alikes of a dossier (a count, an amount, a certificate number):
        # ASCII digits are _INT's decimal form (short: int() refuses none), digits, a
        # dot and digits _FLOAT's first; a '-' after the first character and no
        # exponent, neither.
        if v.isascii() and len(v) < 20:
            if v.isdigit():
                return int(v)
            whole, dot, part = v.partition(".")
            if dot and whole.isdigit() and (not part or part.isdigit()):
                return float(v)
            if "-" in v[1:] and "e" not in v and "E" not in v:
                return v
        return _resolve_plain(v)
    if v in _NULL:
        return None
    b = _BOOL.get(v)
    return v if b is None else b


def _scalar(v: str) -> Any:
    """A one-line value (non-empty, no leading or trailing space)."""
    c = v[0]
    if c in _DIGITS:
        # dates, phone numbers, counts and amounts, the values a cold run has not seen
        # yet (each dossier has its own): what the general path below comes to for a
        # digit first (no quote, no indicator, no '-'), without its checks
        return _plain(_uncommented(v))
    if c == '"':
        m = _DQ.match(v)
        if m is None:
            raise _Fallback
        return m.group(1)
    if c == "'":
        m = _SQ.match(v)
        if m is None:
            raise _Fallback
        return m.group(1).replace("''", "'")
    cut = v.find(" #")
    if cut >= 0:
        v = v[:cut].rstrip(" ")
    if c in _INDICATORS:
        if v == "[]":
            return []
        if v == "{}":
            return {}
        if c == "[" and _FLOW_SEQ.match(v) is not None:
            return [_flow_item(x) for x in _FLOW_ITEMS.findall(v)]
        raise _Fallback
    if c == "-" and not (len(v) > 1 and (v[1].isascii() and (v[1].isdigit() or v[1] == "."))):
        raise _Fallback
    if ": " in v or v[-1] == ":":
        raise _Fallback
    return _plain(v)


_MARKERS = ("---", "...", "%")
# Characters no line read here holds (_raw_line): tab, CR, BOM, the hidden line breaks
# and every character loader.decode() refuses (the same sets, yamlscalars').
_REFUSED_CHAR = re.compile(f"[\t\r\ufeff{HIDDEN_BREAKS}{UNPRINTABLE_CHARS}]")
# First characters after which a value needs a closer look than "it is text".
_SPECIAL_START = frozenset(_INDICATORS | set("-+.0123456789~nNtTfF"))
_KEY_CHECK = frozenset(_NUMERIC_START | set("~nNtTfF"))


# Memos of what the parser has already judged (a repository's dossiers share their keys
# and most of their non-text values: true, dates, counts). Each answer is a pure
# function of the string; only immutable values are kept, and each memo is bounded.
_MEMO_MAX = 8192
_TEXT_KEYS: set[str] = set()  # keys found to be plain text of an allowed length
_SCALARS: dict[str, Any] = {}  # one-line values, resolved (never a list or a mapping)
_MISSING: Any = object()


def _key_ok(key: str) -> bool:
    """A key the subset takes: no trailing space, short, and text once resolved (a
    number, bool or null as key goes to ruamel, which refuses it)."""
    if key[-1] == " " or len(key) > MAX_KEY:
        return False
    if key[0] in _KEY_CHECK and type(_plain(key)) is not str:
        return False
    if len(_TEXT_KEYS) < _MEMO_MAX:
        _TEXT_KEYS.add(key)
    return True


def _value(v: str) -> Any:
    """_scalar(v), remembered when it is not a collection (`[]`, `{}`, `[a, b]` are new
    objects each time: the data of one dossier shares nothing with another's)."""
    value = _SCALARS.get(v, _MISSING)
    if value is _MISSING:
        value = _scalar(v)
        if type(value) is not list and type(value) is not dict and len(_SCALARS) < _MEMO_MAX:
            _SCALARS[v] = value
    return value


def _flow_item(x: str) -> Any:
    c = x[0]
    if c == "'" or c == '"':
        return x[1:-1]
    return _plain(x.rstrip(" "))


class _Fresh(tuple):  # type: ignore[type-arg]
    """The items of a one-line flow sequence (`[]`, `[a, b]`) read from a remembered
    line: each read makes a new list of them (the items are scalars, immutable), so
    the data of one dossier shares no mutable object with another's. _EMPTY_MAP (`{}`)
    and _OPEN are instances of their own, told apart by identity."""

    __slots__ = ()


_OPEN: Any = _Fresh()  # nothing after the colon: a block (or null) follows
_EMPTY_MAP: Any = _Fresh()  # `{}`: a new mapping each time
# Each `key: value` line already read, as (key, value): the lines of a repository's
# dossiers repeat (`role: unit`, `- stage: filed`, `file: attachments/...`), and
# reading one is a pure function of its text. Bounded like the other memos.
_LINES_MAX = 32768
_LINES: dict[str, tuple[str, Any]] = {}


def _key_line(text: str) -> tuple[str, Any]:
    """(key, value) of one `key: value` line of a block mapping, the value being
    _OPEN when nothing follows the colon, a _Fresh for a collection, or the resolved
    scalar; _Fallback for anything outside the subset."""
    key, colon, rest = text.partition(": ")
    if colon and key in _TEXT_KEYS:
        # a key taken before (the usual line with a value not seen yet): _KEY's match,
        # for such a key holds no ':' or '#' and starts as _KEY wants, and ` +(.*)` is
        # what follows the colon without its spaces
        rest = rest.lstrip(" ")
    else:
        m = _KEY.match(text)
        if m is None:
            raise _Fallback
        key, rest = m.groups()
        if key not in _TEXT_KEYS and not _key_ok(key):
            raise _Fallback  # a key ruamel reads otherwise or refuses
    if not rest or rest[0] == "#":
        return key, _OPEN
    if rest[0] in _SPECIAL_START:
        value = _scalar(rest)
        if type(value) is list:
            return key, _Fresh(value)
        if type(value) is dict:
            return key, _EMPTY_MAP
        return key, value
    return key, _uncommented(rest)  # text, unless a ':' makes it something else


def _uncommented(v: str) -> str:
    """A plain one-line value without its comment; _Fallback when a ':' makes it
    something else than a scalar."""
    if "#" in v:
        cut = v.find(" #")
        if cut >= 0:
            v = v[:cut].rstrip(" ")
    if ":" in v and (": " in v or v[-1] == ":"):
        raise _Fallback
    return v


def _is_item(text: str) -> bool:
    return text[0] == "-" and (len(text) == 1 or text[1] == " ")


def parse(text: str) -> Any:
    """The document's data, or FALLBACK when the text is not in the subset."""
    if len(text) >= -_NO_MIND:
        return FALLBACK  # (no dossier: the loader reads no more than MAX_BYTES)
    try:
        data = _read(text)
    except _Fallback:
        return FALLBACK
    _ACCEPTED.append(text)
    return data


# The last texts parse() read whole: a file with findings is placed (tables()) right
# after it is read, and then need not be judged again. `in` compares the very object
# first, then the text itself, so a text is never taken for another.
_ACCEPTED: deque[str] = deque(maxlen=4)

_NOT_KEY: Any = _Fresh()  # a line that is no `key: value` line (an item, or refused)
# Each raw line already read (indentation included), as an entry (li, key, value, text,
# col) -- a repository's dossiers repeat their lines with their indentation, and one
# lookup of the raw line replaces a regex that split the text into (indentation, text)
# pairs (~40 % of parse's cost, docs/benchmarks.md). text is the line without its
# indentation and trailing spaces; li is the indentation, or ~indentation (negative)
# for every line _read() must not take as the common one -- a scalar's `key: value`
# line in the mapping it reads (a comparison with that mapping's indentation, the
# memo lookup and the store are all such a line costs):
# - a `key: value` line: key and value as _key_line() gives them; li negative when the
#   value is a _Fresh (a block follows, a flow collection); col -2. A line that is no
#   `key: value` line nor an item (refused where it stands): key None, _NOT_KEY;
# - an item line (`-` first), li negative: when the item's node is a `key: value`
#   line, key and value are its own and col is its column (an item of the history or
#   the attachments costs one lookup, no second match of its text), else key None,
#   value _NOT_KEY and col the '-''s indentation;
# - a blank line or a comment: _BLANK, li negative, col -1 and text empty.
# The lines are the text split at '\n'; a line is blank or a comment when its text
# after the indentation is empty or starts with '#' (tabs and the other line breaks
# are refused). A refused line raises _Fallback and is not remembered. Bounded.
_BLANK: tuple[int, Any, Any, str, int] = (-1, None, None, "", -1)


class _RawLines(dict):  # type: ignore[type-arg]
    """The memo of raw lines: a missing line is read (_raw_line) and, while the memo has
    room, remembered. A lookup is dict's own (`map(memo.__getitem__, lines)` runs in C),
    Python runs only on a miss.

    A miss is mostly a known key with a value of this dossier's own (a name, an id, a
    phone number, an amount, a date: ~7 lines a dossier, ~18 k instructions each through
    _raw_line, issue 17). Its head -- the raw line up to its first ': ', that is the
    indentation, an item's '-' and the key -- was judged whole before (_HEADS): only
    the value is left to read, as _key_line reads it. Anything less usual (no head
    known, a character that is not printable, nothing or a comment after the colon, a
    flow collection, a value _Fallback refuses) is _raw_line's, which judges the line
    whole as before."""

    __slots__ = ()

    def __missing__(self, raw: str) -> tuple[int, Any, Any, str, int]:
        head, colon, rest = raw.partition(": ")
        known = _HEADS.get(head) if colon else None
        entry: tuple[int, Any, Any, str, int] | None = None
        if known is not None and rest.isprintable():
            # the head held no refused character and no document marker (its line was
            # read), and every line with this head starts with the same 3+ characters
            # (a key is not empty): _raw_line's checks come to the value's alone
            v = rest.strip(" ")
            if v and v[0] != "#":
                if (
                    "#" not in v
                    and ":" not in v
                    and (v[0] not in _SPECIAL_START or (v[4:5] == "-" and v[:4].isdigit()))
                ):
                    # text as it stands (a name, an id; a date or a phone number, whose
                    # four digits and '-' _plain keeps as text): what _uncommented and
                    # _scalar answer for a value with no comment and no ':'
                    value: Any = v
                else:
                    try:
                        value = _value(v) if v[0] in _SPECIAL_START else _uncommented(v)
                    except _Fallback:
                        value = _MISSING
                if type(value) is not list and type(value) is not dict and value is not _MISSING:
                    li, key, col, start = known
                    entry = (li, key, value, raw[start:].rstrip(" "), col)
        if entry is None:
            entry = _raw_line(raw)
            key = entry[1]
            if key is not None and colon and entry[2] is not _NOT_KEY and len(_HEADS) < _MEMO_MAX:
                li = entry[0]
                col = entry[4]
                start = li if li >= 0 else ~li
                # the key begins where the item's node does, else after the indentation
                if head == raw[: col if col >= 0 else start] + key:
                    _HEADS[head] = (li if col >= 0 else start, key, col, start)
        if len(self) < _LINES_MAX:
            self[raw] = entry
        return entry


# The head of each `key: value` line read whole (its raw text up to the first ': '), as
# (li of its lines' entries, key, col, the indentation): the entry of another line with
# this head but for the value is made from it (_RawLines.__missing__). li is negative
# for an item (~indentation), the indentation itself for a key line, whose value read
# there is a scalar (a collection goes to _raw_line). Bounded like the other memos.
_HEADS: dict[str, tuple[int, str, int, int]] = {}


_RAW: dict[str, tuple[int, Any, Any, str, int]] = _RawLines()


def _raw_line(raw: str) -> tuple[int, Any, Any, str, int]:
    # What the whole text was searched for before, line by line on a memo miss only (a
    # raw line holds every character of the text but '\n', and a remembered line was
    # clean): tabs, carriage returns, BOMs; YAML's other line breaks (NEL, LS, PS:
    # ruamel breaks lines there, these lines do not, and tables()' line numbers with
    # them); the controls and the bidirectional characters loader.decode() refuses
    # (a text read here has none: load() asks decode()'s checks of no other); document
    # markers and directives at a line's start.
    # (a printable line holds none of them: isprintable() is one pass in C, and
    # _REFUSED_CHAR's class a search of ~8 ns a character; \u3000 is not printable)
    if (not raw.isprintable() and _REFUSED_CHAR.search(raw) is not None) or raw.startswith(
        _MARKERS
    ):
        raise _Fallback
    s = raw.lstrip(" ")
    if not s or s[0] == "#":
        return _BLANK
    text = s.rstrip(" ")
    li = len(raw) - len(s)
    if _is_item(text):
        node = text[2:].lstrip(" ") if len(text) > 1 else ""
        if node and node[0] != "#" and not _is_item(node):
            inner = _LINES.get(node)
            if inner is None:
                try:
                    inner = _key_line(node)
                except _Fallback:
                    if _KEY.match(node) is not None:
                        raise  # a mapping with a key the subset does not take
                    inner = None  # a scalar: _read() resolves it where it stands
                else:
                    if len(_LINES) < _LINES_MAX:
                        _LINES[node] = inner
            if inner is not None:
                return ~li, inner[0], inner[1], text, li + len(text) - len(node)
        return ~li, None, _NOT_KEY, text, li
    entry = _LINES.get(text)
    if entry is None:
        try:
            entry = _key_line(text)
        except _Fallback:
            return ~li, None, _NOT_KEY, text, -2
        if len(_LINES) < _LINES_MAX:
            _LINES[text] = entry
    if type(entry[1]) is _Fresh:
        return ~li, entry[0], entry[1], text, -2
    return li, entry[0], entry[1], text, -2


def _read(text: str) -> Any:
    """The data of the text's lines, in one loop with an explicit stack of the enclosing
    collections (a recursive descent cost a call per collection and an index per line).

    The rules are those of a recursive reading: a block collection is a mapping or a
    sequence by its first line, every line of it at its indentation; a key or an item
    with nothing after it takes the deeper block that follows (or, for a key, a sequence
    at the key's own indentation: compact), else null; a line deeper than the one
    before it is refused unless such a block starts there; a line less deep closes
    collections down to one at its indentation, or is refused; nesting deeper than
    MAX_DEPTH blocks is refused (a compact sequence is no block of its own: it adds a
    level without a check, as it did). tables()' _Walk follows the same rules.

    The document is the value of a key pending in a holder at indentation -1: its first
    line opens it like any block, and a line less deep than it closes down to the
    holder, which refuses it."""
    memo = _LINES
    holder: dict[str, Any] = {}
    cur: Any = holder
    is_seq = compact = False
    ind, depth = -1, 0
    # the enclosing collections: (collection, is a sequence, indentation, compact, depth)
    stack: list[tuple[Any, bool, int, bool, int]] = []
    # the key (or _ITEM in a sequence) still waiting for its value
    pending: Any = ""
    # the indentation of the current collection when a line there is read as a
    # `key: value` line of it without more ado (a mapping, nothing pending), else
    # _NO_MIND: the common line costs its memo lookup, one comparison and the store
    mind = _NO_MIND
    fresh = _Fresh
    for li, key, value, line, col in map(_RAW.__getitem__, text.split("\n")):
        if li == mind:  # the common line: a scalar of the current mapping
            if key in cur:
                raise _Fallback  # a duplicate key: ruamel refuses it
            cur[key] = value
            continue
        # any other line: an item (col >= 0), a key line of a new block, after a block
        # or with no scalar (li negative, col < 0), or a blank one (its text empty)
        item = col >= 0
        if li < 0:
            if not line:
                continue
            li = ~li
        if pending is not None:
            if li > ind:  # the value is the block that starts here
                if depth >= MAX_DEPTH:
                    raise _Fallback
                child: Any = [] if item else {}
                if is_seq:
                    cur.append(child)
                else:
                    cur[pending] = child
                stack.append((cur, is_seq, ind, compact, depth))
                cur, ind, compact, depth, is_seq = child, li, False, depth + 1, item
                if not item and type(value) is not fresh:
                    # a mapping's first line, a scalar (~25 a dossier: each document's
                    # `file:`): what the rest of the loop comes to for it (at the new
                    # block's indentation, in an empty mapping: no duplicate)
                    child[key] = value
                    pending = None
                    mind = li
                    continue
            elif item and li == ind and not is_seq:
                # a sequence at its key's indentation
                child = []
                cur[pending] = child
                stack.append((cur, False, ind, compact, depth))
                cur, is_seq, compact, depth = child, True, True, depth + 1
            elif is_seq:
                cur.append(None)
            else:
                cur[pending] = None
            pending = None
        if li != ind:
            if li > ind:
                raise _Fallback  # a continuation line, or odd indentation
            if item and key is not None:
                top = stack[-1]
                if top[2] == li and top[1]:
                    # the next `- key: value` item of the sequence that holds the
                    # current node: a mapping beside it, at its depth (checked for
                    # it), in place of a pop and a push
                    child = {}
                    top[0].append(child)
                    cur, is_seq, compact, ind = child, False, False, col
                    mind = col
                    if type(value) is not fresh:
                        child[key] = value
                    elif value is _OPEN:
                        pending = key
                        mind = _NO_MIND
                    else:
                        child[key] = {} if value is _EMPTY_MAP else list(value)
                    continue
            while True:  # the collections this line is less deep than end here
                cur, is_seq, ind, compact, depth = stack.pop()
                if li >= ind:
                    break
            if li != ind or cur is holder:
                raise _Fallback
        if not item:
            if is_seq:
                if not compact:
                    raise _Fallback  # no item where a sequence goes on
                # the end of a compact sequence: the line belongs to its key's mapping
                cur, is_seq, ind, compact, depth = stack.pop()
            mind = ind
        elif not is_seq:
            raise _Fallback  # an item among a mapping's keys
        elif key is not None:  # the item's node is a mapping that starts here
            if depth >= MAX_DEPTH:
                raise _Fallback
            child = {}
            cur.append(child)
            stack.append((cur, True, ind, compact, depth))
            cur, is_seq, compact, depth, ind = child, False, False, depth + 1, col
            mind = col
        else:
            # the other items: empty, a scalar, a sequence (`- - a`) or a mapping in one
            # (`- - a: 1`), read as the text after each '-'
            while True:
                s = line[2:].lstrip(" ") if len(line) > 1 else ""
                if not s or s[0] == "#":
                    pending = _ITEM
                    break
                item = _is_item(s)
                inner = None if item else memo.get(s)
                if item or inner is not None or _KEY.match(s) is not None:
                    if depth >= MAX_DEPTH:
                        raise _Fallback
                    child = [] if item else {}
                    cur.append(child)
                    stack.append((cur, True, ind, compact, depth))
                    ind = len(line) - len(s) + ind
                    cur, is_seq, compact, depth, line = child, item, False, depth + 1, s
                    if item:
                        continue
                    if inner is None:
                        inner = _key_line(s)
                        if len(memo) < _LINES_MAX:
                            memo[s] = inner
                    key, value = inner
                    break
                cur.append(_value(s))
                break
            if is_seq:
                mind = _NO_MIND
                continue
            mind = ind
        # a `key: value` line of the current mapping
        if key in cur:
            raise _Fallback  # a duplicate key: ruamel refuses it
        if type(value) is fresh:
            if value is _OPEN:
                pending = key
                mind = _NO_MIND
                continue
            if value is _NOT_KEY:
                raise _Fallback
            cur[key] = {} if value is _EMPTY_MAP else list(value)
        else:
            cur[key] = value
    if pending is not None:
        if cur is holder:
            raise _Fallback  # no line: an empty document
        if is_seq:
            cur.append(None)
        else:
            cur[pending] = None
    return holder[""]


_ITEM: Any = object()  # a sequence's item with nothing after its '-'
# _read()'s `mind` when no line is the common one: an int all the same (a comparison of
# two small ints is the one Python specializes), and no line's li (parse() reads no
# text as long)
_NO_MIND = -(1 << 29)


# --- positions (issue 17) -------------------------------------------------------------
#
# A file with findings needs the line and column of each finding's path. For a text in
# the subset they follow from its lines: the same tables loader.positions() builds from
# ruamel's events (a key's start; a node's start; an empty value where libyaml puts its
# empty scalar, just after the ':' or '-'), which loader._pick() then reads as before.

Pos = tuple[int, int]

# Each `key: value` line already placed (the lines of a repository's dossiers repeat,
# as for _LINES): (key, offset of the value in the line or -1 when nothing follows the
# colon, offset just after the colon, offsets of a flow list's items). Bounded.
_PLACES: dict[str, tuple[str, int, int, tuple[int, ...]]] = {}


def tables(text: str, wanted: Any = ()) -> Any:
    """(keys, values) as loader.positions() reads them from ruamel's events: keys maps
    the path of each mapping entry to its key's (line, column); values maps the path of
    every node to (line, column, is a block collection). FALLBACK when the text is not
    in the subset: the caller then asks ruamel.

    With `wanted` (paths), the walk stops once each of them has its value, as the
    events' reading does: nothing later changes what is known of those paths."""
    # the same judgement as the data's: what parse() reads, we place (a text it has just
    # read is not judged twice)
    if text not in _ACCEPTED and parse(text) is FALLBACK:
        return FALLBACK
    # the lines parse() reads (_raw_line), with their 1-based numbers: from its memo of
    # raw lines, which holds each line of a text it has read (indentation, text) unless
    # the memo is full (a line it lacks is read again, as parse() read it: no line of a
    # text parse() has read is refused) -- one lookup a line rather than two strips and
    # two lengths, which were ~3/4 of placing a file's findings (issue 17: every failing
    # dossier pays it); a blank line's text is empty, any other's is not
    if wanted:
        top = _top_level(text, wanted)
        if top is not None:
            return top
    lines = [
        (li if li >= 0 else ~li, line, no)
        for no, (li, _, _, line, _) in enumerate(map(_RAW.__getitem__, text.split("\n")), 1)
        if line
    ]
    walk = _Walk(lines, set(wanted))
    try:
        walk.block((), lines[0][0])
    except _Done:
        return walk.keys, walk.values
    except (_Fallback, RecursionError):
        return FALLBACK
    if walk.pos != len(lines):
        return FALLBACK
    return walk.keys, walk.values


def _top_level(text: str, wanted: Any) -> Any:
    """tables(text, wanted) when every wanted path is one key of a root mapping written at
    column 0 (most findings of a failing dossier name a top-level field: funding_source,
    history, documents, id), else None: the walk's tables for those paths, from the key
    lines found by a search of the text (in C) rather than by a walk over every line.

    In a text parse() has read, with such a root, every line that starts with `k:` is
    the root's entry for key k (a key holds no ':'; the lines at column 0 are the root's
    keys and its compact sequences' items, which start with '-'; no scalar spans
    lines), and there is at most one. loader._pick reads a one-key path's own entries
    only, the key's and the value's, and a missing one is placed at (1, 1) either way."""
    lines = text.split("\n", 8)
    for raw in lines[:8]:
        li, _, _, line, col = _RAW[raw]
        if line:
            break
    else:
        return None  # a long comment first: the walk
    if (li if li >= 0 else ~li) != 0 or col >= 0:
        return None  # a root indented or a sequence
    keys: dict[Any, Pos] = {}
    values: dict[Any, tuple[int, int, bool]] = {}
    for path in wanted:
        if len(path) != 1:
            return None
        k = path[0]
        if type(k) is not str or not k or k[0] in " -#" or ":" in k or "\n" in k or "#" in k:
            return None
        if text.startswith(k + ":"):
            start = 0
        else:
            start = text.find("\n" + k + ":") + 1
            if not start:
                continue  # no such key: placed at (1, 1), as the walk leaves it
        end = text.find("\n", start)
        head = (text[start:end] if end >= 0 else text[start:]).rstrip(" ")
        entry = _PLACES.get(head)
        if entry is None:
            try:
                entry = _place(head)
            except _Fallback:
                return None  # (not in a text parse() has read)
            if len(_PLACES) < _LINES_MAX:
                _PLACES[head] = entry
        key, at, colon, _ = entry
        if key != k:
            return None
        no = text.count("\n", 0, start) + 1
        keys[path] = (no, 1)
        if at >= 0:
            values[path] = (no, at + 1, False)
            continue
        # nothing after the colon: the block or compact sequence on the next line that
        # is not blank, if any, else libyaml's empty scalar just after the colon
        value = (no, colon + 1, False)
        nno = no
        while end >= 0:
            nxt = text.find("\n", end + 1)
            nno += 1
            ni, _, _, nt, _ = _RAW[text[end + 1 : nxt] if nxt >= 0 else text[end + 1 :]]
            if nt:
                if ni < 0:
                    ni = ~ni
                if ni > 0:
                    value = (nno, ni + 1, True)
                elif _is_item(nt):
                    value = (nno, 1, True)
                break
            end = nxt
        values[path] = value
    return keys, values


_LEAF: frozenset[Any] = frozenset()  # a wanted node's children: none is on the way


class _Done(Exception):
    """Every wanted path is placed: the walk stops."""


def _flow_offsets(v: str, at: int) -> tuple[int, ...]:
    """The offsets of the items of a one-line flow sequence `v` written at offset `at`
    (a quoted item at its quote), as ruamel's events place them; () for anything else."""
    cut = v.find(" #")
    if cut >= 0:
        v = v[:cut].rstrip(" ")
    if v[0] != "[" or v == "[]":
        return ()
    return tuple(at + m.start(1) for m in _FLOW_ITEMS.finditer(v))


def _place(text: str) -> tuple[str, int, int, tuple[int, ...]]:
    m = _KEY.match(text)
    if m is None:
        raise _Fallback
    rest = m.group(2)
    if not rest or rest[0] == "#":
        return m.group(1), -1, m.end(1) + 1, ()
    at = m.start(2)
    return m.group(1), at, 0, _flow_offsets(rest, at) if rest[0] == "[" else ()


class _Walk:
    """_read()'s walk over the same lines, in the same order and by the same rules,
    recording positions instead of data (the text is known to be in the subset)."""

    __slots__ = ("keys", "kids", "lines", "n", "pos", "values", "want")

    def __init__(self, lines: list[tuple[int, str, int]], want: set[Any]) -> None:
        self.lines, self.n, self.pos, self.want = lines, len(lines), 0, want
        self.keys: dict[Any, Pos] = {}
        self.values: dict[Any, tuple[int, int, bool]] = {}
        # With paths wanted, only they and the nodes above them are recorded: all that
        # loader._pick reads for them (a path, else its deepest prefix). A node off their
        # way is stepped over, its lines unread: a finding in the history need not place
        # the ~70 lines of documents above it. kids: each node on the way -> the keys or
        # indices of its children on the way. None: record every node (no path wanted).
        self.kids: dict[Any, set[Any]] | None = None
        if want:
            kids: dict[Any, set[Any]] = {}
            for p in want:
                for i in range(len(p)):
                    kids.setdefault(p[:i], set()).add(p[i])
            self.kids = kids

    def skip(self, pos: int, ind: int, compact: bool) -> int:
        """The position after the block that starts at `pos` below a line at `ind` (its
        lines are deeper, or, for a compact sequence, items at `ind` and what is deeper)."""
        lines, n = self.lines, self.n
        while pos < n:
            li, text, _ = lines[pos]
            if li < ind or (li == ind and not (compact and _is_item(text))):
                break
            pos += 1
        return pos

    def found(self, path: Any) -> None:
        """`path` has its value: stop when it was the last one wanted."""
        want = self.want
        if path in want:
            want.discard(path)
            if not want:
                raise _Done

    def block(self, path: Any, ind: int) -> None:
        # a block collection starts at its first key or its first '-'
        self.values[path] = (self.lines[self.pos][2], ind + 1, True)
        self.found(path)
        if _is_item(self.lines[self.pos][1]):
            self.seq(path, ind, False)
        else:
            self.mapping(path, ind)

    def mapping(self, path: Any, ind: int) -> None:
        lines, n, keys, values, memo = self.lines, self.n, self.keys, self.values, _PLACES
        want = self.want
        kids = self.kids.get(path, _LEAF) if self.kids is not None else None
        pos = self.pos
        while pos < n:
            li, text, no = lines[pos]
            if li != ind:
                if li < ind:
                    break
                raise _Fallback
            entry = memo.get(text)
            if entry is None:
                entry = _place(text)
                if len(memo) < _LINES_MAX:
                    memo[text] = entry
            key, at, colon, flow = entry
            if kids is not None and key not in kids:
                pos += 1
                if at < 0:  # the block under the key, if any: stepped over
                    pos = self.skip(pos, ind, True)
                continue
            here = (*path, key)
            keys[here] = (no, li + 1)
            pos += 1
            if at >= 0:
                values[here] = (no, li + at + 1, False)
                for i, off in enumerate(flow):
                    values[(*here, i)] = (no, li + off + 1, False)
                if here in want:
                    self.found(here)
                continue
            if pos < n:
                ni, nt, nno = lines[pos]
                if ni > ind:
                    self.pos = pos
                    self.block(here, ni)
                    pos = self.pos
                    continue
                if ni == ind and _is_item(nt):
                    self.pos = pos
                    values[here] = (nno, ind + 1, True)
                    self.found(here)
                    self.seq(here, ind, True)
                    pos = self.pos
                    continue
            # nothing after the colon: libyaml's empty scalar starts just after it
            values[here] = (no, li + colon + 1, False)
            if here in want:
                self.found(here)
        self.pos = pos

    def seq(self, path: Any, ind: int, compact: bool) -> None:
        lines, n, values = self.lines, self.n, self.values
        kids = self.kids.get(path, _LEAF) if self.kids is not None else None
        pos = self.pos
        i = 0
        while pos < n:
            li, text, no = lines[pos]
            if li != ind:
                if li < ind:
                    break
                raise _Fallback
            if not _is_item(text):
                if compact:
                    break
                raise _Fallback
            if kids is not None and i not in kids:
                i += 1
                pos = self.skip(pos + 1, ind, False)  # the item's deeper lines
                continue
            here = (*path, i)
            i += 1
            s = text[2:].lstrip(" ") if len(text) > 1 else ""
            if not s or s[0] == "#":
                pos += 1
                if pos < n and lines[pos][0] > ind:
                    self.pos = pos
                    self.block(here, lines[pos][0])
                    pos = self.pos
                else:
                    values[here] = (no, li + 2, False)  # just after the '-'
                    self.found(here)
                continue
            col = li + len(text) - len(s)  # 0-based column of the item's node
            if _is_item(s) or _KEY.match(s) is not None:
                lines[pos] = (col, s, no)
                self.pos = pos
                self.block(here, col)
                pos = self.pos
                continue
            values[here] = (no, col + 1, False)
            if s[0] == "[":
                for j, off in enumerate(_flow_offsets(s, col)):
                    values[(*here, j)] = (no, off + 1, False)
            self.found(here)
            pos += 1
        self.pos = pos
