"""gtx verify judges what git stores (docs/security.md): links, submodules, malformed
trees, merges that drop entries, hostile names, attributes, key validity, big blobs.

Every repository is real and every key a real ed25519 key; trees that ordinary git
commands refuse to make are written with `hash-object -t tree --literally`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.yamledit import NewHistoryEntry as Entry
from golmud_cli.edges.yamledit import advance_text
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    branch,
    commit,
    git,
    make_repo,
    project_file,
    use_key,
)

runner = CliRunner()
TreeItem = tuple[str, bytes, str]  # mode, name, object id


def verify(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["verify", *args, "--repo", str(repo), "--lang", lang])


def seen(needle: str, output: str) -> bool:
    """`needle` in text output, whatever line breaks the 80-column wrapping put in."""
    return "".join(needle.split()) in "".join(output.split())


def sh(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, input=input, capture_output=True, check=True).stdout


def blob(repo: Path, data: bytes) -> str:
    return sh(repo, "hash-object", "-w", "--stdin", input=data).strip().decode()


def ls(repo: Path, tree: str) -> list[TreeItem]:
    out = []
    for item in sh(repo, "ls-tree", "-z", tree).split(b"\0"):
        if item:
            meta, _, name = item.partition(b"\t")
            mode, _kind, oid = meta.decode().split()
            out.append((mode, name, oid))
    return out


def raw_tree(repo: Path, items: list[TreeItem]) -> str:
    """A tree exactly as given (duplicates, any names): what a hostile push can hold."""
    data = b"".join(m.encode().lstrip(b"0") + b" " + n + b"\0" + bytes.fromhex(o) for m, n, o in items)
    return sh(repo, "hash-object", "-w", "-t", "tree", "--literally", "--stdin", input=data).strip().decode()


def put(repo: Path, tree: str, path: list[bytes], entry: tuple[str, str] | None) -> str:
    """`tree` with the entry at `path` replaced (None: removed), in git's order."""
    items = [i for i in ls(repo, tree) if i[1] != path[0]]
    old = {i[1]: i for i in ls(repo, tree)}.get(path[0])
    if len(path) > 1:
        sub = old[2] if old else raw_tree(repo, [])
        entry = ("040000", put(repo, sub, path[1:], entry))
    if entry is not None:
        items.append((entry[0], path[0], entry[1]))
    items.sort(key=lambda i: i[1] + (b"/" if i[0] == "040000" else b""))
    return raw_tree(repo, items)


def commit_tree(repo: Path, tree: str, parents: list[str], key: Key | None = None, msg: str = "m") -> str:
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.public}", "commit-tree", "-S"] if key else [
        "commit-tree"]
    args = [a for p in parents for a in ("-p", p)]
    sha = sh(repo, *sign, tree, *args, "-m", msg).strip().decode()
    sh(repo, "update-ref", "HEAD", sha)
    return sha


def tree_of(repo: Path, rev: str = "HEAD") -> str:
    return sh(repo, "rev-parse", f"{rev}^{{tree}}").strip().decode()


def forged_yaml(repo: Path, stage: str = "proposed", role: str = "unit", date: str = "2023-07-25") -> bytes:
    return advance_text(project_file(repo).read_text("utf-8"), Entry(stage, date, role)).encode()


def result(repo: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    r = verify(repo, "--format", "json", *args)
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


def codes(data: dict) -> list[str]:  # type: ignore[type-arg]
    return [c for t in data["transitions"] for c in t["codes"]]


def texts(data: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(p for t in data["transitions"] for p in t["problems"])


PROJECT_B = PROJECT.encode()
YAML_PATH = [b"dossiers", PROJECT_B, b"project.yaml"]


# --- links and submodules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (YAML_PATH, f"dossiers/{PROJECT}/project.yaml"),
        ([b"dossiers", PROJECT_B], f"dossiers/{PROJECT}"),
        ([b"dossiers"], "dossiers"),
        ([b"gtx.yaml"], "gtx.yaml"),
    ],
)
def test_a_link_where_a_file_or_folder_belongs(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], path: list[bytes], shown: str
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    link = blob(repo, b"../../elsewhere/project.yaml")
    commit_tree(repo, put(repo, tree_of(repo), path, ("120000", link)), [base], keys["unit"])
    code, data = result(repo)
    assert code == 1 and "G001" in codes(data)
    assert f"{shown} is a symbolic link in git where" in texts(data)
    text = verify(repo)
    assert text.exit_code == 1 and "[G001]" in text.output
    zh = verify(repo, lang="zh")
    assert zh.exit_code == 1 and seen("在 git 中是符号链接", zh.output)


