"""What `gtx init` and `gtx new` write: a dossier repository's files and a new
project.yaml with a Chinese comment beside every field (pure: text in, text out).

The labels in the comments come from the model (`label_for`, `ENUM_LABELS`) and the
stage that needs a field from the rule catalog, so a renamed label or a moved gate
shows up here without being written twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from golmud_cli import __version__
from golmud_cli.core.labels import label_for
from golmud_cli.core.values import ENUM_LABELS, ID_RE
from golmud_cli.edges.fs import atomic_write
from golmud_cli.edges.repo import PROJECT_FILE, Repository
from golmud_cli.errors import UsageError

FieldPath = tuple[str, ...]
Values = Mapping[FieldPath, Any]

# Where the comment beside a value starts, as in the sample dossiers.
COMMENT_COLUMN = 46

# Placeholders for the two texts the schema requires of every dossier (docs/dossier.md,
# "What is required when"): a scaffold must validate, and the clerk must see what to fill.
NAME_PLACEHOLDER = "（请填写项目名称）"
UNIT_PLACEHOLDER = "（请填写建设单位全称）"

# The CI workflows, the pre-commit hook and the clerks install gtx from the wheel that
# `gtx init` places in the repository (services/wheel.py), pinned by its sha256.
WHEEL_REL = f".gtx/wheels/golmud_cli-{__version__}-py3-none-any.whl"


# --- project.yaml -------------------------------------------------------------------


def _enum_choices(enum: str, values: tuple[str, ...] | None = None) -> str:
    labels = ENUM_LABELS[enum]
    return " · ".join(f"{k} {labels[k]}" for k in (values or tuple(labels)))


def _stage_need(code: str) -> str:
    """'进入「已备案」前必填（B001）' from the rule's own from-stage."""
    from golmud_cli.core.rules import by_code

    rule = by_code()[code]
    assert rule.from_stage is not None
    return f"进入「{rule.from_stage.label}」前必填（{code}）"


@dataclass(frozen=True, slots=True)
class Line:
    """One key of the scaffold: its path, a hint after the label, and an optional
    full-line comment above it (the allowed values of an enum)."""

    path: FieldPath
    hint: str = ""
    above: str = ""
    group: bool = False  # a mapping whose keys follow
    literal: str | None = None  # fixed text written as the value (e.g. `[]`)
    need: str = ""  # rule code whose from-stage needs this field


def _filing_fields() -> set[FieldPath]:
    """The filing table's unconditional fields, as B001 asks for them."""
    from golmud_cli.core.lifecycle import Stage
    from golmud_cli.core.model import Dossier
    from golmud_cli.core.rules.filing import missing_filing_fields

    empty = Dossier(schema_version=1, id="xxx", name="x", unit="x", stage=Stage.draft, history=[])
    return set(missing_filing_fields(empty))


_BOOL_YES_NO = "true（是）或 false（否）"

