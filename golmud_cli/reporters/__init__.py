"""Reporters: the only code that prints results. Chosen by name (--format)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.sheets import csv_cell
from golmud_cli.i18n import Msg
from golmud_cli.reporters.escape import visible

if TYPE_CHECKING:
    from rich.console import Console

    from golmud_cli.pipeline.validation import Run

FORMATS_VALIDATE = ("text", "json", "github")

SEVERITY_LABELS: dict[Severity, Msg] = {
    Severity.error: Msg("错误", "error"),
    Severity.warning: Msg("警告", "warning"),
    Severity.info: Msg("提示", "info"),
}
SEVERITY_STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # rich turns colour off when not on a terminal and honours NO_COLOR.
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def write_csv(header: list[str] | tuple[str, ...], rows: Iterable[Iterable[object]]) -> None:
    """CSV on stdout, UTF-8 with a BOM so that spreadsheet programs show the Chinese
    text (Python reads it back with encoding="utf-8-sig")."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    sys.stdout.write("\ufeff" + buf.getvalue())


def summary_line(findings: list[Finding], checked: int, lang: str) -> str:
    n = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if lang == "en":
        head = f"{checked} project{'s' if checked != 1 else ''} checked"
        if not findings:
            return f"{head}: no findings."
        e, w = n[Severity.error], n[Severity.warning]
        return f"{head}: {e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}, {n[Severity.info]} info."
    if not findings:
        return f"检查了 {checked} 个项目：没有发现问题。"
    return f"检查了 {checked} 个项目：{n[Severity.error]} 个错误，{n[Severity.warning]} 个警告，{n[Severity.info]} 条提示。"


def _text(run: Run, lang: str, strict: bool) -> None:
    out = console()
    # One print for the whole report: rich's per-call cost (~0.2 ms) would otherwise
    # dominate a run over thousands of findings (docs/benchmarks.md). The plain report
    # is made first and written directly when no style would be shown anyway; the
    # markup (an escape per field, ~0.1 s at 10,000 dossiers) only when it would.
    plain: list[str] = []
    current: str | None = None
    for f in run.findings:
        # file names and messages carry repository text: escaped (reporters/escape.py)
        file = visible(f.file or "-")
        if f.file != current:
            current = f.file
            plain += ["", file]
        pos = f"{file}:{f.line or 1}:{f.column or 1}" if f.line else file
        sev = SEVERITY_LABELS[f.severity].text(lang)
        message = visible(f.message(lang))
        plain.append(f"  {pos}  {f.code} {sev}  {message}" + (f" [{f.clause}]" if f.clause else ""))
    summary = summary_line(run.findings, run.checked, lang)
    plain += ["", summary]
    if _write_plain(out, "\n".join(plain) + "\n"):
        return
    out.print(_text_markup(run, lang, strict, summary))


def _text_markup(run: Run, lang: str, strict: bool, summary: str) -> str:
    """_text's report as rich markup: the same lines, styled."""
    from rich.markup import escape

    lines: list[str] = []
    current: str | None = None
    for f in run.findings:
        file = visible(f.file or "-")
        if f.file != current:
            current = f.file
            lines.append("")
            lines.append(f"[bold]{escape(file)}[/bold]")
        pos = f"{file}:{f.line or 1}:{f.column or 1}" if f.line else file
        sev = SEVERITY_LABELS[f.severity].text(lang)
        clause = f" [dim][{escape(f.clause)}][/dim]" if f.clause else ""
        message = visible(f.message(lang))
        lines.append(
            f"  [dim]{escape(pos)}[/dim]  [{SEVERITY_STYLE[f.severity]}]{f.code} {sev}[/]"
            f"  {escape(message)}{clause}"
        )
    lines.append("")
    style = "bold red" if any(f.severity is Severity.error for f in run.findings) else "bold green"
    if strict and any(f.severity is Severity.warning for f in run.findings):
        style = "bold red"
    lines.append(f"[{style}]{escape(summary)}[/]")
    return "\n".join(lines)


