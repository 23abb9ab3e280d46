"""`--format xlsx` of status, deadlines and validate: the sheets of one workbook per
command, a sheet per view, Chinese headers (English with --lang en), dates as dates
and money as numbers in 万元. The rows are built here (pure); edges/xlsx.py writes
the file, since writing is an edge's. The projects sheet has the register's columns
(golmud_cli.core.register), so that `gtx import` reads it back."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from golmud_cli.core.register import COLUMNS, Column
from golmud_cli.core.sheets import Sheet
from golmud_cli.core.values import ENUM_LABELS
from golmud_cli.i18n import pick

if TYPE_CHECKING:
    from golmud_cli.core.deadline_report import DeadlineReport
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.portfolio import Portfolio
    from golmud_cli.pipeline.validation import Run

_KIND_FORMAT = {"wan": "wan", "date": "date", "months": "int", "count": "int"}


def _get(d: Dossier, column: Column) -> Any:
    value: Any = d
    for part in column.path:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def cell(column: Column, value: Any, lang: str) -> Any:
    if value is None:
        return None
    if column.kind == "enum" and isinstance(value, Enum):
        return ENUM_LABELS[column.enum][value.value] if lang == "zh" else value.value
    if column.kind == "bool":
        yes, no = column.yes_no if lang == "zh" else ("yes", "no")
        return yes if value else no
    return value


def status_workbook(p: Portfolio, dossiers: dict[str, Dossier], lang: str) -> list[Sheet]:
    from golmud_cli.reporters.deadlines import kind_label, state_label
    from golmud_cli.reporters.status import stage_text

    header = [pick(lang, c.zh, c.en) for c in COLUMNS] + [
        pick(lang, "阶段", "stage"),
        pick(lang, "下一个期限", "next deadline"),
        pick(lang, "到期日", "due"),
        pick(lang, "期限状态", "deadline state"),
    ]
    kinds = [_KIND_FORMAT.get(c.kind, "") for c in COLUMNS] + ["", "", "date", ""]
    rows: list[list[Any]] = []
    for row in p.rows:
        d = dossiers.get(row.id)
        values: list[Any] = []
        for c in COLUMNS:
            values.append(cell(c, _get(d, c), lang) if d is not None else None)
        dl = row.next
        values += [
            stage_text(row, lang),
            kind_label(dl.kind, lang) if dl else None,
            dl.due if dl else None,
            state_label(dl.state, lang) if dl else None,
        ]
        rows.append(values)
    totals = [pick(lang, "项目数", "projects"), pick(lang, "预算合计（万元）", "budget (万元)")]
    by_stage = Sheet(
        pick(lang, "按阶段", "by stage"),
        [pick(lang, "阶段", "stage"), *totals],
        [[s.label_in(lang), t.count, t.budget_wan] for s, t in p.by_stage.items()],
        ["", "int", "wan"],
    )
    by_unit = Sheet(
        pick(lang, "按建设单位", "by unit"),
        [pick(lang, "建设单位", "unit"), *totals],
        [[u, t.count, t.budget_wan] for u, t in p.by_unit.items()],
        ["", "int", "wan"],
    )
    projects = Sheet(pick(lang, "项目总览", "projects"), header, rows, kinds)
    return [projects, by_stage, by_unit]


def deadlines_workbook(report: DeadlineReport, lang: str) -> list[Sheet]:
    from golmud_cli.reporters.deadlines import kind_label, next_step, state_label

    header = [
        pick(lang, "项目编号", "project"),
        pick(lang, "项目名称", "name"),
        pick(lang, "建设单位", "unit"),
        pick(lang, "期限", "deadline"),
        pick(lang, "起算日", "starts"),
        pick(lang, "开启日", "opens"),
        pick(lang, "到期日", "due"),
        pick(lang, "状态", "state"),
        pick(lang, "剩余天数", "days left"),
        pick(lang, "依据条款", "clause"),
        pick(lang, "下一步", "next step"),
        pick(lang, "说明", "detail"),
    ]
    rows = []
    for e in report.entries:
        dl = e.deadline
        rows.append(
            [
                dl.project,
                e.name,
                e.unit,
                kind_label(dl.kind, lang),
                dl.starts,
                dl.opens,
                dl.due,
                state_label(dl.state, lang),
                dl.days_left,
                dl.clause,
                next_step(e, lang) if dl.pending else None,
                e.detail or None,
            ]
        )
    kinds = ["", "", "", "", "date", "date", "date", "", "int", "", "", ""]
    return [Sheet(pick(lang, "期限", "deadlines"), header, rows, kinds)]


def findings_workbook(run: Run, lang: str) -> list[Sheet]:
    from golmud_cli.reporters import SEVERITY_LABELS

    header = [
        pick(lang, "规则", "code"),
        pick(lang, "级别", "severity"),
        pick(lang, "项目编号", "project"),
        pick(lang, "文件", "file"),
        pick(lang, "行", "line"),
        pick(lang, "列", "column"),
        pick(lang, "字段", "field"),
        pick(lang, "字段名称", "label"),
        pick(lang, "说明", "message"),
        pick(lang, "条款", "clause"),
    ]
    rows = [
        [
            f.code,
            SEVERITY_LABELS[f.severity].text(lang),
            f.project,
            f.file,
            f.line,
            f.column,
            f.field,
            f.label or None,
            f.message(lang),
            f.clause,
        ]
        for f in run.findings
    ]
    kinds = ["", "", "", "", "int", "int", "", "", "", ""]
    return [Sheet(pick(lang, "问题", "findings"), header, rows, kinds)]
