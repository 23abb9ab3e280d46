"""core/labels.py (the labels from the generated table, without pydantic) against a walk
of pydantic's model_fields, as core/model.py's label_for and known_keys did before:
the same answer for every path of every model class, from every class as the root."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from golmud_cli.core import labels
from golmud_cli.core import model as m
from tests.core.test_fastgen import _models

Path = tuple[str | int, ...]


# --- the reference: pydantic's fields walked (core/model.py's code before the table) -----


def _info(model: type[BaseModel], part: str) -> Any:
    fields = model.model_fields
    return fields.get(part) or next((f for f in fields.values() if f.alias == part), None)


def reference_label(path: Path, root: type[BaseModel]) -> str:
    out: list[str] = []
    model: type[BaseModel] | None = root
    keyed = False
    for part in path:
        if isinstance(part, int):
            out.append(f"第{part + 1}项")
            continue
        if keyed:
            out.append(part)
            keyed = False
            continue
        if model is None:
            break
        info = _info(model, part)
        if info is None:
            break
        if info.title and (not out or out[-1] != info.title):
            out.append(info.title)
        if path and path[0] == "documents" and len(out) > 1 and out[0] == "项目文件":
            out.pop(0)
        model = m._inner_model(info.annotation)
        keyed = m._keyed(info.annotation)
    return "·".join(out)


def reference_keys(path: Path, root: type[BaseModel]) -> list[str]:
    model: type[BaseModel] | None = root
    keyed = False
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        if keyed:
            keyed = False
            continue
        info = _info(model, part)
        if info is None:
            return []
        model = m._inner_model(info.annotation)
        keyed = m._keyed(info.annotation)
    if model is None or keyed:
        return []
    return [f.alias or k for k, f in model.model_fields.items()]


# --- every path ---------------------------------------------------------------------------


def paths(model: type[BaseModel] | None, depth: int = 4) -> list[Path]:
    """Every path into `model`: each field by name and by alias, list indices, free
    mapping keys, and a wrong step at each level."""
    out: list[Path] = [(), ("nope",), (0,)]
    if model is None or depth == 0:
        return out
    for name, info in model.model_fields.items():
        inner = m._inner_model(info.annotation)
        for key in {name, info.alias or name}:
            out.append((key,))
            tails = paths(inner, depth - 1)
            for tail in tails:
                out.append((key, *tail))
                out.append((key, 0, *tail))
                out.append((key, 2, *tail))
            if m._keyed(info.annotation):
                for free in ("ndrc", "格尔木市水利局", "x"):
                    out += [(key, free, *tail) for tail in tails]
    return out


CASES = [(root, path) for root in _models() for path in paths(root)]


def test_there_are_paths_of_every_kind() -> None:
    # aliases, indices and keyed mappings are all walked (the cases are not vacuous)
    flat = {p for _, p in CASES}
    assert ("extensions", 0, "for") in flat and ("extensions", 0, "for_") in flat
    assert ("roles", "ndrc", "signers", 0, "from") in flat
    assert ("documents", "proposal", "file") in flat
    assert len(CASES) > 10_000


@pytest.mark.parametrize("root", _models(), ids=lambda c: c.__name__)
def test_labels_and_keys_equal_pydantics_walk(root: type[BaseModel]) -> None:
    for path in paths(root):
        want = reference_label(path, root)
        assert labels.label_for(path, root.__name__) == want, path
        assert labels.label_for(path, root) == want, path
        keys = reference_keys(path, root)
        assert labels.known_keys(path, root.__name__) == keys, path
        assert labels.known_keys(path, root) == keys, path


def test_some_labels_as_written() -> None:
    # a few answers spelled out, so that the two walks cannot agree on nothing
    assert labels.label_for(("documents", "proposal", "file")) == "项目建议书·文件"
    assert labels.label_for(("history", 1, "date")) == "阶段历史·第2项·日期"
    assert labels.label_for(("roles", "ndrc", "signers", 0, "from"), m.Settings) == (
        "角色与签署人·ndrc·签署人·第1项·生效日期（含）"
    )
    assert labels.known_keys(("extensions", 0))[0] == "for"
    assert labels.known_keys(("roles",), m.Settings) == []
    assert "from" in labels.known_keys(("units", "x", "signers", 0), m.Settings)


@pytest.mark.parametrize("root", _models(), ids=lambda c: c.__name__)
def test_each_fields_title_is_pydantics(root: type[BaseModel]) -> None:
    for name, info in root.model_fields.items():
        assert labels.title(root.__name__, name) == (info.title or ""), name
    assert labels.title(root, "no such field") == ""