LINES: tuple[Line, ...] = (
    Line(("schema_version",), "固定为 1，不要修改", literal="1"),
    Line(("id",), "与文件夹同名，不要修改"),
    Line(("name",), "必填，写项目全称"),
    Line(("unit",), "必填，与 gtx.yaml 中 units 登记的名称一字不差"),
    Line(("contact",), group=True),
    Line(("contact", "name"), "姓名"),
    Line(("contact", "phone"), '写在英文双引号里，如 "0979-8412345"，以保留区号的前导零'),
    Line(("budget_wan",), "大于 0 的数字，单位万元，如 320.5"),
    Line(
        ("funding_source",),
        "",
        above="资金来源可选："
        + _enum_choices("FundingSource")
        + "；中央、省级资金按省级办法管理，gtx 不计格尔木期限（一）",
    ),
    Line(("funding_note",), "选填，如“2025年市级财政预算安排”"),
    Line(("project_code",), "选填，投资项目在线审批监管平台赋予的项目代码"),
    Line(("project_library",), group=True),
    Line(("project_library", "entered"), "选填，项目入库日期，二（二）"),
    Line(("project_library", "number"), "选填，入库编号"),
    Line(("schedule",), group=True),
    Line(("schedule", "start"), "日期，写成 YYYY-MM-DD，如 2025-06-01"),
    Line(("schedule", "duration_months"), "整数，至少 1"),
    Line(("basis",), "规划或文件名称，如《格尔木市数字政府建设规划（2023—2025年）》"),
    Line(("mlps",), group=True),
    Line(("mlps", "level"), "可选：" + _enum_choices("MlpsLevel")),
    Line(("mlps", "note"), "等级选 other 时必填；classified（分级保护）时可写密级"),
    Line(("systems",), group=True),
    Line(("systems", "count"), "整数，至少 1"),
    Line(("systems", "type"), "可选：" + _enum_choices("SystemType")),
    Line(("data_resources",), group=True),
    Line(("data_resources", "needed"), "true（有需求）或 false（无需求）"),
    Line(("data_resources", "catalog_written"), "true（已编写）或 false（未编写）", need="A008"),
    Line(("operating_cost_wan",), "不小于 0 的数字，单位万元/年"),
    Line(("cloud",), group=True),
    Line(("cloud", "deployed"), _BOOL_YES_NO + "，是否部署在市电子政务云，二（三）"),
    Line(("cloud", "operator"), "部署在云平台（true）时必填"),
    Line(("cloud", "exemption_reason"), "不部署在云平台（false）时写明理由，二（三）"),
    Line(("network",), "可选：" + _enum_choices("Network")),
    Line(("network_note",), "基础网络选 other 时必填"),
    Line(
        ("approval_path",),
        "",
        above="审批路径可选（三（二））：standard 常规（建议书→可研→初设与概算） · "
        "simplified 简化（总投资不超过500万元且功能简单、技术成熟） · planned 已纳入规划（直接编报可研） · "
        "urgent 紧急（可研、初设、概算一并报送，须写紧急事由）",
        need="A001",
    ),
    Line(("in_plan",), _BOOL_YES_NO + "；走 planned 路径须为 true"),
    Line(("new_department",), _BOOL_YES_NO),
    Line(("simple_and_mature",), _BOOL_YES_NO + "；走 simplified 路径须为 true"),
    Line(("urgency_basis",), "走 urgent 路径时必填"),
    Line(
        ("documents",),
        "添加文件时删去 {}，按下面的示例缩进填写；附件放在 attachments/ 中",
        literal="{}",
    ),
    Line(("stage",), "由 gtx advance 修改，请勿手改", literal="draft"),
    Line(("history",), "由 gtx advance 追加，请勿手改", literal="[]"),
    Line(("corrections",), "日期录错时由 gtx correct 追加，请勿手改", literal="[]"),
    Line(("extensions",), "三（六）", literal="[]"),
    Line(("rectifications",), "三（五）", literal="[]"),
)

# Blank lines before these keys group the file as docs/dossier.md does.
_BREAK_BEFORE = {("approval_path",), ("documents",), ("stage",), ("extensions",)}

_DOCUMENTS_EXAMPLE = """\
# 文件示例（键为文件类别：proposal 项目建议书、feasibility_study 可行性研究报告、
# preliminary_design 初步设计方案、investment_estimate 投资概算、resource_catalog 信息资源目录、
# approval_reply 立项批复、filing_form 政务信息系统备案表……，gtx rules 和 schema 列出全部）：
# documents:
#   feasibility_study:
#     file: attachments/feasibility-study.pdf
#     date: 2025-03-01
#     prepared_by: 青海某工程咨询有限公司
#     credential: 工程咨询单位乙级资信
#     sharing_analysis: true
#     platform_docking: true
# 投入运行时（三（五））：等保二级、三级或分级保护系统记录备案证明，等保三级记录密评报告：
#   mlps_certificate:
#     file: attachments/mlps-certificate.pdf
#     number: "63280113002-25001"
#     date: 2025-12-01
#   crypto_assessment:
#     file: attachments/crypto-assessment.pdf
#     date: 2025-11-20
#     result: pass
#     evaluator: 青海某商用密码检测有限公司
"""

