"""What `gtx correct` says: the warnings the corrected dossier still has, and the done
line (docs/cli.md). The transaction is services/correcting.py; this module only writes."""

from __future__ import annotations

import difflib
import sys

from golmud_cli.core.corrections import Made, Preview
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


def dry_run(p: Preview, lang: str) -> None:
    a = p.before.decode("utf-8", "replace").splitlines(keepends=True)
    b = p.after.decode("utf-8", "replace").splitlines(keepends=True)
    out = sys.stdout
    out.writelines(difflib.unified_diff(a, b, f"a/{p.rel}", f"b/{p.rel}"))
    out.write("\n")
    if p.warnings:
        out.write(finding_lines(p.warnings, lang) + "\n")
    role, names = Role(p.role), ", ".join(p.signers) or "-"
    if lang == "en":
        out.write(
            f"history entry {p.entry} ({p.stage}): {p.was} → {p.date}, signed as {role.value}\n"
            f"may sign: {names}\ndry run: nothing written.\n"
        )
    else:
        out.write(
            f"第 {p.entry} 项流转记录（{p.stage}）：{p.was} → {p.date}，由 {role.value}（{role.label}）签署\n"
            f"可签署人：{names}\n试运行：未写入任何内容。\n"
        )