def test_a_link_in_the_base_is_refused_too(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    link = blob(repo, b"other.yaml")
    commit_tree(repo, put(repo, tree_of(repo), [b"gtx.yaml"], ("120000", link)), [base])
    sh(repo, "switch", "-q", "-c", "feature")
    (repo / "README").write_text("notes\n")
    commit(repo, "notes", "README")
    code, data = result(repo)
    assert code == 1 and codes(data) == ["G001"]


def test_a_submodule_in_place_of_a_project(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    commit_tree(repo, put(repo, tree_of(repo), [b"dossiers", b"2024-other-project"], ("160000", base)), [base])
    code, data = result(repo)
    assert code == 1 and codes(data) == ["G001"]
    assert "dossiers/2024-other-project is a submodule in git where a folder is expected" in texts(data)


# --- malformed trees ----------------------------------------------------------------


def test_two_entries_of_the_same_name(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    """verify must not read one project.yaml while a checkout writes the other."""
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    folder = ls(repo, f"HEAD:dossiers/{PROJECT}")
    honest = next(i for i in folder if i[1] == b"project.yaml")
    forged = ("100644", b"project.yaml", blob(repo, forged_yaml(repo)))
    dup = raw_tree(repo, [*folder[:1], honest, forged, *folder[1:]])
    root = put(repo, tree_of(repo), [b"dossiers", PROJECT_B], ("040000", dup))
    commit_tree(repo, root, [base], keys["unit"])
    code, data = result(repo)
    assert code == 1 and "G002" in codes(data)
    assert f"the tree dossiers/{PROJECT}/ holds two entries named project.yaml" in texts(data)


@pytest.mark.parametrize("name", [b".git", b".GIT", b"..", b"a/b"])
def test_unsafe_names_in_a_tree(tmp_path: Path, git_env: Path, keys: dict[str, Key], name: bytes) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    folder = ls(repo, f"HEAD:dossiers/{PROJECT}")
    bad = raw_tree(repo, [*folder, ("100644", name, blob(repo, b"x"))])
    commit_tree(repo, put(repo, tree_of(repo), [b"dossiers", PROJECT_B], ("040000", bad)), [base])
    code, data = result(repo)
    assert code == 1 and "G002" in codes(data)
    assert "holds an unsafe name" in texts(data)


# --- merges ---------------------------------------------------------------------------


def _rejected_on_main(repo: Path, keys: dict[str, Key]) -> tuple[str, list[str]]:
    """main: proposed, then rejected by ndrc (the base); two side commits made from the
    proposed state, each holding the dossier before its rejection."""
    use_key(repo, keys["unit"])
    r = runner.invoke(app, ["advance", PROJECT, "proposed", "--date", "2023-07-25", "--repo", str(repo),
                            "--as-of", AS_OF, "--ref", "feasibility_study"])
    assert r.exit_code == 0, r.output
    sides = []
    for n in (1, 2):
        git(repo, "switch", "-q", "-c", f"side{n}", "main")
        (repo / f"NOTES{n}").write_text("side\n")
        sides.append(commit(repo, f"side {n}", f"NOTES{n}"))
    git(repo, "switch", "-q", "main")
    use_key(repo, keys["ndrc"])
    r = runner.invoke(app, ["advance", PROJECT, "rejected", "--date", "2023-08-30", "--repo", str(repo),
                            "--as-of", AS_OF])
    assert r.exit_code == 0, r.output
    return sh(repo, "rev-parse", "HEAD").strip().decode(), sides


@pytest.mark.parametrize("octopus", [False, True])
def test_a_merge_that_takes_an_older_dossier(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], octopus: bool
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    base, sides = _rejected_on_main(repo, keys)
    branch(repo, "feature")
    # the result equals a side parent: the rejection is gone
    parents = [base, *(sides if octopus else sides[:1])]
    commit_tree(repo, tree_of(repo, sides[0]), parents, keys["ndrc"], "merge side")
    code, data = result(repo)
    assert code == 1 and "G005" in codes(data)
    assert f"against the parent {base[:10]}" in texts(data)
    r = verify(repo, "main..HEAD")
    assert r.exit_code == 1 and seen("[G005] rewrites past history entries (2, against the parent", r.output)
    # the same merge keeping the base's dossier is sound
    git(repo, "reset", "-q", "--hard", base)
    commit_tree(repo, tree_of(repo, base), parents, None, "merge side, keeping main's dossier")
    assert verify(repo, "main..HEAD").exit_code == 0


def test_a_project_dropped_between_base_and_head(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    base, _ = _rejected_on_main(repo, keys)
    branch(repo)
    git(repo, "rm", "-r", "-q", f"dossiers/{PROJECT}")
    commit(repo, "drop it")
    code, data = result(repo)
    assert code == 1 and codes(data) == ["G005"]
    assert f"deletes dossiers/{PROJECT}, which has a history at the parent {base[:10]}" in texts(data)


# --- names of any bytes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [b"x\x1ey", b"a\nb", b"\xff\xfe-not-utf8", b"tab\there", b"\x1b[2K\r\xe2\x9c\x93 all good"]
)
def test_hostile_names_do_not_hide_a_forged_transition(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], name: bytes
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    root = put(repo, tree_of(repo), YAML_PATH, ("100644", blob(repo, forged_yaml(repo))))
    root = put(repo, root, [b"dossiers", PROJECT_B, name], ("100644", blob(repo, b"x")))
    root = put(repo, root, [name], ("100644", blob(repo, b"x")))
    commit_tree(repo, root, [base], None, "forged, unsigned")
    code, data = result(repo)
    assert code == 1
    [t] = [t for t in data["transitions"] if t["to"] == "proposed"]
    assert "G007" in t["codes"] and any(p.startswith("the commit is not signed") for p in t["problems"])
    r = verify(repo)
    assert r.exit_code == 1 and "✗" in r.output and "\x1b" not in r.output


def test_escapes_in_a_folder_name_are_shown_inert(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    spoof = b"\x1b[1A\x1b[2K\r\xe2\x9c\x93 all good\x1b[8m"
    link = blob(repo, b"x")
    commit_tree(repo, put(repo, tree_of(repo), [b"dossiers", spoof], ("120000", link)), [base])
    r = verify(repo)
    assert r.exit_code == 1 and "\x1b" not in r.output
    assert seen("dossiers/\\u001b[1A\\u001b[2K\\u000d✓ all good\\u001b[8m is a symbolic link", r.output)
    assert all(len(line) <= 80 for line in r.output.splitlines()[1:])
    assert json.loads(verify(repo, "--format", "json").stdout)["ok"] is False


# --- the default base -------------------------------------------------------------------


def test_no_range_compares_with_the_default_branch_not_the_upstream(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    remote = tmp_path / "remote.git"
    sh(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    repo = make_repo(tmp_path / "r", keys)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    git(repo, "remote", "set-head", "origin", "main")
    branch(repo)
    path = project_file(repo)
    path.write_bytes(forged_yaml(repo))
    commit(repo, "forged, unsigned")
    git(repo, "push", "-q", "-u", "origin", "feature")  # upstream == the branch itself
    r = verify(repo)
    assert r.exit_code == 1 and seen("origin/HEAD...HEAD", r.output) and seen("the commit is not signed", r.output)
    git(repo, "switch", "-q", "main")
    r = verify(repo)
    assert r.exit_code == 2 and seen("HEAD is already part of the default branch origin/HEAD", r.output)


# --- signers: key options and validity dates ------------------------------------------------


def _with_unit_signer(repo: Path, keys: dict[str, Key], extra: str) -> None:
    text = (repo / "gtx.yaml").read_text("utf-8")
    line = keys["unit"].line
    text = text.replace(f'key: "{line}"\n', f'key: "{line}"\n{extra}', 1)
    (repo / "gtx.yaml").write_text(text, "utf-8")
    commit(repo, "unit signer validity", "gtx.yaml")


@pytest.mark.parametrize(
    ("extra", "ok"),
    [
        ("        from: 2023-01-01\n        until: 2023-12-31\n", True),
        ("        until: 2023-07-01\n", False),
        ("        from: 2023-08-01\n", False),
    ],
)
def test_signer_validity_dates(tmp_path: Path, git_env: Path, keys: dict[str, Key], extra: str, ok: bool) -> None:
    repo = make_repo(tmp_path / "r", keys)
    # the unit's signer block in settings_yaml is indented by 6; validity keys sit under it
    _with_unit_signer(repo, keys, extra)
    branch(repo)
    project_file(repo).write_bytes(forged_yaml(repo))
    commit(repo, "proposed", key=keys["unit"])
    code, data = result(repo)
    if ok:
        assert code == 0, data
        return
    assert code == 1 and codes(data) == ["G007"]
    assert "but the act is dated 2023-07-25: the key does not count on that date" in texts(data)


def test_key_options_are_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    text = (repo / "gtx.yaml").read_text("utf-8").replace(
        f'key: "{keys["unit"].line}"', f'key: "valid-before=20230701 {keys["unit"].line}"')
    (repo / "gtx.yaml").write_text(text, "utf-8")
    commit(repo, "a key with an option", "gtx.yaml")
    branch(repo)
    project_file(repo).write_bytes(forged_yaml(repo))
    commit(repo, "proposed", key=keys["unit"])
    r = verify(repo)
    assert r.exit_code == 2 and seen("allowed-signers options", r.output) and seen("from / until", r.output)
    zh = verify(repo, lang="zh")
    assert zh.exit_code == 2 and seen("allowed-signers 选项", zh.output)
    v = runner.invoke(app, ["validate", "--repo", str(repo), "--lang", "en"])
    assert v.exit_code == 1 and "allowed-signers options" in v.output


# --- attributes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (".gitattributes", "dossiers/** working-tree-encoding=UTF-16\n"),
        (".gitattributes", "*.yaml text eol=crlf\n"),
        ("dossiers/.gitattributes", "*.yaml filter=lfs\n"),
        (f"dossiers/{PROJECT}/.gitattributes", "project.yaml -diff\n"),
        (".gitattributes", "[attr]quiet -diff -merge\ngtx.yaml quiet\n"),
    ],
)
def test_attributes_on_dossiers_are_a_problem(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], path: str, text: str
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    (repo / path).write_text(text, "utf-8")
    commit(repo, "attributes", path)
    code, data = result(repo)
    assert code == 1 and codes(data) == ["G003"]
    assert f"{path} line " in texts(data) and "attributes change what a checkout" in texts(data)


def test_harmless_attributes_and_submodules(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    # what gtx init writes, and attributes that change nothing on dossiers
    (repo / ".gitattributes").write_text("*.yaml text eol=lf\n*.pdf binary\ndocs/** eol=crlf\n"
                                         "*.yaml whitespace=trailing-space\n")
    commit(repo, "harmless attributes", ".gitattributes")
    r = verify(repo)
    assert r.exit_code == 0 and seen("1 commit(s) checked", r.output) and seen("no stage transition", r.output)
    (repo / ".gitmodules").write_text(f'[submodule "x"]\n\tpath = dossiers/{PROJECT}\n\turl = ../x\n')
    commit(repo, "modules", ".gitmodules")
    code, data = result(repo)
    assert code == 1 and codes(data) == ["G003"]
    assert f".gitmodules declares dossiers/{PROJECT} a submodule" in texts(data)


# --- bounded resources ---------------------------------------------------------------------------


def test_an_oversized_blob_is_never_read(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    """A 24 MB project.yaml (over the loader's 8 MB limit) under a 300 MB address-space
    limit: verify reports G004 from the size alone, in a process of its own."""
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    big = project_file(repo)
    with big.open("ab") as f:
        f.write(b"# " + b"x" * (24 * 1024 * 1024) + b"\n")
    commit(repo, "a huge dossier")
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (300 * 2**20, 300 * 2**20))\n"
        "from golmud_cli.cli import main\n"
        "sys.argv = ['gtx', 'verify', '--repo', sys.argv[1], '--lang', 'en']\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(repo)], capture_output=True, text=True,
                          timeout=120, env={**os.environ})
    assert proc.returncode == 1, proc.stderr + proc.stdout
    assert "[G004]" in proc.stdout and "over the limit of 8388608: not read" in proc.stdout


# --- codes ----------------------------------------------------------------------------------------


def test_g_codes_are_explained_by_gtx_rules() -> None:
    r = runner.invoke(app, ["rules", "G005", "--lang", "en"])
    assert r.exit_code == 0 and "history dropped or rewritten" in r.output and "gtx verify" in r.output
    zh = runner.invoke(app, ["rules", "G001"])
    assert zh.exit_code == 0 and "符号链接" in zh.output
    listed = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert [r["code"] for r in listed if r["code"].startswith("G")] == [f"G{n:03d}" for n in range(1, 15)]


def test_a_git_that_stops_answering_is_ended(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    """The watchdog ends cat-file after its time; the read fails with a sentence, never hangs."""
    import time

    from golmud_cli.edges import git as gitops
    from golmud_cli.edges import gitobjects

    repo = make_repo(tmp_path / "r", keys)
    objects = gitobjects.Objects(gitops.work(repo), timeout=0.2)
    time.sleep(0.5)
    with pytest.raises(gitops.GitError, match="stopped answering"):
        objects.info(sh(repo, "rev-parse", "HEAD").strip().decode())
    objects.close()


def test_replace_refs_do_not_hide_a_forged_commit(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    """History as stored: a replace ref that swaps the forged commit for a harmless one
    changes nothing verify reads."""
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    base = sh(repo, "rev-parse", "HEAD").strip().decode()
    forged = commit_tree(repo, put(repo, tree_of(repo), YAML_PATH, ("100644", blob(repo, forged_yaml(repo)))),
                         [base], None, "forged")
    harmless = commit_tree(repo, put(repo, tree_of(repo, base), [b"NOTES"], ("100644", blob(repo, b"n"))),
                           [base], None, "notes")
    sh(repo, "update-ref", "HEAD", forged)
    sh(repo, "replace", forged, harmless)
    assert sh(repo, "log", "-1", "--format=%s").strip() == b"notes"  # what plain git shows
    code, data = result(repo)
    assert code == 1 and "G007" in codes(data) and "the commit is not signed" in texts(data)
