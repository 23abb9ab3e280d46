"""Write the user documentation that is generated, so that it cannot drift from gtx:

- docs/dossier.md: every field of project.yaml with its Chinese label, type,
  required-ness, the 备案表 row it fills and its meaning (the model, core/field_docs.py,
  the exported schema and rule B001);
- docs/lifecycle.md: the stages, who enters each, the rules that apply from each
  (the gates), the legal moves and the deadlines (core/lifecycle.py, the rule catalog,
  core/deadlines.py, the default policy);
- docs/cli.md: every command's help, in Chinese and in English, and the exit codes.

    .venv/bin/python scripts/build_docs.py          # rewrite docs/
    .venv/bin/python scripts/build_docs.py --check  # exit 1 when a file is stale

(`make schema` runs it; tests/e2e/test_docs.py checks the files are current.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEAD = (
    "<!-- 由 scripts/build_docs.py 生成，请勿手改（make schema）。Generated: do not edit. -->\n\n"
)


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    out = []
    for b in branches:
        if "$ref" in b:
            name = b["$ref"].rsplit("/", 1)[-1]
            node = defs.get(name, {})
            if "enum" in node:
                labels = node.get("enumDescriptions", [])
                out.append(
                    "可选："
                    + "、".join(
                        f"`{v}` {lbl}" for v, lbl in zip(node["enum"], labels, strict=False)
                    )
                )
            else:
                out.append(f"见 [{node.get('title', name)}](#{name.lower()})")
        elif "enum" in b:
            labels = b.get("enumDescriptions", [str(v) for v in b["enum"]])
            shown = dict(zip(map(str, b["enum"]), labels, strict=False))
            out.append("可选：" + "、".join(f"`{v}` {lbl}" for v, lbl in shown.items()))
        elif "const" in b:
            out.append(f"固定为 `{b['const']}`")
        else:
            t = b.get("type")
            word = {
                "number": "数字",
                "integer": "整数",
                "boolean": "true 或 false",
                "string": "文本",
                "array": "列表",
                "object": "映射",
            }.get(t, str(t))
            if b.get("format") == "date":
                word = "日期 YYYY-MM-DD"
            bounds = []
            for key, sym in (("exclusiveMinimum", ">"), ("minimum", "≥"), ("maximum", "≤")):
                if key in b:
                    bounds.append(f"{sym} {b[key]}")
            if bounds:
                word += "（" + "，".join(bounds) + "）"
            if "pattern" in b and b.get("format") != "date":
                word += f"，格式 `{b['pattern']}`"
            if t == "array" and "items" in b:
                word = "列表，每项：" + _type(b["items"], defs)
            out.append(word)
    return "；或 ".join(out) or "-"


def dossier_md() -> str:
    from golmud_cli.core.field_docs import describe
    from golmud_cli.core.labels import label_for
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.schema_export import models
    from golmud_cli.pipeline.schema_export import build_schema
    from golmud_cli.services.scaffolding import _filing_fields

    schema = build_schema()
    defs = schema["definitions"]
    filing = {".".join(p) for p in _filing_fields()}
    lines = [
        HEAD,
        "# 项目档案格式（project.yaml）\n\n",
        "每个项目一个文件夹 `dossiers/<项目编号>/`，其中的 `project.yaml` 是项目档案，附件放在 "
        "`attachments/`。编辑器按 `schema/dossier.schema.json` 提示每个字段的含义和可填的值。"
        "`gtx new` 生成的档案每项旁都有中文注释；`gtx validate` 检查全部规则（见 [rules.md](rules.md)），"
        "阶段与期限见 [lifecycle.md](lifecycle.md)。\n\n",
        "“必填”：缺少即为 S002 错误；“备案前必填”：进入“已备案”前由规则 B001 要求，"
        "也是 `gtx form` 生成的《格尔木市政务信息系统备案表》中的一栏。"
        '数字不加引号（`budget_wan: 320.5`）；电话号码加英文双引号（`"0979-8412345"`）。\n',
    ]
    ordered = sorted(models(Dossier), key=lambda m: (m is not Dossier, m.__name__))
    for model in ordered:
        node = schema if model is Dossier else defs.get(model.__name__)
        if node is None:
            continue
        required = set(node.get("required", []))
        title = "项目档案（顶层）" if model is Dossier else model.__name__
        lines.append(f'\n## {title}\n\n<a id="{model.__name__.lower()}"></a>\n\n')
        lines.append(
            "| 键 | 中文名称 | 类型 | 是否必填 | 备案表 | 说明 |\n|---|---|---|---|---|---|\n"
        )
        for name, info in model.model_fields.items():
            key = info.alias or name
            prop = node["properties"].get(key, {})
            doc = describe(model, name)
            text = doc[0] + (f"（{doc[1]}）" if doc and doc[1] else "") if doc else ""
            on_form = (model is Dossier and key in filing) or any(
                f.endswith("." + key) and f.split(".")[0] in _owners(model) for f in filing
            )
            need = "必填" if key in required else ("备案前必填（B001）" if on_form else "选填")
            row = f"“{label_for((key,)) if model is Dossier else info.title}”栏" if on_form else ""
            lines.append(
                f"| `{key}` | {info.title or ''} | {_type(prop, defs)} | {need} | {row} | {text} |\n"
            )
    return "".join(lines)


def _owners(model: type) -> set[str]:
    """The top-level keys whose value is this model (contact for Contact, ...)."""
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.schema_export import _models_in

    return {n for n, i in Dossier.model_fields.items() if model in _models_in(i.annotation)}


def lifecycle_md() -> str:
    from golmud_cli.core.deadlines import CLAUSES, KIND_LABELS
    from golmud_cli.core.lifecycle import (
        ENTERED_BY,
        MAIN_LINE,
        ROLE_LABELS,
        STAGE_LABELS,
        Stage,
        next_stages,
    )
    from golmud_cli.core.model import Policy
    from golmud_cli.core.rules import by_code

    rules = by_code()
    lines = [
        HEAD,
        "# 阶段、准入条件与期限\n\n",
        "依据《格尔木市市级政务信息化项目建设管理办法（试行）》（格政办〔2023〕15号）。"
        "每次进入一个阶段都由 `gtx advance 项目编号 阶段` 完成：gtx 先检查该阶段的准入条件"
        "（下表“自该阶段起适用的规则”），再写入流转记录，并由该阶段的签署角色签名提交；"
        "`gtx verify`（CI）核对每次流转的签名与角色。\n\n",
        "## 阶段\n\n| 阶段 | 名称 | 由谁进入（签名） | 可进入的下一阶段 | 自该阶段起适用的规则（准入条件） |\n"
        "|---|---|---|---|---|\n",
    ]
    order = [*MAIN_LINE, *(s for s in Stage if s not in MAIN_LINE)]
    for s in order:
        role = ENTERED_BY.get(s)
        who = f"{ROLE_LABELS[role][0]}（`{role.value}`）" if role else "—（`gtx new` 新建）"
        nxt = "、".join(f"`{n.value}`" for n in next_stages(s, None)) or "—（终结）"
        gate = (
            "、".join(f"{r.code} {r.title_zh}" for r in rules.values() if r.from_stage is s) or "—"
        )
        lines.append(f"| `{s.value}` | {STAGE_LABELS[s][0]} | {who} | {nxt} | {gate} |\n")
    lines.append(
        "\n暂停（`suspend`）后用 `resume` 恢复到暂停前的阶段；`terminate` 终止项目。"
        "命令行上阶段可写代码，也可写中文名称（如 `审批通过`、`已备案`）。\n"
    )
    fixes = "、".join(
        f"{c} {rules[c].title_zh}" for c in ("H004", "H005", "H006", "H007", "H008", "H009")
    )
    lines.append(
        "\n## 更正流转日期\n\n流转记录（`history`）只能追加，任何一项都不能修改或删除（`gtx verify` 的 G005）。"
        "日期录错了（例如推进时没有写 `--date`，记成了录入当天），由签署原流转的角色用 "
        "`gtx correct 项目编号 序号 --date 正确日期 --reason 理由` 追加一条签名的更正记录"
        "（`corrections`；序号即 `gtx show` 显示的第几项，建设单位的行为由本单位的签署人更正）。"
        "此后校验、准入条件、期限、总览和 `gtx show` 都按更正后的日期计算，"
        "`gtx show` 与 `gtx report` 同时列出原记录的日期、更正理由和更正的签署人。更正须符合：" + fixes + "；"
        "不符合的更正不生效（仅更正日期晚于今天的照样生效，由 H007 指出）。更正也不得带来新的错误，否则 `gtx correct` 拒绝写入，"
        "`gtx verify` 报 G013。\n"
    )
    lines.append("\n## 期限\n\n| 期限 | 依据 | 说明 |\n|---|---|---|\n")
    policy = Policy()
    notes = {
        "preliminary_acceptance": f"建成后 {policy.preliminary_acceptance_months} 个月内初步验收",
        "final_acceptance_request": f"初步验收后 {policy.final_acceptance_request_months} 个月内申请竣工验收",
        "self_evaluation": f"验收并投入运行后 {policy.self_evaluation_window_months[0]} 至 "
        f"{policy.self_evaluation_window_months[1]} 个月内自评价",
        "rectification": "整改通知规定的期限",
        "filing": f"立项批复后 {policy.filing_days} 日内备案（本地政策，办法写“立即”）",
    }
    for kind, (zh, _en) in KIND_LABELS.items():
        lines.append(f"| {zh} | {CLAUSES[kind]} | {notes.get(kind.value, '')} |\n")
    lines.append(
        "\n期限的最后一日为休息日或法定节假日的，顺延至下一个工作日（民法典第二百零三条；"
        "gtx.yaml 的 `policy.holiday_shift`）。`gtx deadlines` 列出各期限，"
        "`gtx deadlines --format ics` 导出日历。\n"
    )
    lines.append("\n## 角色\n\n| 角色 | 名称 |\n|---|---|\n")
    for role, (zh, _en) in ROLE_LABELS.items():
        lines.append(f"| `{role.value}` | {zh} |\n")
    return "".join(lines)


COMMANDS = [
    "init",
    "new",
    "validate",
    "show",
    "advance",
    "correct",
    "verify",
    "form",
    "deadlines",
    "status",
    "rules",
    "schema",
]


def cli_md() -> str:
    def helptext(*args: str, lang: str) -> str:
        env = {**os.environ, "GTX_LANG": lang, "COLUMNS": "80", "NO_COLOR": "1"}
        proc = subprocess.run(
            [str(Path(sys.executable).with_name("gtx")), *args, "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=ROOT,
        )
        return proc.stdout.rstrip()

    lines = [
        HEAD,
        "# 命令（gtx --help）\n\n",
        "退出码：0 通过；1 发现问题（校验错误、逾期、签名不符、准入未满足）；2 用法错误（参数、日期、"
        "语言等）；3 内部错误（设置 GTX_DEBUG=1 可看到详细信息）；130 被中断。"
        "输出语言：默认中文，`--lang en` 或 `GTX_LANG=en` 为英文。\n\n"
        "Exit codes: 0 ok; 1 findings; 2 usage error; 3 internal error; 130 interrupted.\n",
    ]
    for args in ([], *([c] for c in COMMANDS)):
        name = " ".join(["gtx", *args])
        lines.append(
            f"\n## {name}\n\n```text\n{helptext(*args, lang='zh')}\n```\n\n"
            f"```text\n{helptext(*args, lang='en')}\n```\n"
        )
    return "".join(lines)


def outputs() -> dict[Path, str]:
    return {
        ROOT / "docs" / "dossier.md": dossier_md(),
        ROOT / "docs" / "lifecycle.md": lifecycle_md(),
        ROOT / "docs" / "cli.md": cli_md(),
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, text in outputs().items():
        current = path.read_text("utf-8") if path.is_file() else None
        if current != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, "utf-8")
    for path in stale:
        print(("stale: " if "--check" in argv else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
