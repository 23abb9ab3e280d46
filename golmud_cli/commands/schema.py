"""`gtx schema`: the JSON Schema (draft-07) exported from the model, for editors
(yaml-language-server reads draft-07: `definitions`, not `$defs`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK
from golmud_cli.i18n import pick

SCHEMA_PATH = Path("schema") / "dossier.schema.json"


def build_schema() -> dict[str, Any]:
    from golmud_cli.core.model import Dossier

    schema = Dossier.model_json_schema(ref_template="#/definitions/{model}")
    defs = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://golmud.gov.cn/gtx/dossier.schema.json",
        **schema,
    }
    if defs:
        out["definitions"] = defs
    from golmud_cli.core.schema_export import enrich

    return enrich(out, Dossier)


def render() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def run(*, repo: Path | None, check: bool, output: Path | None, lang: str) -> int:
    if output is None:
        from golmud_cli.edges.repo import find_root

        output = find_root(repo) / SCHEMA_PATH
    text = render()
    current = output.read_text("utf-8") if output.is_file() else None
    if current is not None:
        # a checkout with core.autocrlf turns the committed LF into CRLF: same content
        current = current.replace("\r\n", "\n")
    if check:
        if current == text:
            print(pick(lang, f"{output} 是最新的。", f"{output} is up to date."))
            return EXIT_OK
        print(
            pick(
                lang,
                f"{output} 已过期：请运行 gtx schema 重新生成并提交。",
                f"{output} is stale: run gtx schema and commit the result.",
            )
        )
        return EXIT_FINDINGS
    if current != text:
        from golmud_cli.edges.fs import atomic_write

        output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(output, text.encode("utf-8"))
    print(pick(lang, f"已写入 {output}", f"wrote {output}"))
    return EXIT_OK
