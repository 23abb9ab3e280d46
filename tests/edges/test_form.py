"""`gtx form`: the filing table 格尔木市政务信息系统备案表 (附件 of 格政办〔2023〕15号, 三（三）).

Every rendered form is read back with python-docx: each value in the cell beside its
label, the checkbox states, no template syntax left, well-formed XML, hostile text kept
literally.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document

from golmud_cli.edges import form
from tests.conftest import ROOT
from tests.support.forms import FULL_YAML, PARTIAL_YAML, TEMPLATE, dossier, make_repo, render
from tests.support.scripts import load_script

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"







def distinct_cells(row: Any) -> list[Any]:
    """A row's cells with horizontally merged repeats removed."""
    out: list[Any] = []
    for cell in row.cells:
        if not out or out[-1]._tc is not cell._tc:
            out.append(cell)
    return out


def beside(doc: Any, label: str) -> str:
    """The text of the cell right of the cell whose text is `label`."""
    for row in doc.tables[0].rows:
        cells = distinct_cells(row)
        for i, cell in enumerate(cells[:-1]):
            if cell.text == label:
                return str(cells[i + 1].text)
    raise AssertionError(f"label {label!r} not in the table")


def read(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def all_text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for row in doc.tables[0].rows:
        parts.extend(c.text for c in distinct_cells(row))
    return "\n".join(parts)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


# --- the template -----------------------------------------------------------------


def _builder() -> Any:
    return load_script("build_form_template")


def test_template_is_the_build_output() -> None:
    # The committed file is exactly what the script builds (deterministic, reviewable).
    builder = _builder()
    assert builder.build() == builder.build()
    assert TEMPLATE.read_bytes() == builder.build(), "run: python scripts/build_form_template.py"


def test_template_placeholders_are_the_context_keys() -> None:
    text = all_text(read(TEMPLATE.read_bytes()))
    used = re.findall(r"\{\{ (\w+) \}\}", text)
    assert sorted(set(used)) == sorted(form.CONTEXT_KEYS)
    assert tuple(_builder().PLACEHOLDERS) == form.CONTEXT_KEYS


def test_template_reproduces_the_attachment() -> None:
    doc = read(TEMPLATE.read_bytes())
    paras = [p.text for p in doc.paragraphs if p.text]
    assert paras[0] == "附件"
    assert paras[1] == "格尔木市政务信息系统备案表"
    assert paras[2].startswith("填表说明: 1.建设时间项填写: 预计工期时长;")
    assert "6.基础网络填写: 电子政务外网/互联网/。" in paras[2]
    rows = [[c.text for c in distinct_cells(r)] for r in doc.tables[0].rows]
    labels = [[t for t in r if "{{" not in t] for r in rows]
    assert labels == [
        ["项目名称"],
        ["项目联系人", "联系电话"],
        ["项目预算(万元)", "资金来源"],
        ["计划建设时间", "开工时间"],
        ["计划建设时间", "建设时间"],  # one cell merged over two rows
        ["项目建设依据"],
        ["等级保护备案"],
        ["应用系统数量", "系统类型"],
        ["数据资源", "数据资源需求"],
        ["数据资源", "数据资源目录"],
        ["运营费用"],
        ["云平台部署\n(是/否)", "云平台运维\n管理机构"],
        ["基础网络"],
        ["受理单位意见(盖章):"],  # the applicant's box holds {{ unit }} too
        ["日期:　　　　年　　月　　日", "日期:　　　　年　　月　　日"],
    ]
    assert rows[13][0] == "申请单位(盖章):\n{{ unit }}"
    assert "{{ mlps_3_box }}等保三级" in rows[6][1]
    assert "{{ mlps_other_box }}其他(说明:{{ mlps_note }})" in rows[6][1]
    # vertical merges: 计划建设时间 and 数据资源 each span two rows
    tbl = doc.tables[0]
    assert tbl.cell(3, 0)._tc is tbl.cell(4, 0)._tc
    assert tbl.cell(8, 0)._tc is tbl.cell(9, 0)._tc


def test_template_is_a4_with_east_asian_fonts_on_every_run() -> None:
    doc = read(TEMPLATE.read_bytes())
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    root = ElementTree.fromstring(document_xml(TEMPLATE.read_bytes()))
    runs = list(root.iter(f"{W}r"))
    assert runs
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), ElementTree.tostring(r)
    title = next(p for p in doc.paragraphs if p.text == "格尔木市政务信息系统备案表")
    assert "小标宋" in title.runs[0]._r.rPr.rFonts.get(f"{W}eastAsia")
    assert title.runs[0].font.size.pt == 22  # 二号
    body = beside_run_font(doc, "项目名称")
    assert "仿宋" in body


