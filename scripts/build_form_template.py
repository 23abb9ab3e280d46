#!/usr/bin/env python3
"""Build templates/filing-form.docx: the filing table 格尔木市政务信息系统备案表.

The table is the attachment (附件) of 格政办〔2023〕15号; clause 三（三） requires the
construction unit to hand it in with the feasibility study and the approval reply. This
script reproduces it row for row, merged cell for merged cell, in the order of the
attachment, and puts one docxtpl placeholder (``{{ name }}``) into each value cell.
`gtx form` (golmud_cli/edges/form.py) fills the placeholders; the context keys it provides
are golmud_cli.edges.form.CONTEXT_KEYS, checked by tests/edges/test_form.py.

Usage (from anywhere; needs only python-docx, which docxtpl depends on)::

    python scripts/build_form_template.py            # rewrite templates/filing-form.docx
    python scripts/build_form_template.py --check    # exit 1 if the committed file is stale
    python scripts/build_form_template.py -o out.docx

The output is byte-for-byte deterministic: fixed zip timestamps, fixed core
properties, no thumbnail. Layout follows GB/T 9704-2012 (党政机关公文格式): A4, the
156 mm type area, the attachment mark 附件 in 黑体 三号 at the top left, the title in
小标宋 二号 centred, text in 仿宋. Every run names its East Asian font (w:eastAsia)
because Word otherwise shows Chinese text in the theme's Latin font (python-docx #154).

The geometry (margins, columns, exact row heights, sizes and line pitches) is
golmud_cli/core/form_layout.py's, which `gtx form` also uses to choose the size of a
long value: the page is one A4 page whatever font the reader has (see that module).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from golmud_cli.core import form_layout as layout
from golmud_cli.edges.form import CONTEXT_KEYS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "templates" / "filing-form.docx"
PACKAGE_COPY = ROOT / "golmud_cli" / "data" / "filing-form.docx"

# Font names as installed on government Windows PCs. 方正小标宋简体 is the usual
# 小标宋 face (GB/T 9704 7.3.1 title); 仿宋 (simfang.ttf) ships with every Windows since
# Vista, unlike 仿宋_GB2312, so a PC without the government font pack still shows 仿宋.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋"
FONT_MARK = "黑体"  # the attachment mark 附件 (GB/T 9704 8.1: 3号黑体)

# Sizes in points: 二号 22, 三号 16, 小四 12, 五号 10.5. The table is in 小四 so that
# the whole form, with its notes, fits on one A4 page as the attachment does.
SIZE_TITLE = layout.TITLE_SIZE
SIZE_MARK = layout.MARK_SIZE
SIZE_TABLE = layout.BASE_SIZE
SIZE_NOTE = layout.NOTE_SIZE

# Column widths in mm (sum = 156 mm, the GB/T 9704 type area: 210 - 28 - 26);
# 云平台运维管理机构 wraps, as it does on the attachment.
COLS = layout.COLS

# fontTable entries: charset 86 (GB2312) and an alternative name tell Word which face
# to substitute on a PC that lacks the named font, instead of a Latin one.
FONT_TABLE = (
    # name, altName, panose1, family, pitch
    (FONT_BODY, "FangSong", "02010609060101010101", "modern", "fixed"),
    (FONT_MARK, "SimHei", "02010609060101010101", "modern", "fixed"),
    (FONT_TITLE, "宋体", "02000000000000000000", "roman", "variable"),
)

FIXED_TIME = dt.datetime(2023, 7, 11, 0, 0, 0)  # the date of 格政办〔2023〕15号
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Checkboxes: U+25A1/U+25A0 (□/■) are in GB2312 and therefore in every Chinese
# font, unlike ☐/☑ (U+2610/U+2611), which 仿宋_GB2312 and Noto CJK lack.
BOX = "□"

# Every placeholder the template uses is a key of the context golmud_cli/edges/form.py
# builds (the renderer uses StrictUndefined, so a missing key is an error, not a blank).
PLACEHOLDERS = CONTEXT_KEYS

# 填表说明, verbatim from the attachment (including its own gaps in items 2 and 6).
NOTES = (
    "填表说明: 1.建设时间项填写: 预计工期时长; 2.等级保护备案项填写 "
    "3.系统类型项填写: 定制研发/成品; 4.数据资源需求项填写: 有需求/无需求; "
    "5.数据资源目录项填写: 已编写/未编写; 6.基础网络填写: 电子政务外网/互联网/。"
)


def ph(key: str) -> str:
    """A docxtpl placeholder for a context key (kept in one run by construction)."""
    assert key in PLACEHOLDERS, key
    return "{{ " + key + " }}"


def set_run_fonts(rpr: OxmlElement, font: str) -> None:
    """Name the font for all four scripts and drop theme fonts, which would win."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    # Ambiguous-width characters (□ ■ “ ” …) take the East Asian font only with
    # this hint; without it Word may draw the checkboxes in a Latin font.
    rfonts.set(qn("w:hint"), "eastAsia")


