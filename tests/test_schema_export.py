"""The exported JSON Schema agrees with the model on real dossiers: editors and
check-jsonschema accept what gtx accepts, and reject what the schema forbids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from golmud_cli.edges.loader import load
from golmud_cli.pipeline.schema_export import build_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "dossiers").glob("*/project.yaml"))


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads((ROOT / "schema" / "dossier.schema.json").read_text("utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def test_the_committed_schema_is_the_model_s() -> None:
    committed = json.loads((ROOT / "schema" / "dossier.schema.json").read_text("utf-8"))
    assert committed == build_schema()
    assert committed["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "definitions" in committed and "$defs" not in json.dumps(committed)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_every_sample_dossier_fits_the_exported_schema(validator: Draft7Validator, path: Path) -> None:
    data = load(path.read_bytes(), str(path), path.parent.name).data
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_the_schema_rejects_what_the_model_rejects(validator: Draft7Validator) -> None:
    data = load(SAMPLES[0].read_bytes(), "x", "x").data
    bad_phone = {**data, "contact": {"name": "张三", "phone": 979123456}}
    typo = {**data, "budjet_wan": 1}
    bad_level = {**data, "mlps": {"level": 4}}
    for instance in (bad_phone, typo, bad_level):
        assert list(validator.iter_errors(instance)), instance
