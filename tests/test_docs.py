"""The user documentation ships and is current: docs/dossier.md, docs/lifecycle.md and
docs/cli.md are what scripts/build_docs.py generates from the model, the rule catalog
and the commands' help; nothing points to a document that is not in the repository."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from tests.conftest import ROOT

REFERENCE = re.compile(r"(?<![/\w-])((?:docs/)?[\w-]+\.md)\b")
SHIPPED_TEXT = ["README.md", "Makefile", "pyproject.toml", *map(str, (ROOT / "golmud_cli").rglob("*.py")),
                *map(str, (ROOT / "bench").glob("*.py"))]


def test_generated_docs_are_current() -> None:
    build = runpy.run_path(str(ROOT / "scripts" / "build_docs.py"))
    for path, text in build["outputs"]().items():
        assert path.read_text("utf-8") == text, f"{path.name} is stale: run make schema"
    dossier = (ROOT / "docs" / "dossier.md").read_text("utf-8")
    for needle in ("`budget_wan`", "项目预算", "数字（> 0）", "备案前必填（B001）", "“基础网络”栏",
                   "`municipal` 市级财政资金", "（二（三））"):
        assert needle in dossier, needle
    lifecycle = (ROOT / "docs" / "lifecycle.md").read_text("utf-8")
    for needle in ("| `filed` | 已备案 | 市政府办公室（`gov_office`）", "B001 备案表各项填写完整", "初步验收", "三（七）"):
        assert needle in lifecycle, needle
    cli = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert "## gtx advance" in cli and "用法：gtx advance" in cli and "Usage: gtx advance" in cli


def test_no_reference_to_a_document_that_does_not_ship() -> None:
    docs = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert {"dossier.md", "lifecycle.md", "cli.md", "rules.md"} <= docs
    bad = []
    for name in SHIPPED_TEXT:
        text = Path(name).read_text("utf-8")
        for m in REFERENCE.finditer(text):
            ref = m.group(1)
            if ref in ("README.md", "CHANGELOG.md"):
                continue
            if not ref.startswith("docs/") or ref.removeprefix("docs/") not in docs:
                bad.append(f"{Path(name).relative_to(ROOT)}: {ref}")
    assert bad == []
