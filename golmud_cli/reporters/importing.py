"""Reporter of `gtx import`: per row the project it creates (or why not) and every
cell it could not use, by reference (C7). Only this prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from golmud_cli.core.register import BY_KEY, IGNORE
from golmud_cli.i18n import pick
from golmud_cli.reporters import console, write_json

if TYPE_CHECKING:
    from golmud_cli.core.importing import Plan, RowPlan

_STATE = {
    "new": ("新建", "new"),
    "exists": ("已存在，跳过", "exists, skipped"),
    "error": ("无法导入", "cannot import"),
    "total": ("合计行，跳过", "total row, skipped"),
}


def _field(key: str | None, lang: str) -> str:
    if key is None:
        return pick(lang, "（未识别）", "(unknown)")
    if key == IGNORE:
        return pick(lang, "不导入", "not imported")
    return f"{key} {BY_KEY[key].zh}" if lang == "zh" else key


def report_plan(plan: Plan, *, fmt: str, lang: str, dry_run: bool, written: list[str]) -> None:
    if fmt == "json":
        write_json(_json(plan, lang, dry_run, written))
        return
    from rich.markup import escape

    out = console()
    top, bottom = plan.header_rows
    rows = f"{top}" if top == bottom else f"{top}–{bottom}"
    lines = [
        pick(lang, f"{plan.source}：表头在第 {rows} 行", f"{plan.source}: header in row {rows}")
    ]
    for c in plan.columns:
        why = ""
        if c.reason:
            why = "；" + pick(lang, *c.reason) if lang == "zh" else "; " + c.reason[1]
        lines.append(f"  {c.letter} {c.header} → {_field(c.key, lang)}{why}")
    lines.append("")
    for row in plan.rows:
        lines.append(_row_line(row, lang))
        for n in row.notes:
            lines.append(
                f"    {n.ref} {n.header}：{n.zh}"
                if lang == "zh"
                else f"    {n.ref} {n.header}: {n.en}"
            )
    lines.append("")
    lines.append(_summary(plan, lang, dry_run, written))
    out.print(escape("\n".join(lines)))


def _row_line(row: RowPlan, lang: str) -> str:
    state = pick(lang, *_STATE[row.state])
    head = pick(lang, f"第 {row.row} 行", f"row {row.row}")
    if row.state == "total":
        return f"{head}：{state}" if lang == "zh" else f"{head}: {state}"
    who = f"{row.project} {row.name}（{row.unit}）" if row.project else ""
    why = pick(lang, *row.reason) if row.reason[0] else ""
    if lang == "zh":
        return f"{head}：{state} {who}" + (f"——{why}" if why and row.state == "error" else "")
    return f"{head}: {state} {who}" + (f" - {why}" if why and row.state == "error" else "")


def _summary(plan: Plan, lang: str, dry_run: bool, written: list[str]) -> str:
    notes = sum(len(r.notes) for r in plan.rows)
    exists = sum(1 for r in plan.rows if r.state == "exists")
    errors = len(plan.errors)
    if errors:
        return pick(
            lang,
            f"有 {errors} 行无法导入，未写入任何档案；请修改表格后重试。",
            f"{errors} row(s) cannot be imported; nothing was written. Fix the sheet and retry.",
        )
    if dry_run:
        return pick(
            lang,
            f"试运行：将新建 {len(plan.new)} 个档案，{exists} 个已存在；{notes} 个单元格无法使用。未写入任何文件。",
            f"dry run: would create {len(plan.new)} dossier(s), {exists} exist already; "
            f"{notes} cell(s) unusable. Nothing was written.",
        )
    return pick(
        lang,
        f"已新建 {len(written)} 个档案（草拟），{exists} 个已存在未覆盖；{notes} 个单元格无法使用。"
        "下一步：gtx validate，然后 git add dossiers/ 并提交。",
        f"created {len(written)} dossier(s) (draft), {exists} existing left alone; "
        f"{notes} cell(s) unusable. Next: gtx validate, then git add dossiers/ and commit.",
    )


def _json(plan: Plan, lang: str, dry_run: bool, written: list[str]) -> dict[str, Any]:
    return {
        "ok": not plan.errors,
        "dry_run": dry_run,
        "source": plan.source,
        "header_rows": list(plan.header_rows),
        "columns": [{"column": c.letter, "header": c.header, "field": c.key} for c in plan.columns],
        "rows": [
            {
                "row": r.row,
                "state": r.state,
                "project": r.project or None,
                "name": r.name or None,
                "unit": r.unit or None,
                "reason": pick(lang, *r.reason) or None,
                "unusable": [
                    {"cell": n.ref, "header": n.header, "message": pick(lang, n.zh, n.en)}
                    for n in r.notes
                ],
            }
            for r in plan.rows
        ],
        "created": written,
    }
