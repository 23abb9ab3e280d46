"""`gtx advance ID STAGE` as a transaction (docs/lifecycle.md, Stages and Gates):
check the gate, append the history entry, make one signed commit of the dossier's
folder. The command (commands/advance.py) gives the options, reporters/advance.py
says what happened; nothing here prints.

Every refusal changes nothing: the checks run before the file is written, the
commit is staged in a copy of the index, and a failed commit puts the original
file back. Refusals are GtxError subclasses: Refused (exit 1: the gate or the
transition says no), UsageError (exit 2: anything the user must set up first: git
state, the signing key, options).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Severity
from golmud_cli.core.lifecycle import Role, Stage, next_stages, position, transition
from golmud_cli.core.rules import FileStatus
from golmud_cli.core.transitions import (
    Holder,
    allowed_signers,
    change_line,
    finding_lines,
    holders,
    illegal_message,
    resolve_target,
    validity_span,
)
from golmud_cli.core.values import DocKind
from golmud_cli.edges import git as gitops
from golmud_cli.edges import journal, yamledit
from golmud_cli.edges import repo as repo_mod
from golmud_cli.edges.fs import atomic_write
from golmud_cli.errors import EXIT_OK, GtxError, Refused, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.check import Result, check_bytes
from golmud_cli.pipeline.gate import Done, DryRun, Plan, Said, gate

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Settings, Signer

BOM = b"\xef\xbb\xbf"
TRAILERS = ("Gtx-Project", "Gtx-Transition", "Gtx-Role")

# Text from the repository (a path, a unit) made safe to show: the reporters' escaping
# (reporters/escape.py), handed in by the command, since a service imports no reporter.
Escape = Callable[[str], str]

# How a note reaches the user while the transaction goes on (a recovered journal is
# said before the checks, and stays said if a check then refuses).
Notify = Callable[[Said], None]


@dataclass(frozen=True, slots=True)
class Act:
    """The act a signed commit records, as the signer checks word it: an advance's
    transition, or a correction of an act's date (services/correcting.py)."""

    project: str
    rel: str
    role: Role
    unit: str
    when: dt.date  # the day the signer's key must be valid on
    zh: str  # "进入 filed"
    en: str  # "entering filed"
    noun_zh: str = "流转"
    noun_en: str = "act"


@dataclass(frozen=True, slots=True)
class Signed:
    """One signed commit of a dossier's project.yaml (and the changes shown with it)."""

    act: Act
    file: Path
    before: bytes
    after: bytes
    dossier: Dossier  # its attachments must be in the commit
    words: str  # the journal's and the trailer's: "approved -> filed"
    trailer: str  # "Gtx-Transition"
    message: str
    included: list[gitops.Change]


def act_of(plan: Plan) -> Act:
    t = plan.move.target.value
    return Act(
        plan.project,
        plan.rel,
        plan.move.role,
        plan.dossier.unit,
        plan.when,
        f"进入 {t}",
        f"entering {t}",
    )


@dataclass(frozen=True, slots=True)
class Request:
    """The options of one `gtx advance`."""

    repo: Path | None
    project: str
    stage: str
    date: dt.date | None
    refs: list[str]
    note: str | None
    as_of: dt.date | None
    include_changes: bool = False
    # the whole work tree's status, started before the imports (commands/advance.py)
    ahead: gitops.StatusAhead | None = None


def change_list(changes: list[gitops.Change], lang: str, visible: Escape) -> str:
    return "\n".join(change_line(c.code, visible(c.path), lang) for c in changes)


def advance(req: Request, notify: Notify, visible: Escape) -> Done:
    """The real run: lock, recover, check, write, commit signed."""
    r = workspace.open_repo(req.repo, no_links=True)
    pid = r.resolve_target(req.project)
    today = req.as_of or dt.date.today()
    settings_usable(r)
    w = gitops.work(r.root)
    try:
        with journal.advance_lock(w):
            recover(w, notify)
            git_ready(w, folder_of(w, pid), req.ahead)
            # the folder's status runs while the dossier is checked (docs/benchmarks.md)
            folder = gitops.FolderChanges(w, folder_of(w, pid))
            try:
                plan = _plan(r, pid, req.stage, req.date or today, req.refs, req.note, today)
                plan.included = included(w, plan.project, req.include_changes, visible, folder)
            finally:
                folder.close()
            if not plan.gate.holds:
                raise _gate_refusal(plan)
            signer = signer_ready(w, r.settings, act_of(plan), visible)
            done = write_and_commit(w, _signed(plan, visible))
    except gitops.DiskFull as e:  # write_and_commit has put everything back
        raise disk_error(e.detail or "ENOSPC") from None
    except OSError as e:
        raise disk_error(e) from None
    return Done(plan, done, signer, f"{repo_mod.DOSSIERS_DIR}/{plan.project}")


