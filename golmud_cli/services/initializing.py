"""`gtx init [DIR]`: a new dossier repository in one command (docs/cli.md).

It writes gtx.yaml, dossiers/, schema/, templates/filing-form.docx, the CI workflows
for GitHub and Gitea Actions, a pre-commit config, .gitattributes, .gitignore and a
README for the clerks, and runs `git init -b main`. The files are staged, not
committed: the administrator registers the signers in gtx.yaml first, and that
first commit is the one `gtx verify` will trust (it reads gtx.yaml from the base).
`--commit` makes that initial commit at once, for those who register signers later.

A folder that holds anything but an empty `.git` (a fresh clone of an empty server
repository) is refused unless `--force`; then only missing files are added. No file
is ever overwritten, and a failure removes what this run created.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from golmud_cli.core.wheel import Upgrade, Wheel
from golmud_cli.edges import git as gitops
from golmud_cli.edges.fs import atomic_write
from golmud_cli.errors import UsageError
from golmud_cli.services import scaffolding as scaffold
from golmud_cli.services import wheel as wheels

INITIAL_COMMIT_MESSAGE = "gtx init：新建政务信息化项目档案库"


@dataclass(frozen=True, slots=True)
class Initialized:
    root: Path
    created: list[str]  # sorted, relative POSIX paths
    skipped: list[str]  # there already, left unchanged
    committed: bool
    here: bool  # the repository is the current folder (no `cd` step to show)


def _existing_entries(root: Path) -> list[str]:
    """What is in the folder already, an empty clone's `.git` aside."""
    if not root.exists():
        return []
    return sorted(e.name for e in root.iterdir() if e.name != ".git")


def initialize(
    directory: Path | None, *, force: bool, commit: bool, upgrade: bool = False
) -> Initialized | Upgraded:
    root = (directory or Path.cwd()).absolute()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} 已存在且不是文件夹。", f"{root} exists and is not a folder.")
    for parent in root.parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(
                f"{parent} 是文件，不是文件夹：无法在其中新建 {root.name}。",
                f"{parent} is a file, not a folder: cannot create {root.name} in it.",
            )
    if upgrade:
        return _upgrade(root, wheels.current())
    present = _existing_entries(root)
    if present and not force:
        shown = "、".join(present[:5]) + ("……" if len(present) > 5 else "")
        shown_en = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
        raise UsageError(
            f"{root} 不是空文件夹（已有 {shown}）：请换一个新文件夹，或加 --force 只补上缺少的文件（不覆盖已有文件）。",
            f"{root} is not empty (it holds {shown_en}): choose a new folder, or add --force to add "
            "only the missing files (nothing is overwritten).",
        )
    if commit:
        # Refuse before writing anything: a commit needs an identity (user.name, user.email).
        probe = root if root.exists() else next(p for p in root.parents if p.exists())
        if gitops.git(probe, "var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
            raise UsageError(
                '--commit 需要 git 身份：请先运行 git config --global user.name "姓名" 和 '
                'git config --global user.email "邮箱"。',
                '--commit needs a git identity: run git config --global user.name "Name" and '
                'git config --global user.email "you@example.org" first.',
            )

    wheel = wheels.current()
    files = scaffold.repository_files(wheel.data, wheel.sha256)
    todo = {rel: data for rel, data in files.items() if not (root / rel).exists()}
    skipped = sorted(set(files) - set(todo))
    for rel in todo:
        for parent in Path(rel).parents[:-1]:
            if (root / parent).exists() and not (root / parent).is_dir():
                raise UsageError(
                    f"{root / parent} 已存在但不是文件夹，gtx 需要在其中写入 {rel}：请改名或移走它。",
                    f"{root / parent} exists but is not a folder, and gtx must write {rel} in it: "
                    "rename or move it.",
                )

    created_root = not root.exists()
    made_git = not (root / ".git").exists()
    made: list[Path] = []  # files and folders this run created, for the rollback
    try:
        if created_root:
            root.mkdir(parents=True)
        if made_git:
            gitops.git(root, "init", "-q", "-b", "main")
        for rel, data in todo.items():
            path = root / rel
            for parent in reversed(path.relative_to(root).parents[:-1]):
                d = root / parent
                if not d.exists():
                    d.mkdir()
                    made.append(d)
            atomic_write(path, data)
            made.append(path)
        if todo:
            gitops.git(root, "add", "--", *todo)
        committed = False
        if commit and todo:
            gitops.git(root, "commit", "-q", "-m", INITIAL_COMMIT_MESSAGE, "--", *todo)
            committed = True
    except BaseException:
        _rollback(root, made, created_root=created_root, made_git=made_git, staged=list(todo))
        raise

    here = os.path.samefile(root, Path.cwd())
    return Initialized(root, sorted(todo), skipped, committed, here)


@dataclass(frozen=True, slots=True)
class Upgraded:
    root: Path
    done: Upgrade


def _upgrade(root: Path, wheel: Wheel) -> Upgraded:
    if not (root / "gtx.yaml").is_file():
        raise UsageError(
            f"{root} 中没有 gtx.yaml，不是 gtx 档案仓库：--upgrade 只用于已有的仓库。",
            f"{root} has no gtx.yaml and is not a gtx repository: --upgrade is for an existing one.",
        )
    done = wheels.upgrade(root, wheel)
    changed = done.written + done.removed
    if changed and (root / ".git").exists():
        gitops.git(root, "add", "-A", "--", *changed)
    return Upgraded(root, done)


def _rollback(
    root: Path, made: list[Path], *, created_root: bool, made_git: bool, staged: list[str]
) -> None:
    if created_root:
        shutil.rmtree(root, ignore_errors=True)
        return
    if made_git:
        shutil.rmtree(root / ".git", ignore_errors=True)
    else:
        gitops.git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *staged, check=False)
    for p in reversed(made):
        try:
            p.rmdir() if p.is_dir() else p.unlink()
        except OSError:
            pass
