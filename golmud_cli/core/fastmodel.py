"""A second, faster way from a dossier's data to its model, made from the model itself
(issue 17: a cold run checks every dossier; pydantic took ~190 us of a dossier's
~1.3 ms, msgspec ~20 us).

`convert(data)` gives an object with the model's shape -- every field of
core/model.py's Dossier and of its parts, with the same values of the same types,
and the methods the rules and the deadlines use (`stages`, `entered`,
`documents.get`, `documents.present`, `model_copy`) -- or None. None means "not
sure": the caller validates with pydantic (core/model.py), which stays the reference
and words every finding. The classes are built here from the pydantic classes'
fields at import, so a field added to the model is a field here; a validator this
module does not know makes the import fail (tests/core/test_fastmodel.py), never a
silent difference.

Only a subset of what pydantic accepts is taken here, and on that subset the same
answer: msgspec is strict (no bool for a number, no number for a text, no text for a
number), YAML's text dates go through RFC 3339's full-date (YYYY-MM-DD, a real day)
as _iso_date's pattern and fromisoformat do, patterns end at the end of the text as
pydantic's Rust regex does (`\\Z`, not Python's `$`, which also matches before a
final newline), and the amounts in 万元 are checked and made Decimal as _wan makes
them. What it does not take (an alias such as `for_`, a datetime object) pydantic
judges. tests/core/test_fastmodel.py holds the two to the same data or to a
refusal here, on every sample, every test case and generated variants of them.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

import msgspec
from pydantic import AfterValidator, BaseModel, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic.fields import FieldInfo

from golmud_cli.core import model as m
from golmud_cli.core import values

_INF = (float("inf"), float("-inf"))


class _Wan:
    """A field of the _wan kind (万元): int or float in, Decimal out, as _wan makes it."""

    def __init__(self, gt: Any = None, ge: Any = None) -> None:
        self.gt, self.ge = gt, ge

    def __call__(self, value: Any) -> Decimal:
        if type(value) is int:
            out = Decimal(value)
        elif type(value) is float:
            if value != value or value in _INF:
                raise ValueError("number_expected")
            out = Decimal(repr(value))
        elif type(value) is Decimal:
            return value  # already made (a copy of a converted object)
        else:
            raise ValueError("number_expected")
        if (self.gt is not None and not out > self.gt) or (
            self.ge is not None and not out >= self.ge
        ):
            raise ValueError("out_of_range")
        return out


def _mlps_level(value: Any) -> m.MlpsLevel:
    # values._mlps_level: `level: 3` is a YAML int, the enum's values are text
    if type(value) is int:
        return m.MlpsLevel(str(value))  # ValueError for a level that is not one
    if isinstance(value, m.MlpsLevel):
        return value
    raise ValueError("mlps_level")


# A field's value made after msgspec's check: (field name, function of the value).
Fix = tuple[str, Callable[[Any], Any]]


def _pattern(p: str) -> str:
    # pydantic's patterns run in Rust, where `$` is the end of the text
    if not p.endswith("$") or p.endswith("\\$"):
        raise TypeError(f"fastmodel: unsupported pattern {p!r}")
    return p[:-1] + "\\Z"


def _meta(metadata: list[Any]) -> tuple[str | None, dict[str, Any], list[Any]]:
    """(the kind named by a BeforeValidator, msgspec constraints, AfterValidators)."""
    kind: str | None = None
    constraints: dict[str, Any] = {}
    after: list[Any] = []
    for item in metadata:
        if isinstance(item, BeforeValidator):
            kind = _BEFORE.get(item.func)
            if kind is None:
                raise TypeError(f"fastmodel: unknown validator {item.func!r}")
        elif isinstance(item, AfterValidator):
            if item.func is not values._not_blank:
                raise TypeError(f"fastmodel: unknown validator {item.func!r}")
            after.append(item.func)
        elif isinstance(item, WithJsonSchema | PlainSerializer):
            continue  # the schema's and the dump's, not the check's
        elif isinstance(item, FieldInfo):
            k, c, a = _meta(list(item.metadata))
            kind = kind or k
            constraints.update(c)
            after.extend(a)
        else:
            for name in ("gt", "ge", "pattern"):
                value = getattr(item, name, None)
                if value is not None:
                    constraints[name] = value
            if not any(getattr(item, n, None) is not None for n in ("gt", "ge", "pattern")):
                raise TypeError(f"fastmodel: unknown constraint {item!r}")
    return kind, constraints, after


_BEFORE: dict[Callable[..., Any], str] = {
    values._text: "text",
    values._iso_date: "date",
    values._wan: "wan",
    values._strict_int: "int",
    values._strict_bool: "bool",
    values._mlps_level: "mlps",
}


def _translate(annotation: Any, metadata: list[Any]) -> tuple[Any, Callable[[Any], Any] | None]:
    """The msgspec type of a pydantic annotation, and the fix its value needs after."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _translate(base, [*extra, *metadata])
    if origin is Union or origin is types.UnionType:
        arms = [a for a in get_args(annotation) if a is not type(None)]
        if len(arms) != len(get_args(annotation)) - 1 or len(arms) != 1:
            raise TypeError(f"fastmodel: unsupported union {annotation!r}")
        inner, fix = _translate(arms[0], metadata)
        return inner | None, fix  # None is never fixed (_post_init)
    kind, constraints, after = _meta(metadata)
    if after:
        constraints["pattern"] = r"\S"  # _not_blank: not only whitespace (str.strip's set)
    if "pattern" in constraints and constraints["pattern"] != r"\S":
        constraints["pattern"] = _pattern(constraints["pattern"])
    if kind == "wan":
        return int | float, _Wan(constraints.get("gt"), constraints.get("ge"))
    if kind == "mlps":
        return int | m.MlpsLevel, _mlps_level
    if origin is list:
        (item,) = get_args(annotation)
        inner, fix = _translate(item, [])
        if fix is not None:
            raise TypeError(f"fastmodel: unsupported list of {item!r}")
        return list[inner], None  # type: ignore[valid-type]
    if origin is tuple or origin is dict:
        raise TypeError(f"fastmodel: unsupported {annotation!r}")
    if origin is Literal:
        if kind not in (None, "int"):
            raise TypeError(f"fastmodel: unsupported literal {annotation!r}")
        return annotation, None  # msgspec takes neither True nor 1.0 for Literal[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_of(annotation), None
    expected = {"text": str, "date": dt.date, "int": int, "bool": bool}
    if kind is not None:
        if annotation is not expected[kind]:
            raise TypeError(f"fastmodel: {kind} validator on {annotation!r}")
    elif not (isinstance(annotation, type) and issubclass(annotation, StrEnum)):
        raise TypeError(f"fastmodel: unsupported field type {annotation!r}")
    meta = {k: v for k, v in constraints.items() if k in ("gt", "ge", "pattern")}
    if meta:
        return Annotated[annotation, msgspec.Meta(**meta)], None
    return annotation, None