def dry_run(req: Request, notify: Notify, visible: Escape) -> DryRun:
    """Every check of the real run, in its order, without writing: each failure is
    kept as the real run would raise it, and the exit code is the one the real run
    would end with (its first failure's)."""
    r = workspace.open_repo(req.repo, no_links=True)
    pid = r.resolve_target(req.project)
    today = req.as_of or dt.date.today()
    left = journal.pending(r.root)
    if left is not None:
        notify(journal.note(*left))
    plan = _plan(r, pid, req.stage, req.date or today, req.refs, req.note, today)
    failures: list[GtxError] = []

    def attempt(check: Callable[[], object]) -> bool:
        try:
            check()
        except GtxError as e:
            failures.append(e)
            return False
        return True

    attempt(lambda: settings_usable(r))
    w: gitops.Work | None = None
    try:
        w = gitops.work(r.root)
    except GtxError as e:
        failures.append(e)
    if w is not None:
        work = w
        held = journal.lock_held(work)
        if held is not None:
            failures.append(journal.lock_refusal(held))
        attempt(lambda: git_ready(work, folder_of(work, pid), req.ahead))

        def take_included() -> None:
            plan.included = included(work, plan.project, req.include_changes, visible)

        attempt(take_included)
    gate_refusal = None if plan.gate.holds else _gate_refusal(plan)
    if gate_refusal is not None:  # shown on stdout with the plan; not said twice
        failures.append(gate_refusal)
    if w is not None:
        work = w
        attempt(lambda: signer_ready(work, r.settings, act_of(plan), visible))
    code = failures[0].exit_code if failures else EXIT_OK
    return DryRun(plan, r.settings, [f for f in failures if f is not gate_refusal], code)


def folder_of(w: gitops.Work, pid: str) -> str:
    return w.prefix + f"{repo_mod.DOSSIERS_DIR}/{pid}/"


def recover(w: gitops.Work, notify: Notify) -> None:
    """An advance that was stopped half way (its journal is still there) is rolled
    back, or its commit's bookkeeping finished, before anything else; when gtx cannot
    tell what happened since, it says what to run and goes no further."""
    entry = journal.read(w.git_dir)
    if entry is None:
        return
    verdict = journal.recover(w, entry)
    if verdict.kind == "manual":
        raise UsageError(verdict.zh, verdict.en)
    notify(verdict)


# --- the plan -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Current:
    """A dossier as it stands before a signed edit, read and checked."""

    path: Path
    rel: str
    before: bytes
    stat: Callable[[str], FileStatus]
    result: Result
    dossier: Dossier  # with its effective history
    # how it was checked (file, folder, settings, today, stat, digest, calendar): the
    # edited bytes are checked the same way
    alike: dict[str, Any]


def read_current(
    r: repo_mod.Repository, pid: str, today: dt.date, what: tuple[str, str]
) -> Current:
    """project.yaml read (the one read path) and checked; a refusal when it is no dossier
    (`what`: the act that cannot then be judged, zh and en)."""
    path = r.project_file(pid)
    rel = r.rel(path)
    try:
        # the one read path (repo.read_limited): a pipe, a device or a link is refused
        # at once, never waited on with the lock held (docs/robustness.md)
        before = repo_mod.read_limited(path)
    except OSError as e:
        zh = getattr(e, "zh", None) or e.strerror or type(e).__name__
        en = getattr(e, "en", None) or e.strerror or type(e).__name__
        raise UsageError(
            f"无法读取 {rel}：{zh}。未做任何修改。",
            f"cannot read {rel}: {en}. Nothing was changed.",
        ) from None
    # the dossier as it stands and as the transition leaves it, checked alike
    alike: dict[str, Any] = {
        "file": rel,
        "folder": pid,
        "settings": r.settings,
        "today": today,
        "stat": repo_mod.stat_in(r.project_dir(pid)),
        "digest": repo_mod.digest_in(r.project_dir(pid)),  # F003: a swapped signed file blocks
        "calendar": r.calendar,
        # the model the fast way where it can (core/fastmodel.py: the same values; the
        # plan only reads them), so that advancing a valid dossier imports no pydantic
        "fast_model": True,
    }
    current = check_bytes(before, **alike)
    if current.dossier is None:
        raise Refused(
            f"{rel} 不能读取为项目档案，无法判断{what[0]}：\n{finding_lines(current.findings, 'zh')}",
            f"{rel} cannot be read as a dossier, so no {what[1]} can be judged:\n"
            f"{finding_lines(current.findings, 'en')}",
        )
    return Current(path, rel, before, alike["stat"], current, current.dossier, alike)


