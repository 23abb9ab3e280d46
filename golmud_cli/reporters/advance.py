"""What `gtx advance` says: the dry run's diff and plan, the done line, the notes of
an interrupted advance (docs/cli.md). The transaction itself is
services/advancing.py; this module only writes."""

from __future__ import annotations

import difflib
import sys

from golmud_cli.core.findings import Severity
from golmud_cli.core.transitions import allowed_signers, change_line, finding_lines
from golmud_cli.pipeline.gate import Done, DryRun, Plan, Said
from golmud_cli.reporters.escape import visible


def note(said: Said, lang: str) -> None:
    """A journal's verdict or a pending advance's note: on stderr, before the rest."""
    print(said.message(lang), file=sys.stderr)


def _changes(plan: Plan, lang: str) -> str:
    return "\n".join(change_line(c.code, visible(c.path), lang) for c in plan.included)


def dry_run(result: DryRun, lang: str) -> None:
    plan = result.plan
    t = plan.move
    en = lang == "en"
    out = sys.stdout
    a = plan.before.decode("utf-8", "replace").splitlines(keepends=True)
    b = plan.after.decode("utf-8", "replace").splitlines(keepends=True)
    out.writelines(difflib.unified_diff(a, b, f"a/{plan.rel}", f"b/{plan.rel}"))
    out.write("\n")
    out.write(
        f"{plan.project}: {t.source.value} → {t.target.value}, role {t.role.value}\n"
        if en
        else f"{plan.project}：{t.source.value}（{t.source.label}）→ {t.target.value}（{t.target.label}），"
        f"由 {t.role.value}（{t.role.label}）签署\n"
    )
    if plan.gate.holds:
        out.write("gate: holds\n" if en else "准入条件：满足\n")
    else:
        out.write(
            ("gate: FAILS\n" if en else "准入条件：不满足\n")
            + finding_lines(plan.gate.errors, lang)
            + "\n"
        )
    warns = [f for f in plan.gate.findings if f.severity is not Severity.error]
    if warns:
        out.write(finding_lines(warns, lang) + "\n")
    allowed = allowed_signers(result.settings, t.role, plan.dossier.unit)
    names = ", ".join(s.name for s in allowed) or "-"
    out.write(f"may sign: {names}\n" if en else f"可签署人：{names}\n")
    if plan.included:
        out.write(
            (
                "also committed and signed (--include-changes):\n"
                if en
                else "一并提交并签署（--include-changes）：\n"
            )
            + _changes(plan, lang)
            + "\n"
        )
    out.write("dry run: nothing written.\n" if en else "试运行：未写入任何内容。\n")
    out.flush()
    for e in result.failures:  # as the real run would say each (on stderr)
        prefix = "the real run would stop: " if en else "实际运行将在此停止："
        print(prefix + e.message(lang), file=sys.stderr)


def done(result: Done, lang: str) -> None:
    plan, t, sha = result.plan, result.plan.move, result.committed.sha
    warns = [f for f in plan.gate.findings if f.severity is not Severity.error]
    if warns:
        sys.stdout.write(finding_lines(warns, lang) + "\n")
    if not result.committed.index_synced:
        folder = result.folder
        sys.stderr.write(
            f"注意：提交已完成，但另一个 git 进程占用了暂存区，暂存区仍是旧文件：等它结束后运行 git reset -q -- {folder}\n"
            if lang != "en"
            else f"note: the commit is made, but another git held the index, which still has the old "
            f"file: once it is done, run git reset -q -- {folder}\n"
        )
    if lang == "en":
        sys.stdout.write(
            f"committed {sha[:10]}: {plan.project} {t.source.value} → {t.target.value} "
            f"(role {t.role.value}, signed by {result.signer})\n"
        )
    else:
        sys.stdout.write(
            f"已提交 {sha[:10]}：{plan.project} {t.source.value}（{t.source.label}）→ "
            f"{t.target.value}（{t.target.label}），{t.role.label}，签署人 {result.signer}\n"
        )
