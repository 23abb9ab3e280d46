"""pydantic's verdict turned into S002/S004 findings (pure).

When the whole dossier does not fit the model, the offending fields are dropped
and the rest is validated again, so that one typo does not hide every other rule.

`validate_fast` gives the same findings and the same partial model for a dossier
without pydantic, from core/fastmodel.py's `errors` and `convert`, or None where
those are not sure (issue 17: each worker of a cold run imported pydantic and built
Dossier's validator, ~0.2 s, at its first dossier that failed the schema). So this
module imports pydantic only where `validate` calls it, and names a model by its
class or by its name ("Dossier") for the labels (core/labels.py).
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from golmud_cli.core.findings import Finding, Path, Severity
from golmud_cli.core.labels import known_keys, label_for

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
# a model as _messages and _finding name it: its class, or its class's name
Model = type["BaseModel"] | str

_VALUE_ERRORS: dict[str, tuple[str, str]] = {
    # The number as read has already lost its leading zero, so the example is not
    # the value: "0979123456" quoted as written, never "979123456".
    "quote_number": (
        "这里需要文本，但写成了数字：数字会丢失前导零（0979123456 会变成 979123456）。"
        '请按原样加上英文双引号，例如 "0979123456"。',
        "text is expected but a number was written, which loses leading zeros "
        '(0979123456 would become 979123456). Quote it as written, e.g. "0979123456".',
    ),
    "text_expected": ("这里需要文本。", "text is expected here."),
    "blank": ("不能为空。", "must not be empty."),
    "date_format": (
        "日期须写成 YYYY-MM-DD，例如 2024-05-01（当前为 {value}）。",
        "a date is written YYYY-MM-DD, e.g. 2024-05-01 (got {value}).",
    ),
    "date_unreal": (
        "日期 {value} 不存在（请核对月份天数）。",
        "{value} is not a real date (check the days of that month).",
    ),
    "date_expected": (
        "这里需要日期，写成 YYYY-MM-DD，例如 2024-05-01。",
        "a date is expected here, written YYYY-MM-DD, e.g. 2024-05-01.",
    ),
    "number_quoted": (
        "数字不要加引号：写成 {value}（去掉引号）。",
        "write the number without quotes: {value}.",
    ),
    "number_expected": ("这里需要数字（万元）。", "a number (万元) is expected here."),
    "int_expected": ("这里需要整数。", "a whole number is expected here."),
    "window_order": (
        "须写成 [开始月数, 截止月数]，开始早于截止，例如 [12, 24]（三（七））。",
        "write [from, to] months with from before to, e.g. [12, 24] (三（七）).",
    ),
    "key_options": (
        "公钥前写有 allowed-signers 选项（如 valid-before=、cert-authority）：gtx 不支持这些选项，"
        "请只写“类型 公钥 [注释]”，有效期用 from / until 两个键表示。",
        "the key carries allowed-signers options (valid-before=, cert-authority, ...), which "
        'gtx does not take: write only "type key [comment]" and give validity as from / until.',
    ),
    "validity_order": (
        "until 早于 from：签署人的有效期须先开始后结束。",
        "until is before from: a signer's validity must start before it ends.",
    ),
    "bool_expected": (
        "这里只能写 true 或 false（YAML 1.2 中 yes/no 是文本）。",
        "only true or false is allowed here (in YAML 1.2 yes/no are text).",
    ),
}


_KINDS = {
    "list": ("列表", "a list"),
    "str": ("一段文本", "a text"),
    "int": ("数字", "a number"),
    "float": ("数字", "a number"),
    "bool": ("布尔值", "a boolean"),
}


def _clean_loc(loc: tuple[Any, ...], data: Any = None) -> Path:
    # pydantic adds markers such as '[key]' or 'function-before[...]' to loc
    # ... but a key the user wrote, such as `a[b]`, is a key, not a marker: walk the
    # data alongside, and drop a bracketed part only where the data has no such key.
    out: list[str | int] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(part, str):
            if isinstance(node, dict) and part in node:
                out.append(part)
                node = node[part]
            elif not (part.endswith("]") and "[" in part):
                out.append(part)
                node = None
    return tuple(out)


def _expected(err: Mapping[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    return str(ctx.get("expected", "")).replace("'", "")


@functools.lru_cache(maxsize=1024)
def _near(key: str, allowed: tuple[str, ...]) -> list[str]:
    """The known key nearest to an unknown one. A clerk's misspelling recurs across a
    repository's dossiers, and difflib's ratios over a class's ~30 keys cost ~100 us
    (the largest part of a failing dossier's schema step once the walk was cut)."""
    return difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)


