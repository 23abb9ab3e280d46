"""The fast model (core/fastmodel.py) against the reference (pydantic, core/model.py):
whatever the fast path accepts, pydantic accepts too, with the same values of the same
types; whatever it is unsure of, it hands over (None). And a dossier checked through
either gives the same findings.

`make test` runs FASTMODEL_EXAMPLES (default 300) examples per strategy; `make fuzz`
runs a long campaign (FASTMODEL_EXAMPLES=20000).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel, BeforeValidator, ValidationError, field_validator

from golmud_cli.core import fastmodel
from golmud_cli.core.dateinterval import TrackedDay
from golmud_cli.core.lifecycle import Stage
from golmud_cli.core.model import DEFAULT_SETTINGS, Dossier, Part, Text
from golmud_cli.core.rules import FileStatus
from golmud_cli.edges import loader
from golmud_cli.pipeline.check import check_bytes
from tests.conftest import ROOT
from tests.support.differential import campaign

DIFF = campaign("FASTMODEL_EXAMPLES")
FILES = sorted([*ROOT.glob("dossiers/**/project.yaml"), *ROOT.glob("tests/cases/**/*.yaml")])


def _data(path: Path) -> Any:
    return loader.load(path.read_bytes(), "f", "p").data


DATA = {str(p.relative_to(ROOT)): _data(p) for p in FILES}
VALID = [d for d in DATA.values() if isinstance(d, dict)]


def reference(data: Any) -> Dossier | None:
    try:
        return Dossier.model_validate(data)
    except (ValidationError, ValueError, TypeError):
        return None


def same_values(fast: Any, ref: Any, where: str = "") -> None:
    """The fast object holds what pydantic's holds: each field, value and type."""
    if isinstance(ref, BaseModel):
        assert type(fast).__name__ == type(ref).__name__, where
        assert set(type(fast).__struct_fields__) == set(type(ref).model_fields), where
        for name in type(ref).model_fields:
            same_values(getattr(fast, name), getattr(ref, name), f"{where}.{name}")
        return
    if isinstance(ref, list):
        assert type(fast) is list and len(fast) == len(ref), where
        for i, (a, b) in enumerate(zip(fast, ref, strict=True)):
            same_values(a, b, f"{where}[{i}]")
        return
    assert type(fast) is type(ref), (where, fast, ref)
    assert fast == ref, (where, fast, ref)
    if isinstance(ref, Decimal):
        assert str(fast) == str(ref), where  # 320.5 stays 320.5, not 320.50


def agree(data: Any) -> bool:
    """True when the fast path took the data (and then took it as pydantic does)."""
    fast = fastmodel.convert(data)
    if fast is None:
        return False
    ref = reference(data)
    assert ref is not None, ("the fast path took what pydantic refuses", data)
    same_values(fast, ref)
    return True


@pytest.mark.parametrize("name", list(DATA))
def test_every_sample_and_case(name: str) -> None:
    agree(DATA[name])


def test_the_valid_samples_take_the_fast_path() -> None:
    # the fast path must actually be used: every dossier pydantic takes, it takes
    taken = [d for d in VALID if reference(d) is not None]
    assert len(taken) > 100
    assert all(agree(d) for d in taken)


# --- values put where they do not belong ---------------------------------------------

ODD = [
    None,
    True,
    False,
    0,
    1,
    2,
    3,
    4,
    -1,
    10**30,
    1.0,
    0.5,
    -0.0,
    320.5,
    math.nan,
    math.inf,
    -math.inf,
    "",
    " ",
    "\u3000",
    "\t",
    "x",
    "0979123456",
    "3",
    "2",
    "other",
    "\ud800",
    "2024-02-30",
    "2024-01-01",
    "2024-1-01",
    "2024-01-01\n",
    "２０２４-０１-０１",
    "0000-01-01",
    "9999-12-31",
    "2024-01-01T00:00:00",
    "a" * 64,
    "a" * 64 + "\n",
    "abc-def",
    "ABC",
    "-ab",
    "filed",
    "ndrc",
    "unit",
    "municipal",
    "for",
    [],
    {},
    [1],
    ["x"],
    ["ndrc"],
    ["contract"],
    {"a": 1},
    {"file": "x"},
    {"file": " "},
    dt.date(2024, 1, 1),
    dt.datetime(2024, 1, 1),
    Decimal("1"),
]


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*here, i))
    return out


