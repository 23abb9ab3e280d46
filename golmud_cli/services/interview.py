"""`gtx new --interactive`: the filing table's questions (附件: 格尔木市政务信息系统备案表)
asked one by one, each answer checked as it is given.

The service decides what to ask and what an answer means; the terminal side (an
`Asker`, reporters/new.py) only shows a line and reads one, so this module prints
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from golmud_cli.core.values import ENUM_LABELS
from golmud_cli.errors import UsageError
from golmud_cli.i18n import pick

if TYPE_CHECKING:
    from golmud_cli.core.model import Settings

FieldPath = tuple[str, ...]


class Asker(Protocol):
    """The terminal side of the interview."""

    def say(self, text: str, style: str = "") -> None:
        """Show a line (already in the user's language); an empty text is a blank line."""

    def input(self, prompt: str) -> str:
        """Show the prompt and read one answer; EOFError when the input has ended."""


class Bad(Exception):
    """An answer that does not fit; the question is asked again."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


Parser = Callable[[str], Any]


def parse_text(s: str) -> str:
    if re.search(r"[\x00-\x1f\x7f]", s):
        raise Bad("不能含控制字符。", "control characters are not allowed.")
    return s


def parse_phone(s: str) -> str:
    # Kept as text: a number would lose the area code's leading zero (S002).
    if not re.fullmatch(r"[0-9+()（） -]{7,30}", s) or len(re.sub(r"\D", "", s)) < 7:
        raise Bad(
            "请写电话号码，只用数字、连字符、空格或括号，例如 0979-8412345。",
            "write a phone number with digits, hyphens, spaces or brackets, e.g. 0979-8412345.",
        )
    return s


def _decimal(s: str) -> Decimal:
    try:
        d = Decimal(s.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise Bad("请写数字，例如 320.5。", "write a number, e.g. 320.5.") from None
    if not d.is_finite():
        raise Bad("请写数字，例如 320.5。", "write a number, e.g. 320.5.")
    return d


def parse_positive_wan(s: str) -> Decimal:
    d = _decimal(s.removesuffix("万元").removesuffix("万").strip())
    if d <= 0:
        raise Bad("须大于 0（单位万元）。", "must be more than 0 (in 万元).")
    return d


def parse_nonnegative_wan(s: str) -> Decimal:
    d = _decimal(s.removesuffix("万元").removesuffix("万").strip())
    if d < 0:
        raise Bad("不能小于 0（单位万元）。", "must not be below 0 (in 万元).")
    return d


def parse_months(s: str) -> int:
    s = s.removesuffix("个月").removesuffix("月").strip()
    if not re.fullmatch(r"\d{1,4}", s) or int(s) < 1:
        raise Bad(
            "请写整数月数，至少 1，例如 8。", "write a whole number of months, at least 1, e.g. 8."
        )
    return int(s)


def parse_count(s: str) -> int:
    if not re.fullmatch(r"\d{1,4}", s) or int(s) < 1:
        raise Bad("请写整数，至少 1。", "write a whole number, at least 1.")
    return int(s)


def parse_date(s: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise Bad(
            "日期须写成 YYYY-MM-DD，例如 2025-06-01。",
            "write the date as YYYY-MM-DD, e.g. 2025-06-01.",
        )
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise Bad(
            f"日期 {s} 不存在（请核对月份天数）。",
            f"{s} is not a real date (check the days of that month).",
        ) from None


_YES = {"y", "yes", "是", "有", "true", "1", "已编写", "有需求", "部署"}
_NO = {"n", "no", "否", "无", "false", "0", "未编写", "无需求", "不部署"}


def parse_yes_no(s: str) -> bool:
    low = s.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    raise Bad("请回答 是 或 否（y / n）。", "answer yes or no (y / n).")


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


def enum_choices(enum: str) -> list[Choice]:
    return [Choice(k, v) for k, v in ENUM_LABELS[enum].items()]


def parse_choice(choices: Sequence[Choice]) -> Parser:
    def parse(s: str) -> str:
        if s.isdigit() and 1 <= int(s) <= len(choices):
            return choices[int(s) - 1].value
        for c in choices:
            if s in (c.value, c.label):
                return c.value
        raise Bad(
            f"请输入 1 到 {len(choices)} 的序号。", f"enter a number from 1 to {len(choices)}."
        )

    return parse


class Interview:
    """The filing table's questions, one by one; each answer is checked at once."""

    def __init__(
        self, asker: Asker, lang: str, settings: Settings, values: dict[FieldPath, Any]
    ) -> None:
        self.asker, self.lang, self.settings = asker, lang, settings
        self.values = dict(values)

    def say(self, zh: str, en: str, style: str = "") -> None:
        self.asker.say(pick(self.lang, zh, en), style)

    def ask(
        self,
        path: FieldPath,
        zh: str,
        en: str,
        parse: Parser = parse_text,
        *,
        required: bool = False,
        choices: Sequence[Choice] = (),
    ) -> Any:
        if choices:
            for i, c in enumerate(choices, 1):
                self.asker.say(f"  {i}) {c.label}" + ("" if self.lang == "zh" else f" ({c.value})"))
            parse = parse_choice(choices)
        default = self.values.get(path)
        shown = ""
        if default is not None:
            shown = next((c.label for c in choices if c.value == default), str(default))
        hint = (
            f"[{shown}]"
            if shown
            else ""
            if required
            else pick(self.lang, "（回车跳过）", "(Enter to skip)")
        )
        if self.lang == "zh":
            prompt = f"{zh}{hint}："
        else:
            prompt = f"{en} {hint}: " if hint else f"{en}: "
        while True:
            try:
                answer = self.asker.input(prompt).strip()
            except EOFError:
                self.asker.say("")
                raise UsageError(
                    "输入已结束，未写入任何文件。", "input ended; nothing was written."
                ) from None
            if not answer:
                if default is not None:
                    return default
                if required:
                    self.say("这一项必须填写。", "this one is required.", "red")
                    continue
                self.values.pop(path, None)
                return None
            try:
                value = parse(answer)
            except Bad as e:
                self.say(e.zh, e.en, "red")
                continue
            self.values[path] = value
            return value

    def run(self) -> dict[FieldPath, Any]:
        self.say(
            "逐项填写备案表（格尔木市政务信息系统备案表）的内容；不清楚的项直接回车跳过，以后在 project.yaml 中补填。",
            "Fill in the filing table (格尔木市政务信息系统备案表) item by item; press Enter to skip "
            "one you do not know yet and fill it into project.yaml later.",
        )
        self.ask(("name",), "项目名称", "project name (Chinese)", required=True)
        units = [Choice(u, u) for u in self.settings.units]
        if units:
            self.say(
                "gtx.yaml 中登记的建设单位（输入序号，或直接写名称）：",
                "units registered in gtx.yaml (enter a number, or type a name):",
            )
            for i, c in enumerate(units, 1):
                self.say(f"  {i}) {c.label}", f"  {i}) {c.label}")
        self.ask(
            ("unit",),
            "建设单位（申请单位）全称",
            "building unit (full Chinese name)",
            self._unit_parser(units),
            required=True,
        )
        self.ask(("contact", "name"), "项目联系人姓名", "contact person's name")
        self.ask(
            ("contact", "phone"),
            "联系电话（如 0979-8412345）",
            "contact phone (e.g. 0979-8412345)",
            parse_phone,
        )
        self.ask(
            ("budget_wan",), "项目预算（万元）", "budget (万元, 10,000 CNY)", parse_positive_wan
        )
        self.say("资金来源：", "funding source:")
        self.ask(
            ("funding_source",),
            "资金来源（序号）",
            "funding source (number)",
            choices=enum_choices("FundingSource"),
        )
        self.ask(
            ("schedule", "start"),
            "开工时间（YYYY-MM-DD）",
            "construction start (YYYY-MM-DD)",
            parse_date,
        )
        self.ask(
            ("schedule", "duration_months"),
            "预计工期（月）",
            "expected duration (months)",
            parse_months,
        )
        self.ask(
            ("basis",), "项目建设依据（规划或文件名称）", "basis of the project (plan or document)"
        )
        self.say("等级保护备案：", "MLPS (等级保护) level:")
        level = self.ask(
            ("mlps", "level"),
            "等保级别（序号）",
            "MLPS level (number)",
            choices=enum_choices("MlpsLevel"),
        )
        if level == "other":
            self.ask(("mlps", "note"), "等级保护备案说明", "MLPS note", required=True)
        elif level == "classified":
            # 三（三）: 分级保护 for a classified system; the note (e.g. 密级) is optional
            self.ask(
                ("mlps", "note"), "分级保护说明（选填）", "classified protection note (optional)"
            )
        elif level is not None:
            self.values[("mlps", "level")] = int(
                level
            )  # written `level: 3`, as docs/dossier.md shows
        self.ask(("systems", "count"), "应用系统数量", "number of application systems", parse_count)
        self.say("系统类型：", "system type:")
        self.ask(
            ("systems", "type"),
            "系统类型（序号）",
            "system type (number)",
            choices=enum_choices("SystemType"),
        )
        self.ask(
            ("data_resources", "needed"),
            "有数据资源需求吗？（是/否）",
            "are data resources needed? (y/n)",
            parse_yes_no,
        )
        self.ask(
            ("data_resources", "catalog_written"),
            "已编写数据资源目录吗？（是/否）",
            "is the data resource catalog written? (y/n)",
            parse_yes_no,
        )
        self.ask(
            ("operating_cost_wan",),
            "运营费用（万元/年）",
            "operating cost (万元 per year)",
            parse_nonnegative_wan,
        )
        deployed = self.ask(
            ("cloud", "deployed"),
            "部署在市电子政务云平台吗？（是/否）",
            "deployed on the city's e-government cloud? (y/n)",
            parse_yes_no,
        )
        if deployed is True:
            self.ask(("cloud", "operator"), "云平台运维管理机构", "cloud operator", required=True)
            self.values.pop(("cloud", "exemption_reason"), None)
        elif deployed is False:
            # 二（三）: a system not on the e-gov cloud states why (C002 warns otherwise).
            self.ask(
                ("cloud", "exemption_reason"), "不上云的理由", "reason for not using the cloud"
            )
            self.values.pop(("cloud", "operator"), None)
        self.say("基础网络：", "network:")
        network = self.ask(
            ("network",), "基础网络（序号）", "network (number)", choices=enum_choices("Network")
        )
        if network == "other":
            self.ask(("network_note",), "基础网络说明", "network note", required=True)
        # not on the filing table, optional: the national project code (项目代码)
        self.ask(
            ("project_code",),
            "项目代码（投资项目在线审批监管平台赋码，选填）",
            "national project code (项目代码, optional)",
        )
        return self.values

    def _unit_parser(self, units: Sequence[Choice]) -> Parser:
        def parse(s: str) -> str:
            if units and s.isdigit():
                if 1 <= int(s) <= len(units):
                    return units[int(s) - 1].value
                raise Bad(
                    f"请输入 1 到 {len(units)} 的序号，或直接写名称。",
                    f"enter a number from 1 to {len(units)}, or type the name.",
                )
            return parse_text(s)

        return parse
