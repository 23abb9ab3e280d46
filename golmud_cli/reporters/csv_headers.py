"""Column headers of the CSV reports: the field names in en, Chinese in zh (a clerk
opens the file in a spreadsheet; scripts use --lang en or the JSON format)."""

from __future__ import annotations

from collections.abc import Sequence

ZH: dict[str, str] = {
    "id": "编号",
    "project": "项目编号",
    "name": "项目名称",
    "unit": "建设单位",
    "stage": "阶段代码",
    "stage_label": "阶段",
    "budget_wan": "预算（万元）",
    "funding_source": "资金来源",
    "next_kind": "下一个期限代码",
    "next_kind_label": "下一个期限",
    "next_due": "到期日",
    "next_state": "状态代码",
    "next_state_label": "状态",
    "next_days_left": "剩余天数",
    "next_clause": "依据条款",
    "kind": "期限代码",
    "kind_label": "期限",
    "starts": "起算日",
    "opens": "窗口期开始",
    "nominal_due": "原定到期日",
    "due": "到期日",
    "shifted": "节假日顺延",
    "extended": "已延期",
    "state": "状态代码",
    "state_label": "状态",
    "days_left": "剩余天数",
    "clause": "依据条款",
    "next_step": "下一步",
}


def header(columns: Sequence[str], lang: str) -> list[str]:
    return [ZH.get(c, c) if lang == "zh" else c for c in columns]
