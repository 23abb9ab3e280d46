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
import json
import math
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from golmud_cli.core import fastmodel
from golmud_cli.core.dateinterval import TrackedDay
from golmud_cli.core.lifecycle import Role, Stage
from golmud_cli.core.model import DEFAULT_SETTINGS, Dossier, Policy, Settings
from golmud_cli.core.policy import notices
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


# the fast path of each reference class: a dossier's and gtx.yaml's
FAST: dict[type[BaseModel], Callable[[Any], Any]] = {
    Dossier: fastmodel.convert,
    Settings: fastmodel.convert_settings,
}


def reference(data: Any, model: type[BaseModel] = Dossier) -> Any:
    """pydantic's object of the data, or None when pydantic refuses it."""
    try:
        return model.model_validate(data)
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
    if isinstance(ref, list | tuple):
        assert type(fast) is type(ref) and len(fast) == len(ref), where
        for i, (a, b) in enumerate(zip(fast, ref, strict=True)):
            same_values(a, b, f"{where}[{i}]")
        return
    if isinstance(ref, dict):
        assert type(fast) is dict and len(fast) == len(ref), where
        for (ka, va), (kb, vb) in zip(fast.items(), ref.items(), strict=True):
            same_values(ka, kb, f"{where} key")  # the same keys, of the same type, in order
            same_values(va, vb, f"{where}[{kb!r}]")
        return
    assert type(fast) is type(ref), (where, fast, ref)
    assert fast == ref, (where, fast, ref)
    if isinstance(ref, Decimal):
        assert str(fast) == str(ref), where  # 320.5 stays 320.5, not 320.50


def agree(data: Any, model: type[BaseModel] = Dossier) -> bool:
    """True when the fast path took the data (and then took it as pydantic does)."""
    fast = FAST[model](data)
    if fast is None:
        return False
    ref = reference(data, model)
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


def _change(draw: st.DrawFn, data: Any, odd: list[Any], extra: list[str]) -> bool:
    """One change at a path drawn in `data`: a value from `odd` set, a key dropped, an
    `extra` key added, a key renamed. False when there is no path left to change."""
    paths = _paths(data)[1:]
    if not paths:
        return False
    path = draw(st.sampled_from(paths))
    parent = data
    for p in path[:-1]:
        parent = parent[p]
    action = draw(st.sampled_from(["set", "set", "set", "drop", "extra", "rename"]))
    last = path[-1]
    if action == "set":
        parent[last] = copy.deepcopy(draw(st.sampled_from(odd)))
    elif action == "drop":
        del parent[last]
    elif action == "extra" and isinstance(parent, dict):
        parent[draw(st.sampled_from(extra))] = copy.deepcopy(draw(st.sampled_from(odd)))
    elif action == "rename" and isinstance(parent, dict) and isinstance(last, str):
        parent[last + "_"] = parent.pop(last)
    return True


