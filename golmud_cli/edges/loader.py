"""YAML in: a fast path for every file, positions only for files with findings.

- The fast path is ruamel.yaml's safe loader on the C parser (ruamel.yaml.clib),
  about 4x the pure-Python speed (docs/benchmarks.md); timestamps are kept as text so
  the model, not the YAML layer, judges `2024-02-30` (docs/library-pitfalls.md).
- Before it, edges/fastyaml.py reads the block style gtx writes (a strict subset, pure
  Python, about twice as fast on the bench mix) and hands every other text to build(),
  which stays the reference for data and every refusal (tests/edges/test_fastyaml.py).
- Positions come from a second pass over the parse events, done only for files
  that have findings.
- Hostile input (aliases, tags, deep nesting, bad bytes, duplicate keys) becomes
  a finding, never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Finding, Path, Severity
from golmud_cli.edges.yamlscalars import _BOOL as _BOOL  # shared with edges/fastyaml.py
from golmud_cli.edges.yamlscalars import _NULL as _NULL
from golmud_cli.edges.yamlscalars import _NUMERIC_START as _NUMERIC_START
from golmud_cli.edges.yamlscalars import _UNPRINTABLE as _UNPRINTABLE
from golmud_cli.edges.yamlscalars import HIDDEN_BREAKS
from golmud_cli.edges.yamlscalars import _resolve_plain as _resolve_plain

if TYPE_CHECKING:
    from ruamel.yaml import YAML

MAX_DEPTH = 64
MAX_BYTES = 8 * 1024 * 1024  # a dossier is a few KB; anything this large is not one
# Read the block style gtx writes with edges/fastyaml.py first (issue 17); whatever it
# is not sure of goes to build(), the reference. False (or GTX_FASTYAML=0 in the
# environment): build() only, for tests and bench/ comparisons.
FAST_PATH = os.environ.get("GTX_FASTYAML", "1") != "0"


@dataclass(slots=True)
class Loaded:
    data: Any
    findings: list[Finding]
    text: str | None  # the decoded text, for positions


def _timestamp_as_text(constructor: Any, node: Any) -> Any:
    return constructor.construct_scalar(node)


@lru_cache(maxsize=1)
def _safe_yaml() -> YAML:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class GtxSafeConstructor(SafeConstructor):
        pass

    GtxSafeConstructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    y = YAML(typ="safe")
    y.Constructor = GtxSafeConstructor
    return y


def c_parser_in_use() -> bool:
    """Whether build() reads events from ruamel.yaml.clib's C parser (the fast path of
    docs/benchmarks.md) rather than the pure-Python fallback."""
    source: Any = _event_source("a: 1")
    return type(getattr(source, "__self__", None)).__name__ == "CParser"


def _finding(
    code: str,
    zh: str,
    en: str,
    file: str,
    project: str | None,
    line: int | None = None,
    column: int | None = None,
    path: Path = (),
) -> Finding:
    return Finding(
        code=code,
        severity=Severity.error,
        project=project,
        file=file,
        path=path,
        label="",
        message_zh=zh,
        message_en=en,
        clause=None,
        line=line,
        column=column,
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_BOM = b"\xef\xbb\xbf"


def decode(raw: bytes, file: str, project: str | None) -> tuple[str | None, list[Finding]]:
    if len(raw) > MAX_BYTES:
        return None, [
            _finding(
                "S001",
                f"文件过大（超过上限 {MAX_BYTES} 字节）：项目档案应只有几 KB，请检查是否放错了文件。",
                f"file too large (over the limit of {MAX_BYTES} bytes): a dossier is a few KB; "
                "check that this is the right file.",
                file,
                project,
            )
        ]
    if raw.startswith(_BOM):
        raw = raw[3:]  # a BOM from a Windows editor is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        good = raw[: e.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        return None, [
            _finding(
                "S001",
                f"文件不是 UTF-8 编码（第 {e.start} 字节）：请用 UTF-8 另存（例如在编辑器中选择“UTF-8”编码）。",
                f"the file is not UTF-8 (byte {e.start}): save it as UTF-8 in your editor.",
                file,
                project,
                line,
                col,
            )
        ]
    # a regex search over CJK text costs ~25 µs a dossier; `in` asks first whether the
    # characters can be there at all (docs/benchmarks.md, the cold path)
    hidden = (
        _HIDDEN_BREAK.search(text)
        if "\x85" in text or "\u2028" in text or "\u2029" in text
        else None
    )
    if hidden is not None:
        line, col = _line_col(text, hidden.start())
        char = f"U+{ord(hidden.group()):04X}"
        name = _BREAK_NAMES[hidden.group()]
        return None, [
            _finding(
                "S001",
                f"文件中含有 {char}（{name[0]}）：YAML 把它当作换行，而 git diff 和编辑器不显示换行，"
                "审阅者看到的内容会与 gtx 读到的不同。请删除该字符，需要换行时直接回车。",
                f"the file contains {char} ({name[1]}): YAML reads it as a line break, while git "
                "diff and editors show none, so a reviewer would see other text than gtx reads. "
                "Delete the character; press Enter where a line break is meant.",
                file,
                project,
                line,
                col,
            )
        ]
    maybe = (
        raw.translate(None, _NOT_CONTROL) != b""
        or _RARE_E2.search(raw) is not None
        or _RARE_EF.search(raw) is not None
    )
    bad = _UNPRINTABLE.search(text) if maybe else None
    if bad is not None:
        # YAML 1.2 (5.1) allows no C0/C1 control character but tab and line breaks;
        # the parser would fail on it without a position, so say where it is.
        line, col = _line_col(text, bad.start())
        char = f"U+{ord(bad.group()):04X}"
        return None, [
            _finding(
                "S001",
                f"文件中含有不可见的控制字符 {char}：这可能不是文本文件，或是从其他软件粘贴时带入的，请删除该字符。",
                f"the file contains the control character {char}: it may not be a text file, or it "
                "came in with pasted text; delete it.",
                file,
                project,
                line,
                col,
            )
        ]
    return text, []


# The C0/C1 controls YAML forbids, and the bidirectional overrides and isolates
# (yamlscalars._UNPRINTABLE: edges/fastyaml.py refuses a line holding one).
# The same set, found cheaply in the UTF-8 bytes (a regex over a character class costs
# ~8 ns a byte, ~35 us a dossier): its C0 controls and DEL are bytes of their own, and
# every C1 control (U+0080-U+009F) starts with the byte C2, so deleting every other
# byte (one pass in C) leaves nothing when none of them is there; the overrides and
# isolates (E2 80 AA-AE, E2 81 A6-A9) and U+FFFE/U+FFFF (EF BF BE-BF) are found by
# patterns whose first bytes the regex engine looks for first.
_NOT_CONTROL = bytes(
    b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F)
).translate(None, b"\x7f\xc2")
_RARE_E2 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_RARE_EF = re.compile(rb"\xef\xbf[\xbe\xbf]")
# In a value, a double-quoted escape (\e, \x1b, \r ...) can still produce one; a bare
# carriage return, too, rewrites what a terminal shows.
_UNPRINTABLE_VALUE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


# YAML 1.1 (which the parser follows here) breaks lines at NEL, LINE SEPARATOR and
# PARAGRAPH SEPARATOR too; git diff, GitHub and editors do not, so a key written after
# one inside a comment is read by gtx yet looks like comment text to a reviewer
# (docs/security.md, Hidden line breaks).
_HIDDEN_BREAK = re.compile(f"[{HIDDEN_BREAKS}]")
_BREAK_NAMES = {
    "\x85": ("下一行 NEL", "NEXT LINE"),
    "\u2028": ("行分隔符", "LINE SEPARATOR"),
    "\u2029": ("段分隔符", "PARAGRAPH SEPARATOR"),
}


def _mark_position(exc: BaseException) -> tuple[int | None, int | None]:
    for attr in ("problem_mark", "context_mark"):
        mark = getattr(exc, attr, None)
        if mark is not None and getattr(mark, "line", None) is not None:
            return mark.line + 1, mark.column + 1
    return None, None


def _ruamel_error(name: str) -> type[Exception]:
    """ruamel's exception class `name`. Called in an `except` clause, which Python
    evaluates only when an exception reaches it: a file the fast parser reads whole
    never imports ruamel (~15 ms of a start-up, issue 17)."""
    from ruamel.yaml import error

    cls: type[Exception] = getattr(error, name)
    return cls


# edges/fastyaml.py, imported at its first use rather than with this module, and kept:
# a `from ... import` of a submodule in a function runs importlib's _handle_fromlist at
# every call (~2 us, each dossier's load() paid it, issue 17).
_FASTYAML: Any = None


def _fastyaml() -> Any:
    global _FASTYAML
    from golmud_cli.edges import fastyaml

    _FASTYAML = fastyaml
    return fastyaml


def load(raw: bytes, file: str, project: str | None) -> Loaded:
    """Parse one YAML file on the fast path; every fault is a finding."""
    if FAST_PATH and len(raw) <= MAX_BYTES:
        # The fast parser first, on the text alone: it refuses every line that holds a
        # character decode() would refuse (a remembered line was checked when it was
        # first read), so a text it reads is one decode() finds nothing in, and its
        # scans of the whole file (the controls, the hidden line breaks: ~60 k
        # instructions a dossier, issue 17) are left to the texts it hands over.
        fastyaml = _FASTYAML or _fastyaml()
        try:
            plain = (raw[3:] if raw.startswith(_BOM) else raw).decode("utf-8")
        except UnicodeDecodeError:
            pass  # decode() words it
        else:
            data = fastyaml.parse(plain)
            if data is not fastyaml.FALLBACK:
                return Loaded(data, [], plain)
    text, findings = decode(raw, file, project)
    if text is None:
        return Loaded(None, findings, None)
    try:
        data = build(text)  # the reference: what the fast parser has handed over
    except Rejected as e:
        code, zh, en = REJECTIONS[e.kind]
        return Loaded(
            None,
            [
                _finding(
                    code,
                    zh.format(**e.params),
                    en.format(**e.params),
                    file,
                    project,
                    e.line,
                    e.column,
                    e.path,
                )
            ],
            text,
        )
    except _ruamel_error("MarkedYAMLError") as e:
        line, col = _mark_position(e)
        from golmud_cli.core.yaml_errors import explain

        zh, en, line = explain(getattr(e, "problem", None) or str(e), text, line)
        return Loaded(None, [_finding("S001", zh, en, file, project, line, col)], text)
    except (_ruamel_error("YAMLError"), RecursionError, ValueError, TypeError, MemoryError) as e:
        line, col = _mark_position(e)
        return Loaded(
            None,
            [
                _finding(
                    "S001",
                    f"无法解析的 YAML：{type(e).__name__}。请检查文件内容。",
                    f"unparseable YAML: {type(e).__name__}. Check the file.",
                    file,
                    project,
                    line,
                    col,
                )
            ],
            text,
        )
    return Loaded(data, findings, text)


# --- the event builder --------------------------------------------------------------
#
# ruamel's safe constructor spends most of its time in the Python resolver
# (docs/library-pitfalls.md; measured here: 1.4 ms per 6 KB dossier against 0.25 ms for
# the C parser's events alone). Dossiers need only YAML 1.2's core schema, so we
# build plain Python objects straight from the C parser's events, resolving plain
# scalars with ruamel's own 1.2 patterns. The same single pass rejects what a
# dossier never needs and a hostile file uses: anchors and aliases (a "billion
# laughs" is refused at its first alias, in constant time), tags, duplicate keys,
# non-text keys, several documents and deep nesting, each with its position.

_STR_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})


class Rejected(Exception):
    def __init__(
        self, kind: str, line: int | None, column: int | None, path: Path = (), **params: Any
    ):
        super().__init__(kind)
        self.kind, self.line, self.column, self.path, self.params = kind, line, column, path, params


REJECTIONS: dict[str, tuple[str, str, str]] = {
    "alias": (
        "S001",
        "不允许使用 YAML 锚点和别名（& 与 *）：请把内容直接写出来。",
        "YAML anchors and aliases (& and *) are not allowed: write the values out.",
    ),
    "control": (
        "S001",
        "值中含有不可见的控制字符 {char}（以 \\ 转义写入，或从其他软件粘贴带入）：它会扰乱终端和报表的显示，请删除它。",
        "a value holds the control character {char} (written as a \\ escape, or pasted in): it "
        "garbles terminals and reports; delete it.",
    ),
    "tag": (
        "S001",
        "不允许的 YAML 标签 {tag}：请删除标签，只写普通的值。",
        "a YAML tag is not allowed ({tag}): remove it and write a plain value.",
    ),
    "duplicate": (
        "S003",
        "重复的键 {key}：同一层级中每个键只能出现一次，请删除或合并重复的一项（第一次出现在第 {first} 行）。",
        "duplicate key {key}: each key may appear once per mapping; remove or merge the "
        "repeated one (first on line {first}).",
    ),
    "key": (
        "S002",
        "键必须是文本：请不要使用列表、映射、数字或空值作为键。",
        "keys must be text: do not use a list, mapping, number or null as a key.",
    ),
    "depth": (
        "S001",
        f"嵌套层级超过 {MAX_DEPTH} 层：项目档案不会这样深，请检查文件。",
        f"nesting deeper than {MAX_DEPTH} levels: no dossier is that deep; check the file.",
    ),
    "documents": (
        "S001",
        "文件中有多个 YAML 文档（---）：一个项目档案只能有一个文档。",
        "the file holds several YAML documents (---): a dossier is one document.",
    ),
}


def _event_source(text: str) -> Callable[[], Any]:
    """A function returning the next parse event (the C parser's own, when present)."""
    try:
        from _ruamel_yaml import CParser  # ruamel.yaml.clib's C parser
    except ImportError:  # pragma: no cover - the dependency is declared
        return iter(_safe_yaml().parse(text)).__next__  # type: ignore[no-any-return]
    get: Callable[[], Any] = CParser(text).get_event
    return get


def build(text: str) -> Any:
    """The document's data from parse events (YAML 1.2 core schema, no aliases).

    One tight loop over the events (docs/benchmarks.md: this is most of a dossier's
    cost): no generator, no helper call per event; positions are worked out only
    when something is rejected.
    """
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    # stack of [container, pending_key, key marks, path, is a list]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    no_key = _NO_KEY
    resolve = _resolve_plain
    str_tags = _STR_TAGS
    null, bools, numeric_start = _NULL, _BOOL, _NUMERIC_START

    def mark(ev: Any) -> tuple[int | None, int | None]:
        m = ev.start_mark
        return (m.line + 1, m.column + 1) if m is not None else (None, None)

    def path_of() -> Path:
        """The path of the node being read. Each frame keeps its own path, taken
        when it opened: a parent's pending key is gone once the child is added."""
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame[0], dict):
            return frame[3] if frame[1] is no_key else (*frame[3], frame[1])
        return (*frame[3], len(frame[0]))

    def add(value: Any, ev: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if frame[4]:
            container.append(value)
            return
        if frame[1] is no_key:
            if not isinstance(value, str):
                raise Rejected("key", *mark(ev), path_of())
            if value in container:
                m = frame[2].get(value)
                raise Rejected(
                    "duplicate",
                    *mark(ev),
                    (*path_of(), value),
                    key=value,
                    first="?" if m is None else m.line + 1,
                )
            frame[1] = value
            frame[2][value] = ev.start_mark
        else:
            container[frame[1]] = value
            frame[1] = no_key

    get = _event_source(text)
    while True:
        ev = get()
        cls = type(ev)
        if cls is ScalarEvent:
            if ev.anchor:
                raise Rejected("alias", *mark(ev), path_of())
            if ev.style == '"':  # only a double-quoted scalar has escapes
                bad = _UNPRINTABLE_VALUE.search(ev.value)
                if bad is not None:
                    raise Rejected(
                        "control", *mark(ev), path_of(), char=f"U+{ord(bad.group()):04X}"
                    )
            tag = ev.tag
            if tag is None:
                style = ev.style
                value = ev.value
                if not style and ev.implicit[0]:
                    # _resolve_plain, inlined for what most scalars are (words, names,
                    # keys): only these first characters can make a non-text value.
                    if value[:1] in numeric_start:
                        # a date (2024-05-01) or a phone number (0979-8412345) is
                        # neither an int nor a float: a dash right after four digits
                        if not (value[4:5] == "-" and value[:4].isdigit()):
                            value = resolve(value)
                    elif value in null:
                        value = None
                    elif value in bools:
                        value = bools[value]
            elif tag in str_tags:
                value = ev.value
            else:
                raise Rejected("tag", *mark(ev), path_of(), tag=tag)
            # inline add() for the common cases: a list item, a key, a value
            if stack:
                frame = stack[-1]
                if frame[4]:
                    frame[0].append(value)
                    continue
                key = frame[1]
                if key is not no_key:
                    frame[0][key] = value
                    frame[1] = no_key
                    continue
                if type(value) is str and value not in frame[0]:
                    frame[1] = value
                    frame[2][value] = ev.start_mark
                    continue
            # a mapping key that is not a plain str, a duplicate, or the root
            add(value, ev)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if ev.anchor:
                raise Rejected("alias", *mark(ev), path_of())
            tag = ev.tag
            if tag is not None and tag not in (
                "tag:yaml.org,2002:map",
                "tag:yaml.org,2002:seq",
                "!",
            ):
                raise Rejected("tag", *mark(ev), path_of(), tag=tag)
            if stack and not stack[-1][4] and stack[-1][1] is no_key:
                raise Rejected("key", *mark(ev), path_of())
            if len(stack) >= MAX_DEPTH:
                raise Rejected("depth", *mark(ev), ())
            is_list = cls is SequenceStartEvent
            container: Any = [] if is_list else {}
            here = path_of()
            add(container, ev)
            stack.append([container, no_key, {}, here, is_list])
        elif cls is StreamEndEvent:
            return root
        elif cls is AliasEvent:
            raise Rejected("alias", *mark(ev), path_of())
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Rejected("documents", *mark(ev), ())


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()


# Where a finding on a field points (Finding.anchor); see positions().
ANCHORS = ("value", "key", "parent")


def positions(
    text: str, paths: Iterable[tuple[Path, str]]
) -> dict[tuple[Path, str], tuple[int | None, int | None]]:
    """Line and column (1-based) of each (path, anchor), from a second pass over the
    parse events (cheap: only files with findings pay for it).

    anchor "value": the value at path (for a block mapping or list: its key);
    "key": the key itself; "parent" (a field that may be missing): the value when
    the field is present, else the key of the deepest mapping above it that exists.
    A path that does not exist points there whatever the anchor. Any other anchor
    is a bug in a rule and raises ValueError (not a position somewhere).

    A text in edges/fastyaml.py's subset is placed from its lines (fastyaml.tables,
    issue 17), any other from ruamel's parse events; both give _pick the same tables
    (tests/edges/test_fastpositions.py).
    """
    wanted = list(dict.fromkeys(paths))
    fastyaml = _FASTYAML or _fastyaml()

    # the subset's lines give the same tables at a fraction of the events' cost
    pending = {path for path, _ in wanted}
    found = fastyaml.tables(text, pending) if FAST_PATH else fastyaml.FALLBACK
    if found is fastyaml.FALLBACK:
        found = _event_tables(text, pending)
    keys, values = found
    out: dict[tuple[Path, str], tuple[int | None, int | None]] = {}
    for path, anchor in wanted:
        out[(path, anchor)] = _pick(path, anchor, keys, values)
    return out


def _event_tables(
    text: str, pending: set[Path]
) -> tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int, bool]]]:
    """The keys' and the nodes' positions from ruamel's parse events, read until every
    path of `pending` is found (the reference for fastyaml.tables)."""
    from ruamel.yaml.events import (
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    keys: dict[Path, tuple[int, int]] = {}
    values: dict[Path, tuple[int, int, bool]] = {}  # line, col, is a block collection
    # frame: [is_map, path, pending_key or _NO_KEY, next index]
    stack: list[list[Any]] = []
    no_key = _NO_KEY
    try:
        # one tight loop over the C parser's events, as in build(): no generator, and a
        # position worked out only for a key or a node, not for every event
        get = _event_source(text)
        while True:
            ev = get()
            cls = type(ev)
            if cls is ScalarEvent:
                scalar = True
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                scalar = False
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                if stack and stack[-1][0]:
                    stack[-1][2] = no_key
                continue
            elif cls is StreamEndEvent:
                break
            else:
                continue
            m = ev.start_mark
            pos = (m.line + 1, m.column + 1) if m is not None else (1, 1)
            here: Path
            if stack:
                frame = stack[-1]
                if frame[0]:
                    if frame[2] is no_key:
                        if scalar:
                            frame[2] = ev.value
                            keys[(*frame[1], ev.value)] = pos
                        continue
                    here = (*frame[1], frame[2])
                else:
                    here = (*frame[1], frame[3])
                    frame[3] += 1
            else:
                here = ()
            values[here] = (pos[0], pos[1], not scalar and not ev.flow_style)
            if here in pending:
                # found, with its key (read before it): nothing later changes its answer
                pending.discard(here)
                if not pending:
                    break
            if scalar:
                if stack and stack[-1][0]:
                    stack[-1][2] = no_key
            else:
                stack.append([cls is MappingStartEvent, here, no_key, 0])
    except Exception:
        pass  # a broken file: keep what was read
    return keys, values


def _pick(
    path: Path,
    anchor: str,
    keys: dict[Path, tuple[int, int]],
    values: dict[Path, tuple[int, int, bool]],
) -> tuple[int | None, int | None]:
    if anchor not in ANCHORS:
        # a misspelt anchor used to point silently at the value: say so where it is made
        raise ValueError(f"unknown anchor {anchor!r} for {path!r}: one of {ANCHORS}")
    if path in values or path in keys:
        key = keys.get(path)
        if anchor == "key" and key is not None:
            return key
        v = values.get(path)
        if v is not None:
            if v[2] and key is not None:
                return key  # a block mapping or list: its key is the line to look at
            return v[0], v[1]
        if key is not None:
            return key
    for i in range(len(path) - 1, 0, -1):
        prefix = path[:i]
        if prefix in keys:
            return keys[prefix]
        if prefix in values:
            v = values[prefix]
            return v[0], v[1]
    return 1, 1