def beside_run_font(doc: Any, label: str) -> str:
    for row in doc.tables[0].rows:
        for cell in row.cells:
            if cell.text == label:
                return str(cell.paragraphs[0].runs[0]._r.rPr.rFonts.get(f"{W}eastAsia"))
    raise AssertionError(label)


# --- filling ----------------------------------------------------------------------


def test_every_value_beside_its_label() -> None:
    doc = read(render(dossier()))
    assert beside(doc, "项目名称") == "格尔木市智慧停车管理平台"
    assert beside(doc, "项目联系人") == "张三"
    assert beside(doc, "联系电话") == "0979-8412345"
    assert beside(doc, "项目预算(万元)") == "320.5"
    assert beside(doc, "资金来源") == "市级财政资金（2024年市级财政预算安排）"
    assert beside(doc, "开工时间") == "2024年6月3日"
    assert beside(doc, "建设时间") == "8个月"
    assert beside(doc, "项目建设依据") == "《格尔木市数字政府建设规划（2023—2025年）》"
    assert beside(doc, "等级保护备案") == "■等保三级　□等保二级　□其他(说明:)"
    assert beside(doc, "应用系统数量") == "2"
    assert beside(doc, "系统类型") == "定制研发"
    assert beside(doc, "数据资源需求") == "有需求"
    assert beside(doc, "数据资源目录") == "已编写"
    assert beside(doc, "运营费用") == "25万元/年"
    assert beside(doc, "云平台部署\n(是/否)") == "是"
    assert beside(doc, "云平台运维\n管理机构") == "格尔木市电子政务云运维中心"
    assert beside(doc, "基础网络") == "电子政务外网"
    stamp = doc.tables[0].rows[13].cells[0].text
    assert stamp == "申请单位(盖章):\n格尔木市公安局交通警察大队"


def test_other_choices_and_their_labels() -> None:
    d = dossier(
        systems__type="product",
        data_resources__needed=False,
        data_resources__catalog_written=False,
        cloud={"deployed": False, "exemption_reason": "涉密系统，按规定不上云"},
        network="other",
        network_note="专线接入省厅",
        funding_note=None,
        funding_source="service_purchase",
        budget_wan=Decimal("1E+2"),  # a Decimal as the loader may give; quoted text is refused
        operating_cost_wan=0,
    )
    doc = read(render(d))
    assert beside(doc, "系统类型") == "成品"
    assert beside(doc, "数据资源需求") == "无需求"
    assert beside(doc, "数据资源目录") == "未编写"
    assert beside(doc, "云平台部署\n(是/否)") == "否"
    assert beside(doc, "云平台运维\n管理机构") == "/"
    assert beside(doc, "基础网络") == "其他（专线接入省厅）"
    assert beside(doc, "资金来源") == "政府购买服务"
    assert beside(doc, "项目预算(万元)") == "100"
    assert beside(doc, "运营费用") == "0万元/年"
    assert beside(doc, "基础网络") == "其他（专线接入省厅）"
    assert form.build_context(dossier(network="internet"))["network"] == "互联网"


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("municipal", "市级财政资金"),
        ("municipal_social", "政府和社会联合建设"),
        ("service_purchase", "政府购买服务"),
        ("om_only", "需要政府运行维护"),
        ("central", "中央财政资金"),
        ("provincial", "省级财政资金"),
    ],
)
def test_funding_source_labels(source: str, label: str) -> None:
    ctx = form.build_context(dossier(funding_source=source, funding_note=None))
    assert ctx["funding_source"] == label


@pytest.mark.parametrize(
    ("level", "boxes", "note"),
    [
        (3, "■□□", ""),
        (2, "□■□", ""),
        ("other", "□□■", "已按分级保护要求备案"),
        # 三（三）: 等级保护和分级保护备案: a classified system is recordable
        ("classified", "□□■", "分级保护（机密级）"),
    ],
)
def test_checkboxes(level: Any, boxes: str, note: str) -> None:
    d = dossier(mlps={"level": level, "note": "机密级" if level == "classified" else note or "不应出现"})
    cell = beside(read(render(d)), "等级保护备案")
    assert cell == (f"{boxes[0]}等保三级　{boxes[1]}等保二级　{boxes[2]}其他(说明:{note})")
    # ■/□ are GB2312 characters, present in every Chinese font (☑/☐ are not).
    assert "☑" not in cell and "☐" not in cell


@pytest.mark.parametrize(
    ("value", "text"),
    [(320.5, "320.5"), (25, "25"), (Decimal("320.50"), "320.50"), (0.1, "0.1"), (12345.678, "12345.678")],
)
def test_money_as_written(value: Any, text: str) -> None:
    assert form.build_context(dossier(budget_wan=value))["budget_wan"] == text


