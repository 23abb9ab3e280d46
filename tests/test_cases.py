"""Every rule of docs/lifecycle.md against example dossier repositories (tests/cases/).

invalid/<CODE>-<what>/: the case raises exactly its code (the set of error and
warning codes is {CODE}, plus what case.yaml names as inherent), with file, line
and column, at the place case.yaml names when it names one.
valid/<name>/: no error and no warning; a near miss named after a code does not
raise that code.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.rules import catalog
from golmud_cli.pipeline.validation import Run, validate_repository
from golmud_cli.pipeline.workspace import open_repo

CASES = Path(__file__).parent / "cases"


def _listing(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _meta(case: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML

    meta: dict[str, Any] = YAML(typ="safe").load((case / "case.yaml").read_text("utf-8"))
    assert isinstance(meta.get("as_of"), dt.date), f"{case.name}: case.yaml needs as_of"
    return meta


def _run(case: Path, meta: dict[str, Any]) -> Run:
    # no cache: it would write .gtx-cache/ into the committed case folders
    return validate_repository(open_repo(case), today=meta["as_of"], use_cache=False)


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.file}:{f.line}:{f.column} {f.code} {f.field} {f.message_en}" for f in findings)


@pytest.mark.parametrize("case", _listing("invalid"), ids=lambda p: p.name)
def test_invalid_case_raises_exactly_its_code(case: Path) -> None:
    meta = _meta(case)
    code = meta["expect"]
    assert case.name.startswith(code + "-")
    run = _run(case, meta)
    hits = [f for f in run.findings if f.code == code]
    assert hits, f"{code} not raised:\n{_show(run.findings)}"
    severity = Severity(meta.get("severity", "error"))
    assert any(f.severity is severity for f in hits), _show(hits)
    raised = {f.code for f in run.findings if f.severity is not Severity.info}
    expected = set(meta.get("also", [])) | ({code} if severity is not Severity.info else set())
    assert raised == expected, _show(run.findings)
    for f in run.findings:
        if f.project is None and f.code == "C006":
            assert f.file == "gtx.yaml", f  # local policy: said once, on the settings
            continue
        assert f.file == f"dossiers/{f.project}/project.yaml", f  # the project is its folder
    for f in hits:
        assert f.project is not None or f.code == "C006"
        assert f.message_zh and f.message_en
        # A position applies to every finding in a file that was decoded.
        if meta.get("message") != "UTF-8" or f.line is not None:
            assert f.line is not None and f.line >= 1 and f.column is not None and f.column >= 1, f
    if "field" in meta:
        assert any(f.field == meta["field"] for f in hits), _show(hits)
    if "line" in meta:
        assert any((f.line, f.column) == (meta["line"], meta["column"]) for f in hits), (
            f"expected {meta['line']}:{meta['column']}\n{_show(hits)}"
        )
    if "message" in meta:
        assert any(meta["message"] in f.message_en for f in hits), _show(hits)


@pytest.mark.parametrize("case", _listing("valid"), ids=lambda p: p.name)
def test_valid_case_has_no_error(case: Path) -> None:
    meta = _meta(case)
    run = _run(case, meta)
    bad = [f for f in run.findings if f.severity is not Severity.info]
    assert not bad, _show(bad)
    assert run.checked >= 1
    if "absent" in meta:
        assert meta["absent"] not in {f.code for f in run.findings}


def test_every_rule_has_a_case_and_a_near_miss() -> None:
    invalid = {p.name.split("-")[0] for p in _listing("invalid")}
    near = {p.name.split("-")[0] for p in _listing("valid") if re.match(r"[A-Z]\d{3}-", p.name)}
    # G codes are gtx verify's, about commits rather than one dossier: their cases are
    # real repositories (tests/test_verify_objects.py)
    codes = {r.code for r in catalog() if not r.code.startswith("G")}
    assert codes <= invalid, codes - invalid
    assert codes <= near, codes - near


def test_committed_cases_equal_the_generator(tmp_path: Path) -> None:
    # The folders are committed (tests read them from disk); they must be what
    # make_cases.py writes, so a case edited by hand cannot drift from its recipe.
    sys.path.insert(0, str(CASES))
    try:
        import make_cases
    finally:
        sys.path.remove(str(CASES))
    make_cases.generate(tmp_path)

    def tree(root: Path) -> dict[str, bytes | str]:
        out: dict[str, bytes | str] = {}
        for kind in ("valid", "invalid"):
            for p in sorted((root / kind).rglob("*")):
                rel = p.relative_to(root).as_posix()
                if ".gtx-cache" in p.parts:
                    continue  # left by a `gtx validate` run by hand in a case folder
                if p.is_symlink():
                    out[rel] = "-> " + str(p.readlink())
                elif p.is_file():
                    out[rel] = p.read_bytes()
        return out

    fresh, committed = tree(tmp_path), tree(CASES)
    assert sorted(fresh) == sorted(committed), "run tests/cases/make_cases.py and commit"
    stale = [k for k in fresh if fresh[k] != committed[k]]
    assert not stale, f"run tests/cases/make_cases.py and commit: {stale[:5]}"
