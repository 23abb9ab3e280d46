"""Spreadsheets in and out through openpyxl (imported here only, inside the
functions: `gtx --help` must not pay for it).

Reading gives a plain grid of cell values with merged cells filled in, so that a
header merged over two columns names both; writing makes a real workbook: frozen
header row, column widths, dates as dates, numbers as numbers, and no text cell
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from golmud_cli.core.sheets import Sheet, csv_cell
from golmud_cli.core.wan import wan_number
from golmud_cli.errors import UsageError


@dataclass(slots=True)
class Grid:
    """One sheet as rows of values (None for an empty cell), 0-based."""

    name: str
    rows: list[list[Any]]
    merged: set[tuple[int, int]] = field(default_factory=set)  # cells filled from a merge


def read(path: Path, sheet: str | None = None) -> Grid:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise UsageError(
        f"只能导入 .xlsx 或 .csv 文件，而不是 {path.name}；.xls 和 .et 请先在 Excel 或 WPS 中另存为 .xlsx。",
        f"only .xlsx or .csv files can be imported, not {path.name}; save .xls or .et "
        "as .xlsx in Excel or WPS first.",
    )


def _read_csv(path: Path) -> Grid:
    import csv

    raw = _read_bytes(path)
    # Excel writes UTF-8 with a BOM; WPS and older Excel on Chinese Windows write GBK.
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UsageError(f"{path.name} 的编码无法识别。", f"{path.name}: unknown encoding.")
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    return Grid(path.name, [[c if c.strip() else None for c in r] for r in rows])


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"找不到文件 {path}。", f"no such file: {path}.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} 是文件夹，不是表格文件。", f"{path} is a folder.") from None
    except OSError as e:
        raise UsageError(
            f"无法读取 {path}：{e.strerror}。", f"cannot read {path}: {e.strerror}."
        ) from None


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    import zipfile

    from openpyxl import load_workbook

    data = _read_bytes(path)
    try:
        # data_only: a formula cell gives the value the spreadsheet last computed
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise UsageError(
            f"{path.name} 不是有效的 .xlsx 文件（{type(e).__name__}）；请在 Excel 或 WPS 中打开后另存为 .xlsx。",
            f"{path.name} is not a valid .xlsx file ({type(e).__name__}); open it in Excel "
            "or WPS and save it as .xlsx.",
        ) from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise UsageError(
            f"{path.name} 中没有工作表「{sheet}」；有：{'、'.join(wb.sheetnames)}。",
            f"{path.name} has no sheet {sheet!r}; it has: {', '.join(wb.sheetnames)}.",
        )
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    rows: list[list[Any]] = [list(r) for r in ws.iter_rows(values_only=True)]
    merged: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = value
                    if (r, c) != (rng.min_row - 1, rng.min_col - 1):
                        merged.add((r, c))
    cleaned = [[None if isinstance(v, str) and not v.strip() else v for v in row] for row in rows]
    return Grid(ws.title, cleaned, merged)


# --- writing ------------------------------------------------------------------------


def _width(value: Any) -> int:
    if isinstance(value, dt.date):
        return 11
    text = str(value) if value is not None else ""
    line = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _safe(value: Any) -> Any:
    """A value as a cell takes it: formula-like text neutralised as the CSV output
    does (csv_cell), control characters that the file format forbids dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        # a float keeps the spreadsheet's number type; 万元 have few digits
        return wan_number(value)
    if isinstance(value, str):
        return csv_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def workbook(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for sh in sheets:
        ws = wb.create_sheet(sh.title[:31])
        ws.append([_safe(h) for h in sh.header])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in sh.rows:
            ws.append([_safe(v) for v in row])
        ws.freeze_panes = "A2"
        kinds = list(sh.kinds) + [""] * (len(sh.header) - len(sh.kinds))
        for i, h in enumerate(sh.header):
            letter = get_column_letter(i + 1)
            width = max([_width(h)] + [_width(r[i]) for r in sh.rows if i < len(r)])
            ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
            fmt = {"date": "yyyy-mm-dd", "int": "0"}.get(kinds[i])
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                    cell.number_format = fmt
        if sh.rows:
            ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def emit(data: bytes | Sequence[Sheet], output: Path | None, lang: str) -> None:
    """Write the workbook (its bytes, or the sheets a reporter built) to `output`
    (atomically), or to stdout when it is not a terminal; binary on a terminal would
    only garble it. The file is written here, not by the reporter: writing is an edge's."""
    if output is None and sys.stdout.isatty():
        raise UsageError(
            "xlsx 是二进制文件，不能显示在终端上：请用 -o 文件名.xlsx 指定输出文件，或重定向到文件。",
            "xlsx is binary and cannot go to a terminal: give -o FILE.xlsx, or redirect "
            "the output to a file.",
        )
    if output is not None:
        if output.is_dir():
            raise UsageError(f"{output} 是文件夹。", f"{output} is a folder.")
        if not output.parent.is_dir():
            raise UsageError(
                f"文件夹 {output.parent} 不存在。", f"the folder {output.parent} does not exist."
            )
    blob = data if isinstance(data, bytes) else workbook(data)
    if output is None:
        sys.stdout.buffer.write(blob)
        sys.stdout.buffer.flush()
        return
    from golmud_cli.edges.fs import atomic_write

    atomic_write(output, blob)
