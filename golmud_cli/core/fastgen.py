"""Writes the source of core/fastschema.py: a msgspec twin of each class of core/model.py
that a dossier or gtx.yaml reaches, read from pydantic's field information (issue 17).

The twins used to be made at import from the pydantic classes, so that importing the
fast model imported pydantic (~0.2 s of a start-up). They are made here instead, once,
and committed: `make fastschema` (scripts/build_fastschema.py) writes the file, and
tests/core/test_fastgen.py fails when the committed file is not what this module writes
now. Only this module and the tests import pydantic for it.

What the generator cannot mirror stops it (TypeError), never a silent difference: a
validator it does not know, a constraint, a default, a config key or a method without
a fast twin. Each known validator is one pure function both sides call
(core/values.py, core/model_methods.py), recognised by identity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic.fields import FieldInfo

from golmud_cli.core import model as m
from golmud_cli.core import model_methods, values

GENERATED = "golmud_cli/core/fastschema.py"
COMMAND = "make fastschema"

# The classes whose trees are generated: a dossier and gtx.yaml.
ROOTS: tuple[type[BaseModel], ...] = (m.Dossier, m.Settings)

# BeforeValidators: the kind of value each makes (a Python type, or a fix after msgspec).
_BEFORE: dict[Callable[..., Any], str] = {
    values._text: "text",
    values._iso_date: "date",
    values._wan: "wan",
    values._strict_int: "int",
    values._strict_bool: "bool",
    values._mlps_level: "mlps",
}
_BASE = {"text": str, "date": dt.date, "int": int, "bool": bool}
_SOURCE = {str: "str", dt.date: "dt.date", int: "int", bool: "bool"}

# AfterValidators (in an annotation) and field validators (mode="after") that the
# generated class runs in its __post_init__: the function's name in the generated module.
# values._not_blank is not here: it becomes the pattern \S (below), which msgspec checks.
_AFTER: dict[Callable[..., Any], str] = {
    values._plain_key: "values._plain_key",
    values._window_in_order: "values._window_in_order",
}
# model validators (mode="after"), run last in __post_init__ on the whole object.
_MODEL_AFTER: dict[Callable[..., Any], str] = {
    model_methods.validity_in_order: "model_methods.validity_in_order",
}

# The methods of the model classes, and the line that gives the twin the same one.
# Dossier's and Signer's share their code (core/model_methods.py); Documents.get and
# .present read a struct's fields instead of pydantic's __dict__ (core/fastruntime.py).
METHODS: dict[tuple[str, str], str] = {
    ("Dossier", "stages"): "stages = property(model_methods.stages)",
    ("Dossier", "entered"): "entered = model_methods.entered",
    ("Dossier", "entered_dates"): "entered_dates = model_methods.entered_dates",
    ("Documents", "get"): "get = _rt.get",
    ("Documents", "present"): "present = _rt.present",
    ("Signer", "valid_on"): "valid_on = model_methods.valid_on",
}

# model_config keys that do not change what validation accepts or makes. Any other
# (strict, str_strip_whitespace, validate_default, ...) stops the generator.
_CONFIG = {"extra", "frozen", "defer_build", "populate_by_name", "title", "json_schema_extra"}


@dataclass
class _Field:
    name: str
    type: str  # the msgspec type, as source
    default: str | None  # as source; None when required
    fixes: list[str]  # expressions of `{v}` applied in turn after msgspec's check
    optional: bool  # None is a value: not fixed


@dataclass
class _Module:
    """What the generated module holds and needs, gathered while translating."""

    order: list[type[BaseModel]] = field(default_factory=list)
    enums: dict[str, set[str]] = field(default_factory=dict)  # module -> names
    wans: dict[tuple[Any, Any], str] = field(default_factory=dict)  # (gt, ge) -> name
    classes: dict[type[BaseModel], str] = field(default_factory=dict)  # -> source
    # per class, field -> its Wan check's name; the classes with a check of their own
    amounts: dict[str, dict[str, str]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)


def _pattern(p: str) -> str:
    # pydantic's patterns run in Rust, where `$` is the end of the text
    if not p.endswith("$") or p.endswith("\\$"):
        raise TypeError(f"fastgen: unsupported pattern {p!r}")
    return p[:-1] + "\\Z"


def _meta(metadata: list[Any]) -> tuple[str | None, dict[str, Any], list[Callable[..., Any]]]:
    """(the kind named by a BeforeValidator, msgspec constraints, AfterValidators)."""
    kind: str | None = None
    constraints: dict[str, Any] = {}
    after: list[Callable[..., Any]] = []
    for item in metadata:
        if isinstance(item, BeforeValidator):
            kind = _BEFORE.get(item.func)
            if kind is None:
                raise TypeError(f"fastgen: unknown validator {item.func!r}")
        elif isinstance(item, AfterValidator):
            if item.func is not values._not_blank and item.func not in _AFTER:
                raise TypeError(f"fastgen: unknown validator {item.func!r}")
            after.append(item.func)
        elif isinstance(item, WithJsonSchema | PlainSerializer):
            continue  # the schema's and the dump's, not the check's
        elif isinstance(item, FieldInfo):
            k, c, a = _meta(list(item.metadata))
            kind = kind or k
            constraints.update(c)
            after.extend(a)
        else:
            # annotated_types' bounds are dataclasses, pydantic's pattern an object: every
            # attribute set must be one msgspec checks alike (an Interval's lt would be lost)
            if dataclasses.is_dataclass(item):
                found = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
            else:
                found = dict(getattr(item, "__dict__", {}))
            found = {n: v for n, v in found.items() if v is not None}
            if not found or set(found) - {"gt", "ge", "pattern"}:
                raise TypeError(f"fastgen: unknown constraint {item!r}")
            constraints.update(found)
    return kind, constraints, after


def _translate(annotation: Any, metadata: list[Any], out: _Module) -> tuple[str, list[str], bool]:
    """(the msgspec type of a pydantic annotation as source, the fixes its value needs
    after msgspec's check, whether None is allowed)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _translate(base, [*extra, *metadata], out)
    if origin is Union or origin is types.UnionType:
        arms = [a for a in get_args(annotation) if a is not type(None)]
        if len(arms) != len(get_args(annotation)) - 1 or len(arms) != 1:
            raise TypeError(f"fastgen: unsupported union {annotation!r}")
        inner, fixes, _ = _translate(arms[0], metadata, out)
        return f"{inner} | None", fixes, True
    kind, constraints, after = _meta(metadata)
    fixes = [f"{_AFTER[f]}({{v}})" for f in after if f is not values._not_blank]
    if values._not_blank in after:
        if "pattern" in constraints:  # msgspec checks one pattern: which would be lost
            raise TypeError(f"fastgen: a pattern on a non-blank text {annotation!r}")
        constraints["pattern"] = r"\S"  # _not_blank: not only whitespace (str.strip's set)
    elif "pattern" in constraints:
        constraints["pattern"] = _pattern(constraints["pattern"])
    if kind == "wan":
        # Any: the fix (fastruntime.Wan) checks the value as _wan does. msgspec's own types
        # would differ from _wan: `int | float` makes a Decimal a float (1 -> 1.0), and
        # with Decimal in the union a text becomes a Decimal ("0979" -> 979)
        return "Any", [f"{_wan_check(out, constraints)}({{v}})", *fixes], False
    if kind == "mlps":
        _enum(m.MlpsLevel, out)
        return "int | MlpsLevel", ["_rt.mlps_level({v})", *fixes], False
    if origin in (list, tuple, dict):
        if fixes or constraints or kind is not None:
            raise TypeError(f"fastgen: unsupported check on {annotation!r}")
        return _container(annotation, out), [], False
    if origin is Literal:
        # only with _strict_int: pydantic's lax Literal[1] itself might take True
        if kind != "int" or fixes or constraints:
            raise TypeError(f"fastgen: unsupported literal {annotation!r}")
        if not all(type(a) is int for a in get_args(annotation)):
            raise TypeError(f"fastgen: unsupported literal {annotation!r}")
        # msgspec takes neither True nor 1.0 for Literal[1], as _strict_int
        return f"Literal[{', '.join(map(repr, get_args(annotation)))}]", [], False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if fixes or constraints or kind is not None:
            raise TypeError(f"fastgen: unsupported check on {annotation!r}")
        _class(annotation, out)
        return annotation.__name__, [], False
    if kind is not None:
        if annotation is not _BASE[kind]:
            raise TypeError(f"fastgen: {kind} validator on {annotation!r}")
        source = _SOURCE[annotation]
    elif isinstance(annotation, type) and issubclass(annotation, StrEnum):
        source = _enum(annotation, out)
    else:
        raise TypeError(f"fastgen: unsupported field type {annotation!r}")
    if constraints:
        meta = ", ".join(f"{k}={v!r}" for k, v in sorted(constraints.items()))
        return f"Annotated[{source}, msgspec.Meta({meta})]", fixes, False
    return source, fixes, False


def _container(annotation: Any, out: _Module) -> str:
    """list[X], tuple[X, Y] and dict[K, V] whose parts need no fix after msgspec."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple and (not args or Ellipsis in args):
        raise TypeError(f"fastgen: unsupported {annotation!r}")
    parts: list[str] = []
    for i, arg in enumerate(args):
        if origin is dict and i == 0 and arg is str:
            parts.append("str")  # a free key (gtx.yaml's units), as pydantic's str
            continue
        inner, fixes, optional = _translate(arg, [], out)
        if fixes or optional:
            raise TypeError(f"fastgen: unsupported part of {annotation!r}")
        parts.append(inner)
    return f"{origin.__name__}[{', '.join(parts)}]"


def _enum(enum: type[StrEnum], out: _Module) -> str:
    out.enums.setdefault(enum.__module__, set()).add(enum.__name__)
    return enum.__name__


def _wan_check(out: _Module, constraints: dict[str, Any]) -> str:
    """The module-level Wan check for these bounds (one object per kind of bound)."""
    gt, ge = constraints.get("gt"), constraints.get("ge")
    if set(constraints) - {"gt", "ge"}:
        raise TypeError(f"fastgen: unsupported constraints on an amount {constraints!r}")
    key = (gt, ge)
    if key not in out.wans:
        name = (
            "_wan"
            + (f"_gt_{gt}" if gt is not None else "")
            + (f"_ge_{ge}" if ge is not None else "")
        )
        out.wans[key] = re.sub(r"\W", "_", name)  # a bound such as 0.5: a name still
    return out.wans[key]


def _default(model: type[BaseModel], name: str, info: FieldInfo, out: _Module) -> str | None:
    """The field's default as source, or None when it is required."""
    if info.is_required():
        return None
    factory: Any = info.default_factory
    if factory is not None:
        if isinstance(factory, type) and issubclass(factory, BaseModel):
            _class(factory, out)
            return f"msgspec.field(default_factory={factory.__name__})"
        if factory in (list, dict):
            return f"msgspec.field(default_factory={factory.__name__})"
        raise TypeError(f"fastgen: unsupported default of {model.__name__}.{name}")
    value = info.default
    if value is None or type(value) in (bool, int, str, Decimal):
        return repr(value)
    if type(value) is tuple and all(type(v) is int for v in value):
        return repr(value)
    raise TypeError(f"fastgen: unsupported default of {model.__name__}.{name}")


def _validators(model: type[BaseModel]) -> tuple[dict[str, list[str]], list[str]]:
    """(each field's after-validators as fixes, the model validators' calls)."""
    decorators = model.__pydantic_decorators__
    if decorators.validators or decorators.root_validators or decorators.computed_fields:
        raise TypeError(f"fastgen: {model.__name__} has validators of its own")
    fields: dict[str, list[str]] = {}
    for dec in decorators.field_validators.values():
        info = dec.info
        if info.mode != "after" or dec.func not in _AFTER:
            raise TypeError(f"fastgen: unknown validator {dec.func!r} on {model.__name__}")
        for name in info.fields:
            fields.setdefault(name, []).append(f"{_AFTER[dec.func]}({{v}})")
    whole: list[str] = []
    for checks in decorators.model_validators.values():
        if checks.info.mode != "after" or checks.func not in _MODEL_AFTER:
            raise TypeError(f"fastgen: unknown validator {checks.func!r} on {model.__name__}")
        whole.append(f"{_MODEL_AFTER[checks.func]}(self)")
    return fields, whole


def _methods(model: type[BaseModel]) -> list[str]:
    """The twin's lines for the model's methods; a method without one stops the generator."""
    lines: list[str] = []
    decorators = model.__pydantic_decorators__
    checks = {*decorators.field_validators, *decorators.model_validators}  # _validators'
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        for name, value in vars(cls).items():
            if (
                name.startswith("_")
                or name in checks
                or not (
                    isinstance(value, property | staticmethod | classmethod)
                    or isinstance(value, types.FunctionType)
                )
            ):
                continue
            line = METHODS.get((cls.__name__, name))
            if line is None:
                raise TypeError(
                    f"fastgen: {cls.__name__}.{name} has no fast twin (fastgen.METHODS)"
                )
            lines.append(line)
    return lines


def _class(model: type[BaseModel], out: _Module) -> None:
    """Translate `model` (after the classes it needs) into out.classes."""
    if model in out.classes:
        return
    out.classes[model] = ""  # being made: a cycle stops here rather than recursing
    config = model.model_config
    if config.get("extra") != "forbid" or config.get("frozen") is not True:
        # the twins are frozen and refuse unknown keys: so must the class be
        raise TypeError(f"fastgen: {model.__name__} must forbid extra keys and be frozen")
    if set(config) - _CONFIG:
        raise TypeError(f"fastgen: {model.__name__} config {sorted(set(config) - _CONFIG)}")
    checked, whole = _validators(model)
    unknown = set(checked) - set(model.model_fields)
    if unknown:
        raise TypeError(f"fastgen: validator of unknown fields {sorted(unknown)}")
    fields: list[_Field] = []
    rename: dict[str, str] = {}
    for name, info in model.model_fields.items():
        kind, fixes, optional = _translate(info.annotation, list(info.metadata), out)
        default = _default(model, name, info, out)
        fields.append(_Field(name, kind, default, [*fixes, *checked.get(name, [])], optional))
        for fix in fields[-1].fixes:
            if fix.startswith("_wan"):
                out.amounts.setdefault(model.__name__, {})[name] = fix.removesuffix("({v})")
            elif not fix.startswith("_rt.mlps_level("):
                out.checked.add(model.__name__)
        if info.alias is not None and info.alias != name:
            rename[name] = info.alias
    if whole:
        out.checked.add(model.__name__)
    out.classes[model] = _class_source(model, fields, rename, whole)
    out.order.append(model)


def _class_source(
    model: type[BaseModel], fields: list[_Field], rename: dict[str, str], whole: list[str]
) -> str:
    options = "kw_only=True, frozen=True, forbid_unknown_fields=True, gc=False"
    if rename:
        options += f", rename={rename!r}"
    lines = [f"class {model.__name__}(msgspec.Struct, {options}):"]
    for f in fields:
        default = "" if f.default is None else f" = {f.default}"
        lines.append(f"    {f.name}: {f.type}{default}")
    lines.append("")
    lines.append("    model_copy = _rt.model_copy")
    lines.extend(f"    {line}" for line in _methods(model))
    fixed = [f for f in fields if f.fixes]
    if fixed or whole:
        lines += ["", "    def __post_init__(self) -> None:"]
        for f in fixed:
            expr = f"self.{f.name}"
            for fix in f.fixes:
                expr = fix.format(v=expr)
            assign = f'_force(self, "{f.name}", {expr})'
            if f.optional:
                # None stays None (a field left out); a required field is never None
                lines += [f"        if self.{f.name} is not None:", f"            {assign}"]
            else:
                lines.append(f"        {assign}")
        lines.extend(f"        {call}" for call in whole)
    return "\n".join(lines)


def _labels(models: list[type[BaseModel]]) -> str:
    """FIELDS: per class, field -> (title, alias, inner class, keyed), for core/labels.py."""
    lines = [
        "# Per class, each field: (title, alias, the class inside it, whether it is a mapping",
        "# with free keys such as roles.ndrc); core/labels.py walks it.",
        "FIELDS: dict[str, dict[str, tuple[str | None, str | None, str | None, bool]]] = {",
    ]
    for model in models:
        lines.append(f"    {model.__name__!r}: {{")
        for name, info in model.model_fields.items():
            inner = m._inner_model(info.annotation)
            row = (
                info.title,
                info.alias,
                inner.__name__ if inner else None,
                m._keyed(info.annotation),
            )
            lines.append(f"        {name!r}: {row!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


HEADER = '''"""GENERATED by golmud_cli/core/fastgen.py from core/model.py: do not edit.

Regenerate with `{command}` (python scripts/build_fastschema.py) after a change to
the model; tests/core/test_fastgen.py fails when this file is not what the generator
writes now.

The msgspec twins of core/model.py's classes (same names, fields and order, aliases and
methods), which core/fastmodel.py converts valid data into without importing pydantic
(issue 17), and the table of the fields' labels that core/labels.py reads.
"""
'''


def _checks(out: _Module) -> str:
    """AMOUNTS and CHECKED, for core/fastmodel.py's `errors` (pydantic's errors without it)."""
    lines = [
        "# Per class, each amount in 万元: its check (the bound pydantic's Field gives).",
        "AMOUNTS: dict[str, dict[str, _rt.Wan]] = {",
    ]
    for cls, amounts in out.amounts.items():
        lines.append(f"    {cls!r}: {{")
        lines.extend(f"        {name!r}: {check}," for name, check in amounts.items())
        lines.append("    },")
    lines += [
        "}",
        "# The classes whose fields or whole carry a check besides the kinds and the amounts",
        "# (a key's options, a window's order, a validity's): errors() leaves them to pydantic.",
        f"CHECKED: frozenset[str] = frozenset({sorted(out.checked)!r})",
    ]
    return "\n".join(lines)


def generate(roots: tuple[type[BaseModel], ...] = ROOTS) -> str:
    """The source of core/fastschema.py (not yet formatted: scripts/build_fastschema.py
    runs ruff on it)."""
    out = _Module()
    for root in roots:
        _class(root, out)
    body: list[str] = [
        "# a fixed field is set on the frozen object once, in __post_init__",
        "_force = msgspec.structs.force_setattr",
        *(
            f"{name} = _rt.Wan(gt={gt!r}, ge={ge!r})"
            for (gt, ge), name in sorted(out.wans.items(), key=lambda kv: kv[1])
        ),
        "",
    ]
    for model in out.order:
        body += ["", out.classes[model], ""]
    body += ["", _labels(out.order), "", _checks(out), ""]
    text = "\n".join(body)
    # only the imports the classes use (ruff's F401 holds the generated file too)
    wanted = {
        "import datetime as dt": "dt.",
        "from decimal import Decimal": "Decimal(",
        "from golmud_cli.core import model_methods": "model_methods.",
        "from golmud_cli.core import values": "values.",
    }
    typing = [n for n in ("Annotated", "Any", "Literal") if re.search(rf"\b{n}\b", text)]
    imports = [line for line, use in wanted.items() if use in text]
    if typing:
        imports.append(f"from typing import {', '.join(typing)}")
    imports += ["import msgspec", "from golmud_cli.core import fastruntime as _rt"]
    imports += [
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(out.enums.items())
    ]
    # ruff sorts them into their sections (scripts/build_fastschema.py)
    return "\n".join([HEADER.format(command=COMMAND), *imports, "", text])
