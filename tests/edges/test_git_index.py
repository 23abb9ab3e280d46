"""edges/git.Index: the blob ids git's index vouches for, from one `ls-files -c -m`
(the result cache keys unchanged dossiers by them, pipeline/batch.py). A file that
differs from the index in any way must not get the index's id."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from golmud_cli.edges.git import Index
from golmud_cli.edges.gitdir import blob_id
from tests.support.git import git, git_env_fixture  # noqa: F401


def _repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    for name in (
        "same",
        "edited",
        "deleted",
        "staged",
        "assumed",
        "linked",
        "odd name ü\t1",
        "retyped",
    ):
        d = r / "dossiers" / name
        d.mkdir(parents=True)
        (d / "project.yaml").write_bytes(f"id: {name}\n".encode())
    (r / "gtx.yaml").write_text("units: {}\n")
    git(r, "init", "-q", "-b", "main")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "x")
    return r


def test_only_files_as_the_index_has_them_get_its_id(tmp_path: Path, git_env: Path) -> None:
    r = _repo(tmp_path)
    d = r / "dossiers"
    with open(d / "edited/project.yaml", "r+b") as f:  # same size, other bytes
        f.write(b"ID")
    os.unlink(d / "deleted/project.yaml")
    (d / "staged/project.yaml").write_bytes(b"id: staged, now\n")
    git(r, "add", "dossiers/staged/project.yaml")
    git(r, "update-index", "--assume-unchanged", "dossiers/assumed/project.yaml")
    os.unlink(d / "linked/project.yaml")
    os.symlink("../same/project.yaml", d / "linked/project.yaml")
    git(r, "add", "dossiers/linked/project.yaml")  # stored as a link (120000)
    os.unlink(d / "retyped/project.yaml")
    (d / "retyped/project.yaml").mkdir()  # a folder where the file was

    ids = Index(r, [":(glob)dossiers/*/project.yaml", "gtx.yaml"]).blob_ids()

    head = {
        name: subprocess.run(
            ["git", "rev-parse", f":dossiers/{name}/project.yaml"],
            cwd=r,
            capture_output=True,
            text=True,
        ).stdout.strip()
        for name in ("same", "staged", "odd name ü\t1")
    }
    assert ids == {
        "dossiers/same/project.yaml": head["same"],
        "dossiers/staged/project.yaml": head["staged"],  # the staged bytes, as on disk
        "dossiers/odd name ü\t1/project.yaml": head["odd name ü\t1"],
        "gtx.yaml": blob_id((r / "gtx.yaml").read_bytes()),
    }
    assert head["staged"] == blob_id(b"id: staged, now\n")


def test_no_git_no_ids(tmp_path: Path, git_env: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert Index(tmp_path / "plain", ["gtx.yaml"]).blob_ids() == {}
    idx = Index(tmp_path / "plain", ["gtx.yaml"])
    idx.close()  # closing an unread Index leaves no process behind
    assert idx.ls is None or idx.ls.returncode is not None
