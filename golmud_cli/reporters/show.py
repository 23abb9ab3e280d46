"""`gtx show` on the terminal: the project's fields, documents and timeline as text,
or the same data as JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from golmud_cli.core.enum_words import shown
from golmud_cli.core.labels import label_for
from golmud_cli.core.lifecycle import ROLE_LABELS, STAGE_LABELS, Role, Stage
from golmud_cli.core.timeline import SIGNATURE_LABELS
from golmud_cli.i18n import pick


def write(data: dict[str, Any], fmt: str, lang: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        from golmud_cli.reporters.escape import visible

        # folder and file names are repository text (reporters/escape.py)
        sys.stdout.write(visible(render(data, lang), keep_newlines=True))


def _value(v: Any, lang: str) -> str:
    if isinstance(v, bool):
        return pick(lang, "是" if v else "否", "yes" if v else "no")
    if isinstance(v, dict):
        return pick(lang, "，", ", ").join(f"{k}={_value(x, lang)}" for k, x in v.items()) or "-"
    if isinstance(v, list):
        return ", ".join(_value(x, lang) for x in v) or "-"
    return str(v)


def render(data: dict[str, Any], lang: str) -> str:
    en = lang == "en"
    out = [f"{data['project']}  {data['name']}"]
    out.append(f"{pick(lang, '建设单位', 'unit')}: {data['unit']}")
    stage = Stage(data["stage"])
    out.append(
        f"{pick(lang, '阶段', 'stage')}: {stage.value}（{STAGE_LABELS[stage][0]}）"
        if not en
        else f"stage: {stage.value} ({STAGE_LABELS[stage][1]})"
    )
    if data["next"]:
        out.append(f"{pick(lang, '可进入', 'next')}: {', '.join(data['next'])}")
    out.append("")
    for k, v in data["fields"].items():
        if v in ([], {}, ""):
            continue
        label = label_for((k,))
        v = shown((k,), v, lang)  # enum codes as their labels
        out.append(
            f"  {k}（{label}）: {_value(v, lang)}"
            if not en
            else f"  {k} ({label}): {_value(v, lang)}"
        )
    out.append("")
    out.append(pick(lang, "项目文件：", "documents:"))
    for doc in data["documents"]:
        mark = "✓" if doc["exists"] else "✗"
        extra = "  ".join(x for x in (doc["date"], doc["number"]) if x)
        out.append(f"  {mark} {doc['kind']}（{doc['label']}）  {doc['file']}  {extra}".rstrip())
    out.append("")
    out.append(pick(lang, "时间线：", "timeline:"))
    if not data["timeline"]:
        out.append(pick(lang, "  （尚无流转记录）", "  (no transitions yet)"))
    for t in data["timeline"]:
        role = Role(t["role"])
        who = ROLE_LABELS[role][1 if en else 0]
        zh, en_ = SIGNATURE_LABELS[t["signature"]]
        sig = pick(lang, zh, en_)
        signer = t["signer"] or "-"
        commit = (t["commit"] or "-")[:10]
        line = f"  {t['date']}  {t['from']} → {t['stage']}  {t['role']}（{who}）  {signer}  {commit}  {sig}"
        if en:
            line = f"  {t['date']}  {t['from']} → {t['stage']}  {t['role']} ({who})  {signer}  {commit}  {sig}"
        out.append(line)
        if t.get("correction"):  # the date above is corrected; history records another
            c, was = t["correction"], t["recorded_date"]
            out.append(
                pick(
                    lang,
                    f"      更正：原记录 {was}，{c['corrected']} 由 {c['role']} 更正：{c['reason']}",
                    f"      corrected from {was} on {c['corrected']} by {c['role']}: {c['reason']}",
                )
            )
            if "signature" in c:  # signed like a transition: its signer, commit, verdict
                zh, en_ = SIGNATURE_LABELS[c["signature"]]
                out.append(
                    pick(lang, "        更正签署：", "        correction signed: ")
                    + f"{c['signer'] or '-'}  {(c['commit'] or '-')[:10]}  {pick(lang, zh, en_)}"
                )
        if t["refs"]:
            out.append(f"      refs: {', '.join(t['refs'])}")
        if t["note"]:
            out.append(f"      {pick(lang, '备注', 'note')}: {t['note']}")
    if not data.get("git", True):
        out.append(
            pick(
                lang,
                "（不在 git 仓库中：无法显示签署人）",
                "(not in a git repository: no signers shown)",
            )
        )
    return "\n".join(out) + "\n"
