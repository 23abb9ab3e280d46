"""The generator of the fast model's classes (core/fastgen.py): the committed
core/fastschema.py is what it writes now, each generated class mirrors its pydantic
class, and what it cannot mirror stops it rather than making a class that differs."""

from __future__ import annotations

import datetime as dt
import inspect
import types
from typing import Annotated, Any, Literal

import annotated_types
import msgspec
import pytest
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from golmud_cli.core import fastgen, fastschema
from golmud_cli.core import model as m
from golmud_cli.core.model import Part, Text
from tests.conftest import ROOT
from tests.support.scripts import load_script


def test_the_committed_file_is_the_generators() -> None:
    committed = (ROOT / fastgen.GENERATED).read_text(encoding="utf-8")
    assert committed == load_script("build_fastschema").render(), (
        f"{fastgen.GENERATED} is stale: run `make fastschema`"
    )


def _load(source: str) -> types.ModuleType:
    """The generated source as a module (as it would be imported)."""
    module = types.ModuleType("generated_for_test")
    # dont_inherit: not this file's `from __future__ import annotations` (the generated
    # module's annotations are evaluated at once, as when it is imported)
    exec(compile(source, "<generated>", "exec", dont_inherit=True), module.__dict__)
    return module


def _models() -> list[type[BaseModel]]:
    """Every pydantic class a dossier or gtx.yaml reaches (those the generator mirrors)."""
    out: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = list(fastgen.ROOTS)
    while stack:
        model = stack.pop()
        if model in out:
            continue
        out.append(model)
        for info in model.model_fields.values():
            inner = m._inner_model(info.annotation)
            if inner is not None:
                stack.append(inner)
    return out


@pytest.mark.parametrize("model", _models(), ids=lambda c: c.__name__)
def test_each_class_has_its_twin(model: type[BaseModel]) -> None:
    twin = getattr(fastschema, model.__name__)
    assert issubclass(twin, msgspec.Struct)
    # the same fields in the same order, the same keys in the data
    assert twin.__struct_fields__ == tuple(model.model_fields)
    assert twin.__struct_encode_fields__ == tuple(
        info.alias or name for name, info in model.model_fields.items()
    )
    config = twin.__struct_config__
    assert (config.frozen, config.forbid_unknown_fields, config.gc) == (True, True, False)
    params = inspect.signature(twin).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    required = {n for n, info in model.model_fields.items() if info.is_required()}
    defaults = dict(zip(twin.__struct_fields__, msgspec.structs.fields(twin), strict=True))
    assert {n for n, f in defaults.items() if f.required} == required
    # the label table beside it: a row per field
    assert list(fastschema.FIELDS[model.__name__]) == list(model.model_fields)


def test_every_generated_class_is_a_model_class() -> None:
    names = {c.__name__ for c in _models()}
    structs = {
        n
        for n, v in vars(fastschema).items()
        if isinstance(v, type) and issubclass(v, msgspec.Struct)
    }
    assert structs == names
    assert set(fastschema.FIELDS) == names


def test_defaults_are_the_models() -> None:
    for model in _models():
        twin = getattr(fastschema, model.__name__)
        for f in msgspec.structs.fields(twin):
            info = model.model_fields[f.name]
            if f.required:
                continue
            if f.default_factory is not msgspec.NODEFAULT:
                want: Any = info.default_factory
                if want in (list, dict):
                    assert f.default_factory is want
                else:  # a part: its twin
                    assert f.default_factory is getattr(fastschema, want.__name__)
            else:
                assert f.default == info.default and type(f.default) is type(info.default)


# --- a field added to the model lands in the generated classes --------------------------


def test_a_new_field_is_generated() -> None:
    class Grown(Part):
        first: Text = Field(title="甲")
        when: Annotated[dt.date, BeforeValidator(m._iso_date)] | None = Field(None, title="乙")
        count: Annotated[int, BeforeValidator(m._strict_int), Field(ge=2)] = Field(5, title="丙")

    made = _load(fastgen.generate((Grown,))).Grown
    assert made.__struct_fields__ == ("first", "when", "count")
    got = msgspec.convert({"first": "x", "when": "2024-01-02"}, made)
    assert (got.first, got.when, got.count) == ("x", dt.date(2024, 1, 2), 5)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"first": "x", "count": 1}, made)  # ge=2 is kept


