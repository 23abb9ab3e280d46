"""`gtx set`, `gtx attach`, `gtx list`: every other byte kept, hostile names and values."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.support.registers import load, new_repo, samples

Cli = Callable[..., Any]
PID = "2025-smart-parking"


@pytest.fixture()
def repo(env: Path) -> Path:
    return samples(env)


def yaml_of(repo: Path, pid: str = PID) -> Path:
    return repo / "dossiers" / pid / "project.yaml"


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_set_changes_one_line_and_keeps_the_rest(cli: Cli, repo: Path) -> None:
    before = yaml_of(repo).read_text()
    res = cli("set", PID, "资金来源", "省级财政资金", "--repo", repo)
    assert res.exit_code == 0, res.output
    after = yaml_of(repo).read_text()
    [(old, new)] = changed_lines(before, after)
    assert old == "funding_source: municipal                     # 市级财政资金\n"
    assert new == "funding_source: provincial                    # 省级财政资金\n"
    res = cli("set", PID, "budget_wan", "650万", "--repo", repo, "--lang", "en")
    assert res.exit_code == 0 and "620 -> 650" in res.output
    res = cli("set", PID, "开工时间", "2026年5月1日", "--repo", repo)
    assert res.exit_code == 0
    d = load(yaml_of(repo))
    assert str(d.budget_wan) == "650" and d.schedule and str(d.schedule.start) == "2026-05-01"
    assert len(changed_lines(before, yaml_of(repo).read_text())) == 3


def test_set_adds_a_missing_key_and_fills_a_scaffold(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "r")
    assert cli("new", "2026-abc", "--repo", dest).exit_code == 0
    before = yaml_of(dest, "2026-abc").read_text()
    res = cli("set", "2026-abc", "schedule.start", "2026-06-01", "--repo", dest)
    assert res.exit_code == 0, res.output
    [(old, new)] = changed_lines(before, yaml_of(dest, "2026-abc").read_text())
    assert old.index("#") == new.index("#") and "2026-06-01" in new
    src = samples(env)
    before = yaml_of(src).read_text()
    assert cli("set", PID, "urgency_basis", "上级要求", "--repo", src).exit_code == 0
    after = yaml_of(src).read_text()
    assert after.replace("urgency_basis: 上级要求\n", "") == before
    assert load(yaml_of(src)).urgency_basis == "上级要求"


@pytest.mark.parametrize(
    "value",
    [
        "key: value # not a comment",
        "- a list?",
        "'quoted'",
        '"double"',
        "!!python/object:os.system",
        '=HYPERLINK("http://x")',
        "null",
        "2024-01-01",
        "&anchor *alias",
        "{a: 1}",
        "yes",
        "　全角空格",
    ],
)
def test_set_writes_hostile_text_as_text(cli: Cli, repo: Path, value: str) -> None:
    # `--` ends the options: a value may start with - (as in any command line)
    res = cli("set", "--repo", repo, "--", PID, "funding_note", value)
    assert res.exit_code == 0, res.output
    assert load(yaml_of(repo)).funding_note == value.strip()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["funding_note", "two\nlines\x07"], 2),  # a control character
        (["budget_wan", "0"], 1),  # the model wants > 0: refused by the schema check
        (["budget_wan", "很多"], 2),
        (["stage", "accepted"], 2),  # only gtx advance moves a stage
        (["id", "other-id"], 2),
        (["documents.proposal.file", "x"], 2),
        (["等保级别", "五级"], 2),
    ],
)
def test_set_refuses_and_writes_nothing(cli: Cli, repo: Path, args: list[str], code: int) -> None:
    before = yaml_of(repo).read_bytes()
    res = cli("set", PID, *args, "--repo", repo)
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    assert yaml_of(repo).read_bytes() == before
    res = cli("set", PID, *args, "--repo", repo, "--lang", "en")
    assert res.exit_code == code
    assert any(w in res.output for w in ("nothing written", "not", "cannot", "no "))


def test_set_unknown_project(cli: Cli, repo: Path) -> None:
    res = cli("set", "../../etc", "budget_wan", "1", "--repo", repo)
    assert res.exit_code == 2


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("scan with spaces.pdf", "scan with spaces.pdf"),
        ("立项批复（扫描件）.pdf", "立项批复（扫描件）.pdf"),
        ("-rf.pdf", "rf.pdf"),
        ("--kind=x.pdf", "kind=x.pdf"),
        ("a\nb.pdf", "a_b.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("...pdf", "pdf"),
        ("....", "approval_reply"),
        ('what?*"<>|.pdf', "what______.pdf"),
    ],
)
def test_attach_hostile_names(cli: Cli, env: Path, name: str, stored: str) -> None:
    dest = new_repo(cli, env / "r")
    assert cli("new", "2026-abc", "--repo", dest).exit_code == 0
    src_dir = env / "in"
    src_dir.mkdir()
    src = src_dir / name
    src.write_bytes(b"%PDF-1.4 scan")
    before = yaml_of(dest, "2026-abc").read_text()
    res = cli(
        "attach", "2026-abc", src, "--kind", "立项批复", "--date", "2026-03-01", "--repo", dest
    )
    assert res.exit_code == 0, res.output
    att = dest / "dossiers" / "2026-abc" / "attachments" / stored
    assert att.is_file() and not att.is_symlink() and att.read_bytes() == b"%PDF-1.4 scan"
    d = load(yaml_of(dest, "2026-abc"))
    doc = d.documents.approval_reply
    assert doc is not None and doc.file == f"attachments/{stored}"
    assert doc.sha256 == hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    assert str(doc.date) == "2026-03-01"
    after = yaml_of(dest, "2026-abc").read_text()
    # only the documents line and the new block differ
    assert [x for x in before.splitlines() if x not in after.splitlines()] == [
        next(x for x in before.splitlines() if x.startswith("documents:"))
    ]
    res = cli("validate", "2026-abc", "--repo", dest, "--format", "json")
    assert json.loads(res.stdout)["ok"], res.stdout


def test_attach_relative_dotdot_and_a_link_source(cli: Cli, repo: Path, env: Path) -> None:
    (env / "real.pdf").write_bytes(b"real")
    os.symlink(env / "real.pdf", env / "link.pdf")
    res = cli("attach", PID, env / "link.pdf", "--kind", "audit_report", "--repo", repo)
    assert res.exit_code == 0, res.output
    att = repo / "dossiers" / PID / "attachments" / "link.pdf"
    assert att.read_bytes() == b"real" and not att.is_symlink()
    before = yaml_of(repo).read_bytes()
    (env / "in").mkdir()
    res = cli(
        "attach", PID, env / "in" / ".." / "real.pdf", "--kind", "audit_report", "--repo", repo
    )
    assert res.exit_code == 1 and "audit_report" in res.output  # recorded already
    assert yaml_of(repo).read_bytes() == before


def test_attach_refusals_write_nothing(cli: Cli, repo: Path, env: Path) -> None:
    (env / "x.pdf").write_bytes(b"x")
    before = yaml_of(repo).read_bytes()
    listing = sorted(os.listdir(repo / "dossiers" / PID / "attachments"))
    for args, code in (
        ([env / "x.pdf", "--kind", "contract"], 1),  # a signed contract is there already
        ([env / "x.pdf", "--kind", "no_such_kind"], 2),
        ([env, "--kind", "audit_report"], 2),  # a folder
        ([env / "missing.pdf", "--kind", "audit_report"], 2),
    ):
        res = cli("attach", PID, *args, "--repo", repo)
        assert res.exit_code == code, (args, res.output)
        assert "Traceback" not in res.output
    assert yaml_of(repo).read_bytes() == before
    assert sorted(os.listdir(repo / "dossiers" / PID / "attachments")) == listing


def test_attach_refuses_a_linked_attachments_folder(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "r")
    assert cli("new", "2026-abc", "--repo", dest).exit_code == 0
    att = dest / "dossiers" / "2026-abc" / "attachments"
    (att / ".gitkeep").unlink()
    att.rmdir()
    outside = env / "outside"
    outside.mkdir()
    att.symlink_to(outside)
    (env / "x.pdf").write_bytes(b"x")
    res = cli("attach", "2026-abc", env / "x.pdf", "--kind", "proposal", "--repo", dest)
    assert res.exit_code == 1 and not list(outside.iterdir())


def test_list_filters(cli: Cli, repo: Path, env: Path) -> None:
    def ids(*args: str) -> list[str]:
        res = cli("list", *args, "--repo", repo, "--format", "json", "--as-of", "2026-12-01")
        assert res.exit_code == 0, res.output
        return [p["id"] for p in json.loads(res.stdout)["projects"]]

    everything = ids()
    assert len(everything) == 16
    building = ids("--stage", "建设中")
    assert PID in building and building == ids("--stage", "under_construction")
    assert all("公安" in load(yaml_of(repo, p)).unit for p in ids("--unit", "公安"))
    assert ids("停车") == [PID] and ids("SMART-PARKING") == [PID]
    overdue = ids("--overdue")
    assert overdue and set(overdue) < set(everything)
    assert all(
        load(yaml_of(repo, p)).approval_path.value == "urgent" for p in ids("--path", "紧急")
    )  # type: ignore[union-attr]
    assert ids("=cmd|' /C calc'!A0") == []
    res = cli("list", "--stage", "nonsense", "--repo", repo)
    assert res.exit_code == 2 and "under_construction" in res.output
    out = env / "l.xlsx"
    assert (
        cli("list", "--unit", "公安", "--format", "xlsx", "-o", out, "--repo", repo).exit_code == 0
    )
    ws = load_workbook(out).worksheets[0]
    assert ws.max_row - 1 == len(ids("--unit", "公安"))
    res = cli("list", "--unit", "公安", "--format", "csv", "--repo", repo)
    assert res.exit_code == 0 and res.stdout.startswith("\ufeff编号,")