_CROSS_DEPARTMENT_EXAMPLE = """\
# 跨部门项目（二（三））另写：
# cross_department:
#   lead: 格尔木市政务服务监督管理局
#   participants: [格尔木市公安局, 格尔木市民政局]
"""


def _is_plain_safe(text: str) -> bool:
    """Can `text` be written unquoted and read back as the same string?"""
    from golmud_cli.edges import loader

    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    loaded = loader.load(f"k: {text}\n".encode(), "-", None)
    return not loaded.findings and loaded.data == {"k": text}


def yaml_scalar(value: Any, *, quote: bool = False) -> str:
    """A value as YAML 1.2 text that loads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # normalize() drops trailing zeros; "f" keeps 100 from printing as 1E+2
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not quote and _is_plain_safe(text):
        return text
    # JSON strings are YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def _comment(line: Line, filing: set[FieldPath]) -> str:
    # the leaf's own label: the group's label is on the line above
    parts = [label_for(line.path).split("·")[-1]]
    if line.need:
        parts.append(_stage_need(line.need))
    elif line.path in filing:
        parts.append(_stage_need("B001"))
    if line.hint:
        parts.append(line.hint)
    return "；".join(parts)


def _width(text: str) -> int:
    """Columns as an editor shows them: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _with_comment(code: str, comment: str) -> str:
    pad = max(COMMENT_COLUMN - _width(code), 2)
    return f"{code}{' ' * pad}# {comment}"


def project_yaml(project: str, values: Values | None = None) -> str:
    """The text of a new dossier at stage draft. `values` fills fields by path
    (strings, numbers, bools, dates); everything else is left blank (null)."""
    values = dict(values or {})
    values[("id",)] = project
    values.setdefault(("name",), NAME_PLACEHOLDER)
    values.setdefault(("unit",), UNIT_PLACEHOLDER)
    filing = _filing_fields()
    out = [
        "# yaml-language-server: $schema=../../schema/dossier.schema.json",
        "# 项目档案（格政办〔2023〕15号）。每项后面的注释说明其含义、可填的值和哪个阶段前必须填写；",
        "# 空着的项可以以后再填。填好后运行 gtx validate 检查。",
    ]
    for line in LINES:
        if line.path in _BREAK_BEFORE:
            out.append("")
            if line.path == ("documents",):
                out.extend(_CROSS_DEPARTMENT_EXAMPLE.splitlines())
                out.append("")
        if line.above:
            out.append("  " * (len(line.path) - 1) + f"# {line.above}")
        indent = "  " * (len(line.path) - 1)
        key = line.path[-1]
        if line.group:
            code = f"{indent}{key}:"
        elif line.literal is not None:
            code = f"{indent}{key}: {line.literal}"
        else:
            text = yaml_scalar(values.get(line.path), quote=line.path == ("contact", "phone"))
            code = f"{indent}{key}:" + (f" {text}" if text else "")
        out.append(_with_comment(code, _comment(line, filing)))
        if line.path == ("documents",):
            out.extend(_DOCUMENTS_EXAMPLE.splitlines())
    return "\n".join(out) + "\n"


# --- a dossier repository ---------------------------------------------------------------

