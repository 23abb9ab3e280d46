"""`gtx correct ID ENTRY --date D --reason TEXT` as a transaction (docs/lifecycle.md,
Corrections): append a signed correction of the date of one recorded act, never
editing the history itself (docs/security.md: history is append-only on every path).

The parts are advance's (services/advancing.py): the lock and the journal, the git
checks, the signer of the act's role, the crash-safe write and the signed commit.
Only the plan is this module's own. Every refusal changes nothing: Refused (exit 1:
the correction breaks a rule), UsageError (exit 2: options, git state, the key).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from golmud_cli.core.corrections import Made, Preview
from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.transitions import allowed_signers, finding_lines
from golmud_cli.edges import git as gitops
from golmud_cli.edges import journal, yamledit
from golmud_cli.edges import repo as repo_mod
from golmud_cli.errors import Refused, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.check import check_bytes
from golmud_cli.services import advancing
from golmud_cli.services.advancing import Escape, Notify

TRAILER = "Gtx-Correction"


@dataclass(frozen=True, slots=True)
class Request:
    """The options of one `gtx correct`."""

    repo: Path | None
    project: str
    entry: int  # 1-based, as gtx show numbers history
    date: dt.date
    reason: str
    as_of: dt.date | None


@dataclass(frozen=True, slots=True)
class _Plan:
    signed: advancing.Signed
    stage: str
    was: dt.date
    warnings: list[Finding]


def correct(req: Request, notify: Notify, visible: Escape) -> Made:
    """Lock, recover, check, write, commit signed by the role that signed the act."""
    r = workspace.open_repo(req.repo, no_links=True)
    pid = r.resolve_target(req.project)
    today = req.as_of or dt.date.today()
    advancing.settings_usable(r)
    w = gitops.work(r.root)
    try:
        with journal.advance_lock(w):
            advancing.recover(w, notify)
            advancing.git_ready(w, advancing.folder_of(w, pid))
            plan = _plan(r, pid, req, today)
            advancing.included(w, pid, False, visible)  # the signer signs this edit only
            signer = advancing.signer_ready(w, r.settings, plan.signed.act, visible)
            done = advancing.write_and_commit(w, plan.signed)
    except gitops.DiskFull as e:  # write_and_commit has put everything back
        raise advancing.disk_error(e.detail or "ENOSPC") from None
    except OSError as e:
        raise advancing.disk_error(e) from None
    act = plan.signed.act
    return Made(
        pid,
        req.entry,
        plan.stage,
        plan.was,
        req.date,
        act.role.value,
        done.sha,
        signer,
        f"{repo_mod.DOSSIERS_DIR}/{pid}",
        done.index_synced,
        plan.warnings,
    )


def preview(req: Request) -> Preview:
    """The plan of the real run, and who may sign it, without the lock or git's checks;
    a refusal of the plan is raised as the real run would raise it."""
    r = workspace.open_repo(req.repo, no_links=True)
    pid = r.resolve_target(req.project)
    plan = _plan(r, pid, req, req.as_of or dt.date.today())
    s, act = plan.signed, plan.signed.act
    names = [
        x.name for x in allowed_signers(r.settings, act.role, act.unit) if x.valid_on(act.when)
    ]
    return Preview(
        act.rel,
        s.before,
        s.after,
        req.entry,
        plan.stage,
        plan.was,
        req.date,
        act.role.value,
        names,
        plan.warnings,
    )


def _plan(r: repo_mod.Repository, pid: str, req: Request, today: dt.date) -> _Plan:
    cur = advancing.read_current(r, pid, today, ("更正", "correction"))
    written = cur.result.recorded or cur.dossier  # the history as signed, uncorrected
    n, count = req.entry, len(written.history)
    if not 1 <= n <= count:
        span = f"1–{count}" if count else "-"
        raise UsageError(
            f"{pid} 的流转记录共 {count} 项（{span}），没有第 {n} 项：请用 gtx show {pid} 查看序号。",
            f"{pid} has {count} history entries ({span}), so there is no entry {n}: gtx show "
            f"{pid} numbers them.",
        )
    entry = written.history[n - 1]
    was = cur.dossier.history[n - 1].date  # in force now (an earlier correction counts)
    if req.date == was:
        raise UsageError(
            f"第 {n} 项流转记录（{entry.stage.value}）的日期已是 {was}：无需更正。",
            f"history entry {n} ({entry.stage.value}) is already dated {was}: nothing to correct.",
        )
    reason = req.reason.strip()
    if not reason:
        raise UsageError(
            "请用 --reason 写明更正理由，如 --reason 批复日期误录为登记日期。",
            "give the reason with --reason, e.g. --reason 'the approval date was entered as the "
            "day of entry'.",
        )
    c = yamledit.Correction(n, req.date.isoformat(), today.isoformat(), entry.role.value, reason)
    after = advancing.edited(cur.before, cur.rel, lambda text: yamledit.correction_text(text, c))
    new = check_bytes(after, **cur.alike)
    _refuse_new_errors(pid, n, cur.result.findings, new.findings)
    stage = entry.stage.value
    act = advancing.Act(
        pid,
        cur.rel,
        entry.role,
        written.unit,
        today,  # the correction is the act signed today; its key must be valid today
        f"更正第 {n} 项流转记录（{stage}）的日期",
        f"correcting the date of history entry {n} ({stage})",
        "更正",
        "correction",
    )
    words = f"{n} {was} -> {req.date}"
    message = (
        f"{pid}: correct the date of history entry {n} ({stage}): {was} -> {req.date}\n\n"
        f"{reason}\n\n"
        f"Gtx-Project: {pid}\n{TRAILER}: {words}\nGtx-Role: {entry.role.value}\n"
    )
    signed = advancing.Signed(
        act, cur.path, cur.before, after, new.dossier or cur.dossier, words, TRAILER, message, []
    )
    warnings = [f for f in new.findings if f.severity is Severity.warning]
    return _Plan(signed, stage, was, warnings)


def _refuse_new_errors(pid: str, n: int, before: list[Finding], after: list[Finding]) -> None:
    """A correction may leave errors it did not make (it is often the fix), but it may
    not add one: the corrected date must keep every rule that held (the gates and
    deadlines the act met are judged again on the corrected date)."""
    had = {(f.code, f.path) for f in before if f.severity is Severity.error}
    new = [f for f in after if f.severity is Severity.error and (f.code, f.path) not in had]
    if new:
        raise Refused(
            f"{pid}：更正第 {n} 项流转记录的日期会带来以下 {len(new)} 项错误：\n"
            f"{finding_lines(new, 'zh')}\n未做任何修改。",
            f"{pid}: correcting the date of history entry {n} would bring {len(new)} "
            f"error(s):\n{finding_lines(new, 'en')}\nNothing was changed.",
        )