# --- the methods the rules, the deadlines and the corrections call ----------------------


def _model_copy(self: Any, *, update: dict[str, Any] | None = None) -> Any:
    """pydantic's model_copy(update=...): a copy with these fields changed, unchecked."""
    return msgspec.structs.replace(self, **(update or {}))


def _present(self: Any) -> dict[str, Any]:
    """Documents.present: each document the dossier has, in the order of the fields."""
    # astuple reads every field in one call (C), rather than a getattr each
    values = msgspec.structs.astuple(self)
    return {k: v for k, v in zip(self.__struct_fields__, values, strict=True) if v is not None}


def _get(self: Any, kind: str) -> Any:
    """Documents.get: the document of that kind, or None."""
    if kind not in self.__struct_fields__:
        return None
    return getattr(self, kind)


_METHODS: dict[type[BaseModel], dict[str, Any]] = {
    m.Dossier: {
        "stages": m.Dossier.stages,
        "entered": m.Dossier.entered,
        "entered_dates": m.Dossier.entered_dates,
    },
    m.Documents: {"get": _get, "present": _present},
}
_STRUCTS: dict[type[BaseModel], type[msgspec.Struct]] = {}


def struct_of(model: type[BaseModel]) -> type[msgspec.Struct]:
    """The msgspec class with `model`'s fields (made once)."""
    got = _STRUCTS.get(model)
    if got is not None:
        return got
    decorators = model.__pydantic_decorators__
    if any(
        (
            decorators.validators,
            decorators.field_validators,
            decorators.root_validators,
            decorators.model_validators,
        )
    ):
        raise TypeError(f"fastmodel: {model.__name__} has validators of its own")
    config = model.model_config
    if config.get("extra") != "forbid":
        raise TypeError(f"fastmodel: {model.__name__} must forbid extra keys")
    fields: list[tuple[str, Any, Any]] = []
    fixes: list[Fix] = []
    rename: dict[str, str] = {}
    for name, info in model.model_fields.items():
        kind, fix = _translate(info.annotation, list(info.metadata))
        if fix is not None:
            fixes.append((name, fix))
        if info.alias is not None and info.alias != name:
            rename[name] = info.alias
        if info.is_required():
            fields.append((name, kind, msgspec.NODEFAULT))
        elif info.default_factory is not None:
            factory: Any = info.default_factory
            if isinstance(factory, type) and issubclass(factory, BaseModel):
                factory = struct_of(factory)
            elif factory is not list:
                raise TypeError(f"fastmodel: unsupported default of {model.__name__}.{name}")
            fields.append((name, kind, msgspec.field(default_factory=factory)))
        else:
            if info.default is not None:
                raise TypeError(f"fastmodel: unsupported default of {model.__name__}.{name}")
            fields.append((name, kind, None))
    namespace: dict[str, Any] = {
        "model_copy": _model_copy,
        **_METHODS.get(model, {}),
    }
    if fixes:
        namespace["__post_init__"] = _post_init(tuple(fixes))
    cls = msgspec.defstruct(
        model.__name__,
        fields,
        namespace=namespace,
        module=__name__,
        kw_only=True,
        frozen=True,
        forbid_unknown_fields=True,
        rename=rename or None,
        gc=False,  # plain trees of values: no cycle to collect, less to track
    )
    _STRUCTS[model] = cls
    return cls


def _post_init(fixes: tuple[Fix, ...]) -> Callable[[Any], None]:
    force = msgspec.structs.force_setattr

    def post_init(self: Any) -> None:
        # None stays None: an optional field's absence, and a required field is never
        # None (msgspec checked its type); a field left alone costs no call
        for name, fix in fixes:
            value = getattr(self, name)
            if value is not None:
                force(self, name, fix(value))

    return post_init


DossierStruct = struct_of(m.Dossier)


def convert(data: Any) -> m.Dossier | None:
    """The dossier's model from its data (a mapping as the loader gives it), or None
    when this path is not sure and pydantic must judge (module docstring)."""
    if type(data) is not dict:
        return None
    try:
        made = msgspec.convert(data, DossierStruct)
    except (msgspec.ValidationError, ValueError, TypeError, OverflowError):
        return None
    # not a pydantic object, but the same fields, values and methods: the rules, the
    # deadlines and the cache's encoding read it as they read the model
    return cast(m.Dossier, made)


def convert_settings(data: Any) -> m.Settings | None:
    """gtx.yaml's Settings from its data, or None: pydantic judges. (Until the fast
    classes for gtx.yaml exist, always None.)"""
    return None