GTX_YAML = """\
# gtx 仓库设置：各角色及其签署人、建设单位、政策参数
# 依据《格尔木市市级政务信息化项目建设管理办法（试行）》（格政办〔2023〕15号）
#
# gtx verify 只认这里登记的公钥：每次阶段流转（立项、备案、采购、验收……）都必须由
# 对应角色的签署人用登记的密钥签名提交，否则拉取请求（pull request）检查不通过。
# CI 读取的是目标分支上的本文件，拉取请求中对本文件的修改要合并后才生效。
#
# 如何登记签署人的 SSH 公钥：
#   1. 签署人在本人电脑上生成密钥（已有可跳过）：
#        ssh-keygen -t ed25519 -C "li.si@fgw"
#   2. 把公钥文件 ~/.ssh/id_ed25519.pub 的整行内容（以 ssh-ed25519 开头）
#      原样复制到下面对应角色或建设单位的 signers 中，写成 key: "..."（加英文双引号），
#      并删去该处的 []。
#      私钥（不带 .pub 的文件）只留在本人电脑上，不得发送、不得提交到仓库。
#   3. 签署人配置 git 使用该密钥签名提交：
#        git config --global gpg.format ssh
#        git config --global user.signingkey ~/.ssh/id_ed25519.pub
#   4. 由管理员提交本文件的修改；人员调整时删除旧条目、登记新条目。
#   也可以登记 OpenPGP 密钥指纹代替 SSH 公钥。
city: 格尔木市

roles:                                    # 各角色由谁签署其流转
  ndrc:
    name: 格尔木市发展和改革委员会          # 项目审批、竣工验收、后评价、暂停或终止建设
    signers: []
    # signers:
    #   - name: 李四
    #     key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... li.si@fgw"
  gov_office:
    name: 格尔木市人民政府办公室            # 项目备案，三（三）
    signers: []
    # signers:
    #   - name: 王五
    #     key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... wang.wu@zfb"
  finance:
    name: 格尔木市财政局                    # 预算审批、政府采购备案，三（一）三（四）
    signers: []
  audit:
    name: 格尔木市审计局                    # 审计监督，重点关注未批先建
    signers: []
  cac:
    name: 中共格尔木市委网络安全和信息化委员会办公室   # 市委网信办：网络安全、数据共享监管
    signers: []
  tech:
    name: 格尔木市工商科信局                # 按办法原文简称；会同编制建设规划
    signers: []
  service:
    name: 格尔木市政务服务监督管理局        # 政务服务平台对接、共享监管
    signers: []

units: {}                                 # 建设单位（申请单位）及其签署人；登记时删去 {}，按下面的示例填写
  # 格尔木市公安局交通警察大队:             # 名称须与项目档案 unit 一字不差
  #   signers:
  #     - name: 张建军
  #       key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... zhang.jj@jjdd"
  # 格尔木市民政局:
  #   signers: []

policy:                                   # 政策参数；默认值即办法规定的数字
  preliminary_acceptance_months: 3        # 三（六）：建成后3个月内初步验收
  final_acceptance_request_months: 1      # 三（六）：初验通过后1个月内申请竣工验收
  self_evaluation_window_months: [12, 24] # 三（七）：验收并投入运行后12至24个月内自评价
  simplified_max_budget_wan: 500          # 三（二）：总投资500万元以内可简化审批
  filing_days: 30                         # 本地政策（非办法规定）：三（三）“立即”开始备案，按30日掌握
  due_soon_days: 30                       # 提前多少天显示“即将到期”
  holiday_shift: true                     # 期限最后一日为休息日或法定节假日的，顺延至下一工作日（民法典第二百零三条）
"""

GITATTRIBUTES = """\
# YAML 一律用 LF 换行，Windows 上也不转换，签名与行号才对得上
*.yaml text eol=lf
*.yml text eol=lf
# Office 文档和扫描件按二进制处理，不做换行转换，也不做文本合并
*.docx binary
*.doc binary
*.xlsx binary
*.xls binary
*.pdf binary
*.whl binary
*.jpg binary
*.png binary
"""

GITIGNORE = """\
# gtx 的本地缓存
.gtx-cache/
# Office 打开文件时生成的临时锁文件
~$*
.~lock.*#
# 操作系统生成的文件
Thumbs.db
desktop.ini
.DS_Store
"""

