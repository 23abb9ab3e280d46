"""`gtx rules --coverage` and the unchecked section of docs/rules.md: the clause map of
the measures (golmud_cli/core/coverage.py) as text, JSON or Markdown."""

from __future__ import annotations

from typing import Any

from golmud_cli.core.coverage import UNCHECKED, ClauseCoverage, clause_map
from golmud_cli.i18n import pick
from golmud_cli.reporters import console, write_json


def _gates(c: ClauseCoverage, lang: str) -> str:
    return (
        "、".join(s.value for s in c.gates) if lang == "zh" else ", ".join(s.value for s in c.gates)
    )


def _roles(c: ClauseCoverage, lang: str) -> str:
    if lang == "zh":
        return "、".join(f"{r.value}（{r.label}）" for r in c.roles)
    return ", ".join(r.value for r in c.roles)


def unchecked_markdown(lang: str) -> str:
    """The section «不自动检查的条款 / What gtx does not check, and why»."""
    head = "\n## 不自动检查的条款 / What gtx does not check, and why\n\n" + pick(
        lang,
        "以下义务无法由程序根据档案判断，gtx 不检查；`gtx rules --coverage` 列出每一条款的检查情况。\n\n"
        "| 条款 | 义务 | 不检查的原因 |\n|---|---|---|\n",
        "No program can judge these obligations from a dossier, so gtx does not check "
        "them; `gtx rules --coverage` maps every clause.\n\n"
        "| clause | obligation | why not |\n|---|---|---|\n",
    )
    rows = [
        f"| {u.clause} | {pick(lang, u.what_zh, u.what_en)} | {pick(lang, u.why_zh, u.why_en)} |"
        for u in UNCHECKED
    ]
    return head + "\n".join(rows) + "\n"


def _json(cov: list[ClauseCoverage], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "clause": c.clause,
            "rules": list(c.rules),
            "deadlines": [k.value for k in c.deadlines],
            "gates": [s.value for s in c.gates],
            "roles": [r.value for r in c.roles],
            "unchecked": [
                {"what": pick(lang, u.what_zh, u.what_en), "why": pick(lang, u.why_zh, u.why_en)}
                for u in c.unchecked
            ],
        }
        for c in cov
    ]


def print_coverage(fmt: str, lang: str) -> None:
    cov = clause_map()
    if fmt == "json":
        write_json(_json(cov, lang))
        return
    if fmt == "markdown":
        head = pick(
            lang,
            "| 条款 | 规则 | 期限 | 阶段（关口） | 签署角色 | 不检查 |\n|---|---|---|---|---|---|\n",
            "| clause | rules | deadlines | gates | roles | unchecked |\n|---|---|---|---|---|---|\n",
        )
        rows = [
            f"| {c.clause} | {' '.join(c.rules) or '—'} | "
            f"{' '.join(k.value for k in c.deadlines) or '—'} | {_gates(c, lang) or '—'} | "
            f"{_roles(c, lang) or '—'} | "
            f"{'; '.join(pick(lang, u.what_zh, u.what_en) for u in c.unchecked) or '—'} |"
            for c in cov
        ]
        print(head + "\n".join(rows))
        return
    from rich.markup import escape

    out = console()
    out.print(
        pick(
            lang,
            "[bold]条款覆盖（格政办〔2023〕15号）[/bold]：每一条款由哪些规则、期限、阶段关口和签署角色检查，哪些义务不检查及其原因。",
            "[bold]Clause coverage (格政办〔2023〕15号)[/bold]: for each clause, the rules, "
            "deadlines, gates and signing roles that enforce it, and what is not checked, "
            "with the reason.",
        )
    )
    for c in cov:
        out.print()
        out.print(f"[bold]{c.clause}[/bold]")
        labels = pick(lang, "规则|期限|关口|角色", "rules|deadlines|gates|roles").split("|")
        values = [
            " ".join(c.rules),
            " ".join(k.value for k in c.deadlines),
            _gates(c, lang),
            _roles(c, lang),
        ]
        for label, value in zip(labels, values, strict=True):
            if value:
                out.print(f"  {label}: {escape(value)}")
        if not any(values):
            out.print(pick(lang, "  （无自动检查）", "  (nothing checked)"))
        for u in c.unchecked:
            out.print(
                "  "
                + pick(lang, "不检查：", "not checked: ")
                + escape(pick(lang, u.what_zh, u.what_en))
                + pick(lang, "——", " — ")
                + escape(pick(lang, u.why_zh, u.why_en))
            )
