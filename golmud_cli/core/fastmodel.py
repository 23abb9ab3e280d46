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
validates with pydantic (core/model.py), which stays the reference. `errors(data)`
lists pydantic's errors for data `convert` refuses, for the usual faults, so that
pipeline/schema_check.py's validate_fast words them without pydantic (below).

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
from collections.abc import Callable
from enum import Enum
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
    the defaults, as `Settings()` does; a missing gtx.yaml is the caller's `Settings()`.
    A key that is no plain str (a Python caller's enum member, never a YAML file's)
    is pydantic's too: msgspec keeps a str subclass as a `units` key where pydantic
    makes it a str (the differential test found it)."""
    if not _plain_keys(data):
        return None
    return cast("Settings | None", _made(data, SettingsStruct))


def _plain_keys(value: Any) -> bool:
    """Whether every mapping key in the value is a plain str (once a run: gtx.yaml)."""
    if type(value) is dict:
        return all(type(k) is str and _plain_keys(v) for k, v in value.items())
    if type(value) is list:
        return all(_plain_keys(v) for v in value)
    return True


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
# written by its Python name, a text pydantic cannot read, a union) makes it answer
# None: pydantic judges, as before. tests/pipeline/test_schema_fast.py holds the
# findings and the partial model it leads to against pydantic's.
#
# Each class's check is made once, from msgspec.inspect's view of the generated class,
# into closures: walking the type tree at each value cost ~6.7 M instructions a
# dossier, three times pydantic's own check. And a nested class's value (a history
# entry, a document, a list of them) is first offered to msgspec: what it makes holds
# no error, so the walk goes down only the way to the faults (_accepted: the whole
# walk took ~140 us a failing dossier, msgspec ~12 us to convert one whole).


class _Unsure(Exception):
    """This data is pydantic's to judge."""


Error = dict[str, Any]
Loc = tuple[Any, ...]
Check = Callable[[Any, Loc, list[Error]], None]
_ROOT: Check | None = None  # DossierStruct's check, made at the first use


def errors(data: Any) -> list[Error] | None:
    """pydantic's `ValidationError.errors()` for the dossier's data (a mapping), as
    far as they matter to schema_check (type, loc, input, ctx), or None when not sure.
    An empty list means "valid as far as the walk knows": the caller must not take it
    for pydantic's verdict unless `convert` agrees."""
    global _ROOT
    if _ROOT is None:
        import msgspec.inspect

        _ROOT = _check(msgspec.inspect.type_info(DossierStruct), {})
    out: list[Error] = []
    try:
        _ROOT(data, (), out)
    except _Unsure:
        return None
    return out


def _error(out: list[Error], kind: str, loc: Loc, value: Any, **ctx: Any) -> None:
    err: Error = {"type": kind, "loc": loc, "input": value}
    if ctx:
        err["ctx"] = ctx
    out.append(err)


def _before(check: Callable[[Any], Any]) -> Callable[[Any, Loc, list[Error]], bool]:
    """One of core/values.py's checks, as pydantic's BeforeValidator runs it: False
    (and the error, worded by the ValueError's text) when it refuses."""

    def run(value: Any, loc: Loc, out: list[Error]) -> bool:
        try:
            check(value)
        except ValueError as e:
            _error(out, "value_error", loc, value, error=str(e))
            return False
        return True

    return run


def _unicode(text: str) -> bool:
    """False for a text pydantic cannot read as Unicode (a lone surrogate, "\\ud800")."""
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _check(info: Any, made: dict[type, Check]) -> Check:
    """The check of one msgspec.inspect type, as pydantic's validator of its field."""
    import msgspec.inspect as mi

    from golmud_cli.core import values

    if isinstance(info, mi.UnionType):
        arms = [t for t in info.types if not isinstance(t, mi.NoneType)]
        kinds = sorted(type(t).__name__ for t in arms)
        if kinds == ["EnumType", "IntType"]:  # Mlps.level: values._mlps_level, then the enum
            enum = next(t for t in arms if isinstance(t, mi.EnumType))
            if enum.cls is not MlpsLevel:
                return _unsure
            inner = _enum(enum.cls)
            level = values._mlps_level

            def mlps(value: Any, loc: Loc, out: list[Error]) -> None:
                inner(level(value), loc, out)

            inner_check: Check = mlps
        elif len(arms) == 1:
            inner_check = _check(arms[0], made)
        else:
            return _unsure
        if len(arms) == len(info.types):
            return inner_check

        def optional(value: Any, loc: Loc, out: list[Error]) -> None:
            if value is not None:  # None is a value
                inner_check(value, loc, out)

        return optional
    if isinstance(info, mi.StrType):
        # every text of the model is values.Text (fastgen stops at any other str)
        if info.min_length is not None or info.max_length is not None:
            return _unsure
        text = _before(values._text)
        blank = _before(values._not_blank) if info.pattern == "\\S" else None
        pattern = re.compile(info.pattern).search if info.pattern and not blank else None

        def string(value: Any, loc: Loc, out: list[Error]) -> None:
            if type(value) is str and not _unicode(value):
                raise _Unsure  # pydantic's string_unicode, before any check
            if not text(value, loc, out):
                return
            if blank is not None:  # NonBlank: values._not_blank after the text check
                blank(value, loc, out)
            elif pattern is not None and not pattern(value):
                _error(out, "string_pattern_mismatch", loc, value, pattern=info.pattern)

        return string
    if isinstance(info, mi.IntType):
        if info.gt is not None or info.lt is not None or info.le is not None:
            return _unsure
        if info.multiple_of is not None:
            return _unsure
        strict, ge = _before(values._strict_int), info.ge

        def integer(value: Any, loc: Loc, out: list[Error]) -> None:
            if strict(value, loc, out) and ge is not None and not value >= ge:
                _error(out, "greater_than_equal", loc, value, ge=ge)

        return integer
    if isinstance(info, mi.BoolType):
        return _scalar(_before(values._strict_bool))
    if isinstance(info, mi.DateType):
        return _scalar(_before(values._iso_date))
    if isinstance(info, mi.EnumType):
        return _enum(info.cls)
    if isinstance(info, mi.LiteralType):
        # Literal[1] behind values._strict_int (fastgen takes no other literal)
        if len(info.values) != 1 or type(info.values[0]) is not int:
            return _unsure
        strict, only = _before(values._strict_int), info.values[0]

        def literal(value: Any, loc: Loc, out: list[Error]) -> None:
            if type(value) is int and not -(2**63) <= value < 2**63:
                raise _Unsure  # pydantic's literal check cannot parse it: int_parsing_size
            if strict(value, loc, out) and value != only:
                _error(out, "literal_error", loc, value, expected=repr(only))

        return literal
    if isinstance(info, mi.ListType):
        if info.min_length is not None or info.max_length is not None:
            return _unsure
        item = _check(info.item_type, made)
        # a list of classes (the history, the documents) is asked of msgspec whole first
        whole = list[info.item_type.cls] if isinstance(info.item_type, mi.StructType) else None

        def listed(value: Any, loc: Loc, out: list[Error]) -> None:
            if type(value) is not list:
                if isinstance(value, tuple | set | frozenset | list):
                    raise _Unsure  # pydantic's lax list takes these; the loader gives none
                _error(out, "list_type", loc, value)
                return
            if whole is not None and _accepted(value, whole):
                return
            for i, v in enumerate(value):
                item(v, (*loc, i), out)

        return listed
    if isinstance(info, mi.StructType):
        return _struct(info, made)
    return _unsure


