"""The JSON Schema of a dossier made as strict as gtx where JSON Schema can say it, and
readable in an editor: pydantic's export loses the bounds and patterns of fields whose
type carries its own JSON Schema (money, whole numbers, texts), so they are put back
from the model's own constraints; every property gets its Chinese description (with
the clause, core/field_docs.py) as `description` and `markdownDescription`, and every
enum its Chinese title and value labels (`enumDescriptions`, `markdownEnumDescriptions`,
what yaml-language-server shows on hover and completion)."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from golmud_cli.core.field_docs import describe

ENUM_TITLES: dict[str, str] = {
    "FundingSource": "资金来源",
    "MlpsLevel": "等保级别",
    "SystemType": "系统类型",
    "Network": "基础网络",
    "ApprovalPath": "审批路径",
    "ProcurementMethod": "采购方式",
    "Sanction": "处理措施",
    "ExtensionFor": "延期事项",
    "DocKind": "文件类别",
    "Stage": "阶段",
    "Role": "角色",
}


def models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`root` and every model reachable from its fields, each once."""
    seen: set[type] = set()
    todo: list[type[BaseModel]] = [root]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        yield m
        for info in m.model_fields.values():
            todo.extend(_models_in(info.annotation))


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models_in(a)]


def _constraints(annotation: Any) -> dict[str, Any]:
    """JSON Schema keywords for the bounds and patterns inside `annotation`."""
    out: dict[str, Any] = {}
    for meta in _metadata(annotation):
        if isinstance(meta, at.Gt):
            out["exclusiveMinimum"] = _num(meta.gt)
        elif isinstance(meta, at.Ge):
            out["minimum"] = _num(meta.ge)
        elif isinstance(meta, at.Lt):
            out["exclusiveMaximum"] = _num(meta.lt)
        elif isinstance(meta, at.Le):
            out["maximum"] = _num(meta.le)
        elif isinstance(meta, at.MinLen):
            out["minLength"] = meta.min_length
        elif isinstance(meta, at.MaxLen):
            out["maxLength"] = meta.max_length
        elif getattr(meta, "pattern", None) and isinstance(meta.pattern, str):
            out["pattern"] = meta.pattern
    return out


def _metadata(annotation: Any) -> Iterator[Any]:
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        yield from _metadata(args[0])
        for meta in args[1:]:
            if isinstance(meta, FieldInfo):
                yield from meta.metadata
            else:
                yield meta
    elif typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _metadata(arg)


def _num(value: Any) -> int | float:
    f = float(value)
    return int(f) if f.is_integer() else f


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property (or the property itself)."""
    if "anyOf" in prop:
        return [b for b in prop["anyOf"] if b.get("type") != "null"]
    return [prop]


def enrich(schema: dict[str, Any], root: type[BaseModel]) -> dict[str, Any]:
    defs: dict[str, Any] = schema.get("definitions", {})
    for model in models(root):
        node = schema if model is root else defs.get(model.__name__)
        if node is None:
            continue
        props = node.get("properties", {})
        for name, info in model.model_fields.items():
            prop = props.get(info.alias or name)
            if prop is None:
                continue
            keywords = _constraints(info.annotation)
            for meta in info.metadata:
                keywords.update(_constraints(typing.Annotated[Any, meta]))
            for branch in _branches(prop):
                if "$ref" in branch or "enum" in branch:
                    continue
                kinds = branch.get("type")
                for key, value in keywords.items():
                    numeric = key.endswith(("imum", "Minimum", "Maximum"))
                    if numeric and kinds in ("number", "integer"):
                        branch.setdefault(key, value)
                    elif not numeric and kinds == "string":
                        branch.setdefault(key, value)
            doc = describe(model, name)
            if doc is not None:
                text, clause = doc
                full = f"{text}依据《办法》{clause}。" if clause else text
                title = prop.get("title", "")
                prop["description"] = full
                prop["markdownDescription"] = f"**{title}**\n\n{full}" if title else full
    for name, title in ENUM_TITLES.items():
        node = defs.get(name)
        if node is None or "enum" not in node:
            continue
        labels = enum_labels(name)
        node["title"] = title
        node["description"] = title
        values = [str(v) for v in node["enum"]]
        node["enumDescriptions"] = [labels.get(v, v) for v in values]
        node["markdownEnumDescriptions"] = [f"**{labels.get(v, v)}**（`{v}`）" for v in values]
    _mlps_inline(defs)
    return schema


def enum_labels(name: str) -> dict[str, str]:
    from golmud_cli.core.lifecycle import ROLE_LABELS, STAGE_LABELS
    from golmud_cli.core.values import ENUM_LABELS

    if name == "Stage":
        return {s.value: zh for s, (zh, _) in STAGE_LABELS.items()}
    if name == "Role":
        return {r.value: zh for r, (zh, _) in ROLE_LABELS.items()}
    return dict(ENUM_LABELS.get(name, {}))


def _mlps_inline(defs: dict[str, Any]) -> None:
    """mlps.level lists both spellings (2 and "2") inline: label them too."""
    level = defs.get("Mlps", {}).get("properties", {}).get("level")
    if level is None:
        return
    labels = enum_labels("MlpsLevel")
    for branch in _branches(level):
        if "enum" in branch:
            values = [str(v) for v in branch["enum"]]
            branch["enumDescriptions"] = [labels.get(v, v) for v in values]
            branch["markdownEnumDescriptions"] = [
                f"**{labels.get(v, v)}**（`{v}`）" for v in values
            ]
