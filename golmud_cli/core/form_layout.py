"""The geometry of the filing table and how much text each value cell holds.

The attachment of 格政办〔2023〕15号 is one A4 page, and 三（三） has the table handed in
as it is: gtx's form must stay one page whatever font the reader's machine has (a
clerk's Word with 仿宋, WPS, a LibreOffice with only a fallback CJK face). Two choices
make its height independent of the font:

- every row has an exact height (Word's and LibreOffice's `exact` rule), and every
  paragraph an exact line pitch, so a taller fallback face cannot grow a row;
- the text of a value cell is set in the largest of SIZES (小四, 五号, 小五, 六号) at
  which it fits its cell, measured as no font can exceed: a Chinese character is one
  em in every CJK face (they are all square), any other character is counted at
  NARROW em (wider than the digits and letters of the usual faces), lines broken as
  core/textwidth.wrap breaks them (no line starts with a closing mark).

Text that does not fit even at the smallest size is refused by `gtx form` (see
`overflowing`): shrinking further would make a legal form unreadable, and an exact
row would cut the text off. `gtx form --draft` fills it in full instead, letting that
row grow (the draft then runs past one page, and says so). The template (scripts/build_form_template.py) is built
from the numbers here, and tests/edges/test_form_page.py checks the document it makes.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from golmud_cli.core.textwidth import wrap

MM_PER_PT = 25.4 / 72

# A4 (GB/T 9704-2012 5.2.1). The top and bottom margins are narrower than a 公文
# body page's 37/35 mm so that the table keeps its rows at a readable height; the left
# and right ones keep the 156 mm type area.
PAGE_MM = (210.0, 297.0)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 30.0, 28.0, 28.0, 26.0

# Columns (sum 156 mm). Column 3 holds only short labels (联系电话, 资金来源, 系统类型,
# 云平台运维/管理机构), so the value columns 1 and 3 get the width.
COLS = (34.0, 48.0, 26.0, 48.0)
# Left and right padding of every cell (Word's default 0.19 cm), none at top and bottom.
CELL_PAD_MM = 108 / 1440 * 25.4

# Exact row heights in mm, in the order of the attachment. A one-line row is 9.6 mm so
# that two lines of 五号 (2 × 13 pt) or three of 六号 (3 × 9 pt) fit when a value needs
# them.
ROWS = (
    11.0,  # 项目名称
    9.6,  # 项目联系人 / 联系电话
    12.0,  # 项目预算(万元) / 资金来源
    9.6,  # 计划建设时间: 开工时间
    9.6,  # 建设时间
    24.0,  # 项目建设依据
    11.0,  # 等级保护备案
    9.6,  # 应用系统数量 / 系统类型
    9.6,  # 数据资源: 数据资源需求
    9.6,  # 数据资源目录
    9.6,  # 运营费用
    12.0,  # 云平台部署(是/否) / 云平台运维管理机构
    12.0,  # 基础网络
    30.0,  # 申请单位(盖章) / 受理单位意见(盖章): room for the seal
    9.0,  # 日期
)
STAMP_ROW = 13
# Each border of Table Grid is 0.5 pt; counted once per row and once below the table.
BORDER_MM = 0.5 * MM_PER_PT

# Font sizes in pt, largest first: 小四, 五号, 小五, 六号; and each one's exact pitch.
SIZES = (12.0, 10.5, 9.0, 7.5)
PITCH = {12.0: 14.5, 10.5: 13.0, 9.0: 11.0, 7.5: 9.0}
BASE_SIZE = SIZES[0]

# A character that is not East Asian wide, in em: above the widest digit (DejaVu Sans,
# 0.64 em) and the average Latin letter of any usual face.
NARROW = 0.7

# The paragraphs outside the table: 附件 (三号 黑体), the title (二号 小标宋), the notes.
MARK_SIZE, MARK_PITCH = 16.0, 28.0
TITLE_SIZE, TITLE_PITCH, TITLE_AFTER = 22.0, 36.0, 10.0
NOTE_SIZE, NOTE_PITCH, NOTE_BEFORE = 10.5, 13.0, 6.0


def em_width(text: str) -> float:
    """The width of `text` in em, as wide as any font sets it (see NARROW)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else NARROW for ch in text)


def lines_needed(text: str, width_mm: float, size: float) -> int:
    """Lines `text` takes in a column `width_mm` wide at `size` pt (each line of the text
    starts a new line, as docxtpl turns LF into a break)."""
    cols = width_mm / (size * MM_PER_PT)
    return sum(len(wrap(part, cols, measure=em_width)) for part in text.split("\n"))