@st.composite
def variants(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        if not _change(draw, data, ODD, ["for_", "x", "file", "date", "Stage", "id "]):
            break
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


# A model the generator cannot mirror stops it (tests/core/test_fastgen.py): the classes
# are generated ahead (core/fastschema.py), no longer made here at import.


# --- gtx.yaml: convert_settings against Settings -----------------------------------------

SETTINGS_FILES = sorted([ROOT / "gtx.yaml", *ROOT.glob("tests/cases/**/gtx.yaml")])
SETTINGS_DATA = {str(p.relative_to(ROOT)): _data(p) for p in SETTINGS_FILES}

# The repository's files name no signer and set few policies: a file that uses every
# field of gtx.yaml, for the variants to start from too.
FULL_SETTINGS: dict[str, Any] = {
    "city": "格尔木市",
    "roles": {
        "ndrc": {
            "name": "格尔木市发展和改革委员会",
            "signers": [
                {
                    "name": "李四",
                    "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB li.si@fgw",
                    "from": "2024-01-01",
                    "until": "2025-12-31",
                }
            ],
        },
        "finance": {
            "signers": [{"name": "王五", "key": "0123456789ABCDEF0123456789ABCDEF01234567"}]
        },
    },
    "units": {
        "格尔木市水利局": {
            "signers": [
                {"name": "张三", "key": "key::ssh-ed25519 AAAAC3Nza zs", "until": "2026-06-30"},
                {"name": "赵六", "key": "ssh-rsa AAAAB3NzaC1yc2E", "from": "2026-07-01"},
            ]
        }
    },
    "policy": {
        "preliminary_acceptance_months": 3,
        "final_acceptance_request_months": 1,
        "self_evaluation_window_months": [12, 24],
        "simplified_max_budget_wan": 500,
        "filing_days": 30,
        "due_soon_days": 30,
        "holiday_shift": True,
        "contract_over_budget_percent": 10,
    },
}
SETTINGS_BASES = [*(d for d in SETTINGS_DATA.values() if isinstance(d, dict)), FULL_SETTINGS]

# what gtx.yaml's fields are given where they do not belong, besides ODD
SETTINGS_ODD = [
    *ODD,
    [12, 24],
    [24, 12],
    [12, 12],
    [0, 1],
    [-1, 5],
    [12],
    [12, 24, 36],
    [True, 24],
    [12, False],
    [12.0, 24],
    ["12", "24"],
    (12, 24),
    [None, 24],
    "12",
    3.0,
    500.5,
    Decimal("500"),
    Decimal("-1"),
    Decimal("NaN"),
    "ssh-ed25519 AAAAC3Nza x@y",
    "valid-before=20250101 ssh-ed25519 AAAAC3Nza x@y",
    "cert-authority ssh-rsa AAAAB3Nza",
    'namespaces="git" ssh-ed25519 AAAA',
    "key::ssh-ed25519 AAAA",
    "ABCDEF0123456789",
    "2025-01-01",
    "2023-12-31",
    "mayor",
    "gov_office",
    {"ndrc": {}},
    {"mayor": {}},
    {"ndrc": {"signers": []}, "finance": {"name": 1}},
    {"格尔木市水利局": {}},
    {1: {}},
    {True: {}},
    {"signers": [{"name": "x", "key": "ssh-ed25519 AAAA"}]},
    [{"name": "x", "key": "ssh-ed25519 AAAA"}],
    [{"name": "x", "key": "ssh-ed25519 AAAA", "from": "2025-01-01", "until": "2024-01-01"}],
    [{"name": "x", "key": "ssh-ed25519 AAAA", "valid_from": "2025-01-01"}],
    {Role.ndrc: {}},  # a Python caller's enum key
    (),
    2**70,
    1e308,
    5e-324,
]


@pytest.mark.parametrize("name", list(SETTINGS_DATA))
def test_every_gtx_yaml(name: str) -> None:
    data = SETTINGS_DATA[name]
    # every gtx.yaml of the repository is valid: each must take the fast path
    assert reference(data, Settings) is not None
    assert agree(data, Settings)


@pytest.mark.parametrize("name", list(SETTINGS_DATA))
def test_the_same_policy_notices_either_way(name: str) -> None:
    # C006 reads gtx.yaml's policy: the fast Settings serves it as pydantic's does
    data = SETTINGS_DATA[name]
    fast, ref = fastmodel.convert_settings(data), reference(data, Settings)
    assert fast is not None and ref is not None
    assert notices(fast, name) == notices(ref, name)


def test_a_full_gtx_yaml_takes_the_fast_path() -> None:
    assert agree(FULL_SETTINGS, Settings)


def test_no_settings_are_the_defaults() -> None:
    fast = fastmodel.convert_settings({})
    assert fast is not None
    same_values(fast, Settings())
    same_values(fast, DEFAULT_SETTINGS)
    # each call makes its own mappings (default_factory), as pydantic does
    again = fastmodel.convert_settings({})
    assert again is not None and again.roles is not fast.roles


@pytest.mark.parametrize("data", [None, [], "city: x", 1, {"city": "x", "extra": 1}])
def test_what_is_not_a_gtx_yaml_is_left_to_pydantic(data: Any) -> None:
    assert fastmodel.convert_settings(data) is None


@st.composite
def settings_variants(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(SETTINGS_BASES)))
    extra = ["valid_from", "x", "from", "until", "policy", "ndrc"]
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()) or not _change(draw, data, SETTINGS_ODD, extra):
            _add(draw, data)
    return data


