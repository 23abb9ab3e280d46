"""Reporters of `gtx status`: text (rich tables), json, csv. Only this prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from golmud_cli.core.deadline_types import State
from golmud_cli.core.wan import wan_number, wan_text
from golmud_cli.i18n import pick
from golmud_cli.reporters import console, write_csv, write_json
from golmud_cli.reporters.csv_headers import header
from golmud_cli.reporters.deadlines import (
    STATE_STYLE,
    days_text,
    kind_label,
    state_label,
    warn_skipped,
)
from golmud_cli.reporters.escape import visible

if TYPE_CHECKING:
    from golmud_cli.core.portfolio import Portfolio, Row, Total

CSV_COLUMNS = (
    "id",
    "name",
    "unit",
    "stage",
    "stage_label",
    "budget_wan",
    "funding_source",
    "next_kind",
    "next_kind_label",
    "next_due",
    "next_state",
    "next_state_label",
    "next_days_left",
    "next_clause",
)


def stage_text(row: Row, lang: str) -> str:
    text = row.stage.label_in(lang)
    if row.resume_to is not None:
        text += pick(
            lang,
            f"（原：{row.resume_to.label_in(lang)}）",
            f" (from {row.resume_to.label_in(lang)})",
        )
    return text


def next_text(row: Row, lang: str) -> str:
    dl = row.next
    if dl is None:
        if row.provincial:
            return pick(lang, "—（省级办法管理，一）", "— (provincial measures, 一)")
        return "—"
    head = f"{kind_label(dl.kind, lang)} {dl.due} "
    if dl.state is State.overdue:
        return head + days_text(dl, lang)
    if dl.state is State.not_yet_open:
        return (
            head
            + state_label(dl.state, lang)
            + pick(lang, f"（{dl.opens} 开启）", f" (opens {dl.opens})")
        )
    if dl.state is State.paused:
        return head + state_label(dl.state, lang)
    return (
        head
        + state_label(dl.state, lang)
        + pick(lang, f"（{days_text(dl, lang)}）", f" ({days_text(dl, lang)})")
    )


def _total_text(t: Total, lang: str) -> str:
    if not t.without_budget:
        return wan_text(t.budget_wan)
    return wan_text(t.budget_wan) + pick(
        lang, f"（{t.without_budget} 项未填预算）", f" ({t.without_budget} without budget)"
    )


def _text(p: Portfolio, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from golmud_cli.reporters.grid import Column, print_table

    warn_skipped(p.skipped, p.settings_bad, lang)
    out = console()
    title = pick(lang, f"项目总览（截至 {p.as_of}）", f"Portfolio as of {p.as_of}")
    # One row per project, drawn by gtx's own layout (reporters/grid.py: rich's Table
    # took 6.5 s for 10,000 rows, docs/benchmarks.md). On a narrow terminal the ids (up
    # to 64 characters) must not squeeze the Chinese columns to two characters a line:
    # every text column keeps a readable minimum.
    columns = (
        Column(pick(lang, "编号", "id"), min_width=10),
        Column(pick(lang, "项目名称", "name"), min_width=10),
        Column(pick(lang, "建设单位", "unit"), min_width=10),
        Column(pick(lang, "阶段", "stage"), min_width=8),
        Column(pick(lang, "预算（万元）", "budget (万元)"), min_width=8, right=True),
        Column(pick(lang, "下一个期限", "next deadline"), min_width=10),
    )
    print_table(
        out,
        title,
        columns,
        [
            (
                # repository text, control characters escaped (reporters/escape.py)
                (visible(row.id), ""),
                (visible(row.name), ""),
                (visible(row.unit), ""),
                (stage_text(row, lang), ""),
                (wan_text(row.budget_wan) or "—", ""),
                (next_text(row, lang), STATE_STYLE[row.next.state] if row.next else ""),
            )
            for row in p.rows
        ],
    )

    for heading, column, items in (
        (
            pick(lang, "按阶段汇总", "By stage"),
            pick(lang, "阶段", "stage"),
            [(s.label_in(lang), t) for s, t in p.by_stage.items()],
        ),
        (
            pick(lang, "按建设单位汇总", "By unit"),
            pick(lang, "建设单位", "unit"),
            list(p.by_unit.items()),
        ),
    ):
        t2 = Table(title=heading, title_justify="left")
        t2.add_column(column, overflow="fold")
        t2.add_column(pick(lang, "项目数", "projects"), justify="right")
        t2.add_column(pick(lang, "预算合计（万元）", "budget (万元)"), justify="right")
        for name, t in items:
            t2.add_row(escape(visible(name)), str(t.count), escape(_total_text(t, lang)))
        out.print()
        out.print(t2)
    out.print()
    missing = p.total.without_budget
    out.print(
        "[bold]"
        + escape(
            pick(
                lang,
                f"合计：{p.total.count} 个项目，预算 {wan_text(p.total.budget_wan)} 万元"
                + (f"（{missing} 项未填预算）" if missing else "")
                + "。",
                f"Total: {p.total.count} project{'s' if p.total.count != 1 else ''}, budget "
                f"{wan_text(p.total.budget_wan)} 万元"
                + (f" ({missing} without budget)" if missing else "")
                + ".",
            )
        )
        + "[/bold]"
    )
    if p.skipped:
        out.print(
            "[yellow]"
            + escape(
                pick(
                    lang,
                    f"另有 {len(p.skipped)} 个档案无法读取，未计入；请运行 gtx validate。",
                    f"{len(p.skipped)} more dossier(s) do not load and are not counted; run gtx validate.",
                )
            )
            + "[/]"
        )


def row_json(row: Row, lang: str) -> dict[str, Any]:
    dl = row.next
    return {
        "id": row.id,
        "name": row.name,
        "unit": row.unit,
        "stage": row.stage.value,
        "stage_label": row.stage.label_in(lang),
        "suspended_from": row.resume_to.value if row.resume_to else None,
        "budget_wan": wan_number(row.budget_wan),
        "funding_source": row.funding_source,
        "deadlines_apply": not row.exempt,
        "next_deadline": None
        if dl is None
        else {
            "kind": dl.kind.value,
            "kind_label": kind_label(dl.kind, lang),
            "due": dl.due.isoformat(),
            "state": dl.state.value,
            "state_label": state_label(dl.state, lang),
            "days_left": dl.days_left,
            "clause": dl.clause,
        },
    }


def _total_json(t: Total) -> dict[str, Any]:
    return {
        "count": t.count,
        "budget_wan": wan_number(t.budget_wan),
        "without_budget": t.without_budget,
    }


def _json(p: Portfolio, lang: str) -> None:
    warn_skipped(p.skipped, p.settings_bad, lang)
    write_json(
        {
            "as_of": p.as_of.isoformat(),
            "projects": [row_json(r, lang) for r in p.rows],
            "totals": {
                **_total_json(p.total),
                "by_stage": [
                    {"stage": s.value, "label": s.label_in(lang), **_total_json(t)}
                    for s, t in p.by_stage.items()
                ],
                "by_unit": [{"unit": u, **_total_json(t)} for u, t in p.by_unit.items()],
            },
            "skipped": p.skipped,
        }
    )


def _csv(p: Portfolio, lang: str) -> None:
    warn_skipped(p.skipped, p.settings_bad, lang)
    rows = []
    for row in p.rows:
        dl = row.next
        rows.append(
            [
                row.id,
                row.name,
                row.unit,
                row.stage.value,
                stage_text(row, lang),
                wan_text(row.budget_wan),
                row.funding_source or "",
                dl.kind.value if dl else "",
                kind_label(dl.kind, lang) if dl else "",
                dl.due.isoformat() if dl else "",
                dl.state.value if dl else "",
                state_label(dl.state, lang) if dl else "",
                dl.days_left if dl else "",
                dl.clause if dl else "",
            ]
        )
    write_csv(header(CSV_COLUMNS, lang), rows)


STATUS_REPORTERS: dict[str, Callable[[Portfolio, str], None]] = {
    "text": _text,
    "json": _json,
    "csv": _csv,
}


def report_status(p: Portfolio, *, fmt: str, lang: str) -> None:
    STATUS_REPORTERS[fmt](p, lang)
