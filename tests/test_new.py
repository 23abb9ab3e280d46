"""`gtx new`: a dossier scaffold that validates, with a Chinese comment beside every field."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.core.model import ENUM_LABELS, Dossier
from golmud_cli.services import scaffolding as scaffold

runner = CliRunner()
ID = "2025-smart-parking"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("GTX_LANG", raising=False)
    res = runner.invoke(app, ["init", str(tmp_path / "repo")])
    assert res.exit_code == 0, res.output
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def project_file(repo: Path, pid: str = ID) -> Path:
    return repo / "dossiers" / pid / "project.yaml"


def load(repo: Path, pid: str = ID) -> Dossier:
    from golmud_cli.edges import loader

    data = loader.load(project_file(repo, pid).read_bytes(), "x", pid).data
    return Dossier.model_validate(data)


def validate_json(repo: Path) -> dict[str, object]:
    res = runner.invoke(app, ["validate", "--format", "json"])
    out: dict[str, object] = json.loads(res.stdout)
    assert (res.exit_code == 0) == out["ok"]
    return out


def test_scaffold_validates_with_no_finding(repo: Path) -> None:
    res = runner.invoke(app, ["new", ID])
    assert res.exit_code == 0, res.output
    assert f"dossiers/{ID}/project.yaml" in res.output and "gtx validate" in res.output
    assert (repo / "dossiers" / ID / "attachments" / ".gitkeep").is_file()
    d = load(repo)
    assert d.id == ID and d.stage.value == "draft" and d.history == []
    assert validate_json(repo) == {"ok": True, "checked": 1, "findings": []}
    # nothing is left behind by the atomic creation
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == [".gitkeep", ID]


def test_every_field_has_a_chinese_comment_from_the_model(repo: Path) -> None:
    assert runner.invoke(app, ["new", ID]).exit_code == 0
    text = project_file(repo).read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/dossier.schema.json"
    keys = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(keys) > 30
    for ln in keys:
        assert " # " in ln, ln
        comment = ln.split(" # ", 1)[1]
        assert any("\u4e00" <= c <= "\u9fff" for c in comment), ln
    # every top-level field of the model is in the scaffold (or shown as an example)
    for key in Dossier.model_fields:
        assert f"\n{key}:" in text or f"\n# {key}:" in text, key
    # labels and allowed values come from the model
    for label in ENUM_LABELS["FundingSource"].values():
        assert label in text
    phone = next(ln for ln in lines if ln.lstrip().startswith("phone:"))
    assert "联系电话" in phone
    filing = next(ln for ln in lines if ln.startswith("budget_wan:"))
    assert "已备案" in filing and "B001" in filing


def test_name_and_unit_prefill(repo: Path) -> None:
    res = runner.invoke(app, ["new", ID, "--name", "格尔木市智慧停车管理平台", "--unit", "格尔木市公安局交通警察大队"])
    assert res.exit_code == 0, res.output
    d = load(repo)
    assert d.name == "格尔木市智慧停车管理平台" and d.unit == "格尔木市公安局交通警察大队"
    assert validate_json(repo)["ok"] is True


@pytest.mark.parametrize("name", ["平台: 二期 #1", "123", "true", "'引号'", "  前后空格保留？ "])
def test_awkward_names_round_trip(repo: Path, name: str) -> None:
    assert runner.invoke(app, ["new", ID, "--name", name]).exit_code == 0
    assert load(repo).name == name.strip()
    assert validate_json(repo)["ok"] is True


@pytest.mark.parametrize("bad", ["ABC-2025", "ab", "-abc", "a_b_c", "2025.x", "a" * 65, "智慧停车"])
def test_malformed_id_is_refused(repo: Path, bad: str) -> None:
    res = runner.invoke(app, ["new", "--", bad])
    assert res.exit_code == 2
    assert "不合规" in res.output and "小写字母" in res.output
    res = runner.invoke(app, ["new", "--lang", "en", "--", bad])
    assert res.exit_code == 2 and "malformed" in res.output
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == [".gitkeep"]


def test_taken_id_is_refused_and_the_dossier_kept(repo: Path) -> None:
    assert runner.invoke(app, ["new", ID, "--name", "第一个"]).exit_code == 0
    before = project_file(repo).read_bytes()
    res = runner.invoke(app, ["new", ID, "--name", "第二个"])
    assert res.exit_code == 2 and "已被占用" in res.output
    res = runner.invoke(app, ["new", ID, "--lang", "en"])
    assert res.exit_code == 2 and "is taken" in res.output
    assert project_file(repo).read_bytes() == before


def test_blank_name_option_is_refused(repo: Path) -> None:
    res = runner.invoke(app, ["new", ID, "--name", "  "])
    assert res.exit_code == 2 and "--name" in res.output
    assert not (repo / "dossiers" / ID).exists()


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "nowhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    res = runner.invoke(app, ["new", ID])
    assert res.exit_code == 2 and "gtx init" in res.output


# The answers in the order asked; bad ones are followed by their correction.
ANSWERS = [
    "格尔木市智慧停车管理平台",      # name
    "格尔木市公安局交通警察大队",    # unit
    "张三",                          # contact name
    "979-84",                        # phone: too short
    "0979-8412345",
    "三百万",                        # budget: not a number
    "-5",                            # budget: not positive
    "320.5",
    "9",                             # funding: out of range
    "1",                             # municipal
    "2025-02-30",                    # start: not a real date
    "2025/06/01",                    # start: wrong format
    "2025-06-01",
    "0",                             # duration: < 1
    "8",
    "《格尔木市数字政府建设规划（2023—2025年）》",
    "2",                             # MLPS 3
    "2",                             # systems count
    "1",                             # custom
    "是",                            # data needed
    "也许",                          # catalog: not yes/no
    "y",
    "25",                            # operating cost
    "是",                            # cloud deployed
    "",                              # operator: required, asked again
    "格尔木市电子政务云运维中心",
    "1",                             # e-gov extranet
    "",                              # project code: optional, skipped
]


def test_interactive_asks_checks_and_writes(repo: Path) -> None:
    res = runner.invoke(app, ["new", ID, "--interactive"], input="\n".join(ANSWERS) + "\n")
    assert res.exit_code == 0, res.output
    out = res.output
    for msg in ("请写电话号码", "请写数字", "须大于 0", "请输入 1 到 6 的序号", "不存在", "YYYY-MM-DD",
                "至少 1", "请回答 是 或 否", "这一项必须填写"):
        assert msg in out, msg
    d = load(repo)
    assert d.name == "格尔木市智慧停车管理平台" and d.unit == "格尔木市公安局交通警察大队"
    assert d.contact is not None and d.contact.phone == "0979-8412345"
    assert d.budget_wan == Decimal("320.5") and d.funding_source is not None and d.funding_source.value == "municipal"
    assert d.schedule is not None and d.schedule.start == dt.date(2025, 6, 1) and d.schedule.duration_months == 8
    assert d.mlps is not None and d.mlps.level is not None and d.mlps.level.value == "3"
    assert d.systems is not None and d.systems.count == 2 and d.systems.type is not None
    assert d.data_resources is not None and d.data_resources.catalog_written is True
    assert d.operating_cost_wan == Decimal(25)
    assert d.cloud is not None and d.cloud.deployed is True and d.cloud.operator == "格尔木市电子政务云运维中心"
    assert d.network is not None and d.network.value == "e_gov_extranet"
    text = project_file(repo).read_text("utf-8")
    assert 'phone: "0979-8412345"' in text  # kept as a quoted string
    assert "# 联系电话" in text and "# 项目预算" in text  # the comments stay
    # the filing table is complete: the B001 fields are all there
    from golmud_cli.core.rules.filing import missing_filing_fields

    assert missing_filing_fields(d) == []
    assert validate_json(repo) == {"ok": True, "checked": 1, "findings": []}


def test_interactive_skips_and_defaults(repo: Path) -> None:
    # name taken from --name by pressing Enter; every other answer skipped
    res = runner.invoke(app, ["new", ID, "-i", "--name", "预填名称"], input="\n" + "格尔木市民政局\n" + "\n" * 30)
    assert res.exit_code == 0, res.output
    d = load(repo)
    assert d.name == "预填名称" and d.unit == "格尔木市民政局" and d.budget_wan is None
    assert d.cloud is not None and d.cloud.deployed is None and d.contact is not None and d.contact.phone is None
    assert validate_json(repo)["ok"] is True


def test_interactive_in_english_with_registered_units(repo: Path) -> None:
    gtx_yaml = repo / "gtx.yaml"
    gtx_yaml.write_text(
        gtx_yaml.read_text("utf-8").replace("units: {}", "units:\n  格尔木市民政局: {signers: []}\n  格尔木市教育局: {signers: []}\n"),
        "utf-8",
    )
    answers = [
        "Smart parking 平台",  # name
        "5", "2",  # unit: out of range, then the second registered one
        "", "", "", "", "", "", "",  # contact name, phone, budget, funding, start, duration, basis
        "3", "", "定级备案中",  # MLPS other: the note is required
        "", "", "", "", "",  # systems count and type, data needed, catalog, operating cost
        "n", "",  # not on the cloud, no reason given (C002 warns later)
        "3", "", "内网专线",  # network other: the note is required
        "",  # project code: optional
    ]
    res = runner.invoke(app, ["new", ID, "-i", "--lang", "en"], input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.output
    assert "project name" in res.output and "enter a number from 1 to 2" in res.output
    assert "this one is required" in res.output  # MLPS other needs a note
    d = load(repo)
    assert d.unit == "格尔木市教育局"
    assert d.cloud is not None and d.cloud.deployed is False
    assert d.network is not None and d.network.value == "other" and d.network_note == "内网专线"


def test_interactive_input_ending_writes_nothing(repo: Path) -> None:
    res = runner.invoke(app, ["new", ID, "-i"], input="只答了名称\n")
    assert res.exit_code == 2 and "输入已结束" in res.output
    assert sorted(p.name for p in (repo / "dossiers").iterdir()) == [".gitkeep"]


def test_new_dossier_is_committable(repo: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["new", ID]).exit_code == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout
    assert f"?? dossiers/{ID}/project.yaml" in status and f"?? dossiers/{ID}/attachments/.gitkeep" in status


def test_yaml_scalar_round_trips() -> None:
    y = YAML(typ="safe")
    for value in ["0979-8412345", "yes", "null", "1.5", "a: b", "# x", "[x]", "多行\n文本", "\"", "", "~"]:
        text = scaffold.yaml_scalar(value) or '""'
        assert y.load(f"k: {text}\n")["k"] == value, value
    assert scaffold.yaml_scalar(Decimal("100")) == "100" and scaffold.yaml_scalar(Decimal("320.50")) == "320.5"
    assert scaffold.yaml_scalar(True) == "true" and scaffold.yaml_scalar(dt.date(2025, 1, 2)) == "2025-01-02"