def _messages(
    err: Mapping[str, Any], path: Path, model: Model | None = None
) -> tuple[str, str, str, str]:
    """(code, zh, en, anchor) for one pydantic error."""
    model = model or "Dossier"
    etype = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if etype == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = known_keys(path[:-1], model)
        near = _near(key, tuple(allowed))
        zh = f"未知的键 {key}"
        en = f"unknown key {key}"
        if near:
            label = label_for((*path[:-1], near[0]), model)
            zh += f"：是不是 {near[0]}（{label}）？"
            en += f": did you mean {near[0]} ({label})?"
        elif getattr(model, "__name__", model) == "Dossier" or not allowed:
            zh += "：请删除，或对照 schema/dossier.schema.json 改正。"
            en += ": remove it, or correct it against schema/dossier.schema.json."
        else:
            zh += f"：请删除，或改为以下之一：{'、'.join(allowed)}。"
            en += f": remove it, or use one of: {', '.join(allowed)}."
        return "S004", zh, en, "key"
    if etype == "missing":
        return "S002", "必填项缺失，请补充。", "is required but missing; add it.", "parent"
    if etype == "value_error":
        raw = str(ctx.get("error", err.get("msg", "")))
        for key, (zh, en) in _VALUE_ERRORS.items():
            if key in raw:
                v = "" if value is None else str(value)
                return "S002", zh.format(value=v), en.format(value=v), "value"
    if etype in ("enum", "literal_error"):
        exp = _expected(err)
        from golmud_cli.core.enum_words import enum_message

        worded = enum_message(value, exp)
        if worded is not None:
            return "S002", worded[0], worded[1], "value"
        return (
            "S002",
            f"取值 {value!r} 不在允许范围内，可选：{exp}。",
            f"{value!r} is not allowed; choose one of: {exp}.",
            "value",
        )
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        sym = {
            "greater_than": ">",
            "greater_than_equal": "≥",
            "less_than": "<",
            "less_than_equal": "≤",
        }[etype]
        return (
            "S002",
            f"取值 {value} 超出范围：须 {sym} {bound}。",
            f"{value} is out of range: must be {sym} {bound}.",
            "value",
        )
    if etype == "string_pattern_mismatch":
        return (
            "S002",
            f"“{value}”格式不对：项目编号只能用小写字母、数字和连字符，3 到 64 个字符，例如 2024-smart-parking。",
            f"'{value}' has the wrong form: an id is 3-64 lowercase letters, digits and hyphens, "
            "e.g. 2024-smart-parking.",
            "value",
        )
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return (
            "S002",
            "这里需要一个映射（键: 值）。",
            "a mapping (key: value) is expected here.",
            "value",
        )
    if etype in ("too_short", "too_long") or (etype == "tuple_type" and isinstance(value, list)):
        n = len(value) if isinstance(value, list | tuple) else "?"
        return (
            "S002",
            f"列表的项数不对（现有 {n} 项）。",
            f"the list has the wrong number of items ({n}).",
            "value",
        )
    if etype in ("list_type", "tuple_type"):
        return (
            "S002",
            "这里需要一个列表（- 开头的各项）。",
            "a list (items starting with -) is expected here.",
            "value",
        )
    return (
        "S002",
        f"取值不符合要求（{err.get('msg', etype)}）。",
        f"invalid value ({err.get('msg', etype)}).",
        "value",
    )


def _drop(data: Any, path: Path, own: set[int]) -> bool:
    """Remove the value at path (or its nearest removable ancestor). `own`: the ids of
    the containers that are copies of the caller's (`data` first); each other dict or
    list on the way is copied, one level, before it is changed -- the data is the
    loader's tree (it refuses YAML aliases, so no part is shared), and copying only the
    way to what is dropped costs little where a deep copy of a whole dossier cost ~110
    us (issue 17)."""
    node = data
    for part in path[:-1]:
        try:
            child = node[part]
        except (KeyError, IndexError, TypeError):
            return False
        if type(child) in (dict, list) and id(child) not in own and id(node) in own:
            child = node[part] = child.copy()
            own.add(id(child))
        node = child
    if not path:
        return False
    last = path[-1]
    try:
        if isinstance(node, dict) and last in node:
            del node[last]
            return True
        if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
            del node[last]
            return True
    except TypeError:
        return False
    return False


def _deepest_first(paths: Iterable[Path]) -> list[Path]:
    """Distinct paths, later list items first, so that removing one list item does
    not shift the index of another still to be removed."""

    def key(p: Path) -> list[tuple[int, int | str]]:
        return [(0, x) if isinstance(x, int) else (1, x) for x in p]

    return sorted(set(paths), key=key, reverse=True)


class _Unsure(Exception):
    """The fast path cannot say what pydantic would: pydantic judges (validate_fast)."""


Errors = list[dict[str, Any]]
# one validation of (reduced) data: the instance, or None and the errors
Attempt = Callable[[Any], tuple[Any, Errors]]