_WORKFLOW = """\
# gtx 检查（{platform}）：
#   - 每个拉取请求（pull request）：校验改动的档案，并验证每次阶段流转的签名；
#   - 每天北京时间 9:00：检查期限，有逾期的项目时本次运行失败（仓库管理员会收到通知）；
#     并生成 HTML 报告（gtx report），在本次运行的 Artifacts 中下载。
# gtx 从本仓库中的 {wheel}（gtx init 放入）安装，先核对其 sha256；
# 它所依赖的包（typer、pydantic 等）从 PyPI 安装。升级 gtx 后运行 gtx init --upgrade 更新这两处。
name: gtx

on:
  pull_request:
  schedule:
    - cron: "0 1 * * *"      # UTC 1:00 = 北京时间 9:00
  workflow_dispatch:

permissions:
  contents: read

env:
  GTX_LANG: zh
  TZ: Asia/Shanghai          # “今天”按北京时间计算

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0       # gtx verify 需要完整历史
          ref: ${{{{ github.event.pull_request.head.sha }}}}
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: 安装 gtx（本仓库固定的 wheel）
        run: {install}
      - name: 校验改动的档案
        run: gtx validate --changed-since origin/${{{{ github.base_ref }}}} --format github
      - name: 验证阶段流转的签名
        if: ${{{{ !cancelled() }}}}
        run: gtx verify origin/${{{{ github.base_ref }}}}..HEAD

  deadlines:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: 安装 gtx（本仓库固定的 wheel）
        run: {install}
      - name: 检查逾期
        run: gtx deadlines --fail-on overdue

  report:                      # 每天生成给领导看的 HTML 报告，作为本次运行的产物（artifact）下载
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0       # 时间线的签署人取自 git 历史
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: 安装 gtx（本仓库固定的 wheel）
        run: {install}
      - name: 生成报告
        run: gtx report -o gtx-report
      - uses: actions/upload-artifact@{artifact_version}
        with:
          name: gtx-report
          path: gtx-report
"""


def install_line(sha256: str) -> str:
    """The one shell line that checks the vendored wheel's digest, then installs it."""
    return f'echo "{sha256}  {WHEEL_REL}" | sha256sum --check --strict - && pip install "./{WHEEL_REL}"'


def workflow(platform: str, sha256: str) -> str:
    # Gitea's artifact server speaks the v3 protocol of upload-artifact only.
    artifact = "v3" if platform.startswith("Gitea") else "v4"
    return _WORKFLOW.format(
        platform=platform,
        wheel=WHEEL_REL,
        install=install_line(sha256),
        artifact_version=artifact,
    )


PRE_COMMIT_CONFIG = f"""\
# pre-commit：每次 git commit 前自动校验改动的档案（gtx validate）。
# 启用：先安装本仓库固定的 gtx：pip install ./{WHEEL_REL}
# 再 pip install pre-commit && pre-commit install
# 钩子运行电脑上已安装的 gtx（language: system）；require_serial 让一次提交只运行一次 gtx，
# 不按文件分批重复检查。
repos:
  - repo: local
    hooks:
      - id: gtx-validate
        name: gtx validate
        entry: gtx validate
        language: system
        files: ^(dossiers/.*\\.ya?ml|gtx\\.yaml)$
        require_serial: true
"""

