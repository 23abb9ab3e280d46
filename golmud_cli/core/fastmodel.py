"""A second, faster way from a dossier's or gtx.yaml's data to its model, without
pydantic (issue 17: a cold run checks every dossier; pydantic took ~190 us of a
dossier's ~1.3 ms, msgspec ~20 us; and importing pydantic and building its validator
cost a start-up 0.2-0.35 s that `validate --changed-since` and `advance` paid even
when every file they read was valid).

`convert(data)` gives an object with Dossier's shape -- every field of core/model.py's
Dossier and of its parts, with the same values of the same types, and the methods the
rules and the deadlines use (`stages`, `entered`, `entered_dates`, `documents.get`,
`documents.present`, `model_copy`) -- or None; `convert_settings(data)` the same for
gtx.yaml's Settings (and `Signer.valid_on`). None means "not sure": the caller
validates with pydantic (core/model.py), which stays the reference and words every
finding.

The classes are core/fastschema.py's, generated from the pydantic classes by
core/fastgen.py (`make fastschema`) and committed, so that this module imports neither
pydantic nor core/model.py. A field added to the model is a field there once the
file is regenerated (tests/core/test_fastgen.py fails until it is); a validator the
generator does not know stops it, never a silent difference.

Only a subset of what pydantic accepts is taken here, and on that subset the same
answer: msgspec is strict (no bool for a number, no number for a text, no text for a
number), YAML's text dates go through RFC 3339's full-date (YYYY-MM-DD, a real day)
as _iso_date's pattern and fromisoformat do, patterns end at the end of the text as
pydantic's Rust regex does (`\\Z`, not Python's `$`, which also matches before a
final newline), and the amounts in 万元 are checked and made Decimal as _wan makes
them. What it does not take (an alias such as `for_`, a datetime object) pydantic
judges. tests/core/test_fastmodel.py holds the two to the same data or to a refusal
here, on every sample, every test case and generated variants of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import msgspec

from golmud_cli.core import fastschema
from golmud_cli.core.values import MlpsLevel

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Settings

# the generated twins of model.Dossier and model.Settings
DossierStruct = fastschema.Dossier
SettingsStruct = fastschema.Settings

# what a value msgspec or a fix refuses raises: each means "not sure here"
_REFUSED = (msgspec.ValidationError, ValueError, TypeError, OverflowError)


def _made(data: Any, struct: type[msgspec.Struct]) -> Any:
    """`struct` made from the data (a mapping as the loader gives it), or None."""
    if type(data) is not dict:
        return None
    try:
        return msgspec.convert(data, struct)
    except _REFUSED:
        return None


def convert(data: Any) -> Dossier | None:
    """The dossier's model from its data, or None when this path is not sure and
    pydantic must judge (module docstring). Not a pydantic object, but the same fields,
    values and methods: the rules, the deadlines and the cache's encoding read it as
    they read the model."""
    return cast("Dossier | None", _made(data, DossierStruct))


def convert_settings(data: Any) -> Settings | None:
    """gtx.yaml's Settings from its data, or None when pydantic must judge. `{}` gives
    the defaults, as `Settings()` does; a missing gtx.yaml is the caller's `Settings()`."""
    return cast("Settings | None", _made(data, SettingsStruct))


# --- pydantic's errors without pydantic ------------------------------------------------
#
# About 5 % of a repository's dossiers fail the schema (docs/benchmarks.md's bench: a
# value outside its list, an unquoted phone number, a misspelt key, a missing field, an
# unreal date). pydantic words them (pipeline/schema_check.py), and each cold run's
# worker paid ~0.2 s to import it and build Dossier's validator at the first one (issue
# 17). `errors` lists the same errors in pydantic's form -- type, loc, input, ctx, in
# the model's field order, each model's unknown keys after its fields -- for the kinds
# of value the generator knows, running the same checks (core/values.py) pydantic's
# validators run. Whatever it is not sure of (a class with a check of its own, an alias
# written by its Python name, a key that is not text, a union) makes it answer None:
# pydantic judges, as before. tests/pipeline/test_schema_fast.py holds the findings and
# the partial model it leads to against pydantic's.


class _Unsure(Exception):
    """This data is pydantic's to judge."""


Error = dict[str, Any]
_ROOT: Any = None  # msgspec.inspect's tree of DossierStruct, read at the first use


def errors(data: Any) -> list[Error] | None:
    """pydantic's `ValidationError.errors()` for the dossier's data (a mapping), as
    far as they matter to schema_check (type, loc, input, ctx), or None when not sure.
    An empty list means "valid as far as the walk knows": the caller must not take it
    for pydantic's verdict unless `convert` agrees."""
    global _ROOT
    if _ROOT is None:
        import msgspec.inspect

        _ROOT = msgspec.inspect.type_info(DossierStruct)
    out: list[Error] = []
    try:
        _struct(_ROOT, data, (), out)
    except _Unsure:
        return None
    return out


def _error(out: list[Error], kind: str, loc: tuple[Any, ...], value: Any, **ctx: Any) -> None:
    err: Error = {"type": kind, "loc": loc, "input": value}
    if ctx:
        err["ctx"] = ctx
    out.append(err)


def _checked(out: list[Error], check: Any, value: Any, loc: tuple[Any, ...]) -> bool:
    """One of core/values.py's checks, as the BeforeValidator runs it: False (and the
    error, worded by the ValueError's text) when it refuses."""
    try:
        check(value)
    except ValueError as e:
        _error(out, "value_error", loc, value, error=str(e))
        return False
    return True