def add_run(
    p: Paragraph, text: str, font: str = FONT_BODY, size: float = SIZE_TABLE, bold: bool = False
) -> None:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font  # sets ascii/hAnsi; set_run_fonts completes the set
    set_run_fonts(run._r.get_or_add_rPr(), font)


def para_format(
    p: Paragraph,
    align: WD_ALIGN_PARAGRAPH,
    before: float = 0,
    after: float = 0,
    line: float | None = layout.PITCH[SIZE_TABLE],
) -> None:
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.first_line_indent = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = Pt(line)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def fill(
    cell: _Cell,
    parts: list[str] | str,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    valign: WD_ALIGN_VERTICAL = WD_ALIGN_VERTICAL.CENTER,
) -> Paragraph:
    """Write text runs into a cell's single paragraph."""
    if isinstance(parts, str):
        parts = [parts]
    p = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:  # merge() can leave empty paragraphs behind
        extra._p.getparent().remove(extra._p)
    para_format(p, align)
    for text in parts:
        add_run(p, text)
    cell.vertical_alignment = valign
    return p


def label(cell: _Cell, text: str) -> None:
    """A centred label; "\n" breaks the line where the attachment breaks it."""
    p = fill(cell, [], align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, line in enumerate(text.split("\n")):
        if i:
            p.runs[-1].add_break()
        add_run(p, line)


def no_border(cell: _Cell, side: str) -> None:
    """Remove one border of a cell (the seal box spans two rows of the table)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        # tcBorders must come after tcW/gridSpan/vMerge and before shd/vAlign.
        anchor = tcpr.find(qn("w:vAlign"))
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            tcpr.append(borders)
    b = OxmlElement(f"w:{side}")
    b.set(qn("w:val"), "nil")
    borders.append(b)


def cell_margins(table: Table) -> None:
    """Every cell's padding written out (left/right as Word's default, none at top and
    bottom), so no application's own default changes the room a value has."""
    mar = OxmlElement("w:tblCellMar")
    pad = str(round(layout.CELL_PAD_MM / 25.4 * 1440))
    for side, value in (("top", "0"), ("left", pad), ("bottom", "0"), ("right", pad)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), value)
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    # tblCellMar comes after tblLayout in CT_TblPr's sequence (and before tblLook).
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblpr.append(mar)


