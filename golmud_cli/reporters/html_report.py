"""`gtx report`: the static HTML pages (Jinja2, autoescaped; templates in
golmud_cli/data/report/). Every page carries a Content-Security-Policy that lets
nothing load from outside the file, and no script at all."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from golmud_cli.i18n import pick

if TYPE_CHECKING:
    from golmud_cli.core.report import ReportData

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "report"


def _flatten(prefix: tuple[str, ...], value: Any) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        out: list[tuple[tuple[str, ...], Any]] = []
        for k, v in value.items():
            out += _flatten((*prefix, str(k)), v)
        return out
    return [(prefix, value)]


def _shown(value: Any, lang: str, key: str = "") -> str:
    from golmud_cli.core.register import BY_KEY
    from golmud_cli.core.values import ENUM_LABELS

    column = BY_KEY.get(key)
    if column is not None and column.kind == "enum":
        label = ENUM_LABELS[column.enum].get(str(value))
        if label is None:
            return str(value)
        # the official term, and in English the code beside it, as gtx show writes it
        return label if lang == "zh" else f"{label} ({value})"
    if isinstance(value, bool):
        return pick(lang, "是" if value else "否", "yes" if value else "no")
    if isinstance(value, dict):  # an extension or a rectification order
        sep, colon = pick(lang, "，", ", "), pick(lang, "：", ": ")
        return sep.join(f"{k}{colon}{_shown(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return pick(lang, "；", "; ").join(_shown(v, lang) for v in value) if value else "—"
    return "—" if value is None else str(value)


def render(data: ReportData, lang: str) -> dict[str, str]:
    """Relative path -> HTML text, for every page."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from golmud_cli.core.deadlines import State
    from golmud_cli.core.labels import label_for
    from golmud_cli.core.lifecycle import ROLE_LABELS, Role, Stage
    from golmud_cli.core.timeline import SIGNATURE_LABELS
    from golmud_cli.core.wan import wan_text
    from golmud_cli.reporters import SEVERITY_LABELS, summary_line
    from golmud_cli.reporters.deadlines import kind_label, state_label
    from golmud_cli.reporters.status import next_text

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    common: dict[str, Any] = {
        "lang": lang,
        "as_of": data.as_of.isoformat(),
        "city": data.city,
        "t": lambda zh, en: pick(lang, zh, en),
        "wan": lambda v: wan_text(v if isinstance(v, Decimal) else Decimal(v)),
        "next_text": lambda row: next_text(row, lang),
        "kind_label": lambda k: kind_label(k, lang),
        "state_label": lambda s: state_label(s, lang),
        "stage_label": lambda s: Stage(s).label_in(lang),
        "role_label": lambda r: ROLE_LABELS[Role(r)][0 if lang == "zh" else 1],
        "signature_label": lambda s: pick(lang, *SIGNATURE_LABELS.get(s, (s, s))),
        "severity": lambda s: SEVERITY_LABELS[s].text(lang),
    }
    pages: dict[str, str] = {}
    overdue = sum(1 for e in data.deadlines.entries if e.deadline.state is State.overdue)
    errors = sum(1 for f in data.findings if f.severity.value == "error")
    pages["index.html"] = env.get_template("index.html").render(
        **common,
        root="",
        p=data.portfolio,
        overdue=overdue,
        errors=errors,
        stage_bars=data.stage_bars,
        unit_bars=data.unit_bars,
        timeline=data.timeline,
    )
    ids = {pr["project"] for pr in data.projects}
    pages["findings.html"] = env.get_template("findings.html").render(
        **common,
        root="",
        findings=data.findings,
        ids=ids,
        summary=summary_line(data.findings, len(ids), lang),
    )
    project_page = env.get_template("project.html")
    for pr in data.projects:
        fields = [
            (".".join(path), label_for(path) or ".".join(path), _shown(v, lang, ".".join(path)))
            for path, v in _flatten((), pr["fields"])
        ]
        pages[f"projects/{pr['project']}.html"] = project_page.render(
            **common,
            root="../",
            pr=pr,
            fields=fields,
            deadlines=[e for e in data.deadlines.entries if e.deadline.project == pr["project"]],
            findings=[f for f in data.findings if f.project == pr["project"]],
        )
    return pages


def report_written(output: Path, pages: int, lang: str) -> None:
    """The one line `gtx report` prints when the folder is in place."""
    from golmud_cli.reporters import console

    console().print(
        pick(
            lang,
            f"已生成报告：{output / 'index.html'}（{pages} 页，可离线打开）。",
            f"report written: {output / 'index.html'} ({pages} pages, opens offline).",
        ),
        markup=False,
    )
