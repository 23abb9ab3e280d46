"""schema_check.validate_fast against schema_check.validate (pydantic, the reference):
whenever the fast path answers, the same findings (every field), the same paths
dropped and the same partial model; and it answers for the bench's five shapes of a
broken dossier (bench/generate.py), so that it cannot give up silently (issue 17).

Inputs: every sample and test-case file, the fuzz corpus's generators
(tests/support/hostile.py), and seeded mutations of the valid samples (a required
field dropped, an unknown or misspelt key at any depth, a value of another type, a
bad enum value, a bad or unreal date, a number where text belongs, several at once,
inside lists such as history and corrections). SCHEMA_FAST_MUTATIONS sets how many
(default 1500, a few seconds); FASTSCHEMA_EXAMPLES the hypothesis examples.
"""

from __future__ import annotations

import copy
import os
import random
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import generate
from golmud_cli.core import fastmodel
from golmud_cli.core.fastschema import FIELDS
from golmud_cli.core.model import Dossier
from golmud_cli.edges import loader
from golmud_cli.pipeline import schema_check
from tests.conftest import ROOT
from tests.core.test_fastmodel import ODD, _paths, same_values
from tests.support.differential import campaign
from tests.support.hostile import generated, mutated

DIFF = campaign("FASTSCHEMA_EXAMPLES")
FILES = sorted([*ROOT.glob("dossiers/**/project.yaml"), *ROOT.glob("tests/cases/**/*.yaml")])
DATA = {str(p.relative_to(ROOT)): loader.load(p.read_bytes(), "f", "p").data for p in FILES}
VALID = [d for d in DATA.values() if fastmodel.convert(d) is not None]
MUTATIONS = int(os.environ.get("SCHEMA_FAST_MUTATIONS", "1500"))


def agree(data: Any) -> bool | None:
    """True when the fast path answered (and as pydantic does), False when it left the
    data to pydantic, None when it is not asked (the fast model takes the data)."""
    if fastmodel.convert(data) is not None:
        return None
    fast_dropped: list[Any] = []
    ref_dropped: list[Any] = []
    before = copy.deepcopy(data)
    fast = schema_check.validate_fast(data, file="f.yaml", project="p", dropped=fast_dropped)
    assert data == before  # the data is the caller's: not changed
    ref, ref_findings = schema_check.validate(
        Dossier, data, file="f.yaml", project="p", dropped=ref_dropped
    )
    if fast is None:
        assert fast_dropped == []
        return False
    model, findings = fast
    assert findings == ref_findings, (data, findings, ref_findings)
    assert fast_dropped == ref_dropped, data
    assert (model is None) == (ref is None), (data, model, ref)
    if ref is not None:
        same_values(model, ref)
    return True


@pytest.mark.parametrize("name", list(DATA))
def test_every_sample_and_case(name: str) -> None:
    agree(DATA[name])


# --- the bench's shapes: the fast path must answer --------------------------------------

SHAPES = ("unknown_key", "unquoted_phone", "bad_date", "missing_field", "bad_enum")


@pytest.mark.parametrize("kind", SHAPES)
def test_the_bench_shapes_take_the_fast_path(kind: str) -> None:
    rnd = random.Random(17)
    answered = 0
    for i, t in enumerate(generate.templates()):
        d = generate.variant(t, i, rnd)
        text = generate.dump(d)
        broken, _ = generate.break_it(kind, d, text, [])
        if broken == text:
            continue  # this template has nothing to break this way
        data = loader.load(broken.encode(), "f", "p").data
        assert agree(data) is True, (kind, t["id"])
        answered += 1
    assert answered >= 5, kind


def test_a_version_too_big_for_pydantic_is_left_to_it() -> None:
    # pydantic's Literal[1] cannot parse it (int_parsing_size), unlike the walk's check
    for big in (2**63, 10**30, -(2**63) - 1):
        data = copy.deepcopy(VALID[0])
        data["schema_version"] = big
        assert agree(data) is False
    data["schema_version"] = 2**63 - 1  # within pydantic's reach: the walk's
    assert agree(data) is True


# --- seeded mutations of the valid samples ---------------------------------------------

# values of another kind, and the faults a clerk writes
WRONG = [
    *ODD,
    979123456,
    2**63,
    -(2**63) - 1,
    "fast",
    "2024-02-30",
    "2024-13-01",
    "2024/05/01",
    "12",
    "320.5",
    "-5",
    [{"x": 1}],
    [None],
    {"stage": "filed"},
]


