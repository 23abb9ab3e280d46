"""H004-H009: corrections of a recorded act's date (core/corrections.py).

三（五）: the unit 如实提供建设项目有关资料和情况 — the record says what happened, so a
wrong date is corrected, never left and never overwritten. A correction that breaks
one of these rules does not count: the date stays as history records it.
"""

from __future__ import annotations

from collections.abc import Iterator

from golmud_cli.core.corrections import Fault, Reviewed, review
from golmud_cli.core.rules.base import Context, E, Hit, rule

CLAUSE = "三（五）"
# the codes of this module: verify judges a correction at the commit that makes it
# (G013), not again in the gate of each later act (services/verification.py)
CODES = ("H004", "H005", "H006", "H007", "H008", "H009")


def _reviewed(ctx: Context, *faults: Fault) -> Iterator[Reviewed]:
    d = ctx.recorded or ctx.dossier
    if not d.corrections:
        return
    for r in review(d.history, d.corrections, ctx.today).corrections:
        if any(f in r.faults for f in faults):
            yield r


def h004(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    count = len((ctx.recorded or ctx.dossier).history)
    for r in _reviewed(ctx, Fault.entry):
        hits.append(
            Hit(
                ("corrections", r.index, "entry"),
                {"n": r.index + 1, "entry": r.correction.entry, "count": count},
            )
        )
    return hits


H004 = rule(
    "H004",
    E,
    CLAUSE,
    None,
    ("更正指向存在的流转记录", "a correction names an existing history entry"),
    (
        "corrections（更正记录）第 {n} 项更正第 {entry} 项流转记录，但 history（阶段历史）只有 {count} 项："
        "请改为要更正的那一项的序号（gtx show 显示的序号）。",
        "correction {n} corrects history entry {entry}, but history has {count} entries: name "
        "the entry to correct by its number (as gtx show numbers them).",
    ),
    needs="corrections",
)(h004)


def h005(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    history = (ctx.recorded or ctx.dossier).history
    for r in _reviewed(ctx, Fault.role):
        signed = history[r.correction.entry - 1].role
        hits.append(
            Hit(
                ("corrections", r.index, "role"),
                {
                    "n": r.index + 1,
                    "entry": r.correction.entry,
                    "signed": signed.value,
                    "signed_label": signed.label,
                    "given": r.correction.role.value,
                },
            )
        )
    return hits


H005 = rule(
    "H005",
    E,
    CLAUSE,
    None,
    ("更正由签署原行为的角色作出", "a correction is made by the role that signed the act"),
    (
        "corrections（更正记录）第 {n} 项：第 {entry} 项流转记录由 {signed}（{signed_label}）签署，"
        "更正也只能由 {signed} 作出，而不是 {given}。",
        "correction {n}: history entry {entry} was signed by {signed} ({signed_label}), so only "
        "{signed} may correct it, not {given}.",
    ),
    needs="corrections",
)(h005)


def h006(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for r in _reviewed(ctx, Fault.before_previous, Fault.after_next):
        c, path = r.correction, ("corrections", r.index, "date")
        params = {"n": r.index + 1, "entry": c.entry, "date": c.date}
        if Fault.before_previous in r.faults:
            hits.append(Hit(path, {**params, "other": r.previous}))
        if Fault.after_next in r.faults:
            hits.append(Hit(path, {**params, "other": r.following}, variant="after"))
    return hits


H006 = rule(
    "H006",
    E,
    CLAUSE,
    None,
    ("更正后的日期不打乱历史的顺序", "a corrected date keeps history in order"),
    (
        "corrections（更正记录）第 {n} 项把第 {entry} 项流转记录的日期改为 {date}，早于上一项的 {other}："
        "流转日期不能倒退。请核对日期，必要时先更正上一项。",
        "correction {n} dates history entry {entry} {date}, before the previous entry's {other}: "
        "dates never go back. Check the date, or correct the previous entry first.",
    ),
    variants={
        "after": (
            "corrections（更正记录）第 {n} 项把第 {entry} 项流转记录的日期改为 {date}，晚于下一项的 {other}："
            "流转日期不能倒退。请核对日期，必要时先更正下一项。",
            "correction {n} dates history entry {entry} {date}, after the next entry's {other}: "
            "dates never go back. Check the date, or correct the next entry first.",
        ),
    },
    needs="corrections",
)(h006)


def h007(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for r in _reviewed(ctx, Fault.future, Fault.act_after_correction):
        c = r.correction
        params = {"n": r.index + 1, "date": c.date, "corrected": c.corrected}
        if Fault.future in r.faults:
            hits.append(Hit(("corrections", r.index, "corrected"), {**params, "today": ctx.today}))
        if Fault.act_after_correction in r.faults:
            hits.append(Hit(("corrections", r.index, "date"), params, variant="act"))
    return hits


H007 = rule(
    "H007",
    E,
    CLAUSE,
    None,
    ("更正不在未来", "a correction is not in the future"),
    (
        "corrections（更正记录）第 {n} 项的更正日期 {corrected} 在今天（{today}）之后：只能记录已经作出的更正。",
        "correction {n} is dated {corrected}, after today ({today}): record only corrections "
        "that were made.",
    ),
    variants={
        "act": (
            "corrections（更正记录）第 {n} 项把行为日期改为 {date}，晚于更正日期 {corrected}："
            "更正只能记录已经发生的行为。",
            "correction {n} dates the act {date}, after the correction itself ({corrected}): a "
            "correction records an act that happened.",
        ),
    },
    needs="corrections",
)(h007)


def h008(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for r in _reviewed(ctx, Fault.order):
        hits.append(
            Hit(
                ("corrections", r.index, "corrected"),
                {
                    "n": r.index + 1,
                    "corrected": r.correction.corrected,
                    "previous": r.previous_corrected,
                },
            )
        )
    return hits


H008 = rule(
    "H008",
    E,
    CLAUSE,
    None,
    ("更正记录按时间顺序追加", "corrections are appended in time order"),
    (
        "corrections（更正记录）第 {n} 项的更正日期 {corrected} 早于上一项更正的 {previous}："
        "更正记录只能按时间顺序追加（用 gtx correct）。",
        "correction {n} is dated {corrected}, before the correction above it ({previous}): "
        "corrections are appended in time order (with gtx correct).",
    ),
    needs="corrections",
)(h008)


def h009(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for r in _reviewed(ctx, Fault.reason):
        blank = r.correction.reason is not None
        hits.append(
            Hit(
                ("corrections", r.index, "reason") if blank else ("corrections", r.index),
                {"n": r.index + 1},
            )
        )
    return hits


H009 = rule(
    "H009",
    E,
    CLAUSE,
    None,
    ("更正写明理由", "a correction gives its reason"),
    (
        "corrections（更正记录）第 {n} 项没有写更正理由（reason）：请写明为何更正，"
        "如“批复日期误录为登记日期”。",
        "correction {n} gives no reason: say why the date is corrected, e.g. that the "
        "approval's date was recorded as the day it was entered.",
    ),
    needs="corrections",
)(h009)
