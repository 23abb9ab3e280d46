"""Hostile attachments (docs/dossier.md, Attachments; rules F001/F002): a link out of the
dossier, a folder or a pipe where a file should be, names with spaces, Chinese or
control characters, a 2 GB sparse file. Each gives a clear finding that names the
document and the path, in both languages, from `gtx validate`; `gtx show` marks the
document as absent and `gtx form` (which does not read attachments) still works; none
reads an attachment's content (memory stays bounded) and none hangs.

The repository is one filed dossier with its attachments, under an isolated git.
"""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from tests.gitfixtures import commit, git, git_env_fixture  # noqa: F401 (registers git_env)

PID = "2024-smart-parking"
AS_OF = "2026-11-02"
FILE = f"dossiers/{PID}/project.yaml"


def gtx(*args: str | Path, lang: str = "en") -> Any:
    """Run gtx in-process. GTX_DEBUG=1 turns an internal fault into a raised
    exception (no exit 3 hiding it); the exit must be a deliberate 0, 1 or 2."""
    res = CliRunner().invoke(app, [*map(str, args), "--lang", lang], env={"GTX_DEBUG": "1", "GTX_LANG": None})
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exc_info
    assert res.exit_code in (0, 1, 2), (res.exit_code, res.stdout, res.stderr)
    return res


FILED = """\
schema_version: 1
id: 2024-smart-parking
name: 格尔木市智慧停车管理平台
unit: 格尔木市公安局交通警察大队
contact:
  name: 张三
  phone: "0979-8412345"
budget_wan: 320.5
funding_source: municipal
schedule:
  start: 2024-06-01
  duration_months: 8
basis: 《格尔木市数字政府建设规划（2023—2025年）》
mlps:
  level: 3
systems:
  count: 2
  type: custom
data_resources:
  needed: true
  catalog_written: true
operating_cost_wan: 25
cloud:
  deployed: true
  operator: 格尔木市电子政务云运维中心
network: e_gov_extranet
approval_path: standard
in_plan: true
new_department: false
simple_and_mature: false
documents:
  proposal:
    file: attachments/proposal.pdf
    prepared_by: 青海某工程咨询有限公司
    credential: 工程咨询单位甲级资信
  feasibility_study:
    file: attachments/feasibility-study.pdf
    prepared_by: 青海某工程咨询有限公司
    credential: 工程咨询单位甲级资信
    sharing_analysis: true
    platform_docking: true
  preliminary_design:
    file: attachments/preliminary-design.pdf
    prepared_by: 某工程设计有限公司
    qualification: 工程设计电子通信广电行业乙级
    sharing_analysis: true
  investment_estimate:
    file: attachments/investment-estimate.xlsx
    prepared_by: 某工程设计有限公司
    qualification: 工程设计电子通信广电行业乙级
    amount_wan: 320.5
  resource_catalog:
    file: attachments/resource-catalog.xlsx
  approval_reply:
    file: attachments/approval-reply.pdf
    number: 格发改〔2024〕35号
    date: 2024-04-10
    sharing_opinion: true
  filing_form:
    file: attachments/filing-form.pdf
    date: 2024-04-25
stage: filed
history:
  - stage: proposed
    date: 2024-02-20
    role: unit
  - stage: approved
    date: 2024-04-10
    role: ndrc
  - stage: filed
    date: 2024-04-25
    role: gov_office
extensions: []
rectifications: []
"""


def write_filed(root: Path) -> None:
    """A filed dossier with every attachment (the shape of tests/cases/valid/base-filed)."""
    d = root / "dossiers" / PID
    (d / "attachments").mkdir(parents=True)
    (d / "project.yaml").write_text(FILED, "utf-8")
    for line in FILED.splitlines():
        if line.strip().startswith("file: "):
            (d / line.split("file: ", 1)[1]).write_bytes(b"%PDF-1.4\n")


@pytest.fixture
def repo(tmp_path: Path, git_env: Path) -> Path:
    root = tmp_path / "repo"
    write_filed(root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "a filed dossier")
    return root


def folder(repo: Path) -> Path:
    return repo / "dossiers" / PID