def edited(before: bytes, rel: str, edit: Callable[[str], str]) -> bytes:
    """`before` edited as text, its BOM kept; a refusal when the edit cannot keep the layout."""
    bom = before.startswith(BOM)
    try:
        text = before[3 if bom else 0 :].decode("utf-8")
        return (BOM if bom else b"") + edit(text).encode("utf-8")
    except (UnicodeDecodeError, yamledit.EditError) as e:
        raise UsageError(
            f"无法在保留格式的前提下修改 {rel}（{e}）：请检查文件后重试，或用 gtx validate 查看问题。",
            f"cannot edit {rel} while keeping its layout ({e}): check the file, or run gtx validate.",
        ) from None


def _plan(
    r: repo_mod.Repository,
    pid: str,
    stage_word: str,
    when: dt.date,
    refs: list[str],
    note: str | None,
    today: dt.date,
) -> Plan:
    cur = read_current(r, pid, today, ("阶段流转", "transition"))
    path, rel, before, d = cur.path, cur.rel, cur.before, cur.dossier
    source, resume_to = position(d.stages)
    target = resolve_target(stage_word, source, resume_to)
    if target is None and stage_word.strip().lower() == "resume":
        raise Refused(
            f"{pid} 当前为 {source.value}（{source.label}），没有暂停，无需恢复。",
            f"{pid} stands at {source.value}, not suspended: there is nothing to resume.",
        )
    if target is None:
        names = ", ".join(s.value for s in Stage)
        raise UsageError(
            f"未知的阶段 {stage_word}：可用 {names}，或 suspend / resume / terminate。",
            f"unknown stage {stage_word}: use one of {names}, or suspend / resume / terminate.",
        )
    move = transition(source, target, resume_to)
    if move is None:
        allowed = ", ".join(s.value for s in next_stages(source, resume_to)) or "-"
        raise Refused(
            f"{pid}：{illegal_message(source, target, resume_to, 'zh')}。当前阶段 {source.value}"
            f"（{source.label}），合法的下一阶段：{allowed}。",
            f"{pid}: {illegal_message(source, target, resume_to, 'en')}. It stands at "
            f"{source.value}; legal next stages: {allowed}.",
        )
    kinds = _check_refs(refs, d)
    entry = yamledit.NewHistoryEntry(
        target.value, when.isoformat(), move.role.value, kinds, note or None
    )
    labels = yamledit.Labels(source.label, target.label, move.role.label)
    after = edited(before, rel, lambda text: yamledit.advance_text(text, entry, labels))
    g = gate(after, **cur.alike)
    return Plan(pid, path, rel, before, after, d, move, g, when, note)


def _check_refs(refs: list[str], d: Dossier) -> list[str]:
    kinds: list[str] = []
    for ref in refs:
        try:
            kind = DocKind(ref.strip())
        except ValueError:
            names = ", ".join(k.value for k in DocKind)
            raise UsageError(
                f"--ref {ref} 不是文件类别：可用 {names}。",
                f"--ref {ref} is not a document kind: use one of {names}.",
            ) from None
        if d.documents.get(kind.value) is None:
            raise UsageError(
                f"--ref {kind.value}（{kind.label}）：documents 中没有这份文件。请先在 project.yaml 的 "
                f"documents 下登记它（含 file），再推进阶段。",
                f"--ref {kind.value} ({kind.label}): documents has no such record. Record it under "
                "documents in project.yaml (with its file) first.",
            )
        if kind.value not in kinds:
            kinds.append(kind.value)
    return kinds


