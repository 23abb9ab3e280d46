"""`gtx verify [RANGE]`: every stage transition in a range of commits is signed by a
key that gtx.yaml lists for the role the transition needs, is legal, stands alone
in its commit, appends to history without rewriting it, and passed its gate at
that commit (docs/lifecycle.md; docs/cli.md).

Trust comes only from the range's base: gtx.yaml is read there, never from the
commits under review, and signatures are checked against an allowed-signers file
built from it. Two `git log` calls cover the whole range (files, then signatures
of the commits that matter); one `cat-file --batch` process reads every version.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from golmud_cli import gitops, loader, schema_check
from golmud_cli import repo as repo_mod
from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.findings import Severity
from golmud_cli.i18n import pick
from golmud_cli.lifecycle import ENTERED_BY, Role, Stage, transition
from golmud_cli.model import Settings
from golmud_cli.rules import FileStatus
from golmud_cli.transitions import (
    Holder,
    allowed_signers,
    compare_history,
    entry_stage,
    gate,
    holders,
    illegal_message,
)

FORMATS = ("text", "json")
DEFAULT_BASES = ("main", "origin/main")


@dataclass(slots=True)
class Verdict:
    """One transition (or one change to a dossier's stage or history) under review."""

    commit: str
    project: str
    source: str | None
    target: str | None
    role: str | None
    signer: str | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, zh: str, en: str) -> None:
        self.problems.append((zh, en))

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "project": self.project,
            "from": self.source,
            "to": self.target,
            "role": self.role,
            "signer": self.signer,
            "ok": self.ok,
            "problems": [pick(lang, zh, en) for zh, en in self.problems],
        }


@dataclass(frozen=True, slots=True)
class Range:
    base: str
    tip: str
    spec: str


def run(*, repo: Path | None, rev_range: str | None, fmt: str, lang: str) -> int:
    if fmt not in FORMATS:
        raise UsageError(
            f"--format 只能是 {' / '.join(FORMATS)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(FORMATS)}, not {fmt}.",
        )
    r = repo_mod.open_repo(repo)
    w = gitops.work(r.root)
    rng = resolve_range(w, rev_range)
    verdicts = verify(w, rng)
    report(verdicts, rng, fmt, lang)
    return EXIT_OK if all(v.ok for v in verdicts) else EXIT_FINDINGS


def resolve_range(w: gitops.Work, spec: str | None) -> Range:
    if gitops.head(w) is None:
        raise UsageError(
            "仓库还没有任何提交，无可验证。",
            "the repository has no commits yet: nothing to verify.",
        )
    if spec is None:
        candidates = [c for c in (gitops.upstream(w), *DEFAULT_BASES) if c]
        for c in candidates:
            base = gitops.merge_base(w, c, "HEAD") if gitops.rev(w, c) else None
            if base:
                return Range(base, gitops.rev(w, "HEAD") or "HEAD", f"{c}...HEAD")
        raise UsageError(
            "找不到比较的基准（没有上游分支，也没有 main）：请指定范围，例如 gtx verify origin/main..HEAD。",
            "no base to compare with (no upstream branch and no main): name a range, e.g. "
            "gtx verify origin/main..HEAD.",
        )
    if "..." in spec:
        raise UsageError(
            "请用 A..B 形式的范围（不支持 A...B）。",
            "use a range of the form A..B (A...B is not supported).",
        )
    left, sep, right = spec.partition("..")
    left, right = left.strip(), (right.strip() or "HEAD") if sep else "HEAD"
    base, tip = gitops.rev(w, left) if left else None, gitops.rev(w, right)
    if base is None or tip is None:
        bad = left if base is None else right
        raise UsageError(
            f"找不到版本 {bad or '(空)'}：请给出分支、标签或提交，例如 origin/main..HEAD。",
            f"no such revision {bad or '(empty)'}: name a branch, tag or commit, e.g. origin/main..HEAD.",
        )
    return Range(base, tip, spec)


# --- gtx.yaml at the base --------------------------------------------------------------


def settings_at(blobs: gitops.Blobs, commit: str, prefix: str) -> tuple[Settings, bool]:
    """gtx.yaml as of `commit` (an empty one when absent); and whether it was valid."""
    raw = blobs.read(f"{commit}:{prefix}{repo_mod.SETTINGS_FILE}")
    if raw is None:
        return Settings(), True
    loaded = loader.load(raw, repo_mod.SETTINGS_FILE, None)
    if loaded.data is None:
        return Settings(), False
    settings, findings = schema_check.validate(
        Settings, loaded.data, file=repo_mod.SETTINGS_FILE, project=None
    )
    bad = any(f.severity is Severity.error for f in findings)
    return settings or Settings(), not bad