def point(repo: Path, kind: str, value: str) -> None:
    """Set documents.<kind>.file to `value` (JSON string syntax is YAML's double-quoted)."""
    p = folder(repo) / "project.yaml"
    lines = p.read_text("utf-8").splitlines(keepends=True)
    start = lines.index(f"  {kind}:\n")
    i = next(j for j in range(start + 1, len(lines)) if lines[j].startswith("    file:"))
    lines[i] = f"    file: {json.dumps(value, ensure_ascii=False)}\n"
    p.write_text("".join(lines), "utf-8")


def line_of(repo: Path, kind: str) -> int:
    """The line (1-based) of documents.<kind>.file."""
    lines = (folder(repo) / "project.yaml").read_text("utf-8").split("\n")
    start = lines.index(f"  {kind}:")
    return next(j for j in range(start + 1, len(lines)) if lines[j].startswith("    file:")) + 1


def findings(repo: Path) -> list[dict[str, Any]]:
    res = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", "--no-cache")
    data = json.loads(res.stdout)
    assert data["ok"] is (res.exit_code == 0)
    return list(data["findings"])


def only(repo: Path, code: str, field: str) -> dict[str, Any]:
    fs = findings(repo)
    assert [(f["code"], f["field"]) for f in fs] == [(code, field)], fs
    f = fs[0]
    assert f["file"] == FILE and f["line"] and f["column"], f
    return f


# --- each hostile attachment: the finding, its code, its field, its words ----------------

Setup = Callable[[Path], None]


def link_to_etc(repo: Path) -> None:
    (folder(repo) / "attachments" / "proposal.pdf").unlink()
    (folder(repo) / "attachments" / "proposal.pdf").symlink_to("/etc/hostname")


def link_up_relative(repo: Path) -> None:
    target = folder(repo) / "attachments" / "proposal.pdf"
    target.unlink()
    (repo / "gtx-outside.pdf").write_bytes(b"%PDF outside")
    target.symlink_to("../../../gtx-outside.pdf")


def link_elsewhere_in_the_repository(repo: Path) -> None:
    other = repo / "shared"
    other.mkdir(parents=True)
    (other / "x.pdf").write_bytes(b"%PDF shared")
    target = folder(repo) / "attachments" / "proposal.pdf"
    target.unlink()
    target.symlink_to(other / "x.pdf")


def folder_link_out(repo: Path) -> None:
    # attachments/ itself a link to a folder outside, holding a file of that name
    outside = repo.parent / "elsewhere"
    outside.mkdir()
    shutil.copytree(folder(repo) / "attachments", outside, dirs_exist_ok=True)
    shutil.rmtree(folder(repo) / "attachments")
    (folder(repo) / "attachments").symlink_to(outside)


def link_loop(repo: Path) -> None:
    a = folder(repo) / "attachments" / "proposal.pdf"
    a.unlink()
    b = folder(repo) / "attachments" / "loop.pdf"
    a.symlink_to(b.name)
    b.symlink_to(a.name)


def link_dangling(repo: Path) -> None:
    a = folder(repo) / "attachments" / "proposal.pdf"
    a.unlink()
    a.symlink_to("no-such-file.pdf")


def a_folder(repo: Path) -> None:
    a = folder(repo) / "attachments" / "proposal.pdf"
    a.unlink()
    a.mkdir()
    (a / "inside.pdf").write_bytes(b"%PDF")


def a_pipe(repo: Path) -> None:
    a = folder(repo) / "attachments" / "proposal.pdf"
    a.unlink()
    os.mkfifo(a)  # opening it for reading would block: only lstat may touch it


def file_as_folder(repo: Path) -> None:
    point(repo, "proposal", "attachments/proposal.pdf/page1.pdf")


def absolute(repo: Path) -> None:
    point(repo, "proposal", "/etc/hostname")


def windows_absolute(repo: Path) -> None:
    point(repo, "proposal", "C:\\Users\\clerk\\proposal.pdf")


def dot_dot(repo: Path) -> None:
    point(repo, "proposal", "attachments/../../2099-other/proposal.pdf")


