"""YAML in: a fast path for every file, positions only for files with findings.

- The fast path is ruamel.yaml's safe loader on the C parser (ruamel.yaml.clib),
  about 4x the pure-Python speed (performance.md); timestamps are kept as text so
  the model, not the YAML layer, judges `2024-02-30` (library-pitfalls.md).
- Positions come from a round-trip parse, done only for files that have findings.
- Hostile input (aliases, tags, deep nesting, bad bytes, duplicate keys) becomes
  a finding, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from golmud_cli.findings import Finding, Path, Severity

if TYPE_CHECKING:
    from ruamel.yaml import YAML

MAX_DEPTH = 64
MAX_BYTES = 8 * 1024 * 1024  # a dossier is a few KB; anything this large is not one


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

    class GtxSafeConstructor(SafeConstructor):  # type: ignore[misc]
        pass

    GtxSafeConstructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    y = YAML(typ="safe")
    y.Constructor = GtxSafeConstructor
    return y


def c_parser_in_use() -> bool:
    return "CParser" in str(_safe_yaml().Parser)


@lru_cache(maxsize=1)
def _rt_yaml() -> YAML:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class GtxRTConstructor(RoundTripConstructor):  # type: ignore[misc]
        pass

    GtxRTConstructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    y = YAML(typ="rt")
    y.Constructor = GtxRTConstructor
    y.allow_duplicate_keys = True  # positions only; S003 is reported by the fast path
    return y


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


def decode(raw: bytes, file: str, project: str | None) -> tuple[str | None, list[Finding]]:
    if len(raw) > MAX_BYTES:
        return None, [
            _finding(
                "S001",
                f"文件过大（{len(raw)} 字节，上限 {MAX_BYTES}）：项目档案应只有几 KB，请检查是否放错了文件。",
                f"file too large ({len(raw)} bytes, limit {MAX_BYTES}): a dossier is a few KB; "
                "check that this is the right file.",
                file,
                project,
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
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
    if "\x00" in text:
        off = text.index("\x00")
        line, col = _line_col(text, off)
        return None, [
            _finding(
                "S001",
                "文件中含有 NUL 字符：这不是文本文件，请检查。",
                "the file contains a NUL character: it is not a text file.",
                file,
                project,
                line,
                col,
            )
        ]
    return text, []


def _mark_position(exc: BaseException) -> tuple[int | None, int | None]:
    for attr in ("problem_mark", "context_mark"):
        mark = getattr(exc, attr, None)
        if mark is not None and getattr(mark, "line", None) is not None:
            return mark.line + 1, mark.column + 1
    return None, None


def _has_anchor(text: str) -> tuple[int, int] | None:
    """The position of the first anchor or alias, found from parse events.

    Loading a "billion laughs" file is cheap (shared references); walking it is
    not. Only files holding `&` or `*` at all pay for this scan.
    """
    from ruamel.yaml.events import AliasEvent

    for ev in _safe_yaml().parse(text):
        if isinstance(ev, AliasEvent) or getattr(ev, "anchor", None):
            mark = ev.start_mark
            return mark.line + 1, mark.column + 1
    return None


def _check_shape(data: Any) -> str | None:
    """Depth and key types, walked iteratively (no recursion on hostile depth)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "depth"
        if isinstance(node, dict):
            for k, v in node.items():
                if not isinstance(k, str):
                    return "key"
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return None


