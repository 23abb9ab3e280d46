"""`gtx import` and `--format xlsx`: real workbooks written by openpyxl and read back."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from golmud_cli.core.register import COLUMNS
from tests.support.registers import Cli, dossiers, field, load, new_repo, samples


def test_status_xlsx_round_trip_gives_the_same_field_values(cli: Cli, env: Path) -> None:
    src = samples(env)
    out = env / "项目总览.xlsx"
    res = cli("status", "--format", "xlsx", "-o", out, "--repo", src, "--as-of", "2026-12-01")
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["项目总览", "按阶段", "按建设单位"]
    ws = wb["项目总览"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["项目编号", "项目名称", "建设单位"] and "项目预算（万元）" in header
    start = ws.cell(2, header.index("开工时间") + 1).value
    assert isinstance(start, dt.datetime)  # a date cell, not text
    budget = ws.cell(2, header.index("项目预算（万元）") + 1).value
    assert isinstance(budget, int | float)
    assert ws.column_dimensions["B"].width > 10

    dest = new_repo(cli, env / "empty")
    res = cli("import", out, "--repo", dest)
    assert res.exit_code == 0, res.output
    ids = sorted(p.name for p in (src / "dossiers").iterdir())
    assert sorted(p.name for p in (dest / "dossiers").iterdir() if p.is_dir()) == ids
    for pid in ids:
        before = load(src / "dossiers" / pid / "project.yaml")
        after = load(dest / "dossiers" / pid / "project.yaml")
        for c in COLUMNS:
            assert field(after, c.key) == field(before, c.key), (pid, c.key)
        assert after.stage.value == "draft" and after.history == []
        # the comment scaffold of gtx new is kept
        text = (dest / "dossiers" / pid / "project.yaml").read_text()
        assert "# 项目名称" in text and "由 gtx advance 修改" in text
    # importing again overwrites nothing
    before_bytes = (dest / "dossiers" / ids[0] / "project.yaml").read_bytes()
    res = cli("import", out, "--repo", dest, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert {r["state"] for r in rows} == {"exists"} and json.loads(res.stdout)["created"] == []
    assert (dest / "dossiers" / ids[0] / "project.yaml").read_bytes() == before_bytes


def test_english_headers_round_trip(cli: Cli, env: Path) -> None:
    src = samples(env)
    out = env / "p.xlsx"
    assert (
        cli("status", "--format", "xlsx", "-o", out, "--repo", src, "--lang", "en").exit_code == 0
    )
    assert load_workbook(out)["projects"].cell(1, 2).value == "name"
    dest = new_repo(cli, env / "empty")
    res = cli("import", out, "--repo", dest, "--format", "json")
    assert res.exit_code == 0, res.output
    pid = "2025-smart-parking"
    before = load(src / "dossiers" / pid / "project.yaml")
    after = load(dest / "dossiers" / pid / "project.yaml")
    assert all(field(after, c.key) == field(before, c.key) for c in COLUMNS)


def wps_register(path: Path) -> Path:
    """A register as a department keeps it in WPS: a title merged across the top, a
    unit line, two header rows with 计划建设时间 merged over its two sub-headers and
    the other headers merged down, Chinese values, an empty row and a 合计 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2024年台账"
    ws.append(["格尔木市市级政务信息化项目台账（2024年）"])
    ws.merge_cells("A1:K1")
    ws.append(
        [
            "填报单位：格尔木市发展和改革委员会",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "单位：万元",
        ]
    )
    ws.append(
        [
            "序号",
            "项目名称",
            "建设单位",
            "项目预算（万元）",
            "资金来源",
            "计划建设时间",
            None,
            "等保级别",
            "采购方式",
            "备注",
            "是否上云",
        ]
    )
    ws.append([None, None, None, None, None, "开工时间", "建设工期", None, None, None, None])
    for col in "ABCDEHIJK":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("F3:G3")
    ws.append(
        [
            1,
            "格尔木市智慧社区服务平台",
            "格尔木市民政局",
            "120万",
            "市级财政资金",
            "2024年6月3日",
            "8个月",
            "等保三级",
            "公开招标",
            "试点",
            "是",
        ]
    )
    ws.append(
        [
            2,
            "格尔木市河湖长制信息系统",
            "格尔木市水务局",
            86.5,
            "财政拨款",
            dt.datetime(2024, 9, 1),
            6,
            "三级",
            None,
            None,
            "否",
        ]
    )
    ws.append([None] * 11)
    ws.append(
        [
            3,
            "格尔木市不动产登记系统升级",
            "格尔木市自然资源局",
            "壹佰万",
            "省级财政资金",
            "2024年13月1日",
            "半年",
            "四级",
            None,
            None,
            "也许",
        ]
    )
    ws.append(["合计", None, None, "=SUM(D5:D8)", None, None, None, None, None, None, None])
    wb.save(path)
    return path