def _gate_refusal(plan: Plan) -> Refused:
    t, errs = plan.move, plan.gate.errors
    return Refused(
        f"{plan.project} 不能进入 {t.target.value}（{t.target.label}）：以下 {len(errs)} 项规则未满足"
        f"（进入一个阶段时整份档案不得有错误）：\n{finding_lines(errs, 'zh')}\n未做任何修改。",
        f"{plan.project} cannot enter {t.target.value}: {len(errs)} rule(s) fail (entering a "
        f"stage needs a dossier without errors):\n{finding_lines(errs, 'en')}\nNothing was changed.",
    )


# --- git ---------------------------------------------------------------------


def settings_usable(r: repo_mod.Repository) -> None:
    errs = [f for f in r.settings_findings if f.severity is Severity.error]
    if errs:
        raise UsageError(
            f"gtx.yaml 有错误，无法确定签署人：\n{finding_lines(errs, 'zh')}",
            f"gtx.yaml has errors, so its signers cannot be read:\n{finding_lines(errs, 'en')}",
        )


def git_ready(w: gitops.Work, folder: str, ahead: gitops.StatusAhead | None = None) -> None:
    op = gitops.operation_in_progress(w)
    if op is not None:
        raise UsageError(
            f"仓库中有未完成的 git {op}：请先完成或放弃它（git {op} --continue 或 --abort），再推进阶段。",
            f"a git {op} is in progress: finish or abort it (git {op} --continue or --abort) "
            "before a transition.",
        )
    if gitops.index_locked(w):
        raise UsageError(
            "另一个 git 进程正在使用暂存区（.git/index.lock 存在）：请等它结束后再试。"
            "如果确认没有 git 在运行（例如上次被强行中止），删除 .git/index.lock 后重试。未做任何修改。",
            "another git process is using the index (.git/index.lock exists): wait for it to "
            "finish and try again. If no git is running (say one was killed), delete "
            ".git/index.lock and retry. Nothing was changed.",
        )
    if gitops.branch(w) is None:
        raise UsageError(
            "当前处于分离的 HEAD（detached HEAD），提交将不属于任何分支：请先 git switch <分支名>。",
            "HEAD is detached, so the commit would belong to no branch: git switch <branch> first.",
        )
    early = ahead.paths(w) if ahead is not None else None
    outside = _outside(early if early is not None else gitops.changed_paths(w), folder)
    if outside and early is not None:
        # the early answer ran before the lock: an advance that was finishing then (its
        # own folder written, the index not yet following) is no change of the user's;
        # a refusal rests on git's answer now
        outside = _outside(gitops.changed_paths(w), folder)
    if outside:
        shown = "\n".join(f"  {p}" for p in outside[:10]) + ("\n  ..." if len(outside) > 10 else "")
        raise UsageError(
            f"{folder} 之外有未提交的修改（已暂存或未暂存）：流转提交只能包含这一个项目的文件夹。"
            f"请先提交或撤销这些修改：\n{shown}",
            f"there are uncommitted changes (staged or not) outside {folder}: a transition "
            f"commit holds that project's folder only. Commit or undo them first:\n{shown}",
        )


def _outside(paths: list[str], folder: str) -> list[str]:
    return sorted({p for p in paths if not p.startswith(folder)})


def included(
    w: gitops.Work,
    pid: str,
    include: bool,
    visible: Escape,
    started: gitops.FolderChanges | None = None,
) -> list[gitops.Change]:
    """The folder's uncommitted changes (staged, unstaged, untracked; project.yaml's
    own edits too), which the signed commit would carry. A signer signs exactly what
    was shown (docs/security.md, What a signer signs): without --include-changes any
    such change is refused, with it each one is listed in the dry run and the commit
    message."""
    changes = (
        started.changes() if started is not None else gitops.folder_changes(w, folder_of(w, pid))
    )
    if changes and not include:
        raise UsageError(
            f"dossiers/{pid}/ 中有未提交的修改，签名提交只应包含本次流转的修改，"
            f"签署人才能签其所见：\n{change_list(changes, 'zh', visible)}\n"
            "请先由修改人提交这些修改（git add、git commit），或确认要一并签署时加上 "
            "--include-changes（先用 --dry-run 查看）。未做任何修改。",
            f"dossiers/{pid}/ holds uncommitted changes, and a signed transition "
            f"commit should hold its own edit only, so that the signer signs what was "
            f"shown:\n{change_list(changes, 'en', visible)}\n"
            "Have whoever made them commit them first (git add, git commit), or pass "
            "--include-changes to sign them too (see them with --dry-run first). "
            "Nothing was changed.",
        )
    return changes