# --- what the generator cannot mirror stops it -------------------------------------------


def _shout(value: Any) -> Any:
    return value


def test_an_unknown_validator_stops_the_generator() -> None:
    class Odd(Part):
        x: Annotated[str, BeforeValidator(_shout)]

    with pytest.raises(TypeError, match="unknown validator"):
        fastgen.generate((Odd,))

    class Later(Part):
        y: Annotated[Text, AfterValidator(_shout)]

    with pytest.raises(TypeError, match="unknown validator"):
        fastgen.generate((Later,))

    class Checked(Part):
        z: Text

        @field_validator("z")
        @classmethod
        def _z(cls, v: str) -> str:
            return v

    with pytest.raises(TypeError, match="unknown validator"):
        fastgen.generate((Checked,))

    class Whole(Part):
        z: Text

        @model_validator(mode="after")
        def _whole(self) -> Whole:
            return self

    with pytest.raises(TypeError, match="unknown validator"):
        fastgen.generate((Whole,))


def test_the_known_validators_are_known_by_identity() -> None:
    # the same check written again is not the shared function: refused
    def window(value: tuple[int, int]) -> tuple[int, int]:
        return m._window_in_order(value)

    class Copy(Part):
        w: tuple[m.StrictInt, m.StrictInt] = (1, 2)
        _w = field_validator("w")(window)

    with pytest.raises(TypeError, match="unknown validator"):
        fastgen.generate((Copy,))


def test_a_known_validator_runs_in_the_twin() -> None:
    # the shared check under a public name: a validator, not a method wanting a twin
    class Named(Part):
        w: tuple[m.StrictInt, m.StrictInt] = (1, 2)
        window = field_validator("w")(m._window_in_order)

    made = _load(fastgen.generate((Named,))).Named
    assert msgspec.convert({"w": [3, 5]}, made).w == (3, 5)
    with pytest.raises(ValueError, match="window_order"):
        msgspec.convert({"w": [5, 3]}, made)


def test_a_method_without_a_twin_stops_the_generator() -> None:
    class Busy(Part):
        z: Text

        def shout(self) -> str:
            return self.z.upper()

    with pytest.raises(TypeError, match="no fast twin"):
        fastgen.generate((Busy,))

    class Told(Part):
        @property
        def told(self) -> int:
            return 1

    with pytest.raises(TypeError, match="no fast twin"):
        fastgen.generate((Told,))


def test_other_models_and_values_stop_the_generator() -> None:
    class Lax(BaseModel):
        z: Text

    with pytest.raises(TypeError, match="forbid extra keys"):
        fastgen.generate((Lax,))

    class Thawed(Part):
        model_config = ConfigDict(extra="forbid", frozen=False)
        z: Text

    with pytest.raises(TypeError, match="be frozen"):
        fastgen.generate((Thawed,))

    class Strict(Part):
        model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
        z: Text

    with pytest.raises(TypeError, match="config"):
        fastgen.generate((Strict,))

    class Plain(Part):
        z: str

    with pytest.raises(TypeError, match="unsupported field type"):
        fastgen.generate((Plain,))

    class Dated(Part):
        z: Annotated[dt.date, BeforeValidator(m._iso_date)] = dt.date(2024, 1, 1)

    with pytest.raises(TypeError, match="unsupported default"):
        fastgen.generate((Dated,))

    class Bounded(Part):
        z: Annotated[int, BeforeValidator(m._strict_int), Field(gt=0, lt=10)]

    with pytest.raises(TypeError, match="unknown constraint"):
        fastgen.generate((Bounded,))

    class Between(Part):
        z: Annotated[int, BeforeValidator(m._strict_int), annotated_types.Interval(ge=0, le=9)]

    with pytest.raises(TypeError, match="unknown constraint"):
        fastgen.generate((Between,))

    class Patterned(Part):
        z: Annotated[m.NonBlank, Field(pattern=r"^a+$")]

    with pytest.raises(TypeError, match="pattern on a non-blank"):
        fastgen.generate((Patterned,))

    class Loose(Part):
        z: Literal[1]

    with pytest.raises(TypeError, match="unsupported literal"):
        fastgen.generate((Loose,))

    class Dollar(Part):
        z: Annotated[Text, Field(pattern=r"^a\$")]

    with pytest.raises(TypeError, match="unsupported pattern"):
        fastgen.generate((Dollar,))
