"""Reporters of `gtx set` and `gtx attach`: what changed, and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from golmud_cli.i18n import pick
from golmud_cli.reporters import console

if TYPE_CHECKING:
    from golmud_cli.core.editing import Attached, Change


def _show(value: Any) -> str:
    return "（空）" if value is None else str(value)


def report_change(c: Change, lang: str) -> None:
    from rich.markup import escape

    console().print(
        escape(
            pick(
                lang,
                f"已修改 {c.file}：{c.key}（{c.label}）{_show(c.old)} → {_show(c.new)}。"
                f"\n下一步：gtx validate {c.project}，然后提交。",
                f"changed {c.file}: {c.key} {_show(c.old)} -> {_show(c.new)}."
                f"\nNext: gtx validate {c.project}, then commit.",
            )
        )
    )


def report_attached(a: Attached, lang: str) -> None:
    from rich.markup import escape

    how = pick(lang, "已复制到", "copied to") if a.copied else pick(lang, "已在", "already in")
    console().print(
        escape(
            pick(
                lang,
                f"{how} dossiers/{a.project}/{a.file}，登记为 documents.{a.kind}"
                f"（SHA-256 {a.sha256[:16]}…）。\n下一步：gtx validate {a.project}，然后提交。",
                f"{how} dossiers/{a.project}/{a.file}, recorded as documents.{a.kind} "
                f"(SHA-256 {a.sha256[:16]}...).\nNext: gtx validate {a.project}, then commit.",
            )
        )
    )
