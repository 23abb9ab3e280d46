"""What `gtx init --upgrade` changed in a dossier repository."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from golmud_cli.core.wheel import Upgrade
from golmud_cli.i18n import pick
from golmud_cli.reporters import console


def report(root: Path, done: Upgrade, lang: str) -> None:
    out = console()
    if not done.written and not done.removed:
        out.print(
            pick(
                lang,
                f"{escape(str(root))} 已固定使用 {escape(done.wheel.name)}，无需更新。",
                f"{escape(str(root))} already pins {escape(done.wheel.name)}; nothing to do.",
            )
        )
    else:
        out.print(
            pick(
                lang,
                f"已换上 {escape(done.wheel.name)}（sha256 {done.wheel.sha256[:12]}…），改动已暂存：",
                f"Now pinned to {escape(done.wheel.name)} (sha256 {done.wheel.sha256[:12]}…), "
                "changes staged:",
            )
        )
        for rel in done.written:
            out.print(f"  ~ {escape(rel)}")
        for rel in done.removed:
            out.print(f"  - {escape(rel)}")
        out.print(
            pick(
                lang,
                '下一步：git commit -m "升级 gtx"，然后推送。',
                'Next: git commit -m "Upgrade gtx", then push.',
            )
        )
    for rel in done.unpinned:
        out.print(
            pick(
                lang,
                f"注意：{escape(rel)} 没有使用仓库中的 wheel 安装 gtx；请删除它后运行 gtx init --force 重新生成。",
                f"note: {escape(rel)} does not install gtx from the vendored wheel; delete it and "
                "run gtx init --force to write it again.",
            )
        )
