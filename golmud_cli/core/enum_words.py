"""Coded values and their Chinese labels, for people: a label written where the code
belongs is recognised and the code to write named (`municipal（市级财政资金）`); a
code is shown with its label; and which field of the model holds which enum.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from functools import cache
from typing import Any

from golmud_cli.core.values import ENUM_LABELS

FieldPath = tuple[str, ...]


def enum_of_values(values: set[str]) -> str | None:
    """The enum of ENUM_LABELS whose codes are exactly `values`."""
    for name, labels in ENUM_LABELS.items():
        if set(labels) == values:
            return name
    return None


def coded(enum: str, code: str, lang: str = "zh") -> str:
    label = ENUM_LABELS[enum].get(code)
    if label is None:
        return code
    return f"{code}（{label}）" if lang == "zh" else f"{code} ({label})"


def _normal(text: str) -> str:
    return re.sub(r"[\s（）()·]", "", text)


def code_for_label(enum: str, written: str) -> str | None:
    """The code whose label the clerk wrote (exactly, or nearly: `三级` for 等保三级)."""
    w = _normal(written)
    if not w:
        return None
    labels = ENUM_LABELS[enum]
    for code, label in labels.items():
        if _normal(label) == w:
            return code
    near = [c for c, label in labels.items() if w in _normal(label) or _normal(label) in w]
    return near[0] if len(near) == 1 else None


def enum_message(value: Any, expected: str) -> tuple[str, str] | None:
    """The S002 message (zh, en) for `value` where pydantic expected one of `expected`
    (its text, e.g. "a, b or c"); None when the codes are no enum of ENUM_LABELS."""
    codes = {c.strip() for c in re.split(r",\s*|\s+or\s+", expected) if c.strip()}
    enum = enum_of_values(codes)
    if enum is None:
        return None
    choices_zh = "、".join(coded(enum, c) for c in ENUM_LABELS[enum])
    choices_en = ", ".join(coded(enum, c, "en") for c in ENUM_LABELS[enum])
    text = "" if value is None else str(value)
    code = code_for_label(enum, text)
    if code is not None:
        return (
            f"“{text}”是中文名称，这里要写代码：{coded(enum, code)}。",
            f"'{text}' is the label; write the code: {coded(enum, code, 'en')}.",
        )
    near = difflib.get_close_matches(text, list(ENUM_LABELS[enum]), n=1, cutoff=0.6)
    if near:
        return (
            f"取值 {text!r} 不在允许范围内：是不是 {coded(enum, near[0])}？可选：{choices_zh}。",
            f"{text!r} is not allowed: did you mean {coded(enum, near[0], 'en')}? "
            f"Choose one of: {choices_en}.",
        )
    return (
        f"取值 {text!r} 不在允许范围内，可选：{choices_zh}。",
        f"{text!r} is not allowed; choose one of: {choices_en}.",
    )


def _enum_in(annotation: Any) -> str | None:
    from enum import Enum

    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation.__name__ if annotation.__name__ in ENUM_LABELS else None
    for arg in typing.get_args(annotation):
        found = _enum_in(arg)
        if found:
            return found
    return None


def _models_in(annotation: Any) -> list[type]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        typing.Annotated,
    ):
        return [m for a in typing.get_args(annotation) for m in _models_in(a)]
    return []


@cache
def enum_fields() -> dict[FieldPath, str]:
    """Every field of the dossier that holds an enum value, by its path (not within lists
    or mappings keyed by the clerk)."""
    from golmud_cli.core.model import Dossier

    out: dict[FieldPath, str] = {}

    def walk(model: type, prefix: FieldPath) -> None:
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            path = (*prefix, name)
            enum = _enum_in(info.annotation)
            if enum is not None and typing.get_origin(info.annotation) not in (list, dict):
                out[path] = enum
            for sub in _models_in(info.annotation):
                walk(sub, path)

    walk(Dossier, ())
    return out


def shown(path: FieldPath, value: Any, lang: str) -> Any:
    """`value` at `path` with every enum code replaced by its label (code kept after it)."""
    enum = enum_fields().get(path)
    if enum is not None and isinstance(value, str) and value in ENUM_LABELS[enum]:
        label = ENUM_LABELS[enum][value]
        return f"{label}（{value}）" if lang == "zh" else f"{label} ({value})"
    if isinstance(value, dict):
        return {k: shown((*path, str(k)), v, lang) for k, v in value.items()}
    return value
