"""What `gtx init` wrote, and the next steps for the administrator."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.i18n import pick
from golmud_cli.reporters import console


def report(
    root: Path, created: list[str], skipped: list[str], *, committed: bool, here: bool, lang: str
) -> None:
    from rich.markup import escape

    out = console()
    if created:
        out.print(
            pick(
                lang,
                f"已在 {escape(str(root))} 新建档案仓库，写入：",
                f"Created a dossier repository in {escape(str(root))}:",
            )
        )
        for rel in created:
            out.print(f"  + {escape(rel)}")
    else:
        out.print(
            pick(
                lang,
                f"{escape(str(root))} 中各文件都已存在，没有写入任何文件。",
                f"every file already exists in {escape(str(root))}; nothing was written.",
            )
        )
    if skipped:
        out.print(pick(lang, "已存在、未改动：", "Already there, left unchanged:"))
        for rel in skipped:
            out.print(f"  = {escape(rel)}")
    if not created:
        return
    out.print()
    steps_zh = ["下一步："]
    steps_en = ["Next:"]
    n = 1
    if not here:
        steps_zh.append(f"  {n}. cd {root}")
        steps_en.append(f"  {n}. cd {root}")
        n += 1
    steps_zh.append(f"  {n}. 在 gtx.yaml 中登记各角色和建设单位的签署人公钥（文件开头有说明）")
    steps_en.append(
        f"  {n}. register the signers' public keys of each role and unit in gtx.yaml (see its head)"
    )
    n += 1
    if committed:
        steps_zh.append(
            f'  {n}. 已做初始提交；登记签署人后：git add gtx.yaml 再 git commit -m "登记签署人"'
        )
        steps_en.append(
            f"  {n}. the initial commit is made; after registering signers: git add gtx.yaml, then "
            'git commit -m "Register signers"'
        )
    else:
        steps_zh.append(
            f'  {n}. 提交：git add -A 再 git commit -m "新建档案库"（文件已暂存，尚未提交）'
        )
        steps_en.append(
            f'  {n}. commit: git add -A, then git commit -m "New dossier repository" '
            "(the files are staged, not committed)"
        )
    n += 1
    steps_zh.append(
        f"  {n}. 关联服务器并推送：git remote add origin <仓库地址>，git push -u origin main"
    )
    steps_en.append(
        f"  {n}. connect the server and push: git remote add origin <URL>, git push -u origin main"
    )
    n += 1
    steps_zh.append(f"  {n}. 新建第一个项目：gtx new 2025-smart-parking --interactive")
    steps_en.append(f"  {n}. create the first project: gtx new 2025-smart-parking --interactive")
    for line in steps_en if lang == "en" else steps_zh:
        out.print(escape(line))