def signer_ready(w: gitops.Work, settings: Settings, act: Act, visible: Escape) -> str:
    """The name gtx.yaml gives the configured signing key for this act; or a refusal
    that says what to configure. A key counts only on the days gtx.yaml gives it
    (`from`/`until`, judged on the act's date), as verify judges it."""
    role, unit = act.role, act.unit
    if role is Role.unit and settings.units and unit not in settings.units:
        raise _unknown_unit(settings, act, visible)
    allowed = allowed_signers(settings, role, unit)
    setup = gitops.signing_setup(w)

    def is_mine(key: str) -> bool:
        kid = gitops.ssh_key_id(key)
        if setup.public_key and kid == setup.public_key:
            return True
        fpr = gitops.pgp_fingerprint(key)
        return bool(fpr and any(f.endswith(fpr) for f in setup.fingerprints))

    if setup.problem is None:
        mine = [s for s in allowed if is_mine(s.key)]
        for s in mine:
            if s.valid_on(act.when):
                return s.name
        if mine:
            raise _out_of_validity(mine[0], act)
        held = holders(settings, is_mine)
        if held:  # registered, for another role or unit: not "add yourself here"
            raise _wrong_holder(held, act)
    raise signing_help(setup, act)


def _out_of_validity(s: Signer, act: Act) -> UsageError:
    span = validity_span(s.valid_from, s.until)
    return UsageError(
        f"{act.project} {act.zh}：签署人 {s.name} 的密钥在 gtx.yaml 中的有效期为 {span}，"
        f"而这次{act.noun_zh}的日期是 {act.when}：密钥在该日期不算数，不能签署这一行为。"
        "请改用在该日期有效的签署人密钥，或核对 --date。未做任何修改。",
        f"{act.project} {act.en}: the key of {s.name} is valid {span} in gtx.yaml, "
        f"but the {act.noun_en} is dated {act.when}: the key does not count on that date, so it "
        "cannot sign this act. Sign with a key valid on that date, or check --date. "
        "Nothing was changed.",
    )


def _needed(role: Role, unit: str, lang: str) -> str:
    if role is Role.unit:
        return f"建设单位 {unit} 的签署人" if lang != "en" else f"a signer of the unit {unit}"
    return (
        f"{role.value}（{role.label}）的签署人"
        if lang != "en"
        else f"a signer of the role {role.value} ({role.label_in('en')})"
    )


def _wrong_holder(held: list[Holder], act: Act) -> UsageError:
    role, unit = act.role, act.unit
    zh_who = "、".join(h.describe("zh") for h in held)
    en_who = "; ".join(h.describe("en") for h in held)
    return UsageError(
        f"{act.project} {act.zh} 须由{_needed(role, unit, 'zh')}签名；配置的签名密钥在 gtx.yaml "
        f"中登记为：{zh_who}，不能签署这一行为。请由该角色的签署人用其本人的密钥执行"
        "（git config user.signingkey 指向其公钥）。未做任何修改。",
        f"{act.project} {act.en} must be signed by {_needed(role, unit, 'en')}; the "
        f"configured signing key is registered in gtx.yaml as: {en_who}, which cannot sign "
        "this act. Have a signer of that role run it with their own key (git config "
        "user.signingkey naming their public key). Nothing was changed.",
    )


def _unknown_unit(settings: Settings, act: Act, visible: Escape) -> UsageError:
    unit = act.unit
    close = difflib.get_close_matches(unit, list(settings.units), n=3, cutoff=0.5)
    shown = visible(unit)
    hint_zh = f"是否应为：{'、'.join(close)}？" if close else ""
    hint_en = f"Did you mean: {', '.join(close)}? " if close else ""
    return UsageError(
        f"{act.rel} 的 unit 为“{shown}”，gtx.yaml 的 units 中没有这个建设单位，无法确定谁可签署。"
        f"{hint_zh}请改正 project.yaml 的 unit（或请管理员在 gtx.yaml 的 units 下登记该单位）。"
        "未做任何修改。",
        f"{act.rel} names the unit '{shown}', which gtx.yaml lists nowhere under units, so "
        f"no one can sign for it. {hint_en}Correct unit in project.yaml (or have the "
        "maintainer add the unit under units in gtx.yaml). Nothing was changed.",
    )