@st.composite
def variants(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for p in path[:-1]:
            parent = parent[p]
        action = draw(st.sampled_from(["set", "set", "set", "drop", "extra", "rename"]))
        last = path[-1]
        if action == "set":
            parent[last] = copy.deepcopy(draw(st.sampled_from(ODD)))
        elif action == "drop":
            del parent[last]
        elif action == "extra" and isinstance(parent, dict):
            key = draw(st.sampled_from(["for_", "x", "file", "date", "Stage", "id "]))
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD)))
        elif action == "rename" and isinstance(parent, dict) and isinstance(last, str):
            parent[last + "_"] = parent.pop(last)
    return data


@DIFF
@given(variants())
def test_differential_variants(data: Any) -> None:
    agree(data)


@DIFF
@given(st.sampled_from(VALID), st.sampled_from(ODD), st.sampled_from(ODD))
def test_differential_amounts_levels_and_dates(base: Any, a: Any, b: Any) -> None:
    data = copy.deepcopy(base)
    data["budget_wan"] = a
    data.setdefault("mlps", {})
    if isinstance(data["mlps"], dict):
        data["mlps"]["level"] = b
    if data.get("history"):
        data["history"][0]["date"] = b
    agree(data)


# --- the methods the rules call --------------------------------------------------------


def test_methods_answer_as_the_models() -> None:
    for data in VALID:
        ref = reference(data)
        fast = fastmodel.convert(data)
        if ref is None:
            continue
        assert fast is not None
        assert fast.stages == ref.stages
        for s in Stage:
            assert fast.entered(s) == ref.entered(s)
            # the dates at once are entered()'s, stage by stage
            assert ref.entered_dates().get(s) == ref.entered(s)
        assert fast.entered_dates() == ref.entered_dates()
        present = fast.documents.present()
        assert list(present) == list(ref.documents.present())
        for kind in [*present, "nothing", "get"]:
            got, want = fast.documents.get(kind), ref.documents.get(kind)
            assert (got is None) == (want is None), kind
        if ref.history:
            later = fast.model_copy(update={"history": fast.history[:1]})
            assert later.history == fast.history[:1] and later.id == fast.id
            assert fast.history != later.history or len(fast.history) == 1


# --- the same findings through either model --------------------------------------------


@pytest.mark.parametrize("name", list(DATA))
def test_the_same_findings_either_way(name: str) -> None:
    raw = (ROOT / name).read_bytes()
    folder = Path(name).parent.name

    def run(fast: bool) -> list[Any]:
        res = check_bytes(
            raw,
            file=name,
            folder=folder,
            settings=DEFAULT_SETTINGS,
            today=TrackedDay(dt.date(2026, 12, 1)),
            stat=lambda f: FileStatus.ok if f.startswith("attachments/") else FileStatus.missing,
            fast_model=fast,
        )
        return res.findings

    assert run(True) == run(False)


# --- a model this module cannot mirror fails at once, not silently -----------------------


def _shout(value: Any) -> Any:
    return value


def test_an_unknown_validator_stops_the_import() -> None:
    class Odd(Part):
        x: Annotated[str, BeforeValidator(_shout)]

    with pytest.raises(TypeError, match="unknown validator"):
        fastmodel.struct_of(Odd)

    class Later(Part):
        y: Annotated[Text, AfterValidator(_shout)]

    with pytest.raises(TypeError, match="unknown validator"):
        fastmodel.struct_of(Later)

    class Checked(Part):
        z: Text

        @field_validator("z")
        @classmethod
        def _z(cls, v: str) -> str:
            return v

    with pytest.raises(TypeError, match="validators of its own"):
        fastmodel.struct_of(Checked)