@dataclass(slots=True)
class Keyring:
    """The keys of one gtx.yaml: SSH key ids (with their principals) and OpenPGP fingerprints."""

    settings: Settings
    ssh: dict[str, str] = field(default_factory=dict)  # principal -> "type base64"
    pgp: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, settings: Settings) -> Keyring:
        ring = cls(settings)
        keys = [s.key for e in settings.roles.values() for s in e.signers]
        keys += [s.key for e in settings.units.values() for s in e.signers]
        for k in keys:
            kid = gitops.ssh_key_id(k)
            if kid is not None:
                if kid not in ring.ssh.values():
                    ring.ssh[f"gtx-key-{len(ring.ssh)}"] = kid
            elif (fpr := gitops.pgp_fingerprint(k)) is not None:
                ring.pgp.add(fpr)
        return ring

    def allowed_signers_text(self) -> str:
        # namespaces="git": a signature made for another purpose does not count.
        return "".join(f'{p} namespaces="git" {kid}\n' for p, kid in self.ssh.items())

    def matcher(self, sig: gitops.Signature) -> Callable[[str], bool] | None:
        """A test for gtx.yaml keys that made `sig`; None when no listed key did."""
        if sig.key.startswith("SHA256:"):
            kid = self.ssh.get(sig.principal) if sig.status == "G" else None
            if kid is None or gitops.ssh_fingerprint(kid) != sig.key:
                return None
            return lambda k: gitops.ssh_key_id(k) == kid
        # OpenPGP: a cryptographically good signature (G, or U: valid but not in the
        # local web of trust) whose key gtx.yaml lists; gtx.yaml is the trust anchor.
        if sig.status not in ("G", "U"):
            return None
        made_by = {f.upper() for f in (sig.fingerprint, sig.primary) if f}
        if not any(f.endswith(listed) for f in made_by for listed in self.pgp):
            return None
        return lambda k: (
            (fpr := gitops.pgp_fingerprint(k)) is not None and any(f.endswith(fpr) for f in made_by)
        )

    def lists(self, sig: gitops.Signature) -> bool:
        """Does this gtx.yaml list the key behind `sig` (whatever git's verdict)?"""
        if sig.key.startswith("SHA256:"):
            return any(gitops.ssh_fingerprint(k) == sig.key for k in self.ssh.values())
        made_by = {f.upper() for f in (sig.fingerprint, sig.primary, sig.key) if f}
        return any(f.endswith(listed) or listed.endswith(f) for f in made_by for listed in self.pgp)


# --- the review ----------------------------------------------------------------------


def _project_of(path: str, prefix: str) -> str | None:
    """The project whose project.yaml `path` is, else None."""
    head = f"{prefix}{repo_mod.DOSSIERS_DIR}/"
    if not path.startswith(head):
        return None
    parts = path[len(head) :].split("/")
    return parts[0] if len(parts) == 2 and parts[1] == repo_mod.PROJECT_FILE else None


def _in_folder(path: str, prefix: str, project: str) -> bool:
    return path.startswith(f"{prefix}{repo_mod.DOSSIERS_DIR}/{project}/")


