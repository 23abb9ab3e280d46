"""What `gtx verify B..H` proves, judged on git's objects (docs/security.md).

For the range B..H, B being the trust root the verifier names:

1. objects, not files: in B and in every commit of B..H, gtx.yaml, dossiers/, each
   project folder and each project.yaml that exists is a plain file or folder (no
   link, no submodule), every tree on the way is well formed, and no
   .gitattributes / .gitmodules changes how those paths are checked out (G001-G004);
2. append-only on every path: for every commit and each of its parents holding a
   project, the project's history at the commit starts with the parent's, entry
   for entry; B's projects are all at H, their histories extended (G005);
3. every new entry is a signed act: introduced by a non-merge commit that touches
   that project only, signed (git's `G` only) by a key B's gtx.yaml lists for the
   act's role and valid on the act's date, legal, its gate held at that commit
   with the act's date (G006-G010); a new correction likewise, by a key of the role
   that signed the corrected entry, valid on the correction's date, adding no error
   at that commit (G005-G007, G010, G013; corrections are append-only too);
4. nothing else moves the stage (G011).

Everything is read through edges/gitobjects.py; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.gitattributes import attributes_affect, modules_affect
from golmud_cli.core.lifecycle import ENTERED_BY, Role, position, transition
from golmud_cli.core.model import Settings
from golmud_cli.core.rules import FileStatus
from golmud_cli.core.rules.corrections import CODES as CORRECTION_CODES
from golmud_cli.core.transitions import (
    Holder,
    compare_history,
    entry_stage,
    holders,
    illegal_message,
)
from golmud_cli.core.transitions import (
    allowed_signers as listed_for,
)
from golmud_cli.core.verdicts import Problem as Problem
from golmud_cli.core.verdicts import Range as Range
from golmud_cli.core.verdicts import Result as Result
from golmud_cli.core.verdicts import Verdict as Verdict
from golmud_cli.edges import git as gitops
from golmud_cli.edges import gitobjects as go
from golmud_cli.edges import loader
from golmud_cli.edges import repo as repo_mod
from golmud_cli.edges.calendar import calendar_for
from golmud_cli.errors import UsageError
from golmud_cli.pipeline import schema_check
from golmud_cli.pipeline.gate import gate

if TYPE_CHECKING:
    from golmud_cli.core.model import Signer

# Tried in order for `gtx verify` without a range: the repository's default
# branch as the remote names it, then the usual names (docs/security.md).
DEFAULT_BASES = ("origin/HEAD", "origin/main", "main", "origin/master", "master")
GITATTRIBUTES = b".gitattributes"
GITMODULES = b".gitmodules"
PROJECT_NAME = repo_mod.PROJECT_FILE


# --- the range ------------------------------------------------------------------------


def resolve_range(w: gitops.Work, spec: str | None, lang: str = "zh") -> Range:
    tip = go.resolve(w, "HEAD")
    if tip is None:
        raise UsageError(
            "仓库还没有任何提交，无可验证。",
            "the repository has no commits yet: nothing to verify.",
        )
    if spec is None:
        return _default_range(w, tip)
    if "..." in spec:
        raise UsageError(
            "请用 A..B 形式的范围（不支持 A...B）。",
            "use a range of the form A..B (A...B is not supported).",
        )
    left, sep, right = spec.partition("..")
    left, right = left.strip(), (right.strip() or "HEAD") if sep else "HEAD"
    base, head = go.resolve(w, left) if left else None, go.resolve(w, right)
    if base is None or head is None:
        bad = _shown(left if base is None else right)
        raise UsageError(
            f"找不到版本 {bad or '(空)'}：请给出分支、标签或提交，例如 origin/main..HEAD。",
            f"no such revision {bad or '(empty)'}: name a branch, tag or commit, e.g. "
            "origin/main..HEAD.",
        )
    return Range(base, head, spec)


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)[:80]


def _default_range(w: gitops.Work, tip: str) -> Range:
    """The merge base of HEAD with the default branch. Never HEAD's own upstream:
    a pull-request branch compared with itself checks nothing."""
    for name in DEFAULT_BASES:
        if go.resolve(w, name) is None:
            continue
        base = go.merge_base(w, name, tip)
        if base is None:
            continue
        if base == tip:
            raise UsageError(
                f"HEAD 已包含在默认分支 {name} 中：没有待验证的提交。"
                "请写明范围，例如 gtx verify <上次验证的提交>..HEAD。",
                f"HEAD is already part of the default branch {name}: no commit to verify. "
                "Name a range, e.g. gtx verify <last verified commit>..HEAD.",
            )
        return Range(base, tip, f"{name}...HEAD")
    raise UsageError(
        "找不到默认分支（origin/HEAD、origin/main、main……），无法确定基准："
        "请写明范围，例如 gtx verify origin/main..HEAD（CI 中检出时用 fetch-depth: 0）。",
        "no default branch (origin/HEAD, origin/main, main, ...) to take the base from: "
        "name a range, e.g. gtx verify origin/main..HEAD (check out with fetch-depth: 0 in CI).",
    )


# --- keys of the base's gtx.yaml -------------------------------------------------------


@dataclass(slots=True)
class Keyring:
    """The keys of one gtx.yaml: SSH key ids (with principals) and OpenPGP fingerprints."""

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
        # namespaces="git": a signature made for another purpose does not count. No
        # other option: validity is gtx.yaml's from/until, judged on the act's date.
        return "".join(f'{p} namespaces="git" {kid}\n' for p, kid in self.ssh.items())

    def matcher(self, sig: gitops.Signature) -> Callable[[str], bool] | None:
        """A test for gtx.yaml keys that made `sig`; None when no listed key did.
        Only git's `G` counts (a good signature by a key it can vouch for)."""
        if sig.status != "G":
            return None
        if sig.key.startswith("SHA256:"):
            kid = self.ssh.get(sig.principal)
            if kid is None or gitops.ssh_fingerprint(kid) != sig.key:
                return None
            return lambda k: gitops.ssh_key_id(k) == kid
        made_by = {f.upper() for f in (sig.fingerprint, sig.primary) if f}
        if not any(f.endswith(listed) for f in made_by for listed in self.pgp):
            return None
        return lambda k: (
            (fpr := gitops.pgp_fingerprint(k)) is not None and any(f.endswith(fpr) for f in made_by)
        )

    def lists(self, sig: gitops.Signature) -> bool:
        if sig.key.startswith("SHA256:"):
            return any(gitops.ssh_fingerprint(k) == sig.key for k in self.ssh.values())
        made_by = {f.upper() for f in (sig.fingerprint, sig.primary, sig.key) if f}
        return any(f.endswith(x) or x.endswith(f) for f in made_by for x in self.pgp)


