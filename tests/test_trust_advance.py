"""Issue 12, the signer's side: links, one read path, hidden line breaks, escaped
output, advance signing only what it shows, dry-run parity, .gitattributes.

Real repositories and real ssh-keygen keys (tests/gitfixtures.py); each test checks
what the user sees (exit code, message) and that nothing changed on disk or in git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from tests.gitfixtures import (  # noqa: F401 (fixtures)
    AS_OF,
    PROJECT,
    Key,
    add_documents,
    commit,
    git,
    git_env_fixture,
    head,
    keys_fixture,
    make_repo,
    project_dir,
    project_file,
    status,
    use_key,
)

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
LOCK = "gtx-advance.lock"


def gtx(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--repo", str(repo), "--lang", lang])


def gtx_proc(repo: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """In a process of its own, with a time limit: a hang fails the test, not the run."""
    cmd = [sys.executable, "-m", "golmud_cli", *args, "--repo", str(repo), "--lang", "en"]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=ROOT, env=os.environ.copy())


def out_of(p: subprocess.CompletedProcess[bytes]) -> str:
    return (p.stdout + p.stderr).decode("utf-8", "replace")


def snapshot(repo: Path) -> tuple[str, str, bytes]:
    return head(repo), status(repo), project_file(repo).read_bytes() if project_file(repo).is_file() else b""


def no_locks(repo: Path) -> None:
    assert not (repo / ".git" / LOCK).exists()
    assert not (repo / ".git" / "index.lock").exists()
    assert not list((repo / ".git").glob("gtx-index.*"))


# --- 1, 2, 8: links, FIFOs: refused at once, nothing left behind -------------------------


def test_fifo_project_yaml_every_command_returns_promptly(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    pf.unlink()
    os.mkfifo(pf)
    before = head(repo)
    for args in (["validate"], ["advance", PROJECT, "proposed", "--dry-run"],
                 ["advance", PROJECT, "proposed"], ["show", PROJECT], ["form", PROJECT]):
        p = gtx_proc(repo, *args, "--as-of", AS_OF) if args[0] != "form" else gtx_proc(repo, *args)
        text = out_of(p)
        assert p.returncode in (1, 2), (args, text)
        assert "not a regular file (a pipe)" in text, (args, text)
        no_locks(repo)
    assert head(repo) == before


@pytest.mark.parametrize("what", ["project.yaml", "folder", "dossiers", "gtx.yaml"])
def test_links_are_never_followed(tmp_path: Path, git_env: Path, keys: dict[str, Key], what: str) -> None:
    repo = make_repo(tmp_path / "r", keys)
    outside = tmp_path / "outside"
    outside.mkdir()
    target = {"project.yaml": project_file(repo), "folder": project_dir(repo),
              "dossiers": repo / "dossiers", "gtx.yaml": repo / "gtx.yaml"}[what]
    moved = outside / target.name
    shutil.move(str(target), str(moved))
    target.symlink_to(moved)
    before = head(repo)
    r = gtx(repo, "validate")
    assert r.exit_code == 1, r.output
    assert "symbolic link" in r.output or "is a link" in r.output, r.output
    for args in (["advance", PROJECT, "proposed", "--as-of", AS_OF],
                 ["advance", PROJECT, "proposed", "--dry-run", "--as-of", AS_OF],
                 ["show", PROJECT], ["form", PROJECT], ["status"]):
        r = gtx(repo, *args)
        if what in ("project.yaml", "folder") and args[0] == "status":
            # status lists the others and names the one it skipped (reporters/status.py)
            assert r.exit_code == 0 and "skipped" in r.output, r.output
            continue
        assert r.exit_code in (1, 2), (args, r.output)
        assert "link" in r.output, (args, r.output)
    assert head(repo) == before
    assert not (outside / "dossiers" / PROJECT / "attachments" / "filing-form.docx").exists()
    assert not (moved.parent / "attachments" / "filing-form.docx").exists()
    no_locks(repo)


def test_new_and_form_never_write_through_a_link(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # dossiers/ a link to another folder: gtx new refuses, nothing appears there
    real = tmp_path / "real-dossiers"
    shutil.move(str(repo / "dossiers"), str(real))
    (repo / "dossiers").symlink_to(real)
    r = gtx(repo, "new", "2024-new-project", "--unit", "格尔木市教育局")
    assert r.exit_code == 2 and "symbolic link" in r.output, r.output
    assert not (real / "2024-new-project").exists()
    (repo / "dossiers").unlink()
    shutil.move(str(real), str(repo / "dossiers"))
    # attachments/ a link within the folder, and the .docx a link: form refuses both
    att = project_dir(repo) / "attachments"
    shutil.move(str(att), str(project_dir(repo) / "files"))
    att.symlink_to("files")
    r = gtx(repo, "form", PROJECT)
    assert r.exit_code == 2 and "does not write through a link" in r.output, r.output
    att.unlink()
    shutil.move(str(project_dir(repo) / "files"), str(att))
    (att / "filing-form.docx").symlink_to(elsewhere / "x.docx")
    r = gtx(repo, "form", PROJECT)
    assert r.exit_code == 2 and "does not write through a link" in r.output, r.output
    assert not (elsewhere / "x.docx").exists()


# --- 2: names that are not UTF-8 or hold a newline; dates past 9999 ---------------------


@pytest.mark.parametrize("name", [b"bad\xffname", b"bad\nname"])
def test_hostile_folder_names(tmp_path: Path, git_env: Path, keys: dict[str, Key], name: bytes) -> None:
    repo = make_repo(tmp_path / "r", keys)
    folder = bytes(repo / "dossiers") + b"/" + name
    os.mkdir(folder)
    shutil.copy(bytes(project_file(repo)), folder + b"/project.yaml")
    (repo / "dossiers" / os.fsdecode(name) / "attachments").mkdir()
    for args in (["validate"], ["validate", "--format", "github"], ["status"], ["deadlines"],
                 ["show", PROJECT], ["advance", PROJECT, "proposed", "--dry-run"]):
        p = gtx_proc(repo, *args, "--as-of", AS_OF)
        text = out_of(p)
        assert p.returncode in (0, 1, 2), (args, text)
        assert "Traceback" not in text and "internal error" not in text, (args, text)
        raw = p.stdout + p.stderr
        assert name not in raw, (args, raw)  # the name shown escaped, never as it is
    p = gtx_proc(repo, "validate", "--as-of", AS_OF)
    shown = "bad\\xffname" if b"\xff" in name else "bad\\nname"
    assert shown in out_of(p)


def test_year_past_9999(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    pf.write_text(pf.read_text("utf-8").replace("date: 2023-07-06", "date: 10000-01-01", 1), "utf-8")
    commit(repo, "a far date")
    before = snapshot(repo)
    for args in (["validate"], ["advance", PROJECT, "proposed"], ["advance", PROJECT, "proposed", "--dry-run"],
                 ["form", PROJECT], ["show", PROJECT], ["status"], ["deadlines"]):
        r = gtx(repo, *args, *([] if args[0] == "form" else ["--as-of", AS_OF]))
        assert r.exit_code in (0, 1, 2), (args, r.output)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert r.exit_code == 1 and "10000-01-01" in r.output and "YYYY-MM-DD" in r.output
    assert snapshot(repo) == before


# --- 3: hidden line breaks ---------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_hidden_line_break_in_a_comment(tmp_path: Path, git_env: Path, keys: dict[str, Key], char: str) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    text = pf.read_text("utf-8").replace("# 测试用档案：按办法走完全流程。",
                                         f"# 测试用档案{char}funding_source: central", 1)
    pf.write_text(text, "utf-8")
    code = f"U+{ord(char):04X}"
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert r.exit_code == 1, r.output
    assert f"project.yaml:2:8  S001 error  the file contains {code}" in r.output, r.output
    assert "YAML reads it as a line break" in r.output
    r = gtx(repo, "validate", "--as-of", AS_OF, lang="zh")
    assert f"文件中含有 {code}" in r.output
    before = head(repo)
    assert gtx(repo, "advance", PROJECT, "proposed", "--as-of", AS_OF, "--include-changes").exit_code == 1
    assert head(repo) == before


# --- 4: escaped text output --------------------------------------------------------------


def test_terminal_escapes_in_a_folder_name_are_escaped(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    evil = "x\x1b[2J\x1b]8;;e\x07y"
    os.rename(project_dir(repo), repo / "dossiers" / evil)
    for args in (["validate"], ["validate", "--format", "github"], ["status"], ["deadlines"]):
        r = gtx(repo, *args, "--as-of", AS_OF)
        assert "\x1b" not in r.output and "\x07" not in r.output, (args, r.output)
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert "x\\x1b[2J" in r.output
    r = gtx(repo, "validate", "--format", "github", "--as-of", AS_OF)
    assert "::error file=dossiers/x\\x1b[2J" in r.output, r.output
    r = gtx(repo, "validate", "--format", "json", "--as-of", AS_OF)
    import json

    data = json.loads(r.output)  # JSON stays JSON: the name exact, escaped by json itself
    assert any(evil in (f["file"] or "") for f in data["findings"])


def test_show_escapes_repository_text(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    evil = "x\x1b[2Jy"
    os.rename(project_dir(repo), repo / "dossiers" / evil)
    r = gtx(repo, "show", str(repo / "dossiers" / evil), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output, r.output
    # values cannot carry controls (the loader refuses them), so show's escaping is a
    # second guard; what it does to text:
    from golmud_cli.reporters.escape import visible

    assert visible("a\x1b[2Jb\u2028c\udcff") == "a\\x1b[2Jb\\u2028c\\xff"
    assert visible("a\nb", keep_newlines=True) == "a\nb" and visible("a\nb") == "a\\nb"


# --- 5: advance signs only its own edit --------------------------------------------------


def test_other_changes_are_refused_and_listed(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    pf.write_text(pf.read_text("utf-8").replace("budget_wan: 395", "budget_wan: 396"), "utf-8")
    (project_dir(repo) / "attachments" / "extra.pdf").write_bytes(b"%PDF-1.4 extra\n")
    staged = project_dir(repo) / "attachments" / "staged.pdf"
    staged.write_bytes(b"%PDF-1.4 staged\n")
    git(repo, "add", str(staged))
    before = snapshot(repo)
    for extra in ([], ["--dry-run"]):
        r = gtx(repo, "advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, *extra)
        assert r.exit_code == 2, r.output
        assert "holds uncommitted changes" in r.output
        for line in (f"modified: dossiers/{PROJECT}/project.yaml",
                     f"new: dossiers/{PROJECT}/attachments/extra.pdf",
                     f"added: dossiers/{PROJECT}/attachments/staged.pdf"):
            assert line in r.output, (line, r.output)
        assert "--include-changes" in r.output
        assert snapshot(repo) == before
        no_locks(repo)
    r = gtx(repo, "advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, lang="zh")
    assert "未提交的修改" in r.output and "新文件: dossiers/" in r.output


def test_include_changes_lists_every_file(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    pf.write_text(pf.read_text("utf-8").replace("budget_wan: 395", "budget_wan: 396"), "utf-8")
    (project_dir(repo) / "attachments" / "extra.pdf").write_bytes(b"%PDF-1.4 extra\n")
    args = ["advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, "--include-changes"]
    before = snapshot(repo)
    dry = gtx(repo, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "also committed and signed (--include-changes):" in dry.output
    assert f"modified: dossiers/{PROJECT}/project.yaml" in dry.output
    assert f"new: dossiers/{PROJECT}/attachments/extra.pdf" in dry.output
    assert snapshot(repo) == before
    r = gtx(repo, *args)
    assert r.exit_code == 0, r.output
    msg = git(repo, "log", "-1", "--format=%B")
    assert "Included changes:" in msg
    assert f"new: dossiers/{PROJECT}/attachments/extra.pdf" in msg
    assert msg.rstrip().endswith("Gtx-Role: unit")  # the trailers stay last
    files = set(git(repo, "show", "--name-only", "--format=", "HEAD").splitlines())
    assert files == {f"dossiers/{PROJECT}/project.yaml", f"dossiers/{PROJECT}/attachments/extra.pdf"}
    assert status(repo) == ""


def test_clean_folder_commits_only_project_yaml(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    r = gtx(repo, "advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert "Included changes" not in git(repo, "log", "-1", "--format=%B")


# --- 5: dry-run parity -------------------------------------------------------------------


def _both(repo: Path, *extra: str) -> tuple[object, object]:
    args = ["advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, *extra]
    dry = gtx(repo, *args, "--dry-run")
    real = gtx(repo, *args)
    return dry, real


def test_dry_run_fails_like_the_real_run(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    before = snapshot(repo)
    # no signing key
    git(repo, "config", "--unset", "user.signingkey")
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 2, (dry.output, real.output)  # type: ignore[attr-defined]
    assert "no signing key is configured" in dry.output and "no signing key is configured" in real.output  # type: ignore[attr-defined]
    # a key registered for another role
    use_key(repo, keys["ndrc"])
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 2  # type: ignore[attr-defined]
    for r in (dry, real):
        assert "registered in gtx.yaml as: ndrc (ndrc" in r.output, r.output  # type: ignore[attr-defined]
    # a change outside the folder
    use_key(repo, keys["unit"])
    (repo / "gtx.yaml").write_text((repo / "gtx.yaml").read_text("utf-8") + "# x\n", "utf-8")
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 2  # type: ignore[attr-defined]
    for r in (dry, real):
        assert "uncommitted changes (staged or not) outside" in r.output, r.output  # type: ignore[attr-defined]
    git(repo, "checkout", "--", "gtx.yaml")
    # a git operation in progress, and another advance's lock
    (repo / ".git" / "MERGE_HEAD").write_text(head(repo) + "\n")
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 2 and "a git merge is in progress" in dry.output  # type: ignore[attr-defined]
    (repo / ".git" / "MERGE_HEAD").unlink()
    (repo / ".git" / LOCK).write_text(f"{os.getpid()}\n")
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 2 and "another gtx advance is running" in dry.output  # type: ignore[attr-defined]
    (repo / ".git" / LOCK).unlink()
    assert snapshot(repo) == before
    # and when all holds, both succeed
    dry, real = _both(repo)
    assert dry.exit_code == 0 and real.exit_code == 0, (dry.output, real.output)  # type: ignore[attr-defined]


# --- 6: a mistyped unit ------------------------------------------------------------------


def test_unit_not_in_gtx_yaml_gets_did_you_mean(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    pf = project_file(repo)
    pf.write_text(pf.read_text("utf-8").replace("unit: 格尔木市人力资源和社会保障局", "unit: 格尔木市人力资源与社会保障局"), "utf-8")
    commit(repo, "unit typo")
    before = snapshot(repo)
    dry, real = _both(repo)
    for r in (dry, real):
        # refused by the gate first: S010 (the unit is not registered) is an error from
        # `proposed` on, so the act is a failed gate (exit 1) that names the nearest unit
        assert r.exit_code == 1, r.output  # type: ignore[attr-defined]
        out = r.output  # type: ignore[attr-defined]
        assert "did you mean" in out.lower() and "格尔木市人力资源和社会保障局" in out, out  # type: ignore[attr-defined]
    r = gtx(repo, "advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, lang="zh")
    assert "是不是「格尔木市人力资源和社会保障局」？" in r.output, r.output
    assert snapshot(repo) == before


# --- 7: .gitattributes and .gitmodules ---------------------------------------------------


def test_gitattributes_on_dossiers_is_an_error(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    from golmud_cli.services.scaffolding import GITATTRIBUTES

    (repo / ".gitattributes").write_text(GITATTRIBUTES, "utf-8")
    commit(repo, "gtx init's attributes")
    base = head(repo)
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert r.exit_code == 0, r.output  # what gtx init writes is accepted
    git(repo, "switch", "-q", "-c", "pr")
    with (repo / ".gitattributes").open("a", encoding="utf-8") as f:
        f.write("dossiers/** working-tree-encoding=UTF-16\n")
    commit(repo, "only an attribute", ".gitattributes")
    n = len(GITATTRIBUTES.splitlines()) + 1
    for extra in ([], ["--changed-since", base]):
        r = gtx(repo, "validate", "--as-of", AS_OF, *extra)
        assert r.exit_code == 1, r.output
        assert f".gitattributes:{n}:1  S001 error  .gitattributes line {n}" in r.output, r.output
        assert "working-tree-encoding=UTF-16" in r.output
    r = gtx(repo, "validate", "--as-of", AS_OF, "--format", "github", "--changed-since", base)
    assert f"::error file=.gitattributes,line={n}" in r.output, r.output


@pytest.mark.parametrize("line", ["*.yaml binary", "gtx.yaml filter=lfs", "*.yaml eol=crlf",
                                  "dossiers/*/project.yaml -diff", "* ident"])
def test_other_harmful_attributes(tmp_path: Path, git_env: Path, keys: dict[str, Key], line: str) -> None:
    repo = make_repo(tmp_path / "r", keys)
    (repo / "dossiers" / ".gitattributes").write_text("*.pdf -text\n", "utf-8")
    assert gtx(repo, "validate", "--as-of", AS_OF).exit_code == 0
    where = repo / (".gitattributes" if "gtx.yaml" in line or line.startswith(("*", "dossiers")) else "")
    where.write_text(f"# comment\n{line}\n", "utf-8")
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert r.exit_code == 1 and ".gitattributes:2:1" in r.output, r.output


def test_gitmodules_over_a_dossier(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    (repo / ".gitmodules").write_text(f'[submodule "x"]\n\tpath = dossiers/{PROJECT}\n\turl = ../x\n', "utf-8")
    r = gtx(repo, "validate", "--as-of", AS_OF)
    assert r.exit_code == 1 and ".gitmodules:2:1" in r.output and "submodule" in r.output, r.output


@pytest.mark.parametrize("name", [b"scan\xff.pdf", b"scan\nx.pdf"])
def test_hostile_file_names_in_the_project_folder(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], name: bytes
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    path = bytes(project_dir(repo) / "attachments") + b"/" + name
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n")
    before = snapshot(repo)
    args = ["advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF]
    p = gtx_proc(repo, *args)
    text = out_of(p)
    assert p.returncode == 2 and "holds uncommitted changes" in text, text
    assert name not in p.stdout + p.stderr
    assert ("scan\\xff.pdf" if b"\xff" in name else "scan\\nx.pdf") in text
    assert snapshot(repo) == before
    p = gtx_proc(repo, *args, "--include-changes")
    assert p.returncode == 0, out_of(p)
    files = subprocess.run(["git", "show", "-z", "--name-only", "--format=", "HEAD"], cwd=repo,
                           capture_output=True, check=True).stdout.split(b"\0")
    assert b"dossiers/" + PROJECT.encode() + b"/attachments/" + name in files
    assert status(repo) == ""
    for cmd in (["show", PROJECT], ["validate"], ["status"]):
        p = gtx_proc(repo, *cmd, "--as-of", AS_OF)
        assert p.returncode in (0, 1), (cmd, out_of(p))
        assert "internal error" not in out_of(p)


def test_attribute_patterns() -> None:
    from golmud_cli.core.gitattributes import affecting
    from golmud_cli.services.scaffolding import GITATTRIBUTES

    paths = ["gtx.yaml", "dossiers/x-1/project.yaml"]
    assert affecting(GITATTRIBUTES, paths) == []  # what gtx init writes
    for line in ("*.yaml binary", "/dossiers filter=x", "dossiers/*/project.yaml -diff",
                 "x-1 -diff", "**/project.yaml eol=crlf", "* ident", "gtx.yaml export-subst",
                 "[attr]evil working-tree-encoding=UTF-16\n*.yaml evil"):
        assert affecting(line + "\n", paths), line
    for line in ("*.pdf -diff", "x-1/project.yaml -diff", "project.yam -diff", "*.yaml text eol=lf",
                 "*.yaml -text whitespace=trailing-space", "# dossiers/** filter=x"):
        assert not affecting(line + "\n", paths), line


# --- signer validity (gtx.yaml from/until), as verify judges it ---------------------------


def _unit_signer_valid(repo: Path, keys: dict[str, Key], extra: str) -> None:
    # the unit's signer block of settings_yaml is indented by 6; validity keys sit under it
    text = (repo / "gtx.yaml").read_text("utf-8")
    line = keys["unit"].line
    text = text.replace(f'key: "{line}"\n', f'key: "{line}"\n{extra}', 1)
    (repo / "gtx.yaml").write_text(text, "utf-8")
    commit(repo, "unit signer validity", "gtx.yaml")


@pytest.mark.parametrize(
    ("extra", "span"),
    [("        until: 2023-07-01\n", "… – 2023-07-01"), ("        from: 2023-08-01\n", "2023-08-01 – …")],
)
def test_a_key_outside_its_validity_cannot_sign_the_act(
    tmp_path: Path, git_env: Path, keys: dict[str, Key], extra: str, span: str
) -> None:
    repo = make_repo(tmp_path / "r", keys)
    _unit_signer_valid(repo, keys, extra)
    before = snapshot(repo)
    dry, real = _both(repo)  # the act is dated 2023-07-25
    assert dry.exit_code == real.exit_code == 2, (dry.output, real.output)  # type: ignore[attr-defined]
    for r in (dry, real):
        text = r.output  # type: ignore[attr-defined]
        assert f"is valid {span} in gtx.yaml, but the act is dated 2023-07-25" in text, text
        assert "does not count on that date" in text, text
    zh = gtx(repo, "advance", PROJECT, "proposed", "--date", "2023-07-25", "--as-of", AS_OF, lang="zh")
    assert zh.exit_code == 2, zh.output
    assert f"有效期为 {span}，而这次流转的日期是 2023-07-25" in zh.output, zh.output
    assert snapshot(repo) == before
    no_locks(repo)


def test_a_key_within_its_validity_signs(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    _unit_signer_valid(repo, keys, "        from: 2023-01-01\n        until: 2023-12-31\n")
    dry, real = _both(repo)
    assert dry.exit_code == real.exit_code == 0, (dry.output, real.output)  # type: ignore[attr-defined]
    assert "Gtx-Transition: draft -> proposed" in git(repo, "log", "-1", "--format=%B")