def _misspelt(key: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(key))
    how = rnd.randrange(3)
    if how == 0:
        return key[:i] + key[i + 1 :] or key + "x"  # a letter left out
    if how == 1 and i + 1 < len(key):
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]  # two letters swapped
    return key[:i] + rnd.choice("aejnstu_") + key[i:]  # one too many


def _enum_like(rnd: random.Random) -> Any:
    # a text near an allowed one: a field's name, a stage or a role misspelt
    word = rnd.choice([*FIELDS["Dossier"], "filed", "ndrc", "municipal", "contract", "pass"])
    return _misspelt(word, rnd)


def mutate(data: Any, rnd: random.Random) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4))):
        places = _paths(data)[1:]
        if not places:
            break
        # a place inside a list (history, corrections, refs ...) one time in three
        listed = [p for p in places if any(isinstance(x, int) for x in p)]
        path = rnd.choice(listed if listed and rnd.random() < 0.33 else places)
        parent = data
        for p in path[:-1]:
            parent = parent[p]
        last = path[-1]
        action = rnd.choice(("set", "set", "enum", "drop", "drop", "extra", "misspell"))
        if action == "set":
            parent[last] = copy.deepcopy(rnd.choice(WRONG))
        elif action == "enum":
            parent[last] = _enum_like(rnd)
        elif action == "drop":
            del parent[last]
        elif action == "extra" and isinstance(parent, dict):
            parent[rnd.choice(["x", "budjet_wan", "Stage", "note", "for_", "datum"])] = (
                copy.deepcopy(rnd.choice(WRONG))
            )
        elif action == "misspell" and isinstance(parent, dict) and isinstance(last, str):
            parent[_misspelt(last, rnd)] = parent.pop(last)
    return data


def test_seeded_mutations() -> None:
    rnd = random.Random(int(os.environ.get("SCHEMA_FAST_SEED", "20261203")))
    answered = asked = 0
    for _ in range(MUTATIONS):
        got = agree(mutate(rnd.choice(VALID), rnd))
        asked += got is not None
        answered += bool(got)
    # most faults are the walk's: a share it leaves to pydantic (an alias, a key that
    # is not text), never the most
    assert asked > MUTATIONS // 2 and answered > asked * 3 // 4, (answered, asked)


# --- the fuzz corpus's generators ---------------------------------------------------------


@DIFF
@given(st.one_of(mutated(), generated()))
def test_differential_fuzz_corpus(raw: bytes) -> None:
    loaded = loader.load(raw, "f", "p")
    if not loaded.findings:
        agree(loaded.data)


def test_the_fast_path_imports_no_pydantic() -> None:
    import subprocess
    import sys

    child = (
        "import sys\n"
        "from golmud_cli.edges import loader\n"
        "from golmud_cli.pipeline import schema_check\n"
        "data = loader.load(sys.stdin.buffer.read(), 'f', 'p').data\n"
        "got = schema_check.validate_fast(data, file='f', project='p')\n"
        "assert got is not None and got[1], got\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('pydantic', 'pydantic_core')"
        " or n == 'golmud_cli.core.model'))\n"
    )
    text = (ROOT / FILES[0]).read_text("utf-8")
    broken = re.sub(r"\napproval_path: \w+", "\napproval_path: fast", text, count=1)
    broken = broken.replace("\nunit:", "\nunit_:", 1)
    assert broken != text
    done = subprocess.run(
        [sys.executable, "-c", child],
        input=broken.encode(),
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "[]"


def test_the_walk_asks_msgspec_first_and_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # errors() steps over a nested class msgspec makes (issue 17): wherever the whole
    # walk answers, the pruned one gives the same errors in the same order
    rnd = random.Random(17)
    corpus = [mutate(rnd.choice(VALID), rnd) for _ in range(400)]
    pruned = [fastmodel.errors(d) for d in corpus]
    with monkeypatch.context() as m:
        m.setattr(fastmodel, "_accepted", lambda value, cls: False)
        m.setattr(fastmodel, "_ROOT", None)  # the closures made again, without the asking
        whole = [fastmodel.errors(d) for d in corpus]
    compared = 0
    for d, got, ref in zip(corpus, pruned, whole, strict=True):
        if ref is not None:
            assert got == ref, d
            compared += 1
    assert compared > 300