@dataclass(frozen=True)
class Cell:
    """A value cell: its placeholder, the row(s) and columns it covers, the field it
    shows (for a refusal), and the fixed text around the value in the same paragraph."""

    key: str
    field: str
    label: str
    row: int
    cols: tuple[int, int]  # first and last column
    lines: int = 0  # at most this many lines (0: as many as the row holds)
    before: str = ""
    after: str = ""

    @property
    def width_mm(self) -> float:
        return sum(COLS[self.cols[0] : self.cols[1] + 1]) - 2 * CELL_PAD_MM

    def holds(self, size: float) -> int:
        """How many lines the cell holds at `size`."""
        rows = int(ROWS[self.row] / (PITCH[size] * MM_PER_PT))
        return min(rows, self.lines) if self.lines else rows

    def text(self, value: str) -> str:
        return self.before + value + self.after


MLPS_BEFORE = "■等保三级　□等保二级　□其他(说明:"

# The unit's name sits under 申请单位(盖章): in the seal box, two lines at most so the
# seal has room.
CELLS = (
    Cell("name", "name", "项目名称", 0, (1, 3)),
    Cell("contact_name", "contact.name", "项目联系人", 1, (1, 1)),
    Cell("contact_phone", "contact.phone", "联系电话", 1, (3, 3)),
    Cell("budget_wan", "budget_wan", "项目预算(万元)", 2, (1, 1)),
    Cell("funding_source", "funding_note", "资金来源", 2, (3, 3)),
    Cell("start_date", "schedule.start", "开工时间", 3, (2, 3)),
    Cell("duration", "schedule.duration_months", "建设时间", 4, (2, 3)),
    Cell("basis", "basis", "项目建设依据", 5, (1, 3)),
    Cell("mlps_note", "mlps.note", "等级保护备案", 6, (1, 3), before=MLPS_BEFORE, after=")"),
    Cell("systems_count", "systems.count", "应用系统数量", 7, (1, 1)),
    Cell("systems_type", "systems.type", "系统类型", 7, (3, 3)),
    Cell("data_needed", "data_resources.needed", "数据资源需求", 8, (2, 3)),
    Cell("data_catalog", "data_resources.catalog_written", "数据资源目录", 9, (2, 3)),
    Cell("operating_cost", "operating_cost_wan", "运营费用", 10, (1, 3)),
    Cell("cloud_deployed", "cloud.deployed", "云平台部署", 11, (1, 1)),
    Cell("cloud_operator", "cloud.operator", "云平台运维管理机构", 11, (3, 3)),
    Cell("network", "network_note", "基础网络", 12, (1, 3)),
    Cell("unit", "unit", "申请单位", STAMP_ROW, (0, 1), lines=2),
)
CELL_OF = {c.key: c for c in CELLS}


def fit(cell: Cell, value: str) -> float | None:
    """The largest size at which the value fits its cell; None if none does."""
    text = cell.text(value)
    for size in SIZES:
        if lines_needed(text, cell.width_mm, size) <= cell.holds(size):
            return size
    return None


def sizes(context: Mapping[str, str]) -> dict[str, float]:
    """The size of each value cell's text that is not the base size (小四); a value that
    fits at no size gets the smallest (and its row must grow: see `overflowing`)."""
    out: dict[str, float] = {}
    for cell in CELLS:
        size = fit(cell, context.get(cell.key, "")) or SIZES[-1]
        if size != BASE_SIZE:
            out[cell.key] = size
    return out


def capacity(cell: Cell) -> int:
    """How many Chinese characters the value may have (at the smallest size)."""
    size = SIZES[-1]
    per_line = math.floor(cell.width_mm / (size * MM_PER_PT))
    return max(per_line * cell.holds(size) - round(em_width(cell.text(""))), 0)


def overflowing(context: Mapping[str, str]) -> list[Cell]:
    """The cells whose value does not fit even at the smallest size, in table order."""
    return [c for c in CELLS if fit(c, context.get(c.key, "")) is None]


def page_height_used(note_lines: int) -> float:
    """The height in mm the page's content takes: 附件, the title, the table, the notes."""
    return (
        MARK_PITCH * MM_PER_PT
        + (TITLE_PITCH + TITLE_AFTER) * MM_PER_PT
        + sum(ROWS)
        + BORDER_MM * (len(ROWS) + 1)
        + (NOTE_BEFORE + NOTE_PITCH * note_lines) * MM_PER_PT
    )
