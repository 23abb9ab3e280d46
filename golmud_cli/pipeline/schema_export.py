"""The JSON Schema (draft-07) exported from the model, for editors
(yaml-language-server reads draft-07: `definitions`, not `$defs`).

`gtx schema` writes it and `gtx init` puts it into a new repository, so both take it
from here rather than one command from the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path("schema") / "dossier.schema.json"


def build_schema() -> dict[str, Any]:
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.schema_export import enrich

    schema = Dossier.model_json_schema(ref_template="#/definitions/{model}")
    defs = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://golmud.gov.cn/gtx/dossier.schema.json",
        **schema,
    }
    if defs:
        out["definitions"] = defs
    return enrich(out, Dossier)


def render() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def current_text(output: Path) -> str | None:
    """The schema file as it is on disk, or None when there is none."""
    if not output.is_file():
        return None
    # a checkout with core.autocrlf turns the committed LF into CRLF: same content
    return output.read_text("utf-8").replace("\r\n", "\n")


def write(output: Path, text: str) -> None:
    from golmud_cli.edges.fs import atomic_write

    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(output, text.encode("utf-8"))