def tab_in_name(repo: Path) -> None:
    name = "attachments/pro\tposal.pdf"
    (folder(repo) / name).write_bytes(b"%PDF")  # even when such a file exists
    point(repo, "proposal", name)


def newline_in_name(repo: Path) -> None:
    point(repo, "proposal", "attachments/pro\nposal.pdf")


def very_long_name(repo: Path) -> None:
    point(repo, "proposal", "attachments/" + "长" * 200 + ".pdf")  # 600 bytes > NAME_MAX


def very_deep_path(repo: Path) -> None:
    point(repo, "proposal", "a/" * 3000 + "x.pdf")  # > PATH_MAX


def spaces_missing(repo: Path) -> None:
    point(repo, "proposal", "attachments/项目 建议书 (终稿).pdf")


CASES_F = [
    # (case, setup, code, words in the English message)
    ("link to /etc", link_to_etc, "F002", "link pointing outside"),
    ("relative link up and out", link_up_relative, "F002", "link pointing outside"),
    ("link elsewhere in the repository", link_elsewhere_in_the_repository, "F002", "link pointing outside"),
    ("link loop", link_loop, "F002", "link"),
    ("dangling link inside", link_dangling, "F001", "missing file"),
    ("a folder", a_folder, "F001", "not a regular file"),
    ("a named pipe", a_pipe, "F001", "not a regular file"),
    ("a file used as a folder", file_as_folder, "F001", "missing file"),
    ("absolute path", absolute, "F002", "is absolute"),
    ("windows absolute path", windows_absolute, "F002", "is absolute"),
    ("dot-dot", dot_dot, "F002", "leaves the project folder"),
    ("tab in the name", tab_in_name, "F002", "control"),
    ("newline in the name", newline_in_name, "F002", "control"),
    ("name longer than NAME_MAX", very_long_name, "F001", "missing file"),
    ("path longer than PATH_MAX", very_deep_path, "F001", "missing file"),
    ("spaces and Chinese, missing", spaces_missing, "F001", "missing file"),
]


@pytest.mark.parametrize(("setup", "code", "words"), [c[1:] for c in CASES_F], ids=[c[0] for c in CASES_F])
def test_hostile_attachment_is_a_clear_finding(repo: Path, setup: Setup, code: str, words: str) -> None:
    assert findings(repo) == []  # the copy is clean before the change
    setup(repo)
    f = only(repo, code, "documents.proposal.file")
    assert f["severity"] == "error"
    assert f["label"] == "项目建议书·文件"
    assert words in f["message"], f["message"]

    # the text report, in both languages: the code, the document, the path; no raw
    # control character reaches the terminal
    for lang, doc in (("zh", "项目建议书"), ("en", "documents.proposal.file")):
        res = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--no-cache", lang=lang)
        assert res.exit_code == 1
        assert code in res.stdout and doc in res.stdout, res.stdout
        assert "\x1b" not in res.stdout and "\x1b" not in res.stderr


@pytest.mark.parametrize(("setup", "code", "words"), [c[1:] for c in CASES_F], ids=[c[0] for c in CASES_F])
def test_show_marks_it_absent_and_form_still_fills(repo: Path, setup: Setup, code: str, words: str) -> None:
    setup(repo)
    res = gtx("show", PID, "--repo", repo, "--as-of", AS_OF, "--format", "json")
    assert res.exit_code == 0, res.stderr
    docs = {d["kind"]: d for d in json.loads(res.stdout)["documents"]}
    assert docs["proposal"]["exists"] is False
    assert all(d["exists"] for k, d in docs.items() if k != "proposal")
    for lang in ("zh", "en"):
        text = gtx("show", PID, "--repo", repo, "--as-of", AS_OF, lang=lang)
        assert text.exit_code == 0
        assert "\x1b" not in text.stdout
        line = next(ln for ln in text.stdout.splitlines() if "proposal" in ln)
        assert line.lstrip().startswith("✗"), line
    # the filing table does not rest on attachments: it fills as before (into a path
    # outside the dossier, so no attachment is written over)
    out = repo.parent / "form.docx"
    res = gtx("form", PID, "--repo", repo, "-o", out)
    assert res.exit_code == 0, res.stderr
    assert out.stat().st_size > 0


