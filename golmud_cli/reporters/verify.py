"""`gtx verify`'s output: one line per transition or finding, then a summary.

Text escapes every control character that comes from repository data (a folder
name holding terminal escapes must not paint a false "all good"); JSON stays
JSON, with each problem's code beside its text (`codes`, parallel to `problems`).
"""

from __future__ import annotations

import json
import sys
import unicodedata

from golmud_cli.core.verdicts import Result
from golmud_cli.i18n import pick


def safe(text: str) -> str:
    """Control and format characters (C0, C1, bidi, line separators) and bytes that
    are not UTF-8 written as escapes, so repository data shows as inert text."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            code = ord(ch)
            out.append(f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


WIDTH = 80


def _cols(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, indent: str) -> list[str]:
    """`text` in lines of at most 80 terminal columns (a CJK character takes two),
    broken at a space where there is one, continued under `indent`."""
    lines: list[str] = []
    line, width = "", 0
    for ch in text:
        if width + _cols(ch) > WIDTH and line.strip():
            cut = line.rfind(" ")
            if cut > len(indent) + 8:
                lines.append(line[:cut])
                line = indent + line[cut + 1 :]
            else:
                lines.append(line)
                line = indent
            width = sum(map(_cols, line))
        line += ch
        width += _cols(ch)
    lines.append(line)
    return lines


def _json_safe(value: object) -> object:
    # Names that are not UTF-8 (kept as surrogates) would not encode: written escaped.
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def report(result: Result, fmt: str, lang: str) -> None:
    rng = result.range
    if fmt == "json":
        data = {
            "ok": result.ok,
            "range": rng.spec,
            "base": rng.base,
            "head": rng.tip,
            "commits": result.commits,
            "transitions": [v.to_json(lang) for v in result.verdicts],
        }
        sys.stdout.write(json.dumps(_json_safe(data), ensure_ascii=False, indent=2) + "\n")
        return
    out = []
    for v in result.verdicts:
        mark = "✓" if v.ok else "✗"
        if v.correction is not None:
            fix = f"{pick(lang, '更正', 'correction')} #{v.correction.replace(' -> ', ' → ')}"
            line = f"{mark} {v.project}  {fix}  {v.role or '-'}  {v.signer or '-'}  {v.commit[:10]}"
        elif v.transition:
            move = f"{v.source or '-'} → {v.target or '-'}"
            line = (
                f"{mark} {v.project}  {move}  {v.role or '-'}  {v.signer or '-'}  {v.commit[:10]}"
            )
        else:
            line = f"{mark} {v.project}  {v.commit[:10]}"
        out.append(safe(line))
        for p in v.problems:
            out.extend(wrap(safe(f"    - [{p.code}] {pick(lang, p.zh, p.en)}"), " " * 6))
        for p in v.warnings:  # for the reviewer; the verdict stands
            out.extend(wrap(safe(f"    ! [{p.code}] {pick(lang, p.zh, p.en)}"), " " * 6))
    moves = sum(1 for v in result.verdicts if v.transition)
    bad = sum(len(v.problems) for v in result.verdicts)
    warned = sum(len(v.warnings) for v in result.verdicts)
    spec, base = safe(rng.spec), rng.base[:10]
    if lang == "en":
        head = (
            f"{result.commits} commit(s) checked in {spec} (base {base}), {moves} transition(s): "
        )
        tail = "all good." if not bad else f"{bad} problem(s)."
        if not bad and not moves:
            tail = "no stage transition among them; histories and files are sound."
        if warned:
            tail += f" {warned} warning(s) for the reviewer (!)."
    else:
        head = f"{spec}（基准 {base}）：检查了 {result.commits} 个提交，其中 {moves} 次阶段流转："
        tail = "全部通过。" if not bad else f"发现 {bad} 个问题。"
        if not bad and not moves:
            tail = "没有阶段流转；流转记录与文件结构无误。"
        if warned:
            tail += f"另有 {warned} 个提醒（!）请审阅人核对。"
    out.extend(wrap(head + tail, ""))
    sys.stdout.write("\n".join(out) + "\n")
