"""`gtx import`: a register (项目台账, .xlsx or .csv) -> draft dossiers.

The plan comes first and is pure of writes: the header row(s) found, each column
matched to a field (a mapping gtx proposes, or the user's), each row's values
converted, every cell that cannot be used named by its reference (C7), and each
new dossier's text (the `gtx new` scaffold, filled) checked at schema level. Only
when every row to be written passes is anything written; an existing project is
reported, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from golmud_cli.core.importing import CellNote, FieldPath, Mapped, Plan, RowPlan
from golmud_cli.core.register import (
    BY_KEY,
    IGNORE,
    NOT_IMPORTED,
    Column,
    Unusable,
    convert,
    is_total_row,
    norm,
    propose,
    yuan_header,
)
from golmud_cli.edges.repo import PROJECT_FILE, Repository
from golmud_cli.edges.xlsx import Grid
from golmud_cli.errors import UsageError
from golmud_cli.services import scaffolding as scaffold

# How far down a sheet the header may start (a title, a unit line, blank rows above).
HEADER_SCAN_ROWS = 20


# --- the mapping file -------------------------------------------------------------------


def read_mapping(path: Path) -> dict[str, str | None]:
    """The user's mapping: YAML `表头: 字段` (a dotted key, `ignore`, or empty)."""
    from golmud_cli.edges import loader

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UsageError(
            f"无法读取映射文件 {path}：{e.strerror}。",
            f"cannot read the mapping {path}: {e.strerror}.",
        ) from None
    loaded = loader.load(raw, str(path), None)
    if loaded.findings or not isinstance(loaded.data, dict):
        where = ""
        if loaded.findings and loaded.findings[0].line:
            where = f"（第 {loaded.findings[0].line} 行）"
        raise UsageError(
            f"映射文件 {path} 不是“表头: 字段”形式的 YAML{where}；可用 --save-mapping 生成一份再修改。",
            f"the mapping {path} is not YAML of `header: field`{where.replace('（第', ' (line').replace('行）', ')')}; "
            "write one with --save-mapping and edit it.",
        )
    out: dict[str, str | None] = {}
    for k, v in loaded.data.items():
        if v is not None and (not isinstance(v, str) or (v not in BY_KEY and v != IGNORE)):
            raise UsageError(
                f"映射文件 {path}：表头「{k}」对应的「{v}」不是可导入的字段；可用：{', '.join(BY_KEY)}，或 ignore。",
                f"mapping {path}: {v!r} for header {k!r} is not a field gtx imports; use one of "
                f"{', '.join(BY_KEY)}, or ignore.",
            )
        out[norm(str(k))] = v
    return out


def mapping_text(plan: Plan) -> str:
    """The mapping as a commented YAML file the user can edit and give to --mapping."""
    import json

    lines = [
        "# gtx import 的表头映射：左边是表格的表头，右边是档案字段。",
        "# 改好后用 gtx import 表格 --mapping 本文件 读入。ignore = 不导入；留空 = 未识别（其单元格会被列出）。",
        "# Header mapping for gtx import: header -> field key; ignore = skip; empty = unknown.",
    ]
    for header, key in plan.mapping().items():
        label = BY_KEY[key].zh if key in BY_KEY else ("不导入" if key == IGNORE else "未识别")
        code = f"{json.dumps(header, ensure_ascii=False)}: {key or ''}".rstrip()
        lines.append(f"{code:<40} # {label}")
    lines.append("#")
    lines.append("# 可用字段 / fields:")
    for c in BY_KEY.values():
        lines.append(f"#   {c.key:<32} {c.zh}")
    return "\n".join(lines) + "\n"


# --- the header -------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _recognised(row: list[Any], user: dict[str, str | None]) -> int:
    return sum(1 for v in row if isinstance(v, str) and (norm(v) in user or propose(v) is not None))


def _all_text(row: list[Any]) -> bool:
    return all(v is None or isinstance(v, str) for v in row)


