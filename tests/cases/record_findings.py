"""Write tests/cases/findings.txt: every finding of every case under tests/cases/, as a
user sees it (file, line, column, severity, code, field, label, clause, the message in
Chinese and in English, and any extra such as a suggestion).

    .venv/bin/python tests/cases/record_findings.py    # rewrite findings.txt

tests/core/test_case_findings.py checks that the file is what gtx says now, so a
changed message, position, field or severity shows up as a diff to review, not only
a changed code (which tests/core/test_cases.py checks). After a deliberate change:
run this, read `git diff tests/cases/findings.txt`, commit both.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "findings.txt"


def cases() -> list[Path]:
    return sorted(p for kind in ("invalid", "valid") for p in (HERE / kind).iterdir() if p.is_dir())


def as_of(case: Path) -> dt.date:
    from ruamel.yaml import YAML

    meta: dict[str, Any] = YAML(typ="safe").load((case / "case.yaml").read_text("utf-8"))
    day = meta["as_of"]
    assert isinstance(day, dt.date), case
    return day


def block(case: Path) -> str:
    """One case's findings, in the order validate reports them."""
    from golmud_cli.pipeline.validation import validate_repository
    from golmud_cli.pipeline.workspace import open_repo

    today = as_of(case)
    # no cache: it would write .gtx-cache/ into the committed case folders
    run = validate_repository(open_repo(case), today=today, use_cache=False)
    lines = [f"## {case.parent.name}/{case.name}, as of {today}"]
    for f in run.findings:
        where = f"{f.file or '-'}:{f.line or '-'}:{f.column or '-'}"
        lines.append(
            f"{where} {f.severity.value} {f.code} {f.field or '-'} "
            f"[{f.label or '-'}] ({f.clause or '-'})"
        )
        lines.append(f"  zh: {f.message_zh}")
        lines.append(f"  en: {f.message_en}")
        if f.extra:
            extra = json.dumps(f.extra, sort_keys=True, ensure_ascii=False, default=str)
            lines.append(f"  extra: {extra}")
    return "\n".join(lines) + "\n"


def blocks() -> dict[str, str]:
    return {f"{c.parent.name}/{c.name}": block(c) for c in cases()}


def parse(text: str) -> dict[str, str]:
    """findings.txt back into its blocks, by case."""
    out: dict[str, str] = {}
    for chunk in text.split("\n## "):
        chunk = chunk if chunk.startswith("## ") else "## " + chunk  # the first keeps its mark
        name = chunk[3:].split(",", 1)[0]
        out[name] = chunk.rstrip("\n") + "\n"
    return out


def main() -> int:
    sys.path.insert(0, str(HERE.parent.parent))
    text = "\n".join(blocks().values())
    OUT.write_text(text, "utf-8")
    sys.stdout.write(f"wrote {OUT.relative_to(HERE.parent.parent)} ({len(cases())} cases)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
