"""Any text in project.yaml gives findings, never an exception (hypothesis).

Random bytes and text, random YAML built from nested mappings, lists and scalars
(with the model's own keys, so it reaches deep into validation and the rules), and
mutations of a valid dossier: delete a key, change a value's type, duplicate or drop
a line. Each result is checked for well-formed findings: a known code, both
languages, a position that is either absent or 1-based, a JSON shape that dumps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from golmud_cli.core.findings import Severity
from golmud_cli.core.labels import known_keys
from golmud_cli.core.model import Dossier, Settings
from golmud_cli.core.rules import FileStatus, catalog
from golmud_cli.edges import loader
from golmud_cli.pipeline.check import Result, check_bytes
from tests.conftest import ROOT

CASES = ROOT / "tests" / "cases"
SAMPLE = (CASES / "valid" / "base-post_evaluated" / "dossiers" / "2024-smart-parking" / "project.yaml").read_bytes()
TODAY = dt.date(2026, 11, 2)
CODES = {r.code for r in catalog()}
FILE = "dossiers/2024-smart-parking/project.yaml"
STATUSES = list(FileStatus)
EXAMPLES = settings(max_examples=int(os.environ.get("GTX_PROPERTY_EXAMPLES", "200")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _stat(rel: str) -> FileStatus:
    # deterministic but varied answers, so F001/F002 paths run too
    return STATUSES[sum(rel.encode("utf-8", "surrogatepass")) % len(STATUSES)]


def check(raw: bytes) -> Result:
    res = check_bytes(raw, file=FILE, folder="2024-smart-parking", settings=Settings(), today=TODAY, stat=_stat)
    assert res.file == FILE
    lines = raw.count(b"\n") + 1
    for f in res.findings:
        assert f.code in CODES, f
        assert isinstance(f.severity, Severity)
        assert f.file == FILE
        assert f.message_zh.strip() and f.message_en.strip(), f
        assert (f.line is None) == (f.column is None), f
        if f.line is not None:
            assert 1 <= f.line <= lines + 1, f
            assert f.column is not None and f.column >= 1, f
        json.dumps(f.to_json("zh"), ensure_ascii=False)
        json.dumps(f.to_json("en"))
    if res.dossier is None:
        # no model: then something must say why
        assert any(f.severity is Severity.error for f in res.findings)
    return res


def test_the_sample_is_valid() -> None:
    res = check_bytes(SAMPLE, file=FILE, folder="2024-smart-parking", settings=Settings(), today=TODAY,
                      stat=lambda _: FileStatus.ok)
    assert res.dossier is not None and res.findings == []


@EXAMPLES
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@EXAMPLES
@given(st.text(max_size=400))
@example("\x85{")  # a NEL line break and the end of stream: positions within the file
@example("a: 1\u2028b: [")
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


# --- random YAML from nested structures -------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["2024-02-30", "0979123456", "yes", "no", "other", "3", "approved", "ndrc", "", " "]),
)
TOP_KEYS = known_keys(())
ANY_KEYS = st.sampled_from(sorted({k for path in ((), ("documents",), ("documents", "feasibility_study"),
                                                  ("history", 0), ("extensions", 0), ("rectifications", 0),
                                                  ("contact",), ("cloud",), ("mlps",))
                                   for k in known_keys(path)})) | st.text(max_size=6)


def values(depth: int = 3) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(ANY_KEYS, kids, max_size=4),
        max_leaves=12,
    )


DOSSIER_LIKE = st.fixed_dictionaries({}, optional={k: values() for k in TOP_KEYS})


def _block(obj: Any, indent: int = 0) -> list[str]:
    """A block-style rendering (YAML's other face), with JSON for the scalars."""
    pad = " " * indent
    if isinstance(obj, dict):
        out: list[str] = []
        for k, v in obj.items():
            if isinstance(v, dict | list) and v:
                out.append(f"{pad}{json.dumps(str(k), ensure_ascii=False)}:")
                out.extend(_block(v, indent + 2))
            else:
                out.append(f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}")
        return out
    if isinstance(obj, list):
        out = []
        for v in obj:
            if isinstance(v, dict | list) and v:
                out.append(f"{pad}-")
                out.extend(_block(v, indent + 2))
            else:
                out.append(f"{pad}- {json.dumps(v, ensure_ascii=False)}")
        return out
    return [pad + json.dumps(obj, ensure_ascii=False)]


@EXAMPLES
@given(values(), st.booleans())
def test_random_yaml(data: Any, block: bool) -> None:
    text = "\n".join(_block(data)) if block else json.dumps(data, ensure_ascii=False)
    check(text.encode("utf-8", "surrogatepass"))


@EXAMPLES
@given(DOSSIER_LIKE, st.booleans())
def test_random_dossier_like_mappings(data: dict[str, Any], block: bool) -> None:
    text = "\n".join(_block(data)) if block else json.dumps(data, ensure_ascii=False)
    check(text.encode("utf-8", "surrogatepass"))


# --- mutations of a valid dossier -------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


BASE_DATA = loader.build(SAMPLE.decode("utf-8"))
BASE_PATHS = _paths(BASE_DATA)
REQUIRED = {k for k, f in Dossier.model_fields.items() if f.is_required()}


def _mutate(data: Any, path: tuple[Any, ...], op: str, value: Any) -> Any:
    node = data
    for p in path[:-1]:
        node = node[p]
    last = path[-1]
    if op == "delete":
        del node[last]
    else:
        node[last] = value
    return data


@EXAMPLES
@given(st.sampled_from(BASE_PATHS), st.sampled_from(["delete", "replace"]), values(), st.booleans())
def test_mutated_dossier(path: tuple[Any, ...], op: str, value: Any, block: bool) -> None:
    data = _mutate(json.loads(json.dumps(BASE_DATA)), path, op, value)
    text = "\n".join(_block(data)) if block else json.dumps(data, ensure_ascii=False)
    res = check(text.encode("utf-8", "surrogatepass"))
    if op == "delete" and len(path) == 1 and path[0] in REQUIRED:
        # a missing required field is named, at its key path
        assert any(f.code == "S002" and f.path == path for f in res.findings), res.findings


@EXAMPLES
@given(st.data())
def test_line_edits_of_a_valid_dossier(data: st.DataObject) -> None:
    lines = SAMPLE.decode("utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        op = data.draw(st.sampled_from(["duplicate", "drop", "retype", "indent", "insert"]))
        if op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "drop":
            del lines[i]
        elif op == "retype" and ":" in lines[i]:
            key, _, _ = lines[i].partition(":")
            new = data.draw(st.sampled_from(["1", "true", "[]", "{}", "null", '"x"', "2024-02-30",
                                             "0979123456", "-1", "[1, [2]]", "&a x", "*a", "!!str x"]))
            lines[i] = f"{key}: {new}\n"
        elif op == "indent":
            lines[i] = " " * data.draw(st.integers(min_value=1, max_value=5)) + lines[i]
        elif op == "insert":
            lines.insert(i, data.draw(st.text(max_size=20)) + "\n")
        if not lines:
            break
    check("".join(lines).encode("utf-8", "surrogatepass"))