def find_header(grid: Grid, user: dict[str, str | None]) -> tuple[int, int]:
    """The header rows (0-based, inclusive): the row naming the most known columns,
    with the rows beside it that are headers too (a group header merged over its
    sub-headers, e.g. 计划建设时间 over 开工时间 and 建设工期)."""
    scores = [(_recognised(r, user), i) for i, r in enumerate(grid.rows[:HEADER_SCAN_ROWS])]
    best, h = max(scores, key=lambda s: (s[0], -s[1]), default=(0, 0))
    if best < 2:
        raise UsageError(
            f"在 {grid.name} 的前 {HEADER_SCAN_ROWS} 行找不到表头（如 项目名称、建设单位）；"
            "请检查工作表，或用 --mapping 给出表头与字段的对应关系。",
            f"no header row (such as 项目名称, 建设单位) in the first {HEADER_SCAN_ROWS} rows "
            f"of {grid.name}; check the sheet, or give a --mapping of headers to fields.",
        )
    top = bottom = h
    while top > 0 and _all_text(grid.rows[top - 1]) and _recognised(grid.rows[top - 1], user):
        if grid.rows[top - 1] == grid.rows[top]:
            break
        top -= 1
    while (
        bottom + 1 < len(grid.rows)
        and _all_text(grid.rows[bottom + 1])
        and _recognised(grid.rows[bottom + 1], user)
        and any(
            (bottom + 1, c) in grid.merged or grid.rows[bottom + 1][c] != grid.rows[bottom][c]
            for c in range(len(grid.rows[bottom + 1]))
        )
        and not _looks_like_data(grid.rows[bottom + 1], grid.rows[bottom], user)
    ):
        bottom += 1
    return top, bottom


def _looks_like_data(row: list[Any], header: list[Any], user: dict[str, str | None]) -> bool:
    """A text-only data row (a CSV) names fewer known headers than it has values."""
    filled = [v for v in row if v is not None]
    return _recognised(row, user) * 2 < len(filled)


def map_columns(grid: Grid, top: int, bottom: int, user: dict[str, str | None]) -> list[Mapped]:
    width = max((len(r) for r in grid.rows[top : bottom + 1]), default=0)
    cols: list[Mapped] = []
    taken: dict[str, Mapped] = {}
    for c in range(width):
        texts = [
            _text(grid.rows[r][c]) if c < len(grid.rows[r]) else "" for r in range(top, bottom + 1)
        ]
        texts = [t for t in texts if t]
        if not texts:
            continue
        key: str | None = None
        header = texts[-1]
        for t in reversed(texts):  # the most specific (lowest) header first
            k = user[norm(t)] if norm(t) in user else propose(t)
            if k is not None:
                key, header = k, t
                break
        m = Mapped(c, header, key)
        if key == IGNORE:
            m.reason = NOT_IMPORTED.get(header) or next(
                (v for h, v in NOT_IMPORTED.items() if norm(h) == norm(header)),
                ("映射为 ignore，不导入", "mapped to ignore, not imported"),
            )
        elif key is not None:
            if key in taken:
                first = taken[key]
                m.reason = (
                    f"与 {first.letter} 列（{first.header}）对应同一字段 {key}，只用 {first.letter} 列",
                    f"maps to {key} as column {first.letter} ({first.header}) does; only {first.letter} is used",
                )
                m.key = None
            else:
                taken[key] = m
        cols.append(m)
    missing = [k for k in ("name", "unit") if k not in taken]
    if missing:
        labels = "、".join(BY_KEY[k].zh for k in missing)
        raise UsageError(
            f"表头中没有{labels}列（第 {top + 1} 行起）；用 --mapping 指明哪一列是{labels}。",
            f"no {' or '.join(missing)} column in the header (row {top + 1}); say which column "
            "it is with --mapping.",
        )
    return cols


# --- the rows ---------------------------------------------------------------------------


def _existing(r: Repository) -> dict[tuple[str, str], str]:
    """(name, unit) -> id of the dossiers already there, to report a project typed in
    by hand under another id as existing too."""
    from golmud_cli.edges import loader
    from golmud_cli.edges.repo import read_limited

    out: dict[tuple[str, str], str] = {}
    for project in r.project_ids():
        try:
            data = loader.load(read_limited(r.project_file(project)), project, project).data
        except OSError:
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            out[(norm(data["name"]), norm(str(data.get("unit", ""))))] = project
    return out


def project_id(values: dict[FieldPath, Any], today: dt.date) -> str:
    """An id for a row without one: the start year and a digest of unit and name, so
    that importing the same register again finds the same projects."""
    start = values.get(("schedule", "start"))
    year = start.year if isinstance(start, dt.date) else today.year
    digest = hashlib.sha256(f"{values[('unit',)]}\n{values[('name',)]}".encode()).hexdigest()
    return f"{year}-import-{digest[:8]}"


def _schema_findings(project: str, text: str) -> list[Any]:
    from golmud_cli.core.model import Dossier
    from golmud_cli.edges import loader
    from golmud_cli.pipeline import schema_check

    file = f"dossiers/{project}/{PROJECT_FILE}"
    loaded = loader.load(text.encode(), file, project)
    if loaded.findings:
        return list(loaded.findings)
    _, findings = schema_check.validate(Dossier, loaded.data, file=file, project=project)
    return [f for f in findings if f.severity.value == "error"]


