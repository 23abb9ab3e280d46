"""Reporters of `gtx deadlines`: text (for a clerk), json, csv, ics. Only this prints.

The text report answers, for each deadline: how urgent (overdue first), by when,
how many days are left or late, on which clause, and what to do next.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from golmud_cli.core.deadline_types import KIND_LABELS, STATE_LABELS, Deadline, Kind, State
from golmud_cli.core.textwidth import width, wrap
from golmud_cli.i18n import Msg, pick
from golmud_cli.reporters import console, print_lines, write_csv, write_json
from golmud_cli.reporters.csv_headers import header
from golmud_cli.reporters.escape import visible

if TYPE_CHECKING:
    from golmud_cli.core.deadline_report import DeadlineReport, DeadlineRow

STATE_STYLE: dict[State, str] = {
    State.overdue: "bold red",
    State.due_soon: "bold yellow",
    State.open: "green",
    State.not_yet_open: "cyan",
    State.paused: "magenta",
    State.done: "dim green",
    State.done_late: "dim red",
}

# What the period runs from, by kind (docs/lifecycle.md, Deadlines, "starts from").
START_LABELS: dict[Kind, Msg] = {
    Kind.preliminary_acceptance: Msg("建成", "completed"),
    Kind.final_acceptance_request: Msg("通过初步验收", "passed preliminary acceptance"),
    Kind.self_evaluation: Msg("通过验收并投入运行", "accepted and operating"),
    Kind.rectification: Msg("整改通知下达", "order issued"),
    Kind.filing: Msg("立项批复", "approved"),
    Kind.construction: Msg("开工", "construction start"),
}

CSV_COLUMNS = (
    "project",
    "name",
    "unit",
    "kind",
    "kind_label",
    "starts",
    "opens",
    "nominal_due",
    "due",
    "shifted",
    "extended",
    "state",
    "state_label",
    "days_left",
    "clause",
    "next_step",
)


def kind_label(kind: Kind, lang: str) -> str:
    return KIND_LABELS[kind].text(lang)


def state_label(state: State, lang: str) -> str:
    return STATE_LABELS[state].text(lang)


def days_text(dl: Deadline, lang: str) -> str:
    """Days left or days late, in words."""
    n = dl.days_left
    if dl.state is State.done or dl.state is State.done_late:
        assert dl.done_on is not None
        late = (dl.done_on - dl.due).days
        if lang == "en":
            return f"done on {dl.done_on}" + (f", {_days(late)} late" if late > 0 else "")
        return f"已于 {dl.done_on} 完成" + (f"，迟 {late} 天" if late > 0 else "")
    if dl.state is State.paused:
        # the clock stands still while the project is suspended: no days left or late
        return pick(lang, "项目暂停建设，期限暂停计算", "paused while the project is suspended")
    if dl.state is State.not_yet_open and dl.opens is not None:
        today = dl.due - dt.timedelta(days=n)
        k = (dl.opens - today).days
        return pick(
            lang,
            f"窗口期 {dl.opens} 开启（还有 {k} 天），{n} 天后到期",
            f"window opens {dl.opens} (in {_days(k)}), due in {_days(n)}",
        )
    if n < 0:
        return pick(lang, f"已逾期 {-n} 天", f"{_days(-n)} late")
    if n == 0:
        return pick(lang, "今天到期", "due today")
    return pick(lang, f"还剩 {n} 天", f"{_days(n)} left")


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _months_between(start: dt.date | None, end: dt.date | None) -> int:
    if start is None or end is None:
        return 12
    return (end.year - start.year) * 12 + end.month - start.month


def next_step(e: DeadlineRow, lang: str) -> str:
    """What to do next, with the clause that says so."""
    dl = e.deadline
    pid = dl.project
    if dl.state is State.paused:
        return pick(
            lang,
            "项目已暂停建设，此期限暂停计算；恢复建设后，自恢复之日起重新计算"
            "（gtx 的规则，见 docs/lifecycle.md；《办法》对暂停期间的期限未作规定）。",
            "the project is suspended, so this period is paused; on resumption it runs again "
            "from the date of resumption (gtx's own rule, docs/lifecycle.md; the measures are "
            "silent on periods during a suspension).",
        )
    late = dl.state is State.overdue
    if dl.kind is Kind.preliminary_acceptance:
        if late:
            return pick(
                lang,
                f"已超过期限：立即组织专家初步验收并向市发改委说明情况；通过后记录 gtx advance {pid} "
                "preliminarily_accepted。延期验收须经市发改委同意（三（六））。",
                "past the deadline: hold the expert preliminary acceptance at once and explain "
                f"to the NDRC; then record it with gtx advance {pid} preliminarily_accepted. An "
                "extension needs the NDRC's approval (三（六）).",
            )
        return pick(
            lang,
            f"组织专家进行初步验收，通过后记录 gtx advance {pid} preliminarily_accepted；"
            "不能按期完成的，须在到期日前申请延期验收，经市发改委同意后方可延期（三（六））。",
            "hold the expert preliminary acceptance and record it with gtx advance "
            f"{pid} preliminarily_accepted; if it cannot be done in time, apply for an "
            "extension (申请延期验收) before the due date: it counts only once the NDRC "
            "approves it (三（六）).",
        )
    if dl.kind is Kind.final_acceptance_request:
        head = pick(lang, "已超过期限：立即", "past the deadline: at once ") if late else ""
        return head + pick(
            lang,
            "向市发改委提交竣工验收申请报告，附项目建设总结、财务报告、审计报告、安全风险评估报告，"
            f"并记录 gtx advance {pid} acceptance_requested；不能按期的，须在到期日前申请延期，"
            "经市发改委同意后方可延期（三（六））。",
            "send the final acceptance request to the NDRC with the construction summary, "
            "financial report, audit report and security risk assessment, and record it with "
            f"gtx advance {pid} acceptance_requested; if it cannot be done in time, apply for "
            "an extension before the due date: it counts only once the NDRC approves it (三（六）).",
        )
    if dl.kind is Kind.self_evaluation:
        if dl.state is State.not_yet_open:
            # the window's opening as gtx.yaml's policy sets it (12 months by default):
            # the months from the day the clock runs to the day the window opens
            months = _months_between(dl.starts, dl.opens)
            return pick(
                lang,
                f"自 {dl.opens} 起开展自评价（验收并运行满 {months} 个月）；自评价报告报送市发改委和市财政局（三（七））。",
                f"carry out the self-evaluation from {dl.opens} ({months} months after acceptance "
                "and operation); send the report to the NDRC and the finance bureau (三（七）).",
            )
        head = pick(lang, "已超过期限：立即", "past the deadline: at once ") if late else ""
        return head + pick(
            lang,
            "开展自评价，自评价报告报送市发改委和市财政局，并记录 "
            f"gtx advance {pid} self_evaluated（三（七））。",
            "carry out the self-evaluation, send the report to the NDRC and the finance "
            f"bureau, and record it with gtx advance {pid} self_evaluated (三（七）).",
        )
    if dl.kind is Kind.rectification:
        n = (dl.index or 0) + 1
        return pick(
            lang,
            f"按整改通知完成整改，并在 project.yaml 的 rectifications 第 {n} 项记录 resolved（整改完成日期）；"
            "逾期不整改的，可被通报批评、暂缓安排投资计划、暂停拨付运维经费、暂停项目建设直至终止项目（三（五））。",
            f"rectify as ordered and record resolved (the date) in item {n} of rectifications "
            "in project.yaml; an order left unrectified may bring criticism, deferred "
            "investment, suspended O&M funds, suspension or termination (三（五）).",
        )
    if dl.kind is Kind.construction:
        return pick(
            lang,
            f"按备案表的计划建设时间（开工时间 + 建设时间）建成，并记录 gtx advance {pid} completed；"
            "不能按期的，须在到期日前向市发改委申请延期（extensions 的 for: construction），"
            "经同意后可延长项目建设期限（附件，三（六））。",
            "complete the project within the filing table's planned time (start + duration) "
            f"and record it with gtx advance {pid} completed; if it cannot be done in time, "
            "ask the NDRC before the due date for an extension (extensions, for: "
            "construction), which counts once approved (附件, 三（六）).",
        )
    head = pick(lang, "已超过期限：立即", "past the deadline: at once ") if late else ""
    return head + pick(
        lang,
        f"向市政府办公室备案（备案表可用 gtx form {pid} 生成），备案后记录 gtx advance {pid} filed"
        "（三（三），期限为本地政策）。",
        f"file the project with the city government office (gtx form {pid} fills the "
        f"filing form), then record it with gtx advance {pid} filed (三（三）; the number "
        "of days is local policy).",
    )


def due_text(dl: Deadline, lang: str) -> str:
    parts = [str(dl.due)]
    if dl.shifted:
        parts.append(
            pick(
                lang,
                f"（原定 {dl.nominal_due}，遇休息日或法定节假日顺延）",
                f" (nominally {dl.nominal_due}, moved off a rest day or holiday)",
            )
        )
    if dl.extended:
        parts.append(pick(lang, "（经批准延期）", " (approved extension)"))
    return "".join(parts)


def unknown_years_note(years: list[int], lang: str) -> str:
    ys = "、".join(str(y) for y in years) if lang != "en" else ", ".join(str(y) for y in years)
    return pick(
        lang,
        f"注：所用官方节假日安排尚未收录 {ys} 年，这些年份的到期日只按周末顺延，未计入法定节假日和调休，请以国务院办公厅通知为准。",
        f"note: the official holiday calendar does not cover {ys} yet; due dates there were "
        "moved off weekends only, not off statutory holidays or make-up working days: check "
        "the State Council's notice.",
    )


SKIPPED_SHOWN = 10  # named one by one on stderr; the rest counted (JSON lists them all)


def warn_skipped(skipped: list[str], settings_bad: bool, lang: str) -> None:
    """A line on stderr per dossier that did not load, up to SKIPPED_SHOWN, then how
    many more (a large repository would otherwise bury the report in warnings); and
    one for a bad gtx.yaml."""
    if settings_bad:
        sys.stderr.write(
            pick(
                lang,
                "警告：gtx.yaml 有误，按默认政策参数计算期限；请运行 gtx validate 查看。\n",
                "warning: gtx.yaml has errors, deadlines use the default policy; run gtx validate to see them.\n",
            )
        )
    for f in map(visible, skipped[:SKIPPED_SHOWN]):  # a folder name: escaped (escape.py)
        sys.stderr.write(
            pick(
                lang,
                f"警告：{f} 无法读取，已跳过，其期限未计入；请运行 gtx validate 查看原因。\n",
                f"warning: skipped {f}: it does not load, so its deadlines are not shown; run gtx validate to see why.\n",
            )
        )
    more = len(skipped) - SKIPPED_SHOWN
    if more > 0:
        sys.stderr.write(
            pick(
                lang,
                f"警告：另有 {more} 个档案无法读取，已跳过（共 {len(skipped)} 个）；"
                "完整列表见 --format json 的 skipped，原因请运行 gtx validate 查看。\n",
                f"warning: {more} more dossiers do not load and were skipped ({len(skipped)} in "
                "all); --format json lists them all under skipped, gtx validate says why.\n",
            )
        )


def summary_line(report: DeadlineReport, lang: str) -> str:
    counts = {s: sum(1 for e in report.entries if e.deadline.state is s) for s in State}
    shown = [s for s in State if counts[s] or s in (State.overdue, State.due_soon)]
    if lang == "en":
        body = ", ".join(f"{counts[s]} {state_label(s, lang)}" for s in shown)
        return f"{len(report.entries)} deadline{'s' if len(report.entries) != 1 else ''}: {body}."
    body = "，".join(f"{state_label(s, lang)} {counts[s]} 项" for s in shown)
    return f"共 {len(report.entries)} 项期限：{body}。"


def _text(report: DeadlineReport, lang: str) -> None:
    from golmud_cli import reporters

    warn_skipped(report.skipped, report.settings_bad, lang)
    out = console()
    cols = out.width  # lines fit the terminal, CJK counted double (wrap)
    if not out.is_terminal and out.color_system is None and not out.record:
        # No colour (a pipe, a CI log, NO_COLOR): the text itself, without making rich
        # markup only to take it apart again (thousands of entries, docs/benchmarks.md).
        # A backslash is left to the markup route: rich's escape doubles one that ends
        # a piece of text, and the report must stay what rich prints.
        text = "\n".join(_lines(report, lang, cols, _plain_tag, _same)) + "\n"
        if "\\" not in text and reporters._write_plain(out, text):
            return
    from rich.markup import escape

    print_lines(out, list(_lines(report, lang, cols, _markup_tag, escape)))


def _plain_tag(_style: str, text: str) -> str:
    return text


def _markup_tag(style: str, text: str) -> str:
    return f"[{style}]{text}[/]"


def _same(text: str) -> str:
    return text


def _lines(
    report: DeadlineReport,
    lang: str,
    cols: int,
    tag: Callable[[str, str], str],
    escape: Callable[[str], str],
) -> Iterator[str]:
    """The text report's lines: rich markup (`tag` puts a style around text, `escape`
    makes repository text inert), or the plain text with `tag` and `escape` keeping
    the text as it is."""
    title = pick(lang, f"期限报告（截至 {report.as_of}）", f"Deadlines as of {report.as_of}")
    yield tag("bold", escape(title))
    scope = pick(
        lang,
        f"已逾期的在前，其余按到期日排序；{report.policy.due_soon_days} 天内到期为“即将到期”。",
        f"overdue first, then by due date; due within {report.policy.due_soon_days} days is "
        "'due soon'.",
    )
    if report.within is not None:
        scope += pick(
            lang,
            f"只列 {report.within} 天内到期的（逾期的总在其中）。",
            f" Only those due within {report.within} days (and all overdue).",
        )
    for ln in wrap(scope, cols):
        yield tag("dim", escape(ln))
    if not report.entries:
        yield ""
        if report.within is None:
            none = pick(lang, "没有待办期限。", "No pending deadlines.")
        else:
            none = pick(
                lang,
                f"没有已逾期的期限，{report.within} 天内也没有到期的。",
                f"Nothing overdue, and nothing due within {report.within} days.",
            )
        yield tag("bold green", escape(none))
    label = pick(lang, "下一步：", "next: ")
    for e in report.entries:
        dl = e.deadline
        yield ""
        # repository text, control characters escaped (reporters/escape.py)
        who = visible(pick(lang, f"{e.name}（{dl.project}）", f"{e.name} ({dl.project})"))
        state, kind = state_label(dl.state, lang), kind_label(dl.kind, lang)
        fits = width(f"● {state}  {kind}  {who}") <= cols
        yield (
            tag(STATE_STYLE[dl.state], "● " + escape(state))
            + "  "
            + tag("bold", escape(kind))
            + (f"  {escape(who)}" if fits else "")
        )
        if not fits:
            for ln in wrap(who, cols, "  "):
                yield escape(ln)
        start = START_LABELS[dl.kind].text(lang)
        lines = [
            pick(lang, f"建设单位：{e.unit}", f"unit: {e.unit}"),
            pick(lang, f"起算：{dl.starts}（{start}）", f"starts: {dl.starts} ({start})"),
        ]
        if e.detail:
            lines.append(pick(lang, f"整改事项：{e.detail}", f"finding: {e.detail}"))
        if dl.opens is not None:
            lines.append(pick(lang, f"窗口期：{dl.opens} 起", f"window opens: {dl.opens}"))
        lines.append(
            pick(lang, "到期：", "due: ")
            + due_text(dl, lang)
            + pick(lang, "；", "; ")
            + days_text(dl, lang)
            + f"  [{dl.clause}]"
        )
        for line in lines:
            for ln in wrap(visible(line), cols, "  ", "    "):
                yield escape(ln)
        if dl.pending:
            first, *more = wrap(label + visible(next_step(e, lang)), cols, "  ", "    ")
            yield "  " + tag("bold", escape(label)) + escape(first[2 + len(label) :])
            for ln in more:
                yield escape(ln)
    yield ""
    worst = (
        "bold red"
        if any(e.deadline.state is State.overdue for e in report.entries)
        else "bold yellow"
        if any(e.deadline.state is State.due_soon for e in report.entries)
        else "bold green"
    )
    for ln in wrap(summary_line(report, lang), cols):
        yield tag(worst, escape(ln))
    if report.unknown_years:
        for ln in wrap(unknown_years_note(report.unknown_years, lang), cols):
            yield tag("yellow", escape(ln))


def entry_json(e: DeadlineRow, lang: str) -> dict[str, Any]:
    dl = e.deadline
    return {
        # The keys of docs/cli.md first (stable), then the additions.
        "project": dl.project,
        "kind": dl.kind.value,
        "starts": dl.starts.isoformat(),
        "opens": dl.opens.isoformat() if dl.opens else None,
        "due": dl.due.isoformat(),
        "state": dl.state.value,
        "days_left": dl.days_left,
        "clause": dl.clause,
        "name": e.name,
        "unit": e.unit,
        "kind_label": kind_label(dl.kind, lang),
        "state_label": state_label(dl.state, lang),
        "nominal_due": dl.nominal_due.isoformat(),
        "shifted": dl.shifted,
        "calendar_known": dl.calendar_known,
        "extended": dl.extended,
        "done_on": dl.done_on.isoformat() if dl.done_on else None,
        "index": dl.index,
        "detail": e.detail or None,
        "next_step": next_step(e, lang) if dl.pending else None,
    }


def _json(report: DeadlineReport, lang: str) -> None:
    warn_skipped(report.skipped, report.settings_bad, lang)
    write_json(
        {
            "as_of": report.as_of.isoformat(),
            "deadlines": [entry_json(e, lang) for e in report.entries],
            "skipped": report.skipped,
            "calendar_unknown_years": report.unknown_years,
        }
    )


def _csv(report: DeadlineReport, lang: str) -> None:
    warn_skipped(report.skipped, report.settings_bad, lang)
    rows = []
    for e in report.entries:
        row = entry_json(e, lang)
        rows.append(
            [
                ""
                if row[c] is None
                else str(row[c]).lower()
                if isinstance(row[c], bool)
                else row[c]
                for c in CSV_COLUMNS
            ]
        )
    write_csv(header(CSV_COLUMNS, lang), rows)


def uid(dl: Deadline) -> str:
    """Stable across runs, so a calendar that re-imports the file updates the event."""
    return f"{dl.project}.{dl.kind.value}.{dl.index or 0}@gtx.golmud"


def _ics(report: DeadlineReport, lang: str) -> None:
    from icalendar import Alarm, Calendar, Event

    warn_skipped(report.skipped, report.settings_bad, lang)
    # DTSTAMP from --as-of, not from the clock: two runs give the same bytes.
    stamp = dt.datetime.combine(report.as_of, dt.time(0, 0), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//Golmud//gtx deadlines//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        pick(lang, "格尔木市政务信息化项目期限", "Golmud e-government project deadlines"),
    )
    for e in report.entries:
        dl = e.deadline
        # A paused deadline has no date to meet, and a done one nothing left to do.
        if not dl.pending or dl.state is State.paused:
            continue
        ev = Event()
        ev.add("uid", uid(dl))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dl.due)
        ev.add("dtend", dl.due + dt.timedelta(days=1))
        ev.add(
            "summary",
            pick(
                lang,
                f"{kind_label(dl.kind, lang)}到期：{e.name}",
                f"{kind_label(dl.kind, lang)} due: {e.name}",
            ),
        )
        desc = [
            f"{dl.project} · {e.unit}",
            pick(lang, "到期：", "due: ") + due_text(dl, lang) + f" [{dl.clause}]",
            pick(lang, f"状态（截至 {report.as_of}）：", f"state as of {report.as_of}: ")
            + state_label(dl.state, lang)
            + pick(lang, "，", ", ")
            + days_text(dl, lang),
        ]
        if e.detail:
            desc.append(e.detail)
        desc.append(pick(lang, "下一步：", "next: ") + next_step(e, lang))
        ev.add("description", "\n".join(desc))
        ev.add("categories", [kind_label(dl.kind, lang)])
        ev.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(days=-7))
        alarm.add(
            "description",
            pick(
                lang,
                f"7 天后到期：{kind_label(dl.kind, lang)}（{e.name}）",
                f"due in 7 days: {kind_label(dl.kind, lang)} ({e.name})",
            ),
        )
        ev.add_component(alarm)
        cal.add_component(ev)
    if not cal.subcomponents:
        cal.add_component(_nothing_pending(report, stamp, lang))
    sys.stdout.write(cal.to_ical().decode("utf-8"))


def _nothing_pending(report: DeadlineReport, stamp: dt.datetime, lang: str) -> Any:
    """RFC 5545 (3.6) wants at least one component in a calendar: with nothing pending,
    a journal entry saying so (calendar apps show no event for it)."""
    from icalendar import Journal

    note = Journal()
    note.add("uid", f"gtx-nothing-pending-{report.as_of.isoformat()}@golmud.gov.cn")
    note.add("dtstamp", stamp)
    note.add("dtstart", report.as_of)
    note.add(
        "summary",
        pick(
            lang,
            f"没有待办期限（截至 {report.as_of}）",
            f"No pending deadlines as of {report.as_of}",
        ),
    )
    return note


DEADLINE_REPORTERS: dict[str, Callable[[DeadlineReport, str], None]] = {
    "text": _text,
    "json": _json,
    "csv": _csv,
    "ics": _ics,
}


def report_deadlines(report: DeadlineReport, *, fmt: str, lang: str) -> None:
    DEADLINE_REPORTERS[fmt](report, lang)
