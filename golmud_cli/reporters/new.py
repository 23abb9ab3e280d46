"""`gtx new` on the terminal: the interview's questions through rich, and what was
created with the next steps. The only code that prompts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from golmud_cli.i18n import pick
from golmud_cli.reporters import console

if TYPE_CHECKING:
    from golmud_cli.core.model import Settings


class RichAsker:
    """The interview's terminal side (services/interview.py's `Asker`)."""

    def __init__(self) -> None:
        self.out = console()

    def say(self, text: str, style: str = "") -> None:
        if not text:
            self.out.print()
            return
        shown = escape(text)
        self.out.print(f"[{style}]{shown}[/]" if style else shown)

    def input(self, prompt: str) -> str:
        return self.out.input(f"[bold]{escape(prompt)}[/bold]")


def created(
    *, project: str, rel: str, folder: str, unit: Any, settings: Settings, lang: str
) -> None:
    out = console()
    out.print(
        escape(
            pick(
                lang,
                f"已新建 {rel}（阶段：草拟）和 {folder}/attachments/。",
                f"created {rel} (stage: draft) and {folder}/attachments/.",
            )
        )
    )
    if unit and settings.units and unit not in settings.units:
        out.print(
            escape(
                pick(
                    lang,
                    f"注意：gtx.yaml 的 units 中没有登记「{unit}」；推进阶段前须由管理员登记该单位的签署人。",
                    f"note: gtx.yaml lists no unit named {unit!r}; an administrator must register "
                    "its signers before the project can advance.",
                )
            )
        )
    steps = pick(
        lang,
        f"下一步：\n  1. 编辑 {rel}，按每项后面的注释填写（空着的项可以以后再填）\n"
        f"  2. 把报告、批复等文件放进 {folder}/attachments/，并在 documents 中登记\n"
        f"  3. 检查：gtx validate {project}\n"
        f'  4. 提交：git add {folder}，git commit -m "新建项目档案 {project}"',
        f"Next:\n  1. edit {rel}, following the comment beside each field (blank ones can wait)\n"
        f"  2. put reports and replies into {folder}/attachments/ and list them under documents\n"
        f"  3. check: gtx validate {project}\n"
        f'  4. commit: git add {folder}, git commit -m "New dossier {project}"',
    )
    out.print(escape(steps))
