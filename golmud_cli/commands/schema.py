"""`gtx schema`: write (or `--check`) the JSON Schema exported from the model
(pipeline/schema_export.py)."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK
from golmud_cli.pipeline.schema_export import SCHEMA_PATH, current_text, render, write
from golmud_cli.reporters import schema as report


def run(*, repo: Path | None, check: bool, output: Path | None, lang: str) -> int:
    if output is None:
        from golmud_cli.edges.repo import find_root

        output = find_root(repo) / SCHEMA_PATH
    text = render()
    current = current_text(output)
    if check:
        if current == text:
            report.up_to_date(output, lang)
            return EXIT_OK
        report.stale(output, lang)
        return EXIT_FINDINGS
    if current != text:
        write(output, text)
    report.wrote(output, lang)
    return EXIT_OK
