"""The filing table is one A4 page whatever font opens it (issue 14; 附件 of 格政办〔2023〕15号).

The structural tests read the filled .docx back with python-docx and add its heights up
(A4, exact row heights, exact line pitches, every cell's lines within its row), for the
sample values and for the longest values each cell takes; they always run. The
LibreOffice tests convert the same documents with a plain `soffice --convert-to pdf`
seeing one fallback CJK face only (none of the template's 仿宋/黑体/小标宋) and count
the pages and the characters of the PDF; they are skipped where soffice is missing.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from rich.cells import cell_len

from golmud_cli.core import form_layout as layout
from golmud_cli.edges import form
from tests.support.forms import FULL_YAML, dossier, make_repo, render

EMU_PER_MM = 36000
PID = "2024-smart-parking"

# field of the dossier -> the character its longest value is made of: none of them occurs
# in the form's own text, so the PDF's text counts each value's characters exactly.
LONG_FIELDS = {
    "name": "甲",
    "unit": "乙",
    "contact__name": "丙",
    "contact__phone": "丁",
    "funding_note": "戊",
    "basis": "己",
    "cloud__operator": "庚",
    "network_note": "辛",
    "mlps__note": "壬",
}


def with_value(field: str, n: int) -> Any:
    """The sample dossier with `field` set to n of its character (the choice it belongs
    to made: other network, other MLPS level)."""
    value = LONG_FIELDS[field] * n
    extra: dict[str, Any] = {}
    if field == "network_note":
        extra["network"] = "other"
    if field == "mlps__note":
        return dossier(mlps={"level": "other", "note": value})
    return dossier(**{field: value}, **extra)


def fits(d: Any) -> bool:
    return not form.too_long(form.build_context(d))


def longest(field: str) -> int:
    """The most characters `field` may have and still fit (binary search)."""
    lo, hi = 1, 1000
    assert fits(with_value(field, lo)) and not fits(with_value(field, hi))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(with_value(field, mid)) else (lo, mid)
    return lo


def longest_dossier() -> tuple[Any, dict[str, int]]:
    """Every long field at its longest at once."""
    counts = {f: longest(f) for f in LONG_FIELDS}
    d = dossier(
        name=LONG_FIELDS["name"] * counts["name"],
        unit=LONG_FIELDS["unit"] * counts["unit"],
        contact={
            "name": LONG_FIELDS["contact__name"] * counts["contact__name"],
            "phone": LONG_FIELDS["contact__phone"] * counts["contact__phone"],
        },
        funding_note=LONG_FIELDS["funding_note"] * counts["funding_note"],
        basis=LONG_FIELDS["basis"] * counts["basis"],
        cloud={
            "deployed": True,
            "operator": LONG_FIELDS["cloud__operator"] * counts["cloud__operator"],
        },
        network="other",
        network_note=LONG_FIELDS["network_note"] * counts["network_note"],
        mlps={"level": "other", "note": LONG_FIELDS["mlps__note"] * counts["mlps__note"]},
    )
    return d, counts


# Realistic long values: a long name and unit, a basis of several documents on lines of
# their own, Latin letters and digits among the Chinese.
REALISTIC = dict(
    name="格尔木市城乡一体化智慧城市运行管理服务平台（城市大脑）二期建设项目",
    unit="格尔木市政务服务监督管理局（格尔木市大数据服务中心）",
    basis="《格尔木市数字政府建设规划（2023—2025年）》\n《青海省“十四五”数字政府建设实施方案》\n"
    "格政办〔2023〕15号\n格尔木市人民政府第12次常务会议纪要（2024年3月）",
    funding_note="2025年市级财政预算安排及中央预算内投资补助",
    cloud={"deployed": True, "operator": "格尔木市电子政务云运维中心（中国电信格尔木分公司）"},
    contact={"name": "欧阳晓琴（信息科）", "phone": "0979-8412345 / 13897001234"},
)


# --- the document, added up -------------------------------------------------------------


def _mm(emu: int | None) -> float:
    assert emu is not None
    return emu / EMU_PER_MM


def _pitch_pt(p: Any) -> float:
    """The paragraph's exact line pitch: an `exact` rule is what keeps a fallback font's
    taller lines from growing it."""
    spacing = p._p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert spacing is not None and spacing.get(qn("w:lineRule")) == "exact", p.text
    return int(spacing.get(qn("w:line"))) / 20


def _size_pt(p: Any) -> float:
    sizes = {r.font.size.pt for r in p.runs if r.text}
    assert len(sizes) == 1, (p.text, sizes)
    return sizes.pop()


def _spacing_pt(p: Any) -> float:
    pf = p.paragraph_format
    return sum(x.pt for x in (pf.space_before, pf.space_after) if x is not None)


def _paragraph_mm(p: Any, width_mm: float) -> float:
    if not p.text:
        return (_pitch_pt(p) + _spacing_pt(p)) * layout.MM_PER_PT
    lines = layout.lines_needed(p.text, width_mm, _size_pt(p))
    return (lines * _pitch_pt(p) + _spacing_pt(p)) * layout.MM_PER_PT


def _cells(table: Any) -> list[tuple[Any, float, float]]:
    """Each distinct cell with its text width (grid columns it spans, less padding) and
    its height (the exact heights of the rows it spans)."""
    grid = [_mm(int(g.get(qn("w:w"))) * 635) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    heights = [_mm(row.height) for row in table.rows]
    out = []
    for r, row in enumerate(table.rows):
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.vMerge
            if vmerge != "continue":
                rows = 1
                while r + rows < len(table.rows):
                    below = [c for c in table.rows[r + rows]._tr.tc_lst]
                    pos, found = 0, None
                    for c in below:
                        if pos == col:
                            found = c
                        pos += c.grid_span
                    if found is None or found.vMerge != "continue":
                        break
                    rows += 1
                width = sum(grid[col : col + span]) - 2 * layout.CELL_PAD_MM
                out.append((tc, width, sum(heights[r : r + rows])))
            col += span
    return out


def check_one_page(data: bytes) -> None:
    """The page adds up to one A4 page, whatever the font (see the module docstring)."""
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    sec = doc.sections[0]
    assert (round(_mm(sec.page_width)), round(_mm(sec.page_height))) == (210, 297)
    room = _mm(sec.page_height) - _mm(sec.top_margin) - _mm(sec.bottom_margin)
    width = _mm(sec.page_width) - _mm(sec.left_margin) - _mm(sec.right_margin)

    table = doc.tables[0]
    for row in table.rows:
        trh = row._tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        assert trh is not None and trh.get(qn("w:hRule")) == "exact", (
            "every row has an exact height"
        )
        assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    for tc, cell_w, cell_h in _cells(table):
        used = sum(_paragraph_mm(p, cell_w) for p in _Cell(tc, table).paragraphs)
        assert used <= cell_h + 1e-6, (_Cell(tc, table).text[:40], used, cell_h)

    table_mm = sum(_mm(row.height) for row in table.rows) + layout.BORDER_MM * (len(table.rows) + 1)
    outside = [Paragraph(p, doc) for p in doc.element.body.iterchildren(qn("w:p"))]
    assert [p.text for p in outside][:2] == ["附件", "格尔木市政务信息系统备案表"]
    total = table_mm + sum(_paragraph_mm(p, width) for p in outside)
    assert total <= room, (total, room)


def test_sample_form_adds_up_to_one_page() -> None:
    check_one_page(render(dossier()))


def test_realistic_long_values_add_up_to_one_page() -> None:
    d = dossier(**REALISTIC)
    assert fits(d)
    data = render(d)
    check_one_page(data)
    # and every value is there in full
    text = "\n".join(c.text for row in Document(io.BytesIO(data)).tables[0].rows for c in row.cells)
    for line in REALISTIC["basis"].split("\n"):
        assert line in text


def test_longest_values_add_up_to_one_page() -> None:
    d, counts = longest_dossier()
    assert all(n >= 20 for n in counts.values()), counts  # room for a real name or note
    assert counts["basis"] >= 200
    check_one_page(render(d))


def test_a_long_value_is_set_smaller_not_cut() -> None:
    n = longest("basis")
    doc = Document(io.BytesIO(render(with_value("basis", n))))
    cell = next(c for row in doc.tables[0].rows for c in row.cells if c.text.startswith("己"))
    assert cell.text == "己" * n
    assert cell.paragraphs[0].runs[0].font.size.pt == layout.SIZES[-1]  # 六号
    short = Document(io.BytesIO(render(dossier())))
    base = next(
        c for row in short.tables[0].rows for c in row.cells if c.text.startswith("《格尔木")
    )
    assert base.paragraphs[0].runs[0].font.size.pt == layout.BASE_SIZE  # 小四


def test_the_longest_all_chinese_value_fits_by_plain_arithmetic() -> None:
    # A Chinese character is one em in every CJK face: the lines a value of n of them
    # takes are ceil(n / per line), whatever the font.
    cell = layout.CELL_OF["basis"]
    n = longest("basis")
    size = layout.SIZES[-1]
    per_line = math.floor(cell.width_mm / (size * layout.MM_PER_PT))
    assert math.ceil(n / per_line) * layout.PITCH[size] * layout.MM_PER_PT <= layout.ROWS[cell.row]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_value_too_long_for_the_page_is_refused(
    tmp_path: Path, gtx_form: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    n = longest("basis")
    text = FULL_YAML.replace(
        "basis: 《格尔木市数字政府建设规划（2023—2025年）》", "basis: " + "己" * (n + 40)
    )
    repo = make_repo(tmp_path, text)
    res = gtx_form(repo, lang=lang)
    assert res.code == 1
    target = repo / "dossiers" / PID / "attachments" / "filing-form.docx"
    assert not target.exists()
    flat = res.err.replace("\n", "" if lang == "zh" else " ")  # wrapped at 80 columns
    assert f"dossiers/{PID}/project.yaml:13: basis" in flat
    assert ("太长" if lang == "zh" else "too long") in flat
    assert ("未生成任何文件" if lang == "zh" else "Nothing was written") in flat
    assert all(cell_len(line) <= 80 for line in res.err.splitlines()), res.err
    # a draft is filled in full and says it runs past one page
    res = gtx_form(repo, lang=lang, draft=True)
    assert res.code == 0, res.err
    flat = res.err.replace("\n", "" if lang == "zh" else " ")
    assert ("超过一页" if lang == "zh" else "runs past one page") in flat
    doc = Document(io.BytesIO(target.read_bytes()))
    cell = next(c for row in doc.tables[0].rows for c in row.cells if c.text.startswith("己"))
    assert cell.text == "己" * (n + 40)


# --- LibreOffice with a fallback font only ------------------------------------------------

SOFFICE = form.find_soffice()
FALLBACK_FACES = [
    p
    for p in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    )
    if Path(p).is_file()
]
needs_soffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdfinfo") is None or not FALLBACK_FACES,
    reason="needs LibreOffice (soffice), poppler-utils (pdfinfo, pdftotext) and a CJK font "
    "(apt-get install libreoffice-writer poppler-utils fonts-noto-cjk); CI does not install them",
)


def plain_convert(docx: Path, face: str) -> Path:
    """`soffice --headless --convert-to pdf` as a user would run it, with no gtx option,
    on a machine whose only CJK face is `face` (a private fontconfig: no 仿宋, 黑体 or
    小标宋, so every run falls back to it)."""
    fonts = docx.parent / "fonts"
    fonts.mkdir(exist_ok=True)
    try:  # a copy, not a link: LibreOffice finds no font through a symbolic link
        os.link(face, fonts / Path(face).name)
    except OSError:
        shutil.copy(face, fonts)
    conf = docx.parent / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{docx.parent / 'fc-cache'}</cachedir>"
        '<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>',
        "utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(docx.parent)}
    profile = (docx.parent / "lo-profile").as_uri()
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ],
        env=env,
        capture_output=True,
        timeout=180,
        check=True,
    )
    return docx.with_suffix(".pdf")


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("face", FALLBACK_FACES, ids=lambda p: Path(p).stem)
def test_libreoffice_with_a_fallback_font_prints_one_page(tmp_path: Path, face: str) -> None:
    sample = tmp_path / "sample" / "form.docx"
    sample.parent.mkdir()
    sample.write_bytes(render(dossier(**REALISTIC)))
    long_dossier, counts = longest_dossier()
    longest_doc = tmp_path / "longest" / "form.docx"
    longest_doc.parent.mkdir()
    longest_doc.write_bytes(render(long_dossier))
    for docx in (sample, longest_doc):
        pdf = plain_convert(docx, face)
        fonts = pdf_fonts(pdf)
        assert "Serif CJK" not in fonts and "FangSong" not in fonts, fonts  # the fallback only
        assert pdf_pages(pdf) == 1, (docx, face)
    # nothing cut off by an exact row: every character of every value is in the PDF
    text = pdf_text(longest_doc.with_suffix(".pdf"))
    for field, ch in LONG_FIELDS.items():
        assert text.count(ch) == counts[field], (field, text.count(ch), counts[field])