def test_names_with_spaces_chinese_and_symbols_are_fine(repo: Path) -> None:
    names = ["attachments/项目 建议书 (终稿).pdf", "attachments/子目录 一/可研报告#2&3.pdf",
             "./attachments/'quoted' [v1]{x}.pdf", "attachments\\windows-separator.pdf"]
    kinds = ["proposal", "feasibility_study", "preliminary_design", "investment_estimate"]
    for kind, name in zip(kinds, names, strict=True):
        p = folder(repo) / name.replace("\\", "/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"%PDF")
        point(repo, kind, name)
    assert findings(repo) == []
    # and each one, removed, is named literally in the finding
    (folder(repo) / names[1]).unlink()
    f = only(repo, "F001", "documents.feasibility_study.file")
    assert names[1] in f["message"]
    zh = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--no-cache", lang="zh")
    assert names[1] in zh.stdout and "可行性研究报告" in zh.stdout


def test_attachments_folder_a_link_out(repo: Path) -> None:
    folder_link_out(repo)
    fs = findings(repo)
    docs = ["proposal", "feasibility_study", "preliminary_design", "investment_estimate",
            "resource_catalog", "approval_reply", "filing_form"]
    assert sorted((f["code"], f["field"]) for f in fs) == sorted(
        ("F002", f"documents.{k}.file") for k in docs)
    res = gtx("show", PID, "--repo", repo, "--as-of", AS_OF, "--format", "json")
    assert not any(d["exists"] for d in json.loads(res.stdout)["documents"])


def test_a_link_inside_the_folder_is_fine(repo: Path) -> None:
    a = folder(repo) / "attachments" / "proposal.pdf"
    (folder(repo) / "attachments" / "real").mkdir()
    a.rename(folder(repo) / "attachments" / "real" / "proposal.pdf")
    a.symlink_to("real/proposal.pdf")
    assert findings(repo) == []


def test_control_character_in_a_name_is_shown_escaped(repo: Path) -> None:
    tab_in_name(repo)
    for lang in ("zh", "en"):
        res = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--no-cache", lang=lang)
        assert "'attachments/pro\\tposal.pdf'" in res.stdout, res.stdout


@pytest.mark.parametrize("char", ["\x1b", "\x9b", "\r", "\u202e", "\x07"])
def test_an_escaped_terminal_control_never_reaches_the_terminal(repo: Path, char: str) -> None:
    # "\e[31m" in a double-quoted value would reach every report and every terminal:
    # it is S001 at the value's position, and nothing else reads the file.
    name = f"attachments/proposal{char}[2J.pdf"
    (folder(repo) / name).write_bytes(b"%PDF")
    point(repo, "proposal", name)
    fs = findings(repo)
    # written raw (json.dumps keeps U+009B and U+202E) the file is refused as a whole;
    # written as an escape, the value is, at its own position
    assert [(f["code"], f["line"]) for f in fs] == [("S001", line_of(repo, "proposal"))], fs
    assert fs[0]["field"] in (None, "documents.proposal.file")
    assert f"U+{ord(char):04X}" in fs[0]["message"]
    for lang, words in (("zh", "控制字符"), ("en", "control character")):
        res = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--no-cache", lang=lang)
        assert res.exit_code == 1 and words in res.stdout
        shown = gtx("show", PID, "--repo", repo, "--as-of", AS_OF, lang=lang)
        filled = gtx("form", PID, "--repo", repo, "-o", repo.parent / "form.docx", lang=lang)
        status = gtx("status", "--repo", repo, "--as-of", AS_OF, lang=lang)
        assert (shown.exit_code, filled.exit_code) == (2, 1)
        for r in (res, shown, filled, status):
            assert char not in r.stdout + r.stderr
    assert not (repo.parent / "form.docx").exists()


# --- a 2 GB sparse file: stat only, bounded memory -------------------------------------

BIG = 2 * 1024**3
MEMORY_LIMIT = 64 * 1024**2  # a command that read the file would need 2 GB


def sparse(path: Path) -> None:
    path.unlink(missing_ok=True)
    with path.open("wb") as f:
        f.truncate(BIG)  # no block is written: the file takes no disk space


def peak_of(fn: Callable[[], Any]) -> int:
    fn()  # once to import everything, so only the run itself is measured
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("command", ["validate", "show", "form", "status", "deadlines"])
def test_two_gigabyte_attachment_is_only_stat(repo: Path, command: str) -> None:
    for name in ("proposal.pdf", "feasibility-study.pdf", "approval-reply.pdf"):
        sparse(folder(repo) / "attachments" / name)
    assert (folder(repo) / "attachments" / "proposal.pdf").stat().st_size == BIG
    args: dict[str, list[str | Path]] = {
        "validate": ["validate", "--repo", repo, "--as-of", AS_OF, "--format", "json"],
        "show": ["show", PID, "--repo", repo, "--as-of", AS_OF, "--format", "json"],
        "form": ["form", PID, "--repo", repo, "-o", repo.parent / "form.docx"],
        "status": ["status", "--repo", repo, "--as-of", AS_OF, "--format", "json"],
        "deadlines": ["deadlines", "--repo", repo, "--as-of", AS_OF, "--format", "json"],
    }
    results: list[Any] = []
    peak = peak_of(lambda: results.append(gtx(*args[command])))
    assert all(r.exit_code == 0 for r in results), results[-1].stderr
    assert peak < MEMORY_LIMIT, peak
    if command == "validate":
        assert json.loads(results[-1].stdout)["findings"] == []  # a big file is a file


def test_two_gigabyte_sparse_file_as_the_form_output_is_replaced_whole(repo: Path) -> None:
    out = folder(repo) / "attachments" / "filing-form.docx"
    sparse(out)
    res = gtx("form", PID, "--repo", repo)
    assert res.exit_code == 0, res.stderr
    assert 0 < out.stat().st_size < 1024**2


def test_form_does_not_write_through_a_link_out_of_the_dossier(repo: Path) -> None:
    # `gtx form` writes dossiers/ID/attachments/filing-form.docx by default; when
    # attachments/ is a link to a folder elsewhere (git keeps links), it must not
    # write there.
    folder_link_out(repo)
    outside = repo.parent / "elsewhere"
    before = sorted(p.name for p in outside.iterdir())
    for lang, words in (("zh", "项目文件夹"), ("en", "project folder")):
        res = gtx("form", PID, "--repo", repo, lang=lang)
        assert res.exit_code == 2, (res.stdout, res.stderr)
        assert words in res.stderr and "attachments" in res.stderr, res.stderr
    assert sorted(p.name for p in outside.iterdir()) == before


def test_a_project_folder_that_is_a_link_is_f002_and_never_read(tmp_path: Path, git_env: Path) -> None:
    # git keeps a link, not the files behind it: such a dossier is nowhere in the record
    outside = tmp_path / "outside" / PID
    shutil.copytree(Path(__file__).parent.parent / "dossiers" / "2023-hotline-12345", outside)
    text = (outside / "project.yaml").read_text("utf-8").replace("id: 2023-hotline-12345", f"id: {PID}")
    (outside / "project.yaml").write_text(text, "utf-8")
    repo = tmp_path / "repo"
    (repo / "dossiers").mkdir(parents=True)
    (repo / "dossiers" / PID).symlink_to(outside, target_is_directory=True)
    git(repo, "init", "-q", "-b", "main")
    for cache in ((), ("--no-cache",), ()):  # cold, bypassed, and again with a cache present
        res = gtx("validate", "--repo", repo, "--as-of", AS_OF, "--format", "json", *cache)
        assert res.exit_code == 1
        found = json.loads(res.stdout)["findings"]
        assert [(f["code"], f["file"]) for f in found] == [("F002", f"dossiers/{PID}")], found
        assert str(outside) in found[0]["message"]
    # the portfolio leaves it out rather than read through the link
    res = gtx("status", "--repo", repo, "--as-of", AS_OF, "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["projects"] == []
    for command in (("show", PID), ("form", PID), ("advance", PID, "proposed", "--dry-run")):
        res = gtx(*command, "--repo", repo)
        assert res.exit_code == 2 and "F002" in res.stderr, (command, res.stderr)