def validate(
    model: type[M],
    data: Any,
    *,
    file: str,
    project: str | None,
    root_label: str = "",
    dropped: list[Path] | None = None,
) -> tuple[M | None, list[Finding]]:
    """Validate data against model: the instance (possibly partial) and findings.

    `dropped`, when given, receives the paths the lenient pass removed to build the
    partial instance (the caller may then discount what the rules say about them).
    """
    refused = _not_a_mapping(data, file, project, model)
    if refused is not None:
        return None, refused
    from pydantic import ValidationError

    def attempt(work: Any) -> tuple[M | None, Errors]:
        try:
            return model.model_validate(work), []
        except ValidationError as e:
            return None, e.errors(include_url=False)  # type: ignore[return-value]

    instance, errors = attempt(data)
    if not errors:
        return instance, []
    return _lenient(model, data, errors, attempt, file, project, dropped)


def validate_fast(
    data: Any,
    *,
    file: str,
    project: str | None,
    dropped: list[Path] | None = None,
) -> tuple[Any, list[Finding]] | None:
    """`validate(Dossier, data, ...)` for data that core/fastmodel.py's `convert` has
    refused, without pydantic: the same findings, and the same partial model as a
    fast-model object (or None), or None when the fast path is not sure and pydantic
    must judge. Nothing is added to `dropped` then."""
    from golmud_cli.core.fastmodel import convert, errors

    refused = _not_a_mapping(data, file, project, "Dossier")
    if refused is not None:
        return None, refused

    def attempt(work: Any) -> tuple[Any, Errors]:
        made = convert(work)
        if made is not None:
            return made, []
        found = errors(work)
        if not found:
            raise _Unsure  # refused, but not for a reason the walk knows
        return None, found

    try:
        # the first attempt without convert(): the caller's has just refused the data
        found = errors(data)
        if not found:
            raise _Unsure
        return _lenient("Dossier", data, found, attempt, file, project, dropped)
    except _Unsure:
        return None


def _not_a_mapping(data: Any, file: str, project: str | None, model: Model) -> list[Finding] | None:
    """The finding of data that is no mapping at all (an empty file, a list), or None."""
    if data is None:
        return [
            _finding(
                "S002",
                "文件是空的：请从 gtx new 生成的模板开始填写。",
                "the file is empty: start from the template that gtx new writes.",
                file,
                project,
                (),
                model,
            )
        ]
    if not isinstance(data, dict):
        zh_kind, en_kind = _KINDS.get(
            type(data).__name__, (type(data).__name__, type(data).__name__)
        )
        return [
            _finding(
                "S002",
                f"文件顶层必须是映射（键: 值），而不是{zh_kind}。",
                f"the top level must be a mapping (key: value), not {en_kind}.",
                file,
                project,
                (),
                model,
            )
        ]
    return None


def _lenient(
    model: Model,
    data: Any,
    errors: Errors,
    attempt: Attempt,
    file: str,
    project: str | None,
    dropped: list[Path] | None,
) -> tuple[Any, list[Finding]]:
    """The findings of `errors`, and the partial instance: `attempt` (a validation)
    of the data without what failed."""
    findings: list[Finding] = []
    for err in errors:
        path = _clean_loc(tuple(err["loc"]), data)
        code, zh, en, anchor = _messages(err, path, model)
        findings.append(_finding(code, zh, en, file, project, path, model, anchor))
    # Lenient second pass: drop what failed, so the rules can still run on the rest.
    work = copy.copy(data)  # and what _drop changes in it (the caller's data stays)
    own = {id(work)}
    instance: Any = None
    removed: list[Path] = []
    for _ in range(4):
        for path in _deepest_first(
            _clean_loc(tuple(e["loc"]), work) for e in errors if e["type"] != "missing"
        ):
            if _drop(work, path, own):
                removed.append(path)
        instance, errors = attempt(work)
        if not errors:
            break
        if all(x["type"] == "missing" and len(x["loc"]) == 1 for x in errors):
            break  # a required top-level field is missing: no model
        # a missing nested required field: drop the parent object
        parents = (
            _clean_loc(tuple(x["loc"]), work)[:-1]
            for x in errors
            if x["type"] == "missing" and len(x["loc"]) > 1
        )
        for parent in _deepest_first(parents):
            if _drop(work, parent, own):
                removed.append(parent)
    if dropped is not None:
        dropped.extend(removed)
    return instance, findings


def _finding(
    code: str,
    zh: str,
    en: str,
    file: str,
    project: str | None,
    path: Path,
    model: Model,
    anchor: str = "value",
) -> Finding:
    label = label_for(path, model) if path else ""
    field = ".".join(map(str, path))
    if path and code == "S002":
        zh = f"{field}（{label}）：{zh}"
        en = f"{field} ({label}): {en}"
    return Finding(
        code=code,
        severity=Severity.error,
        project=project,
        file=file,
        path=path,
        label=label,
        message_zh=zh,
        message_en=en,
        clause=None,
        anchor=anchor,
    )