def plan_rows(
    grid: Grid, cols: list[Mapped], first: int, r: Repository, today: dt.date
) -> tuple[list[RowPlan], int]:
    existing = _existing(r)
    seen: dict[str, int] = {}
    plans: list[RowPlan] = []
    empty = 0
    for i in range(first, len(grid.rows)):
        row = grid.rows[i]
        if all(v is None for v in row):
            empty += 1
            continue
        if is_total_row(row):
            plans.append(RowPlan(i + 1, "total", reason=("合计行，跳过", "a total row, skipped")))
            continue
        plans.append(_plan_row(i, row, cols, r, today, existing, seen))
    return plans, empty


def _plan_row(
    i: int,
    row: list[Any],
    cols: list[Mapped],
    r: Repository,
    today: dt.date,
    existing: dict[tuple[str, str], str],
    seen: dict[str, int],
) -> RowPlan:
    plan = RowPlan(i + 1, "new")
    where: dict[FieldPath, Mapped] = {}
    for m in cols:
        value = row[m.index] if m.index < len(row) else None
        if value is None or m.key == IGNORE:
            continue
        ref = f"{m.letter}{i + 1}"
        if m.key is None:
            zh, en = m.reason or (
                f"表头「{m.header}」未对应任何字段（可在映射文件中指定）",
                f"the header {m.header!r} maps to no field (name one in the mapping file)",
            )
            plan.notes.append(CellNote(ref, m.header, zh, en))
            continue
        column: Column = BY_KEY[m.key]
        try:
            plan.values[column.path] = convert(column, value, yuan=yuan_header(m.header))
            where[column.path] = m
        except Unusable as e:
            plan.notes.append(CellNote(ref, m.header, e.zh, e.en))
    name, unit = plan.values.get(("name",)), plan.values.get(("unit",))
    if not name or not unit:
        plan.state = "error"
        plan.reason = (
            "缺少项目名称或建设单位：请补上，或删去此行",
            "the name or the unit is missing: fill it in, or delete the row",
        )
        return plan
    plan.name, plan.unit = str(name), str(unit)
    project = plan.values.pop(("id",), None) or project_id(plan.values, today)
    plan.project = str(project)
    if plan.project in seen:
        plan.state = "error"
        plan.reason = (
            f"与第 {seen[plan.project]} 行是同一项目（{plan.project}）",
            f"the same project ({plan.project}) as row {seen[plan.project]}",
        )
        return plan
    seen[plan.project] = plan.row
    other = existing.get((norm(plan.name), norm(plan.unit)))
    if os.path.lexists(r.project_dir(plan.project)) or other:
        plan.state = "exists"
        plan.project = plan.project if os.path.lexists(r.project_dir(plan.project)) else str(other)
        plan.reason = ("已存在，不覆盖", "exists already, not overwritten")
        return plan
    # A value the converters let through but the model refuses (a budget of 0, say)
    # is named by its cell and left out; the rest of the row still imports.
    for _ in range(len(plan.values) + 1):
        plan.text = scaffold.project_yaml(plan.project, plan.values)
        findings = _schema_findings(plan.project, plan.text)
        if not findings:
            return plan
        dropped = False
        for f in findings:
            path = tuple(str(p) for p in f.path)
            cell = where.get(path)
            if cell is not None and path in plan.values and path not in (("name",), ("unit",)):
                del plan.values[path]
                plan.notes.append(
                    CellNote(f"{cell.letter}{i + 1}", cell.header, f.message_zh, f.message_en)
                )
                dropped = True
        if not dropped:
            break
    plan.state = "error"
    f = findings[0]
    plan.reason = (f"无法生成有效的档案：{f.message_zh}", f"no valid dossier: {f.message_en}")
    return plan


def make_plan(
    grid: Grid, r: Repository, today: dt.date, user: dict[str, str | None] | None = None
) -> Plan:
    user = user or {}
    if not grid.rows:
        raise UsageError(f"{grid.name} 是空的。", f"{grid.name} is empty.")
    top, bottom = find_header(grid, user)
    cols = map_columns(grid, top, bottom, user)
    rows, empty = plan_rows(grid, cols, bottom + 1, r, today)
    return Plan(grid.name, grid.name, (top + 1, bottom + 1), cols, rows, empty)


def write(plan: Plan, r: Repository) -> list[str]:
    """Create the new dossiers (each folder appears whole, as `gtx new` makes it)."""
    if plan.errors:
        raise AssertionError("write() called with rows in error")  # pragma: no cover
    done = []
    for row in plan.new:
        scaffold.create_folder(r, row.project, row.text)
        done.append(row.project)
    return done