def _where(role: Role, unit: str) -> tuple[str, str]:
    if role is Role.unit:
        return f"units → {unit} → signers", f"units:\n  {unit}:\n    signers:"
    return f"roles → {role.value} → signers", f"roles:\n  {role.value}:\n    signers:"


def signing_help(setup: gitops.SigningSetup, act: Act, failure: str = "") -> UsageError:
    role, unit = act.role, act.unit
    where, snippet = _where(role, unit)
    who_zh = f"{role.value}（{role.label}）" + (f"：{unit}" if role is Role.unit else "")
    who_en = f"{role.value}" + (f" ({unit})" if role is Role.unit else "")
    key_line = setup.public_key or (
        setup.fingerprints[0] if setup.fingerprints else "ssh-ed25519 AAAA..."
    )
    if failure:
        zh, en = f"签名失败，git 报告：{failure}", f"signing failed; git said: {failure}"
    elif setup.problem == "no_key":
        zh = "没有配置签名密钥（git config user.signingkey 为空）"
        en = "no signing key is configured (git config user.signingkey is empty)"
    elif setup.problem == "unreadable":
        zh = f"user.signingkey 指向的公钥无法读取：{setup.detail}"
        en = f"the key user.signingkey names cannot be read: {setup.detail}"
    elif setup.problem == "x509":
        zh, en = (
            "gpg.format 为 x509，gtx 只接受 SSH 或 OpenPGP 签名",
            "gpg.format is x509; gtx takes SSH or OpenPGP signatures",
        )
    elif setup.problem == "no_gpg":
        zh, en = (
            f"找不到 OpenPGP 程序 {setup.detail}",
            f"the OpenPGP program {setup.detail} is not installed",
        )
    elif setup.problem == "no_secret_key":
        zh = f"gpg 中没有 {setup.detail} 的私钥"
        en = f"gpg holds no secret key for {setup.detail}"
    else:
        zh = f"配置的签名密钥没有登记在 gtx.yaml 的 {where} 中（{who_zh} 的签署人）"
        en = f"the configured signing key is not listed in gtx.yaml under {where} (the signers of {who_en})"
    steps = (
        '  ssh-keygen -t ed25519 -C "you@example"        # 已有密钥可跳过 / skip if you have one\n'
        "  git config gpg.format ssh\n"
        "  git config user.signingkey ~/.ssh/id_ed25519.pub\n"
    )
    yaml = f'{snippet}\n      - name: 姓名\n        key: "{key_line}"'
    return UsageError(
        f"{act.project} {act.zh} 须由 {who_zh} 的签署人签名，但{zh}。\n"
        f"请配置 SSH 签名（复制执行）：\n{steps}"
        f"再请管理员把公钥文件（~/.ssh/id_ed25519.pub）的整行内容登记到 gtx.yaml：\n{yaml}\n"
        "未做任何修改。",
        f"{act.project} {act.en} must be signed by a signer of {who_en}, "
        f"but {en}.\nSet up SSH signing (commands to copy):\n{steps}"
        f"then have the maintainer add the whole line of ~/.ssh/id_ed25519.pub to gtx.yaml:\n{yaml}\n"
        "Nothing was changed.",
    )


def _signed(plan: Plan, visible: Escape) -> Signed:
    t = plan.move
    words = f"{t.source.value} -> {t.target.value}"
    return Signed(
        act_of(plan),
        plan.file,
        plan.before,
        plan.after,
        plan.dossier,
        words,
        TRAILERS[1],
        _message(plan, visible),
        plan.included,
    )