README = f"""\
# 政务信息化项目档案库

本仓库保存格尔木市市级政务信息化项目的档案，依据《格尔木市市级政务信息化项目建设管理办法（试行）》
（格政办〔2023〕15号）。每个项目一个文件夹，由命令行工具 gtx 校验、推进阶段、生成备案表、提醒期限。

## 目录

```
gtx.yaml                      仓库设置：各角色的签署人（公钥）、建设单位、政策参数
dossiers/<项目编号>/project.yaml   项目档案
dossiers/<项目编号>/attachments/   附件：批复、报告、合同、扫描件……
schema/dossier.schema.json    档案格式说明（供编辑器提示和补全）
templates/filing-form.docx    格尔木市政务信息系统备案表模板
.gtx/wheels/                  本仓库固定使用的 gtx 安装文件（CI 和经办人都从这里安装）
.github/workflows/gtx.yml     GitHub Actions 检查
.gitea/workflows/gtx.yml      Gitea Actions 检查
.pre-commit-config.yaml       提交前自动校验（可选）
```

## 第一次使用

1. 安装 gtx（需要 Python 3.11 或更高版本和 git），用本仓库中固定的版本：
   `pip install ./{WHEEL_REL}`（它依赖的包从 PyPI 或内网镜像安装）。
2. 管理员在 `gtx.yaml` 中登记各角色和建设单位的签署人公钥（文件开头有步骤说明），然后提交：
   `git add -A`，`git commit -m "登记签署人"`，`git push`。
3. 每位签署人配置 git 用自己的密钥签名：
   `git config --global gpg.format ssh`，
   `git config --global user.signingkey ~/.ssh/id_ed25519.pub`。
4. 编辑器（如 VS Code 安装 YAML 插件）会按 `schema/dossier.schema.json` 提示字段和取值。

## 日常流程

| 做什么 | 命令 |
|---|---|
| 新建项目（逐项提问填写备案表各项） | `gtx new 2025-smart-parking --interactive` |
| 新建项目（只生成模板，再用编辑器填写） | `gtx new 2025-smart-parking --name 格尔木市智慧停车管理平台 --unit 格尔木市公安局交通警察大队` |
| 检查档案 | `gtx validate`，或只查一个项目：`gtx validate 2025-smart-parking` |
| 查看规则及《办法》原文 | `gtx rules`，`gtx rules B001` |
| 生成备案表（.docx） | `gtx form 2025-smart-parking` |
| 推进阶段（签名提交，先试运行） | `gtx advance 2025-smart-parking proposed --dry-run`，再去掉 `--dry-run` |
| 验证签名 | `gtx verify origin/main..HEAD` |
| 查看期限 | `gtx deadlines`，`gtx deadlines --within 30` |
| 项目总览、单个项目 | `gtx status`，`gtx show 2025-smart-parking` |

一个项目的典型过程：

1. `gtx new 项目编号 --interactive`（编号用小写字母、数字和连字符，如 `2025-smart-parking`）。
2. 把报告、批复等文件放进 `dossiers/项目编号/attachments/`，在 `project.yaml` 的 `documents` 中登记。
3. `gtx validate 项目编号`，按提示改到没有错误。
4. 新建分支并提交：`git switch -c 项目编号`，`git add dossiers/项目编号`，`git commit -m "新建项目档案"`。
5. 每到一个环节（申报、立项、备案、采购、开工……），由该环节的签署人运行
   `gtx advance 项目编号 阶段`：gtx 先检查该阶段要求的材料，再写入流转记录并签名提交。
6. `git push`，在 GitHub / Gitea 上发起拉取请求（pull request）；检查通过后合并。

所有命令都支持 `--help`；加 `--lang en` 或设置 `GTX_LANG=en` 显示英文。
命令补全：`gtx --install-completion`。

## 自动检查（CI）

`.github/workflows/gtx.yml`（GitHub Actions）和 `.gitea/workflows/gtx.yml`（Gitea Actions）内容相同：

- 每个拉取请求：`gtx validate --changed-since origin/<目标分支> --format github`（问题直接标注在文件的对应行）
  和 `gtx verify origin/<目标分支>..HEAD`（每次阶段流转都须由 gtx.yaml 登记的对应角色签名）。
- 每天北京时间 9:00：`gtx deadlines --fail-on overdue`，有逾期项目时运行失败。

两个文件都从本仓库的 `{WHEEL_REL}` 安装 gtx，并先核对文件中写明的 sha256，
所以 CI 用的正是 `gtx init` 放入的那个版本。gtx 升级后，在仓库中运行 `gtx init --upgrade`：
它换上新的 wheel，并更新工作流和 pre-commit 配置中的文件名与 sha256，再提交这些改动。
Gitea 需要启用 Actions 并注册 runner；内网无法访问 github.com 时，
请管理员为 `actions/checkout`、`actions/setup-python` 配置镜像。
只用其中一个平台时，可以删除另一个文件夹。

## 提交前自动校验（可选）

`.pre-commit-config.yaml` 定义了本地钩子 `gtx-validate`，运行电脑上已安装的 gtx
（见“第一次使用”第 1 步）。再运行 `pip install pre-commit` 和 `pre-commit install`，
此后每次 `git commit` 前都会校验改动的档案。
"""