class Lines:
    """Stands in for a console in a reporter: collects the lines of markup it would
    print, for print_lines to print them at once."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def print(self, text: str = "") -> None:
        self.lines.append(text)


def print_lines(out: Console, lines: list[str]) -> None:
    """Print lines of rich markup (each closing its own tags) as one print: the same
    output as a print per line, without rich's per-call cost (~0.1 ms, docs/benchmarks.md)."""
    if not lines:
        return
    markup = "\n".join(lines)
    if not out.is_terminal and out.color_system is None and not out.record:
        plain = _unmarkup(markup)
        if plain is not None and _write_plain(out, plain + "\n"):
            return
    out.print(markup)


def _unmarkup(markup: str) -> str | None:
    """The text of rich markup without its tags, as rich.markup.render reads it (its
    own tokenizer), without building styled text; None if rich changed inside."""
    try:
        from rich.markup import _parse
    except ImportError:  # pragma: no cover - a future rich
        return None
    return "".join(text.replace("\\[", "[") for _, text, _ in _parse(markup) if text is not None)


def _write_plain(out: Console, text: str) -> bool:
    """Write `text` as is when rich would print exactly it: no colours (not a terminal,
    or NO_COLOR), and nothing rich would change (emoji codes, tabs, control codes)."""
    if out.is_terminal or out.color_system is not None or out.record:
        return False
    from rich._emoji_replace import _emoji_replace

    if "\t" in text or _stripped_by_rich().search(text) or _emoji_replace(text) != text:
        return False
    out.file.write(text)
    out.file.flush()
    return True


@lru_cache(maxsize=1)
def _stripped_by_rich() -> re.Pattern[str]:
    """The control codes rich removes (rich.control.strip_control_codes), found with one
    regular-expression scan: its str.translate costs ~60 ms on a 10,000-dossier report."""
    from rich.control import STRIP_CONTROL_CODES

    return re.compile("[" + "".join(re.escape(chr(c)) for c in STRIP_CONTROL_CODES) + "]")


def _json(run: Run, lang: str, strict: bool) -> None:
    bad = {Severity.error} | ({Severity.warning} if strict else set())
    write_json(
        {
            "ok": not any(f.severity in bad for f in run.findings),
            "checked": run.checked,
            "findings": [f.to_json(lang) for f in run.findings],
        }
    )


def _gh_escape(text: str, prop: bool = False) -> str:
    # GitHub/Gitea workflow command escaping
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(run: Run, lang: str, strict: bool) -> None:
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
    for f in run.findings:
        # a control character would forge a workflow command or a log line
        props = [f"file={_gh_escape(visible(f.file or ''), True)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column or 1}"]
        props.append(f"title={_gh_escape(f.code, True)}")
        clause = f" [{f.clause}]" if f.clause else ""
        sys.stdout.write(
            f"::{level[f.severity]} {','.join(props)}::"
            f"{_gh_escape(visible(f.message(lang) + clause))}\n"
        )
    sys.stdout.write(summary_line(run.findings, run.checked, lang) + "\n")


VALIDATION_REPORTERS: dict[str, Callable[[Run, str, bool], None]] = {
    "text": _text,
    "json": _json,
    "github": _github,
}


def report_validation(run: Run, *, fmt: str, lang: str, strict: bool) -> None:
    VALIDATION_REPORTERS[fmt](run, lang, strict)


def prepare_validation(fmt: str) -> Callable[[], None] | None:
    """What report_validation(fmt=...) will load, to be loaded while worker processes
    check the dossiers (pipeline/parallel.py): rich's console, ~70 M instructions,
    was the larger part of a cold 10,000-dossier run's work after its last result
    (docs/benchmarks.md). None: nothing worth it."""
    if fmt != "text":
        return None

    def warm() -> None:
        import rich._emoji_replace  # noqa: F401  (_write_plain)

        console()
        _stripped_by_rich()

    return warm