def _message(plan: Plan, visible: Escape) -> str:
    t = plan.move
    body = f"{plan.project}: {t.source.value} -> {t.target.value}\n\n"
    if plan.note:
        body += plan.note.strip() + "\n\n"
    if plan.included:
        body += "Included changes:\n" + change_list(plan.included, "en", visible) + "\n\n"
    return (
        body
        + f"{TRAILERS[0]}: {plan.project}\n"
        + f"{TRAILERS[1]}: {t.source.value} -> {t.target.value}\n"
        + f"{TRAILERS[2]}: {t.role.value}\n"
    )


# Test seam (tests/services/test_advance_faults.py): GTX_TEST_CRASH_AT=<step> kills this
# process with SIGKILL at that step, as `kill -9` or a power cut would. The steps:
# "journal" (journal written, file untouched), "written" (file written, not yet
# committed), "committed" (signed commit made, journal not yet removed).
CRASH_ENV = "GTX_TEST_CRASH_AT"


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def disk_error(e: OSError | str) -> UsageError:
    why = e if isinstance(e, str) else (e.strerror or type(e).__name__)
    return UsageError(
        f"无法写入（{why}）：磁盘可能已满或没有写权限。请腾出空间后重试。未做任何修改。",
        f"cannot write ({why}): the disk may be full, or not writable. Free some space and "
        "retry. Nothing was changed.",
    )


def write_and_commit(w: gitops.Work, plan: Signed) -> gitops.Committed:
    """Write the file and commit it, so that whatever stops this half way, the
    repository ends up unchanged or holding the whole signed commit: a journal and the
    original (a hard link) are kept in .git before the file is touched
    (golmud_cli/edges/journal.py); a refusal or failure here puts the file back at once, a
    kill leaves the journal for the next advance to act on."""
    pid = plan.act.project
    folder = w.prefix + f"{repo_mod.DOSSIERS_DIR}/{pid}"
    required = _attachment_paths(w, pid, plan.dossier)
    before_head = gitops.head(w)
    entry = journal.AdvanceRecord(
        pid,
        plan.file.resolve().relative_to(w.top.resolve()).as_posix(),
        before_head,
        plan.words,
        journal.blob_id(plan.before),
        journal.blob_id(plan.after),
        os.getpid(),
        plan.trailer,
    )
    try:
        journal.begin(w.git_dir, entry, plan.file)
    except OSError as e:  # a full disk: nothing is touched yet
        raise disk_error(e) from None
    _crash_point("journal")

    def undo() -> None:
        journal.restore(w.git_dir, plan.file)  # a rename: works on a full disk too
        journal.finish(w.git_dir)

    try:
        atomic_write(plan.file, plan.after)
    except OSError as e:
        undo()
        raise disk_error(e) from None
    except BaseException:  # Ctrl-C, perhaps after the rename: put the original back
        undo()
        raise
    _crash_point("written")
    try:
        own = plan.file.resolve().relative_to(w.top.resolve()).as_posix()
        paths = [own, *(c.path for c in plan.included if c.path != own)]
        done = gitops.commit_signed(w, folder, plan.message, required, paths)
    except gitops.SigningFailed as e:
        undo()
        if gitops.disk_full(e.stderr):
            raise disk_error(e.stderr.splitlines()[-1]) from None
        setup = gitops.signing_setup(w)
        raise signing_help(setup, plan.act, failure=e.stderr or "git commit -S") from None
    except gitops.NotCommitted as e:
        undo()
        listed = "\n".join(f"  {p}" for p in e.paths)
        raise UsageError(
            f".gitignore 使以下附件不能进入提交，而档案引用了它们：\n{listed}\n"
            "请调整 .gitignore（或 git add -f 这些文件）后重试。未做任何修改。",
            f".gitignore keeps these attachments out of the commit, yet the dossier refers to "
            f"them:\n{listed}\nAdjust .gitignore (or git add -f them) and retry. Nothing was changed.",
        ) from None
    except BaseException:
        if gitops.head(w) == before_head:  # not committed: put the file back
            undo()
        else:
            journal.finish(w.git_dir)
        raise
    _crash_point("committed")
    journal.finish(w.git_dir)
    return done


def _attachment_paths(w: gitops.Work, pid: str, d: Dossier) -> list[str]:
    from golmud_cli.core.rules.structure import referenced_files

    base = w.prefix + f"{repo_mod.DOSSIERS_DIR}/{pid}/"
    return [base + f.replace("\\", "/").removeprefix("./") for _, f, _ in referenced_files(d)]