def test_wps_register_reports_every_unusable_cell(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "repo")
    xlsx = wps_register(env / "台账.xlsx")
    res = cli("import", xlsx, "--repo", dest, "--dry-run", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["header_rows"] == [3, 4]
    fields = {c["column"]: c["field"] for c in out["columns"]}
    assert fields == {
        "A": "ignore",
        "B": "name",
        "C": "unit",
        "D": "budget_wan",
        "E": "funding_source",
        "F": "schedule.start",
        "G": "schedule.duration_months",
        "H": "mlps.level",
        "I": "ignore",
        "J": None,
        "K": "cloud.deployed",
    }
    rows = {r["row"]: r for r in out["rows"]}
    assert sorted(rows) == [5, 6, 8, 9]
    assert rows[9]["state"] == "total"
    unusable = {u["cell"] for r in out["rows"] for u in r["unusable"]}
    # J5 (备注: no field), E6 (财政拨款), D8 F8 G8 H8 K8: every cell gtx cannot use
    assert unusable == {"J5", "E6", "D8", "F8", "G8", "H8", "K8"}
    e6 = next(u for u in rows[6]["unusable"] if u["cell"] == "E6")
    assert "财政拨款" in e6["message"] and "市级财政资金" in e6["message"]
    assert not dossiers(dest)

    res = cli("import", xlsx, "--repo", dest)
    assert res.exit_code == 0, res.output
    assert "E6" in res.output and "J5" in res.output
    made = [load(p) for p in (dest / "dossiers").glob("*/project.yaml")]
    by_name = {d.name: d for d in made}
    a = by_name["格尔木市智慧社区服务平台"]
    assert a.budget_wan == Decimal(120) and a.funding_source.value == "municipal"
    assert a.schedule and a.schedule.start == dt.date(2024, 6, 3)
    assert a.schedule.duration_months == 8
    assert a.mlps and a.mlps.level and a.mlps.level.value == "3"
    assert a.cloud and a.cloud.deployed is True
    b = by_name["格尔木市河湖长制信息系统"]
    assert b.funding_source is None and b.budget_wan == Decimal("86.5")
    c = by_name["格尔木市不动产登记系统升级"]
    assert c.funding_source and c.funding_source.value == "provincial" and c.budget_wan is None
    assert a.id.startswith("2024-")
    res = cli("validate", "--repo", dest, "--format", "json")
    assert json.loads(res.stdout)["checked"] == 3


def test_a_row_without_a_name_writes_nothing(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "repo")
    csv = env / "r.csv"
    csv.write_text(
        "项目名称,建设单位,项目预算（万元）\nA系统,格尔木市民政局,10\n,格尔木市水务局,20\n",
        "utf-8-sig",
    )
    res = cli("import", csv, "--repo", dest)
    assert res.exit_code == 1
    assert "第 3 行" in res.output and "未写入" in res.output
    assert not dossiers(dest)
    res = cli("import", csv, "--repo", dest, "--lang", "en")
    assert "row 3" in res.output and "nothing was written" in res.output


def test_gbk_csv_and_a_saved_mapping(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "repo")
    csv = env / "r.csv"
    csv.write_bytes("名目,主管,投资（元）\nB平台,格尔木市教育局,1200000\n".encode("gb18030"))
    res = cli("import", csv, "--repo", dest)
    assert res.exit_code == 2 and "表头" in res.output
    mapping = env / "map.yaml"
    mapping.write_text('"名目": name\n"主管": unit\n"投资（元）": budget_wan\n', "utf-8")
    saved = env / "saved.yaml"
    res = cli("import", csv, "--repo", dest, "--mapping", mapping, "--save-mapping", saved)
    assert res.exit_code == 0, res.output
    d = load(next((dest / "dossiers").glob("*/project.yaml")))
    assert d.budget_wan == Decimal(120)  # the column is in 元
    assert '"主管": unit' in saved.read_text()
    bad = env / "bad.yaml"
    bad.write_text('"名目": nmae\n', "utf-8")
    res = cli("import", csv, "--repo", dest, "--mapping", bad)
    assert res.exit_code == 2 and "nmae" in res.output


@pytest.mark.parametrize("name", ["notes.txt", "missing.xlsx"])
def test_bad_files_are_usage_errors(cli: Cli, env: Path, name: str) -> None:
    dest = new_repo(cli, env / "repo")
    (env / "notes.txt").write_text("x")
    res = cli("import", env / name, "--repo", dest)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_a_broken_xlsx_is_a_usage_error(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "repo")
    (env / "x.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    res = cli("import", env / "x.xlsx", "--repo", dest)
    assert res.exit_code == 2 and "另存为 .xlsx" in res.output


def test_deadlines_and_validate_xlsx_and_formulas_neutralised(cli: Cli, env: Path) -> None:
    src = samples(env)
    f = src / "dossiers" / "2025-smart-parking" / "project.yaml"
    f.write_text(
        f.read_text().replace("格尔木市城区智慧停车管理平台", '"=HYPERLINK(\\"http://x\\")"')
    )
    out = env / "d.xlsx"
    assert cli(
        "deadlines", "--format", "xlsx", "-o", out, "--repo", src, "--as-of", "2026-12-01"
    ).exit_code in (0, 1)
    ws = load_workbook(out)["期限"]
    assert ws.freeze_panes == "A2" and isinstance(ws.cell(2, 7).value, dt.datetime)
    names = [c.value for c in ws["B"]]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    out = env / "v.xlsx"
    res = cli("validate", "--format", "xlsx", "-o", out, "--repo", src)
    assert res.exit_code in (0, 1), res.output
    assert load_workbook(out).sheetnames == ["问题"]
    out = env / "s.xlsx"
    assert cli("status", "--format", "xlsx", "-o", out, "--repo", src).exit_code == 0
    dest = new_repo(cli, env / "empty")
    assert cli("import", out, "--repo", dest).exit_code == 0
    d = load(dest / "dossiers" / "2025-smart-parking" / "project.yaml")
    assert d.name == '=HYPERLINK("http://x")'


def test_xlsx_to_a_terminal_is_refused(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from golmud_cli.edges.xlsx import emit
    from golmud_cli.errors import UsageError

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(UsageError) as e:
        emit(b"PK", None, "zh")
    assert "-o" in e.value.zh and "-o" in e.value.en


def test_a_value_the_model_refuses_is_named_and_left_out(cli: Cli, env: Path) -> None:
    dest = new_repo(cli, env / "repo")
    csv = env / "r.csv"
    csv.write_text("项目名称,建设单位,项目预算（万元）\nC系统,格尔木市民政局,0\n", "utf-8-sig")
    res = cli("import", csv, "--repo", dest, "--format", "json")
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)["rows"]
    assert [u["cell"] for u in row["unusable"]] == ["C2"] and "> 0" in row["unusable"][0]["message"]
    [made] = dossiers(dest)
    assert load(made / "project.yaml").budget_wan is None