def test_no_template_syntax_left_and_xml_well_formed() -> None:
    data = render(dossier())
    xml = document_xml(data)
    ElementTree.fromstring(xml)
    text = all_text(read(data))
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "{{" not in xml and "{%" not in xml


def test_markup_characters_intact() -> None:
    name = "A&B <系统> \"引号\" '单引号' 5>3 & 2<4 &amp; ‘全角’“引号”"
    d = dossier(
        name=name, basis="《规划》&<b>粗体</b>", contact={"name": "O'Brien", "phone": "0979&1"}
    )
    data = render(d)
    ElementTree.fromstring(document_xml(data))
    doc = read(data)
    assert beside(doc, "项目名称") == name
    assert beside(doc, "项目建设依据") == "《规划》&<b>粗体</b>"
    assert beside(doc, "项目联系人") == "O'Brien"
    assert beside(doc, "联系电话") == "0979&1"


def test_jinja_in_values_is_literal() -> None:
    hostile = {
        "name": "{{ 7*7 }}",
        "basis": "{% if true %}yes{% endif %}{# c #}",
        "unit": "{{ name }}{%p if x %}",
        "funding_note": "{_{ x }_} {_% y %_}",
    }
    d = dossier(**hostile)
    data = render(d)
    doc = read(data)
    assert beside(doc, "项目名称") == "{{ 7*7 }}"
    assert "49" not in all_text(doc)
    assert beside(doc, "项目建设依据") == "{% if true %}yes{% endif %}{# c #}"
    assert doc.tables[0].rows[13].cells[0].text.endswith("{{ name }}{%p if x %}")
    # docxtpl rewrites {_{ to {{ in its output; values are protected from that too
    assert beside(doc, "资金来源") == "市级财政资金（{_{ x }_} {_% y %_}）"
    ElementTree.fromstring(document_xml(data))


def test_control_characters_do_not_break_the_xml() -> None:
    d = dossier(
        name="平台\x00\x01\x08\x0b\x0c\x1f\x7f名称",
        basis="第一行\r\n第二行\t附\x07件\ufffe",
        contact={"name": "张\x1b三", "phone": "0979\x0c8412345"},
    )
    data = render(d)
    ElementTree.fromstring(document_xml(data))
    doc = read(data)
    assert beside(doc, "项目名称") == "平台\x7f名称"  # DEL is legal XML; C0 controls are not
    assert beside(doc, "项目建设依据") == "第一行\n第二行 附件"
    assert beside(doc, "项目联系人") == "张三"
    assert beside(doc, "联系电话") == "09798412345"
    assert len(doc.tables[0].rows) == 15  # no control character split a paragraph or row


def test_clean_text() -> None:
    assert form.clean_text(None) == ""
    assert form.clean_text("  a\r\nb\rc\td\x00 ") == "a\nb\nc d"
    assert form.clean_text("\ud800x\uffff") == "x"


def test_same_dossier_same_document() -> None:
    a, b = render(dossier()), render(dossier())
    assert a == b
    assert all_text(read(a)) == all_text(read(b))


def test_undefined_placeholder_is_an_error(tmp_path: Path) -> None:
    from jinja2 import UndefinedError

    doc = Document()
    doc.add_paragraph("{{ no_such_key }}")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    with pytest.raises(UndefinedError):
        form.render_docx(path, form.build_context(dossier()))


def test_gaps_are_b001_findings_in_table_order() -> None:
    d = dossier(schedule=None, network=None, mlps={"level": "other", "note": ""})
    gaps = form.filing_gaps(d)
    assert [f.field for f in gaps] == [
        "schedule.start",
        "schedule.duration_months",
        "mlps.note",
        "network",
    ]
    assert {f.code for f in gaps} == {"B001"}
    assert all(f.clause == "三（三）" for f in gaps)
    assert form.filing_gaps(dossier()) == []
    # false is an answer (否 / 无需求), not a gap
    assert (
        form.filing_gaps(dossier(data_resources={"needed": False, "catalog_written": False})) == []
    )


# --- the command ----------------------------------------------------------------------










ATTACH = Path("dossiers") / "2024-smart-parking" / "attachments"


def test_command_writes_default_path(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, FULL_YAML)
    res = gtx_form(repo)
    target = repo / ATTACH / "filing-form.docx"
    assert res.code == 0, res.err
    assert target.is_file()
    assert "已生成备案表" in res.out
    doc = read(target.read_bytes())
    assert beside(doc, "等级保护备案").startswith("□等保三级　■等保二级")
    assert beside(doc, "数据资源目录") == "未编写"
    assert beside(doc, "基础网络") == "互联网"
    assert beside(doc, "开工时间") == "2024年6月3日"
    first = target.read_bytes()
    assert gtx_form(repo).code == 0
    assert target.read_bytes() == first  # the same dossier, the same bytes