def load(raw: bytes, file: str, project: str | None) -> Loaded:
    """Parse one YAML file on the fast path; every fault is a finding."""
    text, findings = decode(raw, file, project)
    if text is None:
        return Loaded(None, findings, None)
    if ("&" in text or "*" in text) and not findings:
        try:
            pos = _has_anchor(text)
        except Exception as e:  # a syntax error: reported below by the loader
            pos = None
            del e
        if pos is not None:
            return Loaded(
                None,
                [
                    _finding(
                        "S001",
                        "不允许使用 YAML 锚点和别名（& 与 *）：请把内容直接写出来。",
                        "YAML anchors and aliases (& and *) are not allowed: write the values out.",
                        file,
                        project,
                        *pos,
                    )
                ],
                text,
            )
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _safe_yaml().load(text)
    except DuplicateKeyError as e:
        line, col = _mark_position(e)
        key = str(getattr(e, "problem", "")).split('"')[1:2]
        name = key[0] if key else ""
        return Loaded(
            None,
            [
                _finding(
                    "S003",
                    f"重复的键 {name}：同一层级中每个键只能出现一次，请删除或合并重复的一项。",
                    f"duplicate key {name}: each key may appear once per mapping; remove or merge "
                    "the repeated one.",
                    file,
                    project,
                    line,
                    col,
                    (name,) if name else (),
                )
            ],
            text,
        )
    except MarkedYAMLError as e:
        line, col = _mark_position(e)
        problem = (getattr(e, "problem", None) or str(e)).strip()
        if "could not determine a constructor for the tag" in problem:
            zh = f"不允许的 YAML 标签（{problem.split('tag')[-1].strip()}）：请删除标签，只写普通的值。"
            en = f"a YAML tag is not allowed ({problem.split('tag')[-1].strip()}): remove it."
        else:
            zh = f"YAML 语法错误：{problem}。请检查该行的缩进、冒号和引号。"
            en = f"YAML syntax error: {problem}. Check the indentation, colons and quotes on that line."
        return Loaded(None, [_finding("S001", zh, en, file, project, line, col)], text)
    except (YAMLError, RecursionError, ValueError, TypeError) as e:
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
    shape = _check_shape(data)
    if shape == "depth":
        return Loaded(
            None,
            [
                _finding(
                    "S001",
                    f"嵌套层级超过 {MAX_DEPTH} 层：项目档案不会这样深，请检查文件。",
                    f"nesting deeper than {MAX_DEPTH} levels: no dossier is that deep; check the file.",
                    file,
                    project,
                )
            ],
            text,
        )
    if shape == "key":
        return Loaded(
            None,
            [
                _finding(
                    "S002",
                    "键必须是文本：请不要使用列表、映射或空值作为键。",
                    "keys must be text: do not use a list, mapping or null as a key.",
                    file,
                    project,
                )
            ],
            text,
        )
    return Loaded(data, findings, text)


def positions(
    text: str, paths: Iterable[tuple[Path, str]]
) -> dict[tuple[Path, str], tuple[int | None, int | None]]:
    """Line and column (1-based) of each (path, anchor) from a round-trip parse.

    anchor "value": the value at path; "key": the key itself; a path that does
    not exist points at the deepest mapping key that does (its parent).
    """
    wanted = list(dict.fromkeys(paths))
    out: dict[tuple[Path, str], tuple[int | None, int | None]] = {}
    try:
        doc = _rt_yaml().load(text)
    except Exception:
        return {w: (None, None) for w in wanted}
    for path, anchor in wanted:
        out[(path, anchor)] = _locate(doc, path, anchor)
    return out


def _locate(doc: Any, path: Path, anchor: str) -> tuple[int | None, int | None]:
    node = doc
    best: tuple[int | None, int | None] = (1, 1)
    for i, part in enumerate(path):
        last = i == len(path) - 1
        lc = getattr(node, "lc", None)
        if isinstance(node, dict) and part in node and lc is not None:
            try:
                kl, kc = lc.key(part)
                vl, vc = lc.value(part)
            except Exception:
                return best
            if last:
                if anchor == "key":
                    return kl + 1, kc + 1
                value = node[part]
                # a block mapping or sequence value starts on the next line: point at the key
                if isinstance(value, dict | list) and value and vl != kl:
                    return kl + 1, kc + 1
                return vl + 1, vc + 1
            best = (kl + 1, kc + 1)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) and lc is not None:
            try:
                il, ic = lc.item(part)
            except Exception:
                return best
            best = (il + 1, ic + 1)
            if last:
                return best
            node = node[part]
        else:
            return best
    return best
