"""The repository's own paths, judged before anything is read or written through
them (docs/security.md, Links).

Git stores a symbolic link as the text of its target, not as the file behind it:
a `dossiers/`, a project folder, a `project.yaml` or a `gtx.yaml` that is a link
would make gtx read (or write) a file that is nowhere in the record. So no gtx
command follows one: validate reports it, the other commands refuse.
"""

from __future__ import annotations

import os
import re
import stat as stat_mod
from pathlib import Path

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.errors import UsageError

# The entries of the repository's top level that gtx reads (docs/dossier.md).
TOP_ENTRIES = ("gtx.yaml", "dossiers")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def is_link(path: Path | str) -> bool:
    try:
        return stat_mod.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def link_target(path: Path | str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def linked_top_entries(root: Path) -> list[str]:
    """gtx.yaml and dossiers/ when either is a symbolic link."""
    return [name for name in TOP_ENTRIES if is_link(root / name)]


def link_findings(root: Path) -> list[Finding]:
    """An error finding for each top-level entry that is a link (validate)."""
    out = []
    for name in linked_top_entries(root):
        target = link_target(root / name)
        out.append(
            Finding(
                "S001",
                Severity.error,
                None,
                name,
                (),
                "",
                f"{name} 是指向 {target} 的符号链接：git 只保存链接本身，gtx 不会跟随它读取。"
                f"请把真正的 {name} 放进档案仓库（删除链接，复制或移动原文件）。",
                f"{name} is a symbolic link to {target}: git keeps the link, not the file "
                f"behind it, and gtx does not follow it. Put the real {name} in the "
                "repository (remove the link, copy or move the original in).",
                None,
            )
        )
    return out


def refuse_links(root: Path) -> None:
    """Exit 2 when gtx.yaml or dossiers/ is a link (every command but validate)."""
    linked = linked_top_entries(root)
    if linked:
        f = link_findings(root)[0]
        raise UsageError(
            f.message_zh + "（gtx validate 会列出全部问题。）",
            f.message_en + " (gtx validate lists every problem.)",
        )


def no_link_on_way(root: Path, path: Path) -> None:
    """Refuse (exit 2) to write `path` when it, or a folder between the repository
    root and it, is a symbolic link: a write would land outside the repository."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = None
    if rel is None:
        raise UsageError(
            f"{path} 不在档案仓库 {root} 中：gtx 只写仓库内的文件。未写入任何内容。",
            f"{path} is not inside the repository {root}: gtx writes only inside it. "
            "Nothing was written.",
        )
    cur = root
    for part in rel.parts:
        cur = cur / part
        if is_link(cur):
            shown = cur.relative_to(root).as_posix()
            raise UsageError(
                f"{shown} 是指向 {link_target(cur)} 的符号链接：gtx 不通过链接写入文件"
                "（会写到仓库之外）。请删除链接后重试。未写入任何内容。",
                f"{shown} is a symbolic link to {link_target(cur)}: gtx does not write "
                "through a link (the file would land outside the repository). Remove the "
                "link and retry. Nothing was written.",
            )


def name_problem(name: str) -> tuple[str, str] | None:
    """(zh, en) when a folder or file name cannot be shown or passed on as it is:
    bytes that are not UTF-8 (os.listdir gives them as lone surrogates) or control
    characters such as a newline or a terminal escape."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return (
            "名称不是 UTF-8 编码：请用 UTF-8 字符重命名",
            "the name is not UTF-8: rename it with UTF-8 characters",
        )
    if _CONTROL.search(name):
        return (
            "名称中含有换行或控制字符：请重命名，只用字母、数字和连字符",
            "the name holds a line break or a control character: rename it with "
            "letters, digits and hyphens only",
        )
    return None


ATTRIBUTES = ".gitattributes"
MODULES = ".gitmodules"