def _add(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """A field of gtx.yaml that the file may not have written, set to an odd value."""
    where = draw(st.sampled_from([(), ("policy",), ("roles",), ("units",)]))
    parent: Any = data
    for p in where:
        if not isinstance(parent, dict):
            return
        parent = parent.setdefault(p, {})
    if isinstance(parent, dict):
        keys = {
            (): ["city", "roles", "units", "policy"],
            ("policy",): list(Policy.model_fields),
            ("roles",): ["ndrc", "finance", "mayor", "unit"],
            ("units",): ["格尔木市水利局", "x"],
        }[where]
        parent[draw(st.sampled_from(keys))] = copy.deepcopy(draw(st.sampled_from(SETTINGS_ODD)))


@DIFF
@given(settings_variants())
def test_differential_settings_variants(data: Any) -> None:
    agree(data, Settings)


def test_an_enum_key_in_units_is_what_pydantic_makes_of_it() -> None:
    # A Python caller's enum member as a `units` key (never a YAML file's): pydantic
    # makes it a str; the fast path hands it over rather than keep the member (found
    # by test_differential_settings_variants)
    data = copy.deepcopy(FULL_SETTINGS)
    data["units"] = {Role.ndrc: {}}
    assert fastmodel.convert_settings(data) is None
    agree(data, Settings)


POLICY_FIELDS = list(FULL_SETTINGS["policy"])


@DIFF
@given(st.sampled_from(POLICY_FIELDS), st.sampled_from(SETTINGS_ODD))
def test_differential_policy_values(name: str, value: Any) -> None:
    data = copy.deepcopy(FULL_SETTINGS)
    data["policy"][name] = copy.deepcopy(value)
    agree(data, Settings)


DAYS = [None, "2024-01-01", "2024-06-30", "2025-12-31", "2024-02-30", 20240101, True]


@DIFF
@given(
    st.sampled_from([*SETTINGS_ODD, "ssh-ed25519 AAAA", " ssh-ed25519 AAAA "]),
    st.sampled_from(DAYS),
    st.sampled_from(DAYS),
    st.sampled_from(["roles", "units"]),
)
def test_differential_signers(key: Any, start: Any, until: Any, where: str) -> None:
    signer: dict[str, Any] = {"name": "李四", "key": key}
    if start is not None:
        signer["from"] = start
    if until is not None:
        signer["until"] = until
    owner = "ndrc" if where == "roles" else "格尔木市水利局"
    data = {where: {owner: {"signers": [signer]}}}
    if agree(data, Settings):
        # valid_on answers alike on either side of each end
        fast = fastmodel.convert_settings(data)
        ref = reference(data, Settings)
        assert fast is not None and ref is not None
        got = getattr(fast, where)[owner].signers[0]
        want = getattr(ref, where)[owner].signers[0]
        for day in (
            dt.date(2023, 12, 31),
            dt.date(2024, 1, 1),
            dt.date(2025, 12, 31),
            dt.date(2026, 1, 1),
        ):
            assert got.valid_on(day) == want.valid_on(day), day


def test_the_checks_of_gtx_yaml_refuse_on_the_fast_path_too() -> None:
    # each of Signer's and Policy's checks turns a value down on both paths
    refused = [
        {"policy": {"self_evaluation_window_months": [24, 12]}},
        {"policy": {"self_evaluation_window_months": [True, 24]}},
        {"policy": {"simplified_max_budget_wan": 0}},
        {"policy": {"holiday_shift": 1}},
        {"roles": {"mayor": {}}},
        {
            "roles": {
                "ndrc": {
                    "signers": [{"name": "x", "key": "valid-before=20250101 ssh-ed25519 AAAA"}]
                }
            }
        },
        {
            "units": {
                "u": {
                    "signers": [
                        {
                            "name": "x",
                            "key": "ssh-ed25519 A",
                            "from": "2025-01-02",
                            "until": "2025-01-01",
                        }
                    ]
                }
            }
        },
    ]
    for data in refused:
        assert reference(data, Settings) is None, data
        assert fastmodel.convert_settings(data) is None, data


# --- the fast path imports no pydantic ----------------------------------------------------

_CHILD = """
import json, sys
from golmud_cli.core import fastmodel, labels
dossier, settings = json.load(sys.stdin)
d = fastmodel.convert(dossier)
s = fastmodel.convert_settings(settings)
assert d is not None and s is not None, (d, s)
d.stages, d.entered(d.stage), d.entered_dates(), d.documents.present()
labels.label_for(("documents", "proposal", "file")), labels.known_keys(("policy",), "Settings")
print(json.dumps(sorted(n for n in sys.modules
                        if n.split(".")[0] in ("pydantic", "pydantic_core")
                        or n == "golmud_cli.core.model")))
"""


def test_the_fast_path_imports_no_pydantic() -> None:
    dossier = next(d for d in VALID if reference(d) is not None)
    settings = SETTINGS_DATA["gtx.yaml"]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps([dossier, settings]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
