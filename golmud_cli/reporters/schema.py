"""What `gtx schema` says about the schema file it checked or wrote."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.i18n import pick


def up_to_date(output: Path, lang: str) -> None:
    print(pick(lang, f"{output} 是最新的。", f"{output} is up to date."))


def stale(output: Path, lang: str) -> None:
    print(
        pick(
            lang,
            f"{output} 已过期：请运行 gtx schema 重新生成并提交。",
            f"{output} is stale: run gtx schema and commit the result.",
        )
    )


def wrote(output: Path, lang: str) -> None:
    print(pick(lang, f"已写入 {output}", f"wrote {output}"))