def attribute_findings(
    root: Path, ids: list[str], bare: set[str] | frozenset[str] = frozenset()
) -> list[Finding]:
    """An error per line of a committed-style `.gitattributes` (the repository's,
    dossiers/'s, or a checked project folder's) or of `.gitmodules` that bears on
    gtx.yaml or a checked project.yaml (golmud_cli/core/gitattributes.py). `bare`:
    projects whose folder was just seen to hold no `.gitattributes` (by the worker
    that checked it, pipeline/batch.py): not looked at again."""
    from golmud_cli.core.gitattributes import AttrHit, ModuleHit, attributes_affect, submodule_hits
    from golmud_cli.edges.cache import runs
    from golmud_cli.edges.repo import read_limited

    dossier_files = [f"dossiers/{i}/project.yaml" for i in ids]
    sources: list[tuple[str, str, list[str]]] = [
        (ATTRIBUTES, "", ["gtx.yaml", *dossier_files]),
        (f"dossiers/{ATTRIBUTES}", "dossiers/", dossier_files),
        *(
            (f"dossiers/{i}/{ATTRIBUTES}", f"dossiers/{i}/", [f"dossiers/{i}/project.yaml"])
            for i in ids
            if i not in bare
        ),
    ]
    out: list[Finding] = []

    def text_of(rel: str) -> str | None:
        try:
            return read_limited(root / rel).decode("utf-8", "replace")
        except FileNotFoundError:
            return None
        except OSError:  # a link, a pipe: whatever it says, git would not apply it
            return None

    def add(rel: str, h: AttrHit | ModuleHit, zh: str, en: str) -> None:
        out.append(Finding("S001", Severity.error, None, rel, (), "", zh, en, None, h.line, 1))

    top = str(root)  # str paths: pathlib's join costs ~20 µs a project folder here
    for rel, base, paths in sources:
        if base.count("/") > 1 and not os.path.lexists(f"{top}/{rel}"):
            continue  # the usual case for a project folder: one lstat, nothing read
        # a kept run (edges/cache/runs.py) holds while this file stays as it is; one
        # that appears in a project folder moves the folder's stamp
        runs.depend((f"{top}/{rel}",))
        text = text_of(rel)
        if text is None:
            continue
        local = [p.removeprefix(base) for p in paths]
        for h in attributes_affect(text, local):
            shown = base + h.path
            add(
                rel,
                h,
                f"{rel} 第 {h.line} 行“{h.text}”改变了 git 检出或显示 {shown} 的方式"
                "（如编码、换行、过滤器、二进制）：检出的文件、审阅者看到的差异与 git 保存的内容"
                "会不一致。请删除这一行，档案文件不设这类属性（gtx init 写的 text eol=lf 可以保留）。",
                f"{rel} line {h.line} '{h.text}' changes how git checks out or shows "
                f"{shown} (encoding, line ends, a filter, binary): the file checked out and "
                "the diff a reviewer sees would differ from what git stores. Delete the "
                "line; dossier files take no such attribute (the text eol=lf gtx init "
                "writes may stay).",
            )
    runs.depend((f"{top}/{MODULES}",))
    text = text_of(MODULES)
    if text is not None:
        for m in submodule_hits(text, ["gtx.yaml", *dossier_files]):
            add(
                MODULES,
                m,
                f"{MODULES} 第 {m.line} 行把子模块放在 {m.path} 处：档案与 gtx.yaml 必须是本仓库中的"
                "普通文件。请删除该子模块。",
                f"{MODULES} line {m.line} puts a submodule where {m.path} lies: dossiers and "
                "gtx.yaml must be plain files of this repository. Remove the submodule.",
            )
    return out


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over: a reader
    sees the old file or the new one, never a part. `durable=False` skips the fsync
    (the result cache: losing a file to a power cut costs a recheck, and an fsync per
    results file would cost the warm path more than it saves).

    The temporary name is this process's own (`.name.<pid>.tmp`, created exclusively):
    no tempfile's random names and retries (a cold run's workers write 256 results
    files, issue 17). A file left at that name by another is not ours to touch: then
    tempfile picks one."""
    tmp = f"{path.parent}/.{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        import tempfile  # only then (pipeline/batch.py imports this module early)

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
            try:  # the old file's mode, else rw-r--r--
                mode = path.stat().st_mode & 0o777
            except FileNotFoundError:
                mode = 0o644
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