def _unsure(value: Any, loc: Loc, out: list[Error]) -> None:
    raise _Unsure


def _scalar(run: Callable[[Any, Loc, list[Error]], bool]) -> Check:
    def check(value: Any, loc: Loc, out: list[Error]) -> None:
        run(value, loc, out)

    return check


def _enum(cls: type[Enum]) -> Check:
    allowed = frozenset(m.value for m in cls)
    quoted = [f"'{m.value}'" for m in cls]
    expected = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"

    def enum(value: Any, loc: Loc, out: list[Error]) -> None:
        if type(value) is str and value in allowed:
            return
        if not isinstance(value, str | int | float | list | dict) and value is not None:
            raise _Unsure
        if type(value) is str and not _unicode(value):
            raise _Unsure
        _error(out, "enum", loc, value, expected=expected)

    return enum


def _struct(info: Any, made: dict[type, Check]) -> Check:
    """A class's check: its fields in order, then its unknown keys (pydantic's order)."""
    from golmud_cli.core.fastschema import AMOUNTS, CHECKED

    got = made.get(info.cls)
    if got is not None:
        return got
    cls, name = info.cls, info.cls.__name__
    if name in CHECKED:

        def checked(value: Any, loc: Loc, out: list[Error]) -> None:
            if not _accepted(value, cls):
                raise _Unsure

        made[cls] = checked
        return checked
    amounts = AMOUNTS.get(name, {})
    plan: list[tuple[str, Check, bool]] = []  # each field's key, check, whether required

    def struct(value: Any, loc: Loc, out: list[Error]) -> None:
        if type(value) is not dict:
            _error(out, "model_type", loc, value, class_name=name)
            return
        if loc and _accepted(value, cls):
            return  # the root is not asked: errors' caller has seen convert refuse it
        extra = [k for k in value if k not in known]
        for k in extra:
            if type(k) is not str or not _unicode(k) or k in by_name:
                # by_name: populate_by_name, pydantic takes `for_` as well as `for`
                raise _Unsure
        for key, check, required in plan:
            if key in value:
                check(value[key], (*loc, key), out)
            elif required:
                _error(out, "missing", (*loc, key), value)
        for key in extra:
            _error(out, "extra_forbidden", (*loc, key), value[key])

    made[cls] = struct  # before the fields: a class that holds itself
    for f in info.fields:
        check = _amount(amounts[f.name]) if f.name in amounts else _check(f.type, made)
        plan.append((f.encode_name, check, f.required))
    known = frozenset(f.encode_name for f in info.fields)
    by_name = frozenset(f.name for f in info.fields if f.name != f.encode_name)
    return struct


def _accepted(value: Any, cls: type) -> bool:
    """Whether msgspec makes the class from the value: then pydantic finds no error in it
    either (the module docstring's premise, which tests/core/test_fastmodel.py holds),
    and the walk need not look inside. A failing dossier is mostly valid parts (its
    history, documents, attachments): msgspec's C takes each in ~1 us where the walk's
    closures took ~140 us a dossier."""
    try:
        msgspec.convert(value, cls)
    except _REFUSED:
        return False
    return True


def _amount(bound: Any) -> Check:
    """An amount in 万元: values._wan, then pydantic's Decimal bound (gt or ge)."""
    from golmud_cli.core.values import _wan

    wan = _before(_wan)
    gt, ge = bound.gt, bound.ge

    def amount(value: Any, loc: Loc, out: list[Error]) -> None:
        if value is None or not wan(value, loc, out):
            return  # None: every amount is optional but Policy's (CHECKED)
        made = _wan(value)
        # the error names the value as written
        if gt is not None and not made > gt:
            _error(out, "greater_than", loc, value, gt=gt)
        elif ge is not None and not made >= ge:
            _error(out, "greater_than_equal", loc, value, ge=ge)

    return amount