def _struct(info: Any, value: Any, loc: tuple[Any, ...], out: list[Error]) -> None:
    from golmud_cli.core.fastschema import AMOUNTS, CHECKED

    name = info.cls.__name__
    if type(value) is not dict:
        _error(out, "model_type", loc, value, class_name=name)
        return
    if name in CHECKED or not all(type(k) is str and _unicode(k) for k in value):
        raise _Unsure
    amounts = AMOUNTS.get(name, {})
    known = set()
    for f in info.fields:
        key = f.encode_name
        known.add(key)
        if key != f.name and f.name in value:
            raise _Unsure  # populate_by_name: pydantic takes `for_` too
        if key in value:
            if f.name in amounts:
                _amount(amounts[f.name], value[key], (*loc, key), out)
            else:
                _value(f.type, value[key], (*loc, key), out)
        elif f.required:
            _error(out, "missing", (*loc, key), value)
    for key, v in value.items():
        if key not in known:
            _error(out, "extra_forbidden", (*loc, key), v)


def _amount(check: Any, value: Any, loc: tuple[Any, ...], out: list[Error]) -> None:
    from golmud_cli.core.values import _wan

    if value is None or not _checked(out, _wan, value, loc):
        return  # None: every amount is optional but Policy's (CHECKED)
    made = _wan(value)
    # pydantic's Decimal bound: the error names the value as written
    if check.gt is not None and not made > check.gt:
        _error(out, "greater_than", loc, value, gt=check.gt)
    elif check.ge is not None and not made >= check.ge:
        _error(out, "greater_than_equal", loc, value, ge=check.ge)


def _enum(info: Any, value: Any, loc: tuple[Any, ...], out: list[Error]) -> None:
    allowed = [m.value for m in info.cls]
    if type(value) is str and value in allowed:
        return
    if not isinstance(value, str | int | float | list | dict) and value is not None:
        raise _Unsure
    quoted = [f"'{a}'" for a in allowed]
    expected = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    _error(out, "enum", loc, value, expected=expected)


def _unicode(text: str) -> bool:
    """False for a text pydantic cannot read as Unicode (a lone surrogate, "\\ud800")."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _value(info: Any, value: Any, loc: tuple[Any, ...], out: list[Error]) -> None:
    import msgspec.inspect as mi

    from golmud_cli.core import values

    if type(value) is str and not _unicode(value):
        raise _Unsure  # pydantic's string_unicode, before any check
    if isinstance(info, mi.UnionType):
        arms = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if value is None and len(arms) < len(info.types):
            return  # Optional: None is a value
        kinds = sorted(type(t).__name__ for t in arms)
        if kinds == ["EnumType", "IntType"]:  # Mlps.level: values._mlps_level, then the enum
            enum = next(t for t in arms if isinstance(t, mi.EnumType))
            if enum.cls is not MlpsLevel:
                raise _Unsure
            _enum(enum, values._mlps_level(value), loc, out)
            return
        if len(arms) != 1:
            raise _Unsure
        info = arms[0]
    if isinstance(info, mi.StrType):
        # every text of the model is values.Text (fastgen stops at any other str)
        if info.min_length is not None or info.max_length is not None:
            raise _Unsure
        if not _checked(out, values._text, value, loc):
            return
        if info.pattern == "\\S":  # NonBlank: values._not_blank after the text check
            _checked(out, values._not_blank, value, loc)
        elif info.pattern is not None and not re.search(info.pattern, value):
            _error(out, "string_pattern_mismatch", loc, value, pattern=info.pattern)
    elif isinstance(info, mi.IntType):
        if info.gt is not None or info.lt is not None or info.le is not None:
            raise _Unsure
        if info.multiple_of is not None:
            raise _Unsure
        if _checked(out, values._strict_int, value, loc) and info.ge is not None:
            if not value >= info.ge:
                _error(out, "greater_than_equal", loc, value, ge=info.ge)
    elif isinstance(info, mi.BoolType):
        _checked(out, values._strict_bool, value, loc)
    elif isinstance(info, mi.DateType):
        _checked(out, values._iso_date, value, loc)
    elif isinstance(info, mi.EnumType):
        _enum(info, value, loc, out)
    elif isinstance(info, mi.LiteralType):
        # Literal[1] behind values._strict_int (fastgen takes no other literal)
        if len(info.values) != 1 or type(info.values[0]) is not int:
            raise _Unsure
        if type(value) is int and not -(2**63) <= value < 2**63:
            raise _Unsure  # pydantic's literal check cannot parse it: int_parsing_size
        if _checked(out, values._strict_int, value, loc) and value != info.values[0]:
            _error(out, "literal_error", loc, value, expected=repr(info.values[0]))
    elif isinstance(info, mi.ListType):
        if info.min_length is not None or info.max_length is not None:
            raise _Unsure
        if type(value) is not list:
            if isinstance(value, tuple | set | frozenset | list):
                raise _Unsure  # pydantic's lax list takes these; the loader gives none
            _error(out, "list_type", loc, value)
            return
        for i, item in enumerate(value):
            _value(info.item_type, item, (*loc, i), out)
    elif isinstance(info, mi.StructType):
        _struct(info, value, loc, out)
    else:
        raise _Unsure