def set_defaults(doc: Document) -> None:  # type: ignore[valid-type]
    """Document defaults: 仿宋, Chinese language, no theme fonts, no extra spacing."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr_default, FONT_BODY)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_TABLE)
    set_run_fonts(normal.element.get_or_add_rPr(), FONT_BODY)


def set_font_table(doc: Document) -> None:  # type: ignore[valid-type]
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
        "</w:font>"
        for name, alt, panose, family, pitch in FONT_TABLE
    )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:fonts xmlns:w="{w}">{fonts}</w:fonts>'
    )
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            part._blob = xml.encode("utf-8")


def build() -> bytes:
    doc = Document()
    set_defaults(doc)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(layout.PAGE_MM[0]), Mm(layout.PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(layout.MARGIN_TOP), Mm(layout.MARGIN_BOTTOM)
    sec.left_margin, sec.right_margin = Mm(layout.MARGIN_LEFT), Mm(layout.MARGIN_RIGHT)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(15)

    body_p = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    # 附件 (GB/T 9704 8.1: top left, 3号黑体, no indent).
    para_format(body_p, WD_ALIGN_PARAGRAPH.LEFT, line=layout.MARK_PITCH)
    add_run(body_p, "附件", font=FONT_MARK, size=SIZE_MARK)

    title = doc.add_paragraph()
    para_format(title, WD_ALIGN_PARAGRAPH.CENTER, after=layout.TITLE_AFTER, line=layout.TITLE_PITCH)
    add_run(title, "格尔木市政务信息系统备案表", font=FONT_TITLE, size=SIZE_TITLE)

    rows = len(layout.ROWS)
    table = doc.add_table(rows=rows, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # <w:tblLayout w:type="fixed"/>: Word keeps the widths
    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(round(sum(COLS) / 25.4 * 1440)))
    for col, width in zip(table.columns, COLS, strict=True):
        col.width = Mm(width)
    # Exact heights: a fallback font with taller lines cannot grow a row and push the
    # form onto a second page; gtx form sizes long values to fit (core/form_layout.py).
    for row, height in zip(table.rows, layout.ROWS, strict=True):
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        for cell, width in zip(row.cells, COLS, strict=True):
            cell.width = Mm(width)
    cell_margins(table)

    c = table.cell
    # Merges first, in the attachment's grouping; text afterwards.
    c(0, 1).merge(c(0, 3))  # 项目名称 | value across
    c(3, 0).merge(c(4, 0))  # 计划建设时间 over 开工时间 / 建设时间
    c(3, 2).merge(c(3, 3))
    c(4, 2).merge(c(4, 3))
    c(5, 1).merge(c(5, 3))  # 项目建设依据
    c(6, 1).merge(c(6, 3))  # 等级保护备案
    c(8, 0).merge(c(9, 0))  # 数据资源 over 需求 / 目录
    c(8, 2).merge(c(8, 3))
    c(9, 2).merge(c(9, 3))
    c(10, 1).merge(c(10, 3))  # 运营费用
    c(12, 1).merge(c(12, 3))  # 基础网络
    c(13, 0).merge(c(13, 1))  # 申请单位(盖章)
    c(13, 2).merge(c(13, 3))  # 受理单位意见(盖章)
    c(14, 0).merge(c(14, 1))
    c(14, 2).merge(c(14, 3))

    label(c(0, 0), "项目名称")
    fill(c(0, 1), ph("name"))

    label(c(1, 0), "项目联系人")
    fill(c(1, 1), ph("contact_name"))
    label(c(1, 2), "联系电话")
    fill(c(1, 3), ph("contact_phone"))

    label(c(2, 0), "项目预算(万元)")
    fill(c(2, 1), ph("budget_wan"))
    label(c(2, 2), "资金来源")
    fill(c(2, 3), ph("funding_source"))

    label(c(3, 0), "计划建设时间")
    label(c(3, 1), "开工时间")
    fill(c(3, 2), ph("start_date"))
    label(c(4, 1), "建设时间")
    fill(c(4, 2), ph("duration"))

    label(c(5, 0), "项目建设依据")
    fill(c(5, 1), ph("basis"))

    label(c(6, 0), "等级保护备案")
    # Each box is its own run so the renderer swaps □ for ■ and nothing else.
    fill(
        c(6, 1),
        [
            ph("mlps_3_box"),
            "等保三级　",
            ph("mlps_2_box"),
            "等保二级　",
            ph("mlps_other_box"),
            "其他(说明:",
            ph("mlps_note"),
            ")",
        ],
    )

    label(c(7, 0), "应用系统数量")
    fill(c(7, 1), ph("systems_count"))
    label(c(7, 2), "系统类型")
    fill(c(7, 3), ph("systems_type"))

    label(c(8, 0), "数据资源")
    label(c(8, 1), "数据资源需求")
    fill(c(8, 2), ph("data_needed"))
    label(c(9, 1), "数据资源目录")
    fill(c(9, 2), ph("data_catalog"))

    label(c(10, 0), "运营费用")
    fill(c(10, 1), ph("operating_cost"))

    label(c(11, 0), "云平台部署\n(是/否)")
    fill(c(11, 1), ph("cloud_deployed"))
    label(c(11, 2), "云平台运维\n管理机构")
    fill(c(11, 3), ph("cloud_operator"))

    label(c(12, 0), "基础网络")
    fill(c(12, 1), ph("network"))

    # The seal boxes: label at the top, the date at the bottom right, no rule
    # between them, so each side reads as one box as on the attachment.
    fill(c(13, 0), "申请单位(盖章):", valign=WD_ALIGN_VERTICAL.TOP)
    unit_p = c(13, 0).add_paragraph()
    para_format(unit_p, WD_ALIGN_PARAGRAPH.LEFT)
    add_run(unit_p, ph("unit"))
    fill(c(13, 2), "受理单位意见(盖章):", valign=WD_ALIGN_VERTICAL.TOP)
    date_text = "日期:　　　　年　　月　　日"
    fill(c(14, 0), date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    fill(c(14, 2), date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for col in (0, 2):
        no_border(c(13, col), "bottom")
        no_border(c(14, col), "top")

    # Keep the table on one page with its notes: cantSplit on every row.
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))

    notes = doc.add_paragraph()
    para_format(
        notes, WD_ALIGN_PARAGRAPH.JUSTIFY, before=layout.NOTE_BEFORE, line=layout.NOTE_PITCH
    )
    add_run(notes, NOTES, size=SIZE_NOTE)

    cp = doc.core_properties
    cp.title = "格尔木市政务信息系统备案表"
    cp.subject = "格政办〔2023〕15号 附件"
    cp.author = "gtx"
    cp.last_modified_by = "gtx"
    cp.comments = "Built by scripts/build_form_template.py"
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME

    set_font_table(doc)

    # The default template's thumbnail shows an unrelated page; drop it.
    pkg_rels = doc.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg_rels.pop(rid)

    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so the build is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 when the file differs from a fresh build",
    )
    args = ap.parse_args(argv)
    data = build()
    # The repository's template and the copy shipped in the package (gtx init and an
    # installed gtx read that one) are built together so they never drift apart.
    outputs = [args.output] if args.output != DEFAULT_OUT else [DEFAULT_OUT, PACKAGE_COPY]
    if args.check:
        stale = [o for o in outputs if not o.exists() or o.read_bytes() != data]
        for o in stale:
            print(f"{o} is stale; run: python scripts/build_form_template.py", file=sys.stderr)
        if stale:
            return 1
        print(", ".join(map(str, outputs)) + " up to date")
        return 0
    for o in outputs:
        o.parent.mkdir(parents=True, exist_ok=True)
        o.write_bytes(data)
        print(f"wrote {o} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