def repository_files(wheel_data: bytes, wheel_sha256: str) -> dict[str, bytes]:
    """Every file `gtx init` writes, by POSIX path relative to the repository; the
    wheel is the running gtx's (services/wheel.py), at WHEEL_REL."""
    from golmud_cli.edges.resources import filing_template
    from golmud_cli.pipeline.schema_export import SCHEMA_PATH, render

    return {
        "gtx.yaml": GTX_YAML.encode(),
        "README.md": README.encode(),
        ".gitattributes": GITATTRIBUTES.encode(),
        ".gitignore": GITIGNORE.encode(),
        "dossiers/.gitkeep": b"",
        SCHEMA_PATH.as_posix(): render().encode(),
        "templates/filing-form.docx": filing_template().read_bytes(),
        ".github/workflows/gtx.yml": workflow("GitHub Actions", wheel_sha256).encode(),
        ".gitea/workflows/gtx.yml": workflow("Gitea Actions", wheel_sha256).encode(),
        ".pre-commit-config.yaml": PRE_COMMIT_CONFIG.encode(),
        WHEEL_REL: wheel_data,
    }


# --- gtx new and gtx import: a new project's folder ------------------------------------


def check_id(project: str) -> None:
    # docs/dossier.md: a project id matches ^[a-z0-9][a-z0-9-]{2,63}$ and equals its folder name.
    if not ID_RE.match(project):
        raise UsageError(
            f"项目编号 {project!r} 不合规：只能用小写字母、数字和连字符（-），以字母或数字开头，"
            "长度 3 到 64 个字符，例如 2025-smart-parking。",
            f"project id {project!r} is malformed: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit, 3 to 64 characters, e.g. 2025-smart-parking.",
        )


def check_text(option: str, value: str | None) -> None:
    if value is not None and (not value.strip() or re.search(r"[\x00-\x1f\x7f]", value)):
        raise UsageError(
            f"{option} 不能为空，也不能含换行等控制字符。",
            f"{option} must not be empty nor hold line breaks or other control characters.",
        )


def ensure_free(r: Repository, project: str) -> None:
    """Refuse a taken id before anything is asked or written."""
    target = r.project_dir(project)
    if os.path.lexists(target):
        raise UsageError(
            f"项目编号 {project} 已被占用：{r.rel(target)} 已存在。请换一个编号，或直接编辑已有的档案。",
            f"project id {project} is taken: {r.rel(target)} exists. Choose another id, or edit "
            "the existing dossier.",
        )


def create_project(r: Repository, project: str, values: Values) -> str:
    """Write dossiers/PROJECT/ with its scaffold filled from `values`, checked first."""
    text = project_yaml(project, values)
    self_check(r, project, text)
    create_folder(r, project, text)
    return text


def self_check(r: Repository, project: str, text: str) -> None:
    """The scaffold must load with no error; an error here is gtx's fault, not the clerk's."""
    from golmud_cli.core.findings import Severity
    from golmud_cli.core.rules import FileStatus
    from golmud_cli.pipeline.check import check_bytes

    result = check_bytes(
        text.encode(),
        file=f"dossiers/{project}/{PROJECT_FILE}",
        folder=project,
        settings=r.settings,
        today=dt.date.today(),
        stat=lambda _f: FileStatus.ok,
        calendar=r.calendar,
    )
    errors = [f for f in result.findings if f.severity is Severity.error]
    if errors:
        raise RuntimeError(f"scaffold does not validate: {errors[0].code} {errors[0].message_en}")


def create_folder(r: Repository, project: str, text: str) -> None:
    """Build the folder aside (a dot-name that listings skip), then rename it into place."""
    from golmud_cli.edges.fs import no_link_on_way

    no_link_on_way(r.root, r.dossiers_dir)  # never write through a link (docs/security.md)
    r.dossiers_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{project}.", suffix=".tmp", dir=r.dossiers_dir))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        (tmp / "attachments").mkdir()
        (tmp / "attachments" / ".gitkeep").write_bytes(b"")
        atomic_write(tmp / PROJECT_FILE, text.encode())
        dest = r.project_dir(project)
        if os.path.lexists(dest):
            _taken(project)
        try:
            os.rename(tmp, dest)
        except OSError:
            _taken(project)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _taken(project: str) -> NoReturn:
    raise UsageError(
        f"项目编号 {project} 刚被占用，未写入任何文件。",
        f"project id {project} was just taken; nothing was written.",
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
