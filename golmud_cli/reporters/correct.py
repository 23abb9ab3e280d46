"""What `gtx correct` says: the warnings the corrected dossier still has, and the done
line (docs/cli.md). The transaction is services/correcting.py; this module only writes."""

from __future__ import annotations

import sys

from golmud_cli.core.corrections import Made
from golmud_cli.core.lifecycle import Role, Stage
from golmud_cli.core.transitions import finding_lines


def done(made: Made, lang: str) -> None:
    if made.warnings:
        sys.stdout.write(finding_lines(made.warnings, lang) + "\n")
    if not made.index_synced:
        sys.stderr.write(
            f"注意：提交已完成，但另一个 git 进程占用了暂存区，暂存区仍是旧文件：等它结束后运行 git reset -q -- {made.folder}\n"
            if lang != "en"
            else f"note: the commit is made, but another git held the index, which still has the "
            f"old file: once it is done, run git reset -q -- {made.folder}\n"
        )
    sha, role = made.commit[:10], Role(made.role)
    if lang == "en":
        sys.stdout.write(
            f"committed {sha}: {made.project} history entry {made.entry} ({made.stage}) "
            f"corrected {made.was} → {made.date} (role {role.value}, signed by {made.signer})\n"
        )
    else:
        stage = Stage(made.stage)
        sys.stdout.write(
            f"已提交 {sha}：{made.project} 第 {made.entry} 项流转记录（{stage.value} {stage.label}）"
            f"的日期更正为 {made.date}（原为 {made.was}），{role.label}，签署人 {made.signer}\n"
        )