def test_command_output_option(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, FULL_YAML)
    out = tmp_path / "elsewhere" / "form.docx"
    res = gtx_form(repo, output=out, lang="en")
    assert res.code == 0
    assert out.is_file()
    assert "filing form written" in res.out
    assert not (repo / ATTACH).exists()


def test_command_refuses_missing_fields_with_positions(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, PARTIAL_YAML)
    res = gtx_form(repo)
    assert res.code == 1
    assert not (repo / ATTACH).exists()
    assert "未生成文件" in res.err and "--draft" in res.err
    # contact.phone is missing inside `contact`, which starts on line 5
    assert "dossiers/2024-smart-parking/project.yaml:5:1: B001 contact.phone" in res.err
    for field in ("schedule.start", "mlps.level", "cloud.deployed", "network"):
        assert f"B001 {field}" in res.err
    res = gtx_form(repo, lang="en")
    assert res.code == 1
    assert "no file was written" in res.err
    assert "B001 contact.phone (项目联系人·联系电话) is missing" in res.err


def test_command_draft_writes_blanks(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, PARTIAL_YAML)
    res = gtx_form(repo, draft=True)
    assert res.code == 0, res.err
    assert "草稿" in res.err and "B001 network" in res.err
    doc = read((repo / ATTACH / "filing-form.docx").read_bytes())
    assert beside(doc, "项目名称") == "格尔木市社会救助一体化信息平台"
    assert beside(doc, "项目联系人") == "马晓琴"
    assert beside(doc, "联系电话") == ""
    assert beside(doc, "开工时间") == ""
    assert beside(doc, "云平台部署\n(是/否)") == ""
    assert beside(doc, "等级保护备案") == "□等保三级　□等保二级　□其他(说明:)"
    assert "{{" not in all_text(doc)


def test_command_usage_errors(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, gtx_form: Any
) -> None:
    repo = make_repo(tmp_path, FULL_YAML)
    res = gtx_form(repo, pid="no-such-project")
    assert res.code == 2 and "no-such-project" in res.err
    res = gtx_form(repo, pid="../../etc", lang="en")
    assert res.code == 2 and "no project" in res.err
    # a path into the project's folder names the project too
    res = gtx_form(repo, pid=str(repo / "dossiers" / "2024-smart-parking"))
    assert res.code == 0, res.err
    lonely = tmp_path_factory.mktemp("lonely")
    res = gtx_form(lonely)
    assert res.code == 2 and "档案仓库" in res.err


def test_command_broken_dossier(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, FULL_YAML.replace("budget_wan: 320.5", "budget_wan: lots"))
    res = gtx_form(repo)
    assert res.code == 1
    assert "project.yaml:8:" in res.err and "budget_wan" in res.err
    assert "gtx validate 2024-smart-parking" in res.err
    assert not (repo / ATTACH).exists()


@pytest.mark.parametrize(("lang", "word"), [("zh", "未安装 LibreOffice"), ("en", "not installed")])
def test_pdf_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtx_form: Any, lang: str, word: str
) -> None:
    monkeypatch.setattr(form, "find_soffice", lambda: None)
    repo = make_repo(tmp_path, FULL_YAML)
    res = gtx_form(repo, pdf=True, lang=lang)
    assert res.code == 2
    assert word in res.err
    assert "apt-get install -y libreoffice-writer fonts-noto-cjk" in res.err
    assert not (repo / ATTACH).exists()  # refused before anything is written


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_with_libreoffice(tmp_path: Path, gtx_form: Any) -> None:
    repo = make_repo(tmp_path, FULL_YAML)
    res = gtx_form(repo, pdf=True)
    assert res.code == 0, res.err
    assert (repo / ATTACH / "filing-form.pdf").read_bytes()[:5] == b"%PDF-"
    assert "已转换为 PDF" in res.out


def test_context_keys_are_complete_and_plain() -> None:
    ctx = form.build_context(dossier())
    assert tuple(ctx) == form.CONTEXT_KEYS
    assert all(type(v) is str for v in ctx.values())
    assert form.format_wan(Decimal("320.50000")) == "320.50000"  # as written in the YAML
    assert form.format_wan(Decimal("-0")) == "0"


def test_command_module_imports_no_docx_libraries() -> None:
    # `gtx --help` must stay fast: docxtpl (~180 ms) loads only when a form is filled.
    import subprocess
    import sys

    code = (
        "import sys, golmud_cli.commands.form, golmud_cli.edges.form; "
        "bad = [m for m in ('docxtpl', 'docx', 'jinja2') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