# --- one commit's tree ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Project:
    tree: str  # the folder's tree
    yaml: str | None  # project.yaml's blob, None when absent or not a plain file


@dataclass(slots=True)
class Snapshot:
    settings: str | None = None  # gtx.yaml's blob
    projects: dict[str, Project] = field(default_factory=dict)
    problems: list[tuple[str, Problem]] = field(default_factory=list)  # (path, problem)


def _kind(mode: str) -> tuple[str, str]:
    if mode == go.MODE_LINK:
        return "符号链接", "a symbolic link"
    if mode == go.MODE_GITLINK:
        return "子模块", "a submodule"
    if mode == go.MODE_TREE:
        return "文件夹", "a folder"
    return f"模式 {mode} 的条目", f"an entry of mode {mode}"


def _not_plain(path: str, mode: str, want_tree: bool) -> Problem:
    zh, en = _kind(mode)
    want = ("文件夹", "a folder") if want_tree else ("普通文件", "a plain file")
    return Problem(
        "G001",
        f"{path} 在 git 中是{zh}，而这里应是{want[0]}：gtx 不跟随链接，也不读子模块。",
        f"{path} is {en} in git where {want[1]} is expected: gtx follows no link and "
        "reads no submodule.",
    )


def _names(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


class Reader:
    """Trees, dossiers and settings of commits, each distinct object read once."""

    def __init__(self, w: gitops.Work, objects: go.Objects, max_bytes: int) -> None:
        self.w, self.o, self.max_bytes = w, objects, max_bytes
        self._snaps: dict[str, Snapshot] = {}
        self._tree_problems: dict[str, list[tuple[str, Problem]]] = {}
        self._dossiers: dict[str, tuple[dict[str, Any] | None, Problem | None]] = {}

    # trees --------------------------------------------------------------------------

    def _malformed(self, oid: str, path: str) -> list[tuple[str, Problem]]:
        """Duplicate or unsafe names in one tree (git's fsck.c, fsck_tree)."""
        seen: set[bytes] = set()
        out: list[tuple[str, Problem]] = []
        for e in self.o.tree(oid):
            name = _names(e.name)
            where = f"{path}{name}"
            if e.name in seen:
                out.append(
                    (
                        where,
                        Problem(
                            "G002",
                            f"树 {path or '/'} 中有两个同名条目 {name}：检出时写出的可能不是 gtx 读到的那个。",
                            f"the tree {path or '/'} holds two entries named {name}: a checkout "
                            "may write another one than gtx reads.",
                        ),
                    )
                )
            seen.add(e.name)
            if e.name in (b"", b".", b"..") or e.name.lower() == b".git" or b"/" in e.name:
                out.append(
                    (
                        where,
                        Problem(
                            "G002",
                            f"树 {path or '/'} 中有不安全的名称 {name}（.、..、.git 或含 /）。",
                            f"the tree {path or '/'} holds an unsafe name {name} (., .., .git or "
                            "holding /).",
                        ),
                    )
                )
            if e.mode not in (*go.MODE_FILE, go.MODE_TREE, go.MODE_LINK, go.MODE_GITLINK):
                out.append(
                    (
                        where,
                        Problem(
                            "G002",
                            f"{where} 的模式 {e.mode} 不是 git 认可的模式。",
                            f"{where} has mode {e.mode}, which git does not know.",
                        ),
                    )
                )
        return out

    def _deep(self, oid: str, path: str) -> list[tuple[str, Problem]]:
        """Problems of a tree under dossiers/ and all its subtrees, attributes files
        included; remembered per tree id (a tree is the same wherever it appears,
        but a path names the first place it was seen)."""
        if oid in self._tree_problems:
            return self._tree_problems[oid]
        out = self._malformed(oid, path)
        entries = self.o.tree(oid)
        for e in entries:
            if e.mode == go.MODE_TREE:
                out.extend(self._deep(e.oid, f"{path}{_names(e.name)}/"))
            elif e.name == GITATTRIBUTES and e.mode in go.MODE_FILE:
                # the dossiers gtx reads below this folder
                files = [f for f in self._files(oid, "") if f.rsplit("/", 1)[-1] == PROJECT_NAME]
                out.extend(self._attributes(e.oid, path, files))
            elif e.name == GITATTRIBUTES:
                out.append(
                    (f"{path}.gitattributes", _not_plain(f"{path}.gitattributes", e.mode, False))
                )
        self._tree_problems[oid] = out
        return out

    def _files(self, oid: str, path: str) -> list[str]:
        out: list[str] = []
        for e in self.o.tree(oid):
            name = f"{path}{_names(e.name)}"
            if e.mode == go.MODE_TREE:
                out.extend(self._files(e.oid, name + "/"))
            else:
                out.append(name)
        return out

    def _text(self, oid: str, path: str) -> tuple[str | None, Problem | None]:
        try:
            raw = self.o.read(oid, "blob", self.max_bytes)
        except go.TooLarge as big:
            return None, _too_large(path, big)
        except go.Missing:
            return None, None
        return raw.decode("utf-8", "replace"), None

    def _attributes(self, oid: str, folder: str, paths: list[str]) -> list[tuple[str, Problem]]:
        where = f"{folder}.gitattributes"
        text, big = self._text(oid, where)
        if big is not None:
            return [(where, big)]
        out = []
        for hit in attributes_affect(text or "", paths):
            attrs = " ".join(hit.attributes)
            out.append(
                (
                    where,
                    Problem(
                        "G003",
                        f"{where} 第 {hit.line} 行（{hit.pattern} {attrs}）作用于 {folder}{hit.path}："
                        "属性会改变检出或审阅看到的内容，请删除该行。",
                        f"{where} line {hit.line} ({hit.pattern} {attrs}) applies to "
                        f"{folder}{hit.path}: attributes change what a checkout or a reviewer "
                        "sees; remove that line.",
                    ),
                )
            )
        return out

    def snapshot(self, commit: str) -> Snapshot:
        if commit in self._snaps:
            return self._snaps[commit]
        snap = Snapshot()
        self._snaps[commit] = snap
        found = self._chain(self.o.commit(commit).tree, snap)
        if found is not None:
            tree, path, attrs = found
            self._projects(tree, path, snap)
            # An attributes file above the dossier repository's root applies to gtx.yaml
            # and to every project.yaml by the path from its own folder.
            for folder, rest, oid in attrs:
                names = [f"{rest}{repo_mod.SETTINGS_FILE}"]
                names += [
                    f"{rest}{repo_mod.DOSSIERS_DIR}/{p}/{repo_mod.PROJECT_FILE}"
                    for p in snap.projects
                ]
                snap.problems.extend(self._attributes(oid, folder, names))
        return snap

    def _chain(
        self, tree: str, snap: Snapshot
    ) -> tuple[str, str, list[tuple[str, str, str]]] | None:
        """From the top tree down to the dossier repository's root (its prefix in
        git): each tree well formed, attributes files noted, .gitmodules judged.
        Returns (root tree, its path, [(folder, path to root, attributes blob)])."""
        path = ""
        parts = [p for p in self.w.prefix.split("/") if p]
        attrs: list[tuple[str, str, str]] = []
        for depth, part in enumerate([*parts, None]):
            snap.problems.extend(self._malformed(tree, path))
            entries = {e.name: e for e in self.o.tree(tree)}
            rest = "/".join(parts[depth:])
            rest = f"{rest}/" if rest else ""
            attr = entries.get(GITATTRIBUTES)
            if attr is not None and attr.mode in go.MODE_FILE:
                attrs.append((path, rest, attr.oid))
            if depth == 0 and GITMODULES in entries:
                self._modules(entries[GITMODULES].oid, rest, snap)
            if part is None:
                return tree, path, attrs
            e = entries.get(part.encode("utf-8"))
            if e is None:
                return None
            if e.mode != go.MODE_TREE:
                snap.problems.append((f"{path}{part}", _not_plain(f"{path}{part}", e.mode, True)))
                return None
            tree, path = e.oid, f"{path}{part}/"
        return None

    def _modules(self, oid: str, rest: str, snap: Snapshot) -> None:
        wanted = [f"{rest}{repo_mod.SETTINGS_FILE}", f"{rest}{repo_mod.DOSSIERS_DIR}"]
        text, _ = self._text(oid, ".gitmodules")
        for sub in modules_affect(text or "", wanted):
            snap.problems.append(
                (
                    ".gitmodules",
                    Problem(
                        "G003",
                        f".gitmodules 把 {sub} 声明为子模块：档案与 gtx.yaml 必须是普通文件。",
                        f".gitmodules declares {sub} a submodule: dossiers and gtx.yaml "
                        "must be plain files.",
                    ),
                )
            )

    def _projects(self, tree: str, path: str, snap: Snapshot) -> None:
        """gtx.yaml and the projects under dossiers/, each of the kind expected."""
        entries = {e.name: e for e in self.o.tree(tree)}
        settings = entries.get(repo_mod.SETTINGS_FILE.encode())
        if settings is not None:
            if settings.mode in go.MODE_FILE:
                snap.settings = settings.oid
            else:
                where = f"{path}{repo_mod.SETTINGS_FILE}"
                snap.problems.append((where, _not_plain(where, settings.mode, False)))
        dossiers = entries.get(repo_mod.DOSSIERS_DIR.encode())
        if dossiers is None:
            return
        droot = f"{path}{repo_mod.DOSSIERS_DIR}/"
        if dossiers.mode != go.MODE_TREE:
            snap.problems.append((droot[:-1], _not_plain(droot[:-1], dossiers.mode, True)))
            return
        snap.problems.extend(self._deep(dossiers.oid, droot))
        for e in self.o.tree(dossiers.oid):
            name = _names(e.name)
            if e.mode in go.MODE_FILE:
                continue  # a README beside the projects is no project
            if e.mode != go.MODE_TREE:
                snap.problems.append((f"{droot}{name}", _not_plain(f"{droot}{name}", e.mode, True)))
                continue
            yaml = next(
                (x for x in self.o.tree(e.oid) if x.name == repo_mod.PROJECT_FILE.encode()), None
            )
            if yaml is not None and yaml.mode not in go.MODE_FILE:
                where = f"{droot}{name}/{repo_mod.PROJECT_FILE}"
                snap.problems.append((where, _not_plain(where, yaml.mode, False)))
                yaml = None
            snap.projects[name] = Project(e.oid, yaml.oid if yaml else None)

    # dossiers -----------------------------------------------------------------------

    def dossier(self, oid: str, path: str) -> tuple[dict[str, Any] | None, Problem | None]:
        """A project.yaml's data (None with a problem when it cannot be read)."""
        if oid not in self._dossiers:
            try:
                raw = self.o.read(oid, "blob", self.max_bytes)
            except go.TooLarge as big:
                self._dossiers[oid] = (None, _too_large(path, big))
                return self._dossiers[oid]
            data = loader.load(raw, path, None).data
            if isinstance(data, dict):
                self._dossiers[oid] = (data, None)
            else:
                self._dossiers[oid] = (
                    None,
                    Problem(
                        "G012",
                        f"{path} 无法解析（gtx validate 会指出原因），无法核对它的流转记录。",
                        f"{path} cannot be read (gtx validate says why), so its history cannot "
                        "be checked.",
                    ),
                )
        return self._dossiers[oid]

    def raw(self, oid: str) -> bytes:
        return self.o.read(oid, "blob", self.max_bytes)

    def settings(self, commit: str) -> tuple[Settings, list[str]]:
        """gtx.yaml at `commit` (empty when absent) and its errors, as text."""
        snap = self.snapshot(commit)
        if snap.settings is None:
            return Settings(), []
        try:
            raw = self.raw(snap.settings)
        except go.TooLarge as big:
            p = _too_large(repo_mod.SETTINGS_FILE, big)
            return Settings(), [f"{p.code} {p.zh}\n{p.en}"]
        loaded = loader.load(raw, repo_mod.SETTINGS_FILE, None)
        if loaded.data is None:
            return Settings(), [
                f"{f.code} {f.message('zh')}\n{f.message('en')}" for f in loaded.findings
            ]
        settings, findings = schema_check.validate(
            Settings, loaded.data, file=repo_mod.SETTINGS_FILE, project=None
        )
        errors = [
            f"{f.code} {f.message('zh')}\n{f.message('en')}"
            for f in findings
            if f.severity is Severity.error
        ]
        return settings or Settings(), errors

    def files_under(self, tree: str, folder: str) -> dict[str, tuple[str, str]]:
        """path -> (mode, id) of every entry under a project folder."""
        out: dict[str, tuple[str, str]] = {}
        for e in self.o.tree(tree):
            p = f"{folder}/{_names(e.name)}"
            if e.mode == go.MODE_TREE:
                out.update(self.files_under(e.oid, p))
            else:
                out[p] = (e.mode, e.oid)
        return out

    def changed(self, a: str | None, b: str | None, path: str = "") -> Iterable[str]:
        """Paths that differ between two trees (None: no tree), without reading blobs."""
        if a == b:
            return
        ea = {e.name: e for e in self.o.tree(a)} if a else {}
        eb = {e.name: e for e in self.o.tree(b)} if b else {}
        for name in sorted(set(ea) | set(eb)):
            x, y = ea.get(name), eb.get(name)
            if x and y and (x.oid, x.mode) == (y.oid, y.mode):
                continue
            sub = f"{path}{_names(name)}"
            xt = x.oid if x and x.mode == go.MODE_TREE else None
            yt = y.oid if y and y.mode == go.MODE_TREE else None
            if xt or yt:
                yield from self.changed(xt, yt, sub + "/")
                if (x and not xt) or (y and not yt):
                    yield sub
            else:
                yield sub


def _too_large(path: str, big: go.TooLarge) -> Problem:
    return Problem(
        "G004",
        f"{path} 的大小为 {big.size} 字节，超过上限 {big.limit} 字节：未读取。项目档案只有几 KB。",
        f"{path} is {big.size} bytes, over the limit of {big.limit}: not read. A dossier is a "
        "few KB.",
    )


# --- the review -----------------------------------------------------------------------


def _history(d: dict[str, Any] | None) -> list[Any]:
    h = d.get("history") if d else None
    return h if isinstance(h, list) else []


def _documents(d: dict[str, Any]) -> dict[str, Any]:
    docs = d.get("documents")
    return docs if isinstance(docs, dict) else {}


def _corrections(d: dict[str, Any] | None) -> list[Any]:
    c = d.get("corrections") if d else None
    return c if isinstance(c, list) else []


def _field(entry: Any, key: str) -> Any:
    return entry.get(key) if isinstance(entry, dict) else None


def _unit(d: dict[str, Any] | None) -> str | None:
    u = d.get("unit") if d else None
    return u if isinstance(u, str) else None


def _implied(history: list[Any]) -> str:
    stages = [s for s in map(entry_stage, history) if s is not None]
    return position(stages)[0].value


def _act_date(entry: Any, fallback: str) -> dt.date:
    for text in (str(entry.get("date")) if isinstance(entry, dict) else "", fallback):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            continue
    return dt.date.today()


@dataclass(slots=True)
class _Act:
    verdict: Verdict
    commit: go.Commit
    project: str
    entry: Any
    role: Role
    unit: str | None
    date: dt.date


class Verifier:
    def __init__(self, w: gitops.Work, rng: Range, objects: go.Objects, max_bytes: int) -> None:
        self.w, self.rng = w, rng
        self.r = Reader(w, objects, max_bytes)
        self.verdicts: list[Verdict] = []
        self.acts: list[_Act] = []
        self._seen: set[tuple[str, str, str]] = set()
        self.droot = f"{w.prefix}{repo_mod.DOSSIERS_DIR}/"
        self.settings = Settings()  # the base's, set before any gate is judged
        self.calendar = calendar_for(w.top)  # the copy beside the cache, as validate reads it

    def _path(self, pid: str) -> str:
        return f"{self.droot}{pid}/{repo_mod.PROJECT_FILE}"

    def structure(self, commit: str) -> None:
        for path, p in self.r.snapshot(commit).problems:
            key = (path, p.code, p.en)
            if key not in self._seen:  # one report per problem, at the first commit
                self._seen.add(key)
                self.verdicts.append(Verdict(commit, path, problems=[p]))

    def data(self, snap: Snapshot, pid: str) -> tuple[dict[str, Any] | None, Problem | None]:
        proj = snap.projects.get(pid)
        if proj is None or proj.yaml is None:
            return None, None
        return self.r.dossier(proj.yaml, self._path(pid))

    def commit(self, oid: str, base_units: dict[str, str | None]) -> None:
        c = self.r.o.commit(oid)
        snap = self.r.snapshot(oid)
        parents = [self.r.snapshot(p) for p in c.parents]
        pids = set(snap.projects).union(*(p.projects for p in parents))
        for pid in sorted(pids):
            mine = snap.projects.get(pid)
            theirs = [p.projects.get(pid) for p in parents]
            if len(parents) == 1:  # a merge brings commits checked on their own
                self._signed_documents(c, pid, snap, parents[0])
            if parents and all(
                (t.yaml if t else None) == (mine.yaml if mine else None) for t in theirs
            ):
                continue  # unchanged from every parent
            self.project(c, pid, snap, parents, base_units.get(pid))

    def _signed_documents(self, c: go.Commit, pid: str, snap: Snapshot, parent: Snapshot) -> None:
        """G014 (a warning): a document that a signed act of the parent's history names in
        its refs, changed by this commit: its entry under documents, or the attachment's
        blob. The signature covers the version signed; verify's invariant (items 1-4)
        does not forbid a later edit (a clerk adds a document number), so the reviewer is
        told, and the verdict stays. A SHA-256 recorded afterwards for an unchanged file
        (gtx attach) is no change."""
        mine, theirs = snap.projects.get(pid), parent.projects.get(pid)
        if mine is None or theirs is None or mine.tree == theirs.tree:
            return
        before, _ = self.data(parent, pid)
        after, _ = self.data(snap, pid)
        if before is None or after is None:
            return  # unreadable: the commit's own verdict says so
        history = _history(before)
        signed: dict[str, int] = {}  # document kind -> the first entry naming it (1-based)
        for i, entry in enumerate(history, 1):
            refs = _field(entry, "refs")
            for kind in refs if isinstance(refs, list) else []:
                if isinstance(kind, str):
                    signed.setdefault(kind, i)
        if not signed:
            return
        docs_b, docs_a = _documents(before), _documents(after)
        blobs: list[dict[str, tuple[str, str]]] = []  # parent's and this commit's files, once
        v = Verdict(c.oid, pid)
        for kind, n in sorted(signed.items(), key=lambda x: (x[1], x[0])):
            was, now = docs_b.get(kind), docs_a.get(kind)
            if not isinstance(was, dict):
                continue  # nothing recorded when it was signed
            file = was.get("file")
            if not blobs:
                blobs = [self.r.files_under(theirs.tree, pid), self.r.files_under(mine.tree, pid)]
            path = _norm(f"{pid}/{file}") if isinstance(file, str) else None
            moved = path is not None and blobs[0].get(path) != blobs[1].get(path)
            if not moved and isinstance(now, dict):
                if now == was:
                    continue
                if "sha256" not in was and {**now, "sha256": None} == {**was, "sha256": None}:
                    continue  # a digest recorded for the file as it was signed
            if not isinstance(now, dict):
                what_zh, what_en = "条目被删除", "its entry removed"
            elif moved:
                what_zh, what_en = f"附件 {file}", f"the attachment {file}"
            else:
                what_zh, what_en = "documents 中的条目", "its entry under documents"
            stage = _field(history[n - 1], "stage")
            v.warn(
                "G014",
                f"documents.{kind} 是已签署的第 {n} 项流转（{stage}）所依据的文件，此提交改动了它"
                f"（{what_zh}）：签名只证明签署时的版本，请核对改动是否属实。",
                f"documents.{kind}, which the signed history entry {n} ({stage}) rests on, "
                f"changed in this commit ({what_en}): the signature covers the version signed "
                "only; check that the change is legitimate.",
            )
        if v.warnings:
            self.verdicts.append(v)

    def project(
        self,
        c: go.Commit,
        pid: str,
        snap: Snapshot,
        parents: list[Snapshot],
        base_unit: str | None,
    ) -> None:
        v = Verdict(c.oid, pid)
        mine = snap.projects.get(pid)
        # no project.yaml (or one that is not a plain file, G001): no dossier here
        present = mine is not None and mine.yaml is not None
        after, bad = self.data(snap, pid)
        if bad is not None:
            v.add(bad.code, bad.zh, bad.en)
            self.verdicts.append(v)
            return
        hist, corr = _history(after), _corrections(after)
        longest: list[Any] = []
        longest_c: list[Any] = []  # corrections are append-only too (docs/lifecycle.md)
        befores: list[dict[str, Any] | None] = []
        for parent_oid, p in zip(c.parents, parents, strict=True):
            if pid not in p.projects:
                continue
            before, unreadable = self.data(p, pid)
            if unreadable is not None:
                continue  # reported at that commit, or the base's own problem
            befores.append(before)
            old = _history(before)
            if not present:
                if old:
                    v.add(
                        "G005",
                        f"删除了有流转记录的档案 dossiers/{pid}（相对于父提交 {parent_oid[:10]}）：流转记录只能追加。",
                        f"deletes dossiers/{pid}, which has a history at the parent "
                        f"{parent_oid[:10]}: history is append-only.",
                    )
                continue
            change = compare_history(old, hist)
            if change.rewritten:
                n = ", ".join(str(i + 1) for i in change.rewritten)
                merge = len(c.parents) > 1
                v.add(
                    "G005",
                    f"改写或删除了已有的流转记录（第 {n} 项"
                    + (f"，相对于父提交 {parent_oid[:10]}" if merge else "")
                    + "）：流转记录只能追加，不能修改或删除。",
                    f"rewrites past history entries ({n}"
                    + (f", against the parent {parent_oid[:10]}" if merge else "")
                    + "): history is append-only; entries are never edited or removed.",
                )
            elif len(old) > len(longest):
                longest = old
            old_c = _corrections(before)
            if rewritten := compare_history(old_c, corr).rewritten:
                n = ", ".join(str(i + 1) for i in rewritten)
                v.add(
                    "G005",
                    f"改写或删除了已有的更正记录（corrections 第 {n} 项，相对于父提交 "
                    f"{parent_oid[:10]}）：更正记录只能追加，不能修改或删除。",
                    f"rewrites past corrections ({n}, against the parent {parent_oid[:10]}): "
                    "corrections are append-only; they are never edited or removed.",
                )
            elif len(old_c) > len(longest_c):
                longest_c = old_c
        if v.problems or not present:
            self._keep(v)
            return
        new = hist[len(longest) :]
        stage = after.get("stage") if after else None
        if not new:
            implied = _implied(hist)
            if stage != implied:
                was = befores[0].get("stage") if befores and befores[0] else implied
                v.add(
                    "G011",
                    f"stage 从 {was} 改为 {stage}，却没有追加流转记录：阶段只能用 gtx advance 变更。",
                    f"stage changes from {was} to {stage} without a history entry: change the "
                    "stage with gtx advance only.",
                )
        if len(corr) > len(longest_c):
            self._correction(v, c, pid, snap, parents, len(longest_c), bool(new), base_unit)
            return
        if not new:
            self._keep(v)
            return
        v.transition = True
        source, resume_to = position([s for s in map(entry_stage, longest) if s is not None])
        v.source = source.value
        if len(c.parents) > 1:
            v.add(
                "G006",
                "合并提交改动了阶段或流转记录：每次阶段流转必须是单独的一个签名提交（gtx advance），不能在合并时产生。",
                "a merge commit changes the stage or history: every transition must be its own "
                "signed commit (gtx advance), never made in a merge.",
            )
            self.verdicts.append(v)
            return
        if len(new) > 1:
            v.add(
                "G008",
                f"一次提交追加了 {len(new)} 条流转记录：每次流转一个提交。",
                f"appends {len(new)} history entries in one commit: one transition per commit.",
            )
        entry = new[-1]
        target = entry_stage(entry)
        if target is None:
            v.add(
                "G008",
                "新追加的流转记录没有合法的 stage。",
                "the appended history entry has no valid stage.",
            )
            self.verdicts.append(v)
            return
        v.target = target.value
        move = transition(source, target, resume_to) if len(new) == 1 else None
        role = move.role if move else ENTERED_BY.get(target)
        v.role = role.value if role else None
        if move is None and len(new) == 1:
            v.add(
                "G008",
                f"不合法的阶段流转：{illegal_message(source, target, resume_to, 'zh')}。",
                f"illegal transition: {illegal_message(source, target, resume_to, 'en')}.",
            )
        if move is not None and isinstance(entry, dict) and entry.get("role") != move.role.value:
            v.add(
                "G008",
                f"流转记录写的角色是 {entry.get('role')}，但进入 {target.value} 是 {move.role.value}（{move.role.label}）的行为。",
                f"the entry names role {entry.get('role')}, but entering {target.value} is an act "
                f"of {move.role.value}.",
            )
        if stage != target.value:
            v.add(
                "G011",
                f"stage 是 {stage}，而流转记录推出的阶段是 {target.value}。",
                f"stage is {stage}, but the history says {target.value}.",
            )
        self._scope(v, c, pid, parents[0] if parents else None, snap)
        unit = base_unit or _unit(befores[0] if befores else None) or _unit(after)
        date = _act_date(entry, c.date)
        if role is not None:
            self.acts.append(_Act(v, c, pid, entry, role, unit, date))
        if move is not None and len(new) == 1:
            self._gate(v, c, pid, snap, date)
        self.verdicts.append(v)

    def _correction(
        self,
        v: Verdict,
        c: go.Commit,
        pid: str,
        snap: Snapshot,
        parents: list[Snapshot],
        first: int,
        with_transition: bool,
        base_unit: str | None,
    ) -> None:
        """New corrections at `c` (from index `first`): one signed act of the role that
        signed the corrected entry, in a commit of its own, adding no error."""
        after = self.data(snap, pid)[0]
        hist, corr = _history(after), _corrections(after)
        entry = corr[-1] if isinstance(corr[-1], dict) else {}
        n = entry.get("entry")
        target = hist[n - 1] if isinstance(n, int) and 1 <= n <= len(hist) else None
        v.correction = f"{n}: {_field(target, 'date')} -> {entry.get('date')}"
        v.target = _field(target, "stage")
        if len(c.parents) > 1:
            v.add(
                "G006",
                "合并提交追加了更正记录：每次更正必须是单独的一个签名提交（gtx correct），不能在合并时产生。",
                "a merge commit adds a correction: every correction must be its own signed "
                "commit (gtx correct), never made in a merge.",
            )
            self.verdicts.append(v)
            return
        if with_transition:
            v.add(
                "G013",
                "同一提交既追加了流转记录又追加了更正记录：每个提交只记录一个行为。",
                "the commit appends both a history entry and a correction: one act per commit.",
            )
        if len(corr) - first > 1:
            v.add(
                "G013",
                f"一次提交追加了 {len(corr) - first} 条更正记录：每次更正一个提交。",
                f"appends {len(corr) - first} corrections in one commit: one correction per commit.",
            )
        try:
            role = Role(str(_field(target, "role")))
        except ValueError:
            v.add(
                "G013",
                f"更正记录指向的第 {n} 项流转记录不存在或没有合法的角色，无法判断谁可签署。",
                f"the correction names history entry {n}, which does not exist or has no valid "
                "role, so no signer can be judged.",
            )
            self.verdicts.append(v)
            return
        v.role = role.value
        parent = parents[0] if parents else None
        self._scope(v, c, pid, parent, snap)
        befores = [self.data(p, pid)[0] for p in parents]
        unit = base_unit or _unit(befores[0] if befores else None) or _unit(after)
        date = _act_date({"date": entry.get("corrected")}, c.date)  # the correction's own day
        self.acts.append(_Act(v, c, pid, entry, role, unit, date))
        before = self._errors(parent, pid, date) if parent else set()
        for f in self._findings(snap, pid, date):
            if f.severity is Severity.error and (f.code, f.path) not in before:
                pos = f":{f.line}" if f.line else ""
                v.add(
                    "G013",
                    f"更正带来了错误（以更正日期为当日检查）：{f.code} {f.message('zh')}（{f.file}{pos}）",
                    f"the correction brings an error (checked with its date as today): "
                    f"{f.code} {f.message('en')} ({f.file}{pos})",
                )
        self.verdicts.append(v)

    def _findings(self, snap: Snapshot, pid: str, today: dt.date) -> list[Finding]:
        """Every rule's findings on the dossier and attachments of a commit."""
        proj = snap.projects.get(pid)
        if proj is None or proj.yaml is None:
            return []
        folder = f"{self.droot}{pid}"
        stat = tree_stat(self.r.files_under(proj.tree, folder), folder, self.r)
        return gate(
            self.r.raw(proj.yaml),
            file=self._path(pid),
            folder=pid,
            settings=self.settings,
            today=today,
            stat=stat,
            calendar=self.calendar,
        ).findings

    def _errors(self, snap: Snapshot, pid: str, today: dt.date) -> set[tuple[str, Any]]:
        return {
            (f.code, f.path)
            for f in self._findings(snap, pid, today)
            if f.severity is Severity.error
        }

    def _keep(self, v: Verdict) -> None:
        if v.problems:
            self.verdicts.append(v)

    def _scope(
        self, v: Verdict, c: go.Commit, pid: str, parent: Snapshot | None, snap: Snapshot
    ) -> None:
        """A transition commit holds its own project folder only (docs/security.md)."""
        parent_tree = self.r.o.commit(c.parents[0]).tree if c.parents else None
        changed = list(self.r.changed(parent_tree, c.tree))
        mine = f"{self.droot}{pid}/"
        others = sorted(
            {
                p[len(self.droot) :].split("/", 1)[0]
                for p in changed
                if p.startswith(self.droot) and not p.startswith(mine)
            }
            & {q for q in snap.projects.keys() | (parent.projects.keys() if parent else set())}
        )
        if others:
            v.add(
                "G010",
                f"同一提交还改动了其他项目：{', '.join(others[:5])}。每次流转只能涉及一个项目。",
                f"the same commit also changes {', '.join(others[:5])}: a transition touches one "
                "project only.",
            )
        outside = [p for p in changed if not p.startswith(mine) and not p.startswith(self.droot)]
        if outside:
            v.add(
                "G010",
                f"流转提交还改动了项目文件夹之外的文件：{', '.join(outside[:5])}。流转提交只能包含 dossiers/{pid}/。",
                f"the transition commit also changes files outside its folder: "
                f"{', '.join(outside[:5])}. It may hold dossiers/{pid}/ only.",
            )

    def _gate(self, v: Verdict, c: go.Commit, pid: str, snap: Snapshot, today: dt.date) -> None:
        for f in self._findings(snap, pid, today):
            # the corrections were judged at the commits that made them (G013), with their
            # own dates; against this act's date a later correction looks "in the future"
            if f.severity is not Severity.error or f.code in CORRECTION_CODES:
                continue
            pos = f":{f.line}" if f.line else ""
            v.add(
                "G009",
                f"准入条件在该提交时不满足：{f.code} {f.message('zh')}（{f.file}{pos}）",
                f"the gate did not hold at this commit: {f.code} {f.message('en')} ({f.file}{pos})",
            )


def run_checks(w: gitops.Work, rng: Range, *, max_bytes: int = loader.MAX_BYTES) -> Result:
    """Every check of the module docstring over `rng`."""
    commits = go.commits_between(w, rng.base, rng.tip)
    if not commits:
        raise UsageError(
            f"范围 {_shown(rng.spec)} 中没有提交：什么也没有检查（0 个提交）。"
            "请写明包含待验证提交的范围，例如 gtx verify origin/main..HEAD。",
            f"the range {_shown(rng.spec)} holds no commits: nothing checked (0 commits). Name a "
            "range that holds the commits to verify, e.g. gtx verify origin/main..HEAD.",
        )
    with go.Objects(w) as objects:
        ver = Verifier(w, rng, objects, max_bytes)
        try:
            return _run(ver, w, rng, commits)
        except go.Missing as gone:
            raise UsageError(
                f"仓库缺少对象 {gone}（浅克隆？）：请取得完整历史（CI 中 fetch-depth: 0）。",
                f"the repository lacks the object {gone} (a shallow clone?): fetch the whole "
                "history (fetch-depth: 0 in CI).",
            ) from None


def _run(ver: Verifier, w: gitops.Work, rng: Range, commits: list[str]) -> Result:
    settings, errors = ver.r.settings(rng.base)
    if errors:
        raise UsageError(
            f"基准提交 {rng.base[:10]} 中的 gtx.yaml 有错误，无法确定签署人：请先修正 gtx.yaml 并合入基准分支。\n"
            + "\n".join(e.split("\n")[0] for e in errors[:5]),
            f"gtx.yaml at the base {rng.base[:10]} has errors, so no signer can be trusted: fix "
            "it on the base branch first.\n" + "\n".join(e.split("\n")[-1] for e in errors[:5]),
        )
    ver.settings = settings
    ring = Keyring.of(settings)
    tip_ring = Keyring.of(ver.r.settings(rng.tip)[0])
    base = ver.r.snapshot(rng.base)
    base_units = {pid: _unit(ver.data(base, pid)[0]) for pid in base.projects}
    ver.structure(rng.base)
    for oid in commits:
        ver.structure(oid)
        ver.commit(oid, base_units)
    _base_to_tip(ver, rng, base)
    with tempfile.TemporaryDirectory(prefix="gtx-verify-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(ring.allowed_signers_text(), "utf-8")
        sigs = go.signatures(w, (a.commit.oid for a in ver.acts), allowed)
    for act in ver.acts:
        check_signature(act, sigs.get(act.commit.oid), ring, tip_ring, settings)
    return Result(rng, len(commits), ver.verdicts)


def _base_to_tip(ver: Verifier, rng: Range, base: Snapshot) -> None:
    """Nothing the base holds is lost at the head, whatever path the commits took."""
    tip = ver.r.snapshot(rng.tip)
    told = {v.project for v in ver.verdicts if any(p.code == "G005" for p in v.problems)}
    for pid in sorted(set(base.projects) - told):
        old, bad = ver.data(base, pid)
        if bad is not None:
            continue
        if pid not in tip.projects:
            ver.verdicts.append(
                Verdict(
                    rng.tip,
                    pid,
                    problems=[
                        Problem(
                            "G005",
                            f"基准中的项目 dossiers/{pid} 在末端提交中不存在了：项目只能增加，不能删除。",
                            f"dossiers/{pid}, a project of the base, is gone at the head: projects "
                            "are never removed.",
                        )
                    ],
                )
            )
            continue
        new, bad = ver.data(tip, pid)
        if bad is None and (
            compare_history(_history(old), _history(new)).rewritten
            or compare_history(_corrections(old), _corrections(new)).rewritten
        ):
            ver.verdicts.append(
                Verdict(
                    rng.tip,
                    pid,
                    problems=[
                        Problem(
                            "G005",
                            f"dossiers/{pid} 在末端提交中的流转记录（或更正记录）不是基准中记录的延续："
                            "已有记录被删除或改写。",
                            f"the history (or the corrections) of dossiers/{pid} at the head does "
                            "not start with that at the base: entries were dropped or rewritten.",
                        )
                    ],
                )
            )


def check_signature(
    act: _Act,
    sig: gitops.Signature | None,
    ring: Keyring,
    tip_ring: Keyring,
    settings: Settings,
) -> None:
    v, role, unit = act.verdict, act.role, act.unit
    # a correction is signed by the role that signed the act it corrects
    noun = ("更正", "correction", "correction") if v.correction else ("流转", "transition", "act")
    status = sig.status if sig else "N"
    fixed = {
        "N": (
            "提交没有签名：阶段流转必须由该角色的签署人签名提交（gtx advance）。",
            "the commit is not signed: a transition must be a commit signed by a signer of its "
            "role (gtx advance).",
        ),
        "B": (
            "签名无效（内容与签名不符）：提交在签名后被改动过。",
            "the signature is bad: the commit was altered after it was signed.",
        ),
        "X": ("签名已过期。", "the signature has expired."),
        "Y": ("签名密钥已过期。", "the signing key has expired."),
        "R": ("签名密钥已被吊销。", "the signing key was revoked."),
        "E": (
            "无法检查签名（缺少 ssh-keygen 或 gpg，或签名格式不受支持）。",
            "the signature cannot be checked (ssh-keygen or gpg is missing, or the format is "
            "unsupported).",
        ),
    }
    if sig is None or status in fixed:
        zh, en = fixed.get(status, fixed["N"])
        v.add("G007", zh, en)
        return
    v.signer = sig.key or sig.fingerprint or None
    match = ring.matcher(sig)
    if match is None:
        if tip_ring.lists(sig) and not ring.lists(sig):
            v.add(
                "G007",
                f"签名密钥 {v.signer} 是在待审查的提交中才加入 gtx.yaml 的：密钥只有在基准分支的 gtx.yaml 中登记后才算数。",
                f"the signing key {v.signer} was added to gtx.yaml by the commits under review: "
                "a key counts only once it is listed in gtx.yaml on the base branch.",
            )
        else:
            v.add(
                "G007",
                f"签名密钥 {v.signer} 没有登记在（基准分支的）gtx.yaml 中。",
                f"the signing key {v.signer} is not listed in gtx.yaml (at the base).",
            )
        return
    allowed: list[Signer] = [s for s in listed_for(settings, role, unit) if match(s.key)]
    if allowed:
        valid = [s for s in allowed if s.valid_on(act.date)]
        v.signer = (valid or allowed)[0].name
        if not valid:
            s = allowed[0]
            span = f"{s.valid_from or '…'} – {s.until or '…'}"
            v.add(
                "G007",
                f"签署人 {s.name} 的密钥有效期为 {span}，而这次{noun[0]}的日期是 {act.date}：密钥在该日期不算数。",
                f"the key of {s.name} is valid {span}, but the {noun[2]} is dated {act.date}: the key "
                "does not count on that date.",
            )
        return
    found: list[Holder] = holders(settings, match)
    v.signer = found[0].signer if found else v.signer
    units = [h for h in found if h.kind == "unit"]
    if role is Role.unit and units:
        names = ", ".join(sorted({h.name for h in units}))
        v.add(
            "G007",
            f"签署人 {v.signer} 是建设单位 {names} 的签署人，而本项目的建设单位是 {unit}：建设单位只能签署本单位的项目。",
            f"{v.signer} signs for the unit {names}, but this project's unit is {unit}: a unit "
            "signs for its own projects only.",
        )
        return
    held = ", ".join(f"{h.kind}:{h.name}" for h in found) or "-"
    need = f"unit:{unit}" if role is Role.unit else role.value
    v.add(
        "G007",
        f"签署人 {v.signer} 登记的角色是 {held}，而这次{noun[0]}须由 {need}（{role.label}）签署。",
        f"{v.signer} is listed for {held}, but this {noun[1]} is an act of {need}.",
    )


def tree_stat(
    entries: dict[str, tuple[str, str]], folder: str, r: Reader
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
            if mode == go.MODE_LINK:
                try:
                    link = r.o.read(oid, "blob", 4096).decode("utf-8", "replace")
                except (go.TooLarge, go.Missing):
                    return FileStatus.link_out
                if link.startswith("/"):
                    return FileStatus.link_out
                target = _norm(f"{os.path.dirname(target)}/{link}")
                continue
            return FileStatus.ok if mode in go.MODE_FILE else FileStatus.not_a_file
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
