"""What a clerk may write for STAGE on the command line: the code (`approved`), the
Chinese label (`审批通过（已立项）`) or either half of it (`审批通过`, `已立项`), and
the three moves suspend / resume / terminate (`暂停`, `恢复`, `终止`). A typo gets the
nearest words (`aproved` -> approved（审批通过（已立项））)."""

from __future__ import annotations

import re
from functools import cache

from golmud_cli.core.lifecycle import STAGE_LABELS, Stage
from golmud_cli.errors import UsageError

MOVES: dict[str, tuple[str, str]] = {
    "suspend": ("暂停", "suspend"),
    "resume": ("恢复", "resume"),
    "terminate": ("终止建设", "terminate"),
}
_MOVE_WORDS = {"暂停": "suspend", "恢复": "resume", "恢复建设": "resume", "终止建设": "terminate"}


@cache
def words() -> dict[str, str]:
    """Every accepted word -> the code advance takes."""
    out: dict[str, str] = {}
    for stage, (zh, en) in STAGE_LABELS.items():
        out[stage.value] = stage.value
        out[zh] = stage.value
        out[en.lower()] = stage.value
        for part in re.split(r"[（）()]", zh):
            if part.strip():
                out.setdefault(part.strip(), stage.value)
    for move in MOVES:
        out[move] = move
    out.update(_MOVE_WORDS)
    return out


def listing(lang: str) -> str:
    """The stages and moves, code and label, for help and messages."""
    sep = "、" if lang == "zh" else ", "
    items = [
        f"{s.value}（{STAGE_LABELS[s][0]}）"
        if lang == "zh"
        else f"{s.value} ({STAGE_LABELS[s][1]})"
        for s in Stage
        if s is not Stage.draft
    ]
    items += [f"{m}（{zh}）" if lang == "zh" else f"{m} ({en})" for m, (zh, en) in MOVES.items()]
    return sep.join(items)


def normalize(word: str) -> str:
    """The code for `word`, or a usage error naming the nearest ones."""
    text = word.strip()
    found = words().get(text) or words().get(text.lower())
    if found is not None:
        return found
    import difflib

    near = difflib.get_close_matches(text.lower(), list(words()), n=3, cutoff=0.6)
    codes = list(dict.fromkeys(words()[n] for n in near))
    zh = f"未知的阶段 {word!r}。"
    en = f"unknown stage {word!r}."
    if codes:
        zh += "是不是 " + "、".join(_named(c, "zh") for c in codes) + "？"
        en += " Did you mean " + ", ".join(_named(c, "en") for c in codes) + "?"
    raise UsageError(
        zh,
        en,
        hint_zh="可用的阶段：" + listing("zh"),
        hint_en="stages: " + listing("en"),
    )


def _named(code: str, lang: str) -> str:
    if code in MOVES:
        zh, en = MOVES[code]
    else:
        zh, en = STAGE_LABELS[Stage(code)]
    return f"{code}（{zh}）" if lang == "zh" else f"{code} ({en})"