def _data(raw: bytes | None, path: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    d = loader.load(raw, path, None).data
    return d if isinstance(d, dict) else {}


def _stage_and_history(d: dict[str, Any] | None) -> tuple[Any, list[Any]]:
    if d is None:
        return Stage.draft.value, []
    h = d.get("history")
    return d.get("stage"), (h if isinstance(h, list) else [])


def verify(w: gitops.Work, rng: Range) -> list[Verdict]:
    records = gitops.log(w, [f"{rng.base}..{rng.tip}"])
    verdicts: list[Verdict] = []
    with gitops.Blobs(w) as blobs:
        settings, valid = settings_at(blobs, rng.base, w.prefix)
        if not valid:
            raise UsageError(
                f"基准提交 {rng.base[:10]} 中的 gtx.yaml 有错误，无法确定签署人：请先修正 gtx.yaml 并合入基准分支。",
                f"gtx.yaml at the base {rng.base[:10]} has errors, so no signer can be trusted: fix it "
                "on the base branch first.",
            )
        ring = Keyring.of(settings)
        tip_ring = Keyring.of(settings_at(blobs, rng.tip, w.prefix)[0])
        pending: list[
            tuple[gitops.CommitRecord, str, dict[str, Any] | None, dict[str, Any] | None]
        ] = []
        for rec in records:
            for path in rec.files:
                pid = _project_of(path, w.prefix)
                if pid is None:
                    continue
                after = _data(blobs.read(f"{rec.sha}:{path}"), path)
                parents = rec.parents or [""]
                befores = [_data(blobs.read(f"{p}:{path}"), path) if p else None for p in parents]
                if all(_stage_and_history(b) != _stage_and_history(after) for b in befores):
                    pending.append((rec, pid, befores[0], after))
        by_commit: dict[str, list[str]] = {}
        for rec, pid, _, _ in pending:
            by_commit.setdefault(rec.sha, []).append(pid)
        with tempfile.TemporaryDirectory(prefix="gtx-verify-") as tmp:
            allowed = Path(tmp) / "allowed_signers"
            allowed.write_text(ring.allowed_signers_text(), "utf-8")
            sigs = gitops.signatures(w, by_commit, allowed)
        for rec, pid, before, after in pending:
            unit = _unit_at_base(blobs, rng.base, w.prefix, pid) or _unit(before) or _unit(after)
            v = _review(
                w,
                blobs,
                rec,
                pid,
                before,
                after,
                by_commit[rec.sha],
                sigs.get(rec.sha),
                ring,
                tip_ring,
                settings,
                unit,
            )
            verdicts.append(v)
    return verdicts


def _unit(d: dict[str, Any] | None) -> str | None:
    u = d.get("unit") if d else None
    return u if isinstance(u, str) else None


def _unit_at_base(blobs: gitops.Blobs, base: str, prefix: str, pid: str) -> str | None:
    # The unit a project belongs to is read where trust comes from: the base. A
    # commit under review cannot move a project to a unit whose key it holds.
    path = f"{prefix}{repo_mod.DOSSIERS_DIR}/{pid}/{repo_mod.PROJECT_FILE}"
    return _unit(_data(blobs.read(f"{base}:{path}"), path))


def _review(
    w: gitops.Work,
    blobs: gitops.Blobs,
    rec: gitops.CommitRecord,
    pid: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    together: list[str],
    sig: gitops.Signature | None,
    ring: Keyring,
    tip_ring: Keyring,
    settings: Settings,
    unit: str | None,
) -> Verdict:
    stage_b, hist_b = _stage_and_history(before)
    stage_a, hist_a = _stage_and_history(after)
    change = compare_history(hist_b, hist_a)
    v = Verdict(rec.sha, pid, change.source.value, None, None, None)

    if len(rec.parents) > 1:
        v.add(
            "合并提交改动了阶段或流转记录：每次阶段流转必须是单独的一个签名提交（gtx advance），不能在合并时产生。",
            "a merge commit changes the stage or history: every transition must be its own signed "
            "commit (gtx advance), never made in a merge.",
        )
    if after is None:
        v.add(
            f"删除了有流转记录的档案 dossiers/{pid}：流转记录只能追加。",
            f"deletes dossiers/{pid}, which has a history: history is append-only.",
        )
        return v
    # One dossier, and nothing else, per transition commit (docs/cli.md, verify).
    others = sorted(set(together) - {pid})
    if others:
        v.add(
            f"同一提交还改动了其他档案的阶段或流转记录：{', '.join(others)}。每次流转只能涉及一个项目。",
            f"the same commit also changes the stage or history of {', '.join(others)}: a transition "
            "touches one dossier only.",
        )
    outside = sorted(p for p in rec.files if not _in_folder(p, w.prefix, pid))
    if outside and not others:
        v.add(
            f"流转提交还改动了项目文件夹之外的文件：{', '.join(outside[:5])}。流转提交只能包含 dossiers/{pid}/。",
            f"the transition commit also changes files outside its folder: {', '.join(outside[:5])}. "
            f"It may hold dossiers/{pid}/ only.",
        )
    if change.rewritten:
        n = ", ".join(str(i + 1) for i in change.rewritten)
        v.add(
            f"改写了已有的流转记录（第 {n} 项）：流转记录只能追加，不能修改或删除。",
            f"rewrites past history entries ({n}): history is append-only; entries are never "
            "edited or removed.",
        )
    if len(change.appended) > 1:
        v.add(
            f"一次提交追加了 {len(change.appended)} 条流转记录：每次流转一个提交。",
            f"appends {len(change.appended)} history entries in one commit: one transition per commit.",
        )
    if not change.appended:
        if stage_a != stage_b and not change.rewritten:
            v.add(
                f"stage 从 {stage_b} 改为 {stage_a}，却没有追加流转记录：阶段只能用 gtx advance 变更。",
                f"stage changes from {stage_b} to {stage_a} without a history entry: change the stage "
                "with gtx advance only.",
            )
        v.target = str(stage_a) if stage_a != stage_b else None
        return v

    entry = change.appended[-1]
    target = entry_stage(entry)
    if target is None:
        v.add(
            "新追加的流转记录没有合法的 stage。", "the appended history entry has no valid stage."
        )
        return v
    v.target = target.value
    move = (
        transition(change.source, target, change.resume_to) if len(change.appended) == 1 else None
    )
    role = move.role if move else ENTERED_BY.get(target)
    v.role = role.value if role else None
    if move is None and len(change.appended) == 1:
        v.add(
            f"不合法的阶段流转：{illegal_message(change.source, target, change.resume_to, 'zh')}。",
            f"illegal transition: {illegal_message(change.source, target, change.resume_to, 'en')}.",
        )
    if move is not None and isinstance(entry, dict) and entry.get("role") != move.role.value:
        v.add(
            f"流转记录写的角色是 {entry.get('role')}，但进入 {target.value} 是 {move.role.value}（{move.role.label}）的行为。",
            f"the entry names role {entry.get('role')}, but entering {target.value} is an act of "
            f"{move.role.value}.",
        )
    if role is not None:
        _check_signature(v, sig, ring, tip_ring, settings, role, unit)
    if len(change.appended) == 1 and move is not None:
        _check_gate(v, w, blobs, rec, pid, entry, settings)
    return v


def _check_signature(
    v: Verdict,
    sig: gitops.Signature | None,
    ring: Keyring,
    tip_ring: Keyring,
    settings: Settings,
    role: Role,
    unit: str | None,
) -> None:
    status = sig.status if sig else "N"
    if status == "N" or sig is None:
        v.add(
            "提交没有签名：阶段流转必须由该角色的签署人签名提交（gtx advance）。",
            "the commit is not signed: a transition must be a commit signed by a signer of its role "
            "(gtx advance).",
        )
        return
    if status == "B":
        v.add(
            "签名无效（内容与签名不符）：提交在签名后被改动过。",
            "the signature is bad: the commit was altered after it was signed.",
        )
        return
    if status in ("X", "Y", "R"):
        what = {
            "X": ("签名已过期", "the signature has expired"),
            "Y": ("签名密钥已过期", "the signing key has expired"),
            "R": ("签名密钥已被吊销", "the signing key was revoked"),
        }[status]
        v.add(f"{what[0]}。", f"{what[1]}.")
        return
    if status == "E":
        v.add(
            "无法检查签名（缺少 ssh-keygen 或 gpg，或签名格式不受支持）。",
            "the signature cannot be checked (ssh-keygen or gpg is missing, or the format is unsupported).",
        )
        return
    v.signer = sig.key or sig.fingerprint or None
    match = ring.matcher(sig)
    if match is None:
        if tip_ring.lists(sig) and not ring.lists(sig):
            v.add(
                f"签名密钥 {v.signer} 是在待审查的提交中才加入 gtx.yaml 的：密钥只有在基准分支的 gtx.yaml 中登记后才算数。",
                f"the signing key {v.signer} was added to gtx.yaml by the commits under review: a key "
                "counts only once it is listed in gtx.yaml on the base branch.",
            )
        else:
            v.add(
                f"签名密钥 {v.signer} 没有登记在（基准分支的）gtx.yaml 中。",
                f"the signing key {v.signer} is not listed in gtx.yaml (at the base).",
            )
        return
    found: list[Holder] = holders(settings, match)
    allowed = [s for s in allowed_signers(settings, role, unit) if match(s.key)]
    if allowed:
        v.signer = allowed[0].name
        return
    v.signer = found[0].signer if found else v.signer
    units = [h for h in found if h.kind == "unit"]
    if role is Role.unit and units:
        names = ", ".join(sorted({h.name for h in units}))
        v.add(
            f"签署人 {v.signer} 是建设单位 {names} 的签署人，而本项目的建设单位是 {unit}：建设单位只能签署本单位的项目。",
            f"{v.signer} signs for the unit {names}, but this project's unit is {unit}: a unit signs "
            "for its own projects only.",
        )
        return
    held = ", ".join(f"{h.kind}:{h.name}" for h in found) or "-"
    need = f"unit:{unit}" if role is Role.unit else role.value
    v.add(
        f"签署人 {v.signer} 登记的角色是 {held}，而这次流转须由 {need}（{role.label}）签署。",
        f"{v.signer} is listed for {held}, but this transition is an act of {need}.",
    )


def _check_gate(
    v: Verdict,
    w: gitops.Work,
    blobs: gitops.Blobs,
    rec: gitops.CommitRecord,
    pid: str,
    entry: Any,
    settings: Settings,
) -> None:
    """The gate as of that commit: the dossier and its attachments in that commit's
    tree, with today = the date of the act, so later deadlines do not count."""
    path = f"{w.prefix}{repo_mod.DOSSIERS_DIR}/{pid}/{repo_mod.PROJECT_FILE}"
    raw = blobs.read(f"{rec.sha}:{path}") or b""
    try:
        today = dt.date.fromisoformat(str(entry.get("date")))
    except ValueError:
        today = dt.date.fromisoformat(rec.date)
    folder = f"{w.prefix}{repo_mod.DOSSIERS_DIR}/{pid}"
    stat = tree_stat(gitops.tree_entries(w, rec.sha, folder), folder, blobs)
    g = gate(raw, file=path, folder=pid, settings=settings, today=today, stat=stat)
    for f in g.errors:
        pos = f":{f.line}" if f.line else ""
        v.add(
            f"准入条件在该提交时不满足：{f.code} {f.message('zh')}（{f.file}{pos}）",
            f"the gate did not hold at this commit: {f.code} {f.message('en')} ({f.file}{pos})",
        )


def tree_stat(
    entries: dict[str, tuple[str, str]], folder: str, blobs: gitops.Blobs
) -> Callable[[str], FileStatus]:
    """Where a referenced attachment stands in a commit's tree (F001/F002 as on disk)."""
    on_disk = repo_mod.stat_in(Path("/nonexistent-gtx"))

    def stat(rel: str) -> FileStatus:
        early = on_disk(rel)  # bad names, absolute paths and `..` are judged by the path alone
        if early in (FileStatus.bad_name, FileStatus.absolute, FileStatus.escapes):
            return early
        target = _norm(f"{folder}/{rel.replace(chr(92), '/')}")
        for _ in range(8):  # follow links inside the folder, a few levels at most
            if target is None or not target.startswith(folder + "/"):
                return FileStatus.link_out
            entry = entries.get(target)
            if entry is None:
                if any(p.startswith(target + "/") for p in entries):
                    return FileStatus.not_a_file
                return FileStatus.missing
            mode, oid = entry
            if mode == "120000":
                link = (blobs.read(oid) or b"").decode("utf-8", "replace")
                if link.startswith("/"):
                    return FileStatus.link_out
                target = _norm(f"{os.path.dirname(target)}/{link}")
                continue
            return FileStatus.ok if mode in ("100644", "100755") else FileStatus.not_a_file
        return FileStatus.link_out

    return stat


def _norm(path: str) -> str | None:
    parts: list[str] = []
    for p in PurePosixPath(path).parts:
        if p in ("", "."):
            continue
        if p == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


# --- output ---------------------------------------------------------------------------


def report(verdicts: list[Verdict], rng: Range, fmt: str, lang: str) -> None:
    if fmt == "json":
        import json

        data = {
            "ok": all(v.ok for v in verdicts),
            "range": rng.spec,
            "base": rng.base,
            "transitions": [v.to_json(lang) for v in verdicts],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out = []
    for v in verdicts:
        mark = "✓" if v.ok else "✗"
        move = f"{v.source or '-'} → {v.target or '-'}"
        out.append(
            f"{mark} {v.project}  {move}  {v.role or '-'}  {v.signer or '-'}  {v.commit[:10]}"
        )
        out.extend(f"    - {pick(lang, zh, en)}" for zh, en in v.problems)
    bad = sum(len(v.problems) for v in verdicts)
    if lang == "en":
        out.append(
            f"{len(verdicts)} transition(s) in {rng.spec} (base {rng.base[:10]}): "
            + ("all good." if not bad else f"{bad} problem(s).")
        )
    else:
        out.append(
            f"{rng.spec}（基准 {rng.base[:10]}）中有 {len(verdicts)} 次阶段流转："
            + ("全部通过。" if not bad else f"发现 {bad} 个问题。")
        )
    sys.stdout.write("\n".join(out) + "\n")
