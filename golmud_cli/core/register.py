"""A project register (项目台账) as departments keep it in Excel or WPS: its columns,
the headers they write for them, and their values turned into the model's (pure).

The same catalogue writes `gtx status --format xlsx`, so what gtx exports, gtx
imports: an export -> import round trip gives the same field values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from golmud_cli.core.values import ENUM_LABELS, ID_RE

FieldPath = tuple[str, ...]

# A mapping target that means "this column is known and deliberately not imported".
IGNORE = "ignore"


class Unusable(Exception):
    """A cell whose value gtx cannot turn into the field's value (bilingual reason)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # dotted field path, as in findings and `gtx set`
    zh: str  # the header gtx writes
    en: str
    kind: str  # text | phone | wan | date | months | count | bool | enum
    enum: str = ""  # ENUM_LABELS key for kind enum
    aliases: tuple[str, ...] = ()  # other headers departments write
    yes_no: tuple[str, str] = ("是", "否")  # how the export writes a bool

    @property
    def path(self) -> FieldPath:
        return tuple(self.key.split("."))


COLUMNS: tuple[Column, ...] = (
    Column("id", "项目编号", "id", "id", aliases=("编号", "项目代码")),
    Column("name", "项目名称", "name", "text", aliases=("项目名", "名称", "建设项目名称")),
    Column(
        "unit",
        "建设单位",
        "unit",
        "text",
        aliases=(
            "建设单位（申请单位）",
            "申请单位",
            "项目单位",
            "责任单位",
            "实施单位",
            "单位名称",
        ),
    ),
    Column("contact.name", "项目联系人", "contact", "text", aliases=("联系人", "联系人姓名")),
    Column("contact.phone", "联系电话", "phone", "phone", aliases=("电话", "联系方式", "手机")),
    Column(
        "budget_wan",
        "项目预算（万元）",
        "budget (万元)",
        "wan",
        aliases=(
            "项目预算",
            "预算",
            "总投资",
            "项目总投资",
            "投资额",
            "预算金额",
            "估算投资",
            "投资金额",
        ),
    ),
    Column("funding_source", "资金来源", "funding source", "enum", "FundingSource"),
    Column("funding_note", "资金来源说明", "funding note", "text", aliases=("资金说明",)),
    Column(
        "schedule.start",
        "开工时间",
        "start",
        "date",
        aliases=("计划开工时间", "开工日期", "开始时间", "计划开始时间", "建设开始时间"),
    ),
    Column(
        "schedule.duration_months",
        "建设工期（月）",
        "duration (months)",
        "months",
        aliases=("建设工期", "工期", "预计工期", "建设周期", "建设时间", "预计工期时长"),
    ),
    Column("basis", "项目建设依据", "basis", "text", aliases=("建设依据", "立项依据", "依据")),
    Column(
        "mlps.level",
        "等保级别",
        "MLPS level",
        "enum",
        "MlpsLevel",
        aliases=("等级保护", "等保等级", "等级保护备案", "等级保护级别", "等保"),
    ),
    Column("mlps.note", "等保说明", "MLPS note", "text"),
    Column("systems.count", "应用系统数量", "systems", "count", aliases=("系统数量",)),
    Column("systems.type", "系统类型", "system type", "enum", "SystemType"),
    Column(
        "data_resources.needed",
        "数据资源需求",
        "data needed",
        "bool",
        yes_no=("有需求", "无需求"),
    ),
    Column(
        "data_resources.catalog_written",
        "数据资源目录",
        "data catalog",
        "bool",
        yes_no=("已编写", "未编写"),
    ),
    Column(
        "operating_cost_wan",
        "运营费用（万元/年）",
        "operating cost (万元/year)",
        "wan",
        aliases=("运营费用", "运维费用", "年运维费用"),
    ),
    Column(
        "cloud.deployed", "云平台部署", "on the cloud", "bool", aliases=("是否上云", "部署在政务云")
    ),
    Column("cloud.operator", "云平台运维管理机构", "cloud operator", "text"),
    Column("cloud.exemption_reason", "未上云理由", "not on the cloud: why", "text"),
    Column("network", "基础网络", "network", "enum", "Network", aliases=("网络",)),
    Column("network_note", "基础网络说明", "network note", "text"),
    Column("approval_path", "审批路径", "approval path", "enum", "ApprovalPath"),
    Column("in_plan", "已纳入规划", "in a plan", "bool", aliases=("已纳入政务信息化建设规划",)),
    Column("new_department", "新设立部门", "new department", "bool"),
    Column(
        "simple_and_mature",
        "功能简单、技术成熟",
        "simple and mature",
        "bool",
        aliases=("系统功能相对简单、技术成熟",),
    ),
    Column("urgency_basis", "紧急事由", "urgency basis", "text"),
)

BY_KEY = {c.key: c for c in COLUMNS}

# Columns a register or gtx's own export holds that are not fields a clerk may import:
# a stage is entered only by a signed `gtx advance`; a procurement method belongs to
# the procurement filing, which needs its scan (`gtx attach`). Each: (zh, en) reason.
NOT_IMPORTED: dict[str, tuple[str, str]] = {
    "序号": ("序号，不导入", "a row number, not imported"),
    "阶段": (
        "阶段只能由 gtx advance 签名推进，导入的项目一律为草拟",
        "a stage changes only by a signed gtx advance; imported projects are drafts",
    ),
    "当前阶段": ("同“阶段”", "as 阶段"),
    "项目状态": ("同“阶段”", "as 阶段"),
    "下一个期限": ("由 gtx 计算，不导入", "computed by gtx, not imported"),
    "到期日": ("由 gtx 计算，不导入", "computed by gtx, not imported"),
    "期限状态": ("由 gtx 计算，不导入", "computed by gtx, not imported"),
    "剩余天数": ("由 gtx 计算，不导入", "computed by gtx, not imported"),
    "采购方式": (
        "采购方式随政府采购项目备案表登记：先 gtx attach ID 文件 --kind procurement_filing",
        "the procurement method belongs to the procurement filing: gtx attach ID FILE "
        "--kind procurement_filing first",
    ),
}

# Values departments write for an enum, beyond the model's own labels.
ENUM_ALIASES: dict[str, dict[str, str]] = {
    "FundingSource": {
        "市级财政": "municipal",
        "市财政": "municipal",
        "市本级财政": "municipal",
        "本级财政": "municipal",
        "市级财政资金": "municipal",
        "财政资金": "municipal",
        "中央资金": "central",
        "中央财政": "central",
        "省级资金": "provincial",
        "省级财政": "provincial",
        "省财政": "provincial",
        "政府购买": "service_purchase",
        "购买服务": "service_purchase",
        "社会资本": "municipal_social",
        "政企合作": "municipal_social",
        "运维": "om_only",
    },
    "MlpsLevel": {
        "二级": "2",
        "第二级": "2",
        "三级": "3",
        "第三级": "3",
        "等保2级": "2",
        "等保3级": "3",
        "2级": "2",
        "3级": "3",
    },
    "SystemType": {
        "定制开发": "custom",
        "自主研发": "custom",
        "定制": "custom",
        "成品软件": "product",
        "采购成品": "product",
    },
    "Network": {"政务外网": "e_gov_extranet", "外网": "e_gov_extranet"},
    "ApprovalPath": {"常规审批": "standard", "简化审批": "simplified", "紧急审批": "urgent"},
}

_TRUE = {"是", "有", "有需求", "已编写", "已部署", "已纳入", "√", "✓", "y", "yes", "true", "1"}
_FALSE = {
    "否",
    "无",
    "无需求",
    "未编写",
    "未部署",
    "未纳入",
    "不需要",
    "×",
    "✗",
    "n",
    "no",
    "false",
    "0",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def norm(text: str) -> str:
    """A header or value as compared: full-width folded (NFKC), no spaces, no
    parentheses, no colon, lower case ("项目预算（万元）" -> "项目预算万元")."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s()（）:：*＊\[\]【】]", "", text).lower()


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in COLUMNS:
        for h in (c.zh, c.en, c.key, *c.aliases, *ENUM_LABELS.get(c.enum, {}).keys()):
            if h in ENUM_LABELS.get(c.enum, {}):
                continue
            index.setdefault(norm(h), c.key)
    for h in NOT_IMPORTED:
        index.setdefault(norm(h), IGNORE)
    return index


HEADERS = _header_index()


def propose(header: str) -> str | None:
    """The field a header names (dotted key), IGNORE, or None when gtx cannot tell.
    Exact first; then a known header inside the written one ("计划开工时间（年月日）"),
    the longest known header winning."""
    h = norm(header)
    if not h:
        return None
    if h in HEADERS:
        return HEADERS[h]
    # a header in 元 is not one in 万元: the unit is part of the match
    best: tuple[int, str] | None = None
    for known, key in HEADERS.items():
        if len(known) >= 2 and known in h and (best is None or len(known) > best[0]):
            best = (len(known), key)
    return best[1] if best else None


def yuan_header(header: str) -> bool:
    """Is the column's money in 元 rather than 万元 (e.g. "项目预算（元）")?"""
    h = unicodedata.normalize("NFKC", header)
    return "元" in h and "万元" not in h


# --- values ------------------------------------------------------------------------


def _unformula(text: str) -> str:
    # gtx's own export writes '=... for a text a spreadsheet would run (csv_cell)
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _bad(zh: str, en: str) -> Unusable:
    return Unusable(zh, en)


def _check_text(text: str) -> str:
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text):
        raise _bad("含控制字符", "holds control characters")
    return text


def to_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _unformula(str(value).strip())
    # a line break inside a cell (Alt+Enter) is a space in a one-line field
    return _check_text(re.sub(r"\s*[\r\n]+\s*", " ", text))


def to_phone(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _bad(
            "电话号码存成了数字，区号的前导零已丢失；请把该列设为文本后重写，如 0979-8412345",
            "the phone number is stored as a number and lost its leading zero; make the "
            "column text and write it again, e.g. 0979-8412345",
        )
    return to_text(value)


_WAN_RE = re.compile(r"^[¥￥]?\s*(-?[\d,，]+(?:\.\d+)?)\s*(万元|万|元)?$")


def to_wan(value: Any, *, yuan: bool = False) -> Decimal:
    """万元 from a number or from "120万", "120万元", "1,200", "1200000元"."""
    if isinstance(value, bool):
        raise _bad("不是金额", "not an amount")
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        m = _WAN_RE.match(text)
        if not m:
            raise _bad(
                f"「{value}」不是金额；写成万元数，如 120 或 120万",
                f"{value!r} is not an amount; write 万元, e.g. 120 or 120万",
            )
        try:
            d = Decimal(m.group(1).replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise _bad(f"「{value}」不是金额", f"{value!r} is not an amount") from None
        unit = m.group(2)
        if unit == "元":
            yuan = True
        elif unit in ("万", "万元"):
            yuan = False
    if yuan:
        d = d / Decimal(10000)
    if not d.is_finite() or d < 0:
        raise _bad(f"金额 {value} 不能为负数", f"the amount {value} cannot be negative")
    # 650, not 6.5E+2 (normalize) nor 650.00 (as written)
    return Decimal(int(d)) if d == d.to_integral_value() else d.normalize()


_DATE_RES = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def to_date(value: Any) -> dt.date:
    """A date from a date cell or from "2024年6月3日", "2024-6-3", "2024/6/3", "20240603"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        # an Excel serial day number in a cell not formatted as a date
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise _bad(f"「{value}」不是真实的日期", f"{value!r} is not a real date") from None
    if re.match(r"^\d{4}\s*年\s*\d{1,2}\s*月$|^\d{4}[-/.]\d{1,2}$", text):
        raise _bad(
            f"「{value}」只有年月；请写明哪一天，如 2024年6月3日",
            f"{value!r} gives no day; write the full date, e.g. 2024-06-03",
        )
    raise _bad(
        f"「{value}」不是日期；写成 2024年6月3日 或 2024-06-03",
        f"{value!r} is not a date; write 2024-06-03 or 2024年6月3日",
    )


def to_int(value: Any, *, months: bool = False) -> int:
    if isinstance(value, bool):
        raise _bad("不是整数", "not a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        n = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        m = re.match(r"^(\d+)\s*(个月|月|个|套|年)?$", text)
        if not m or (m.group(2) == "年" and not months):
            raise _bad(
                f"「{value}」不是整数" + ("（月数）" if months else ""),
                f"{value!r} is not a whole number" + (" (of months)" if months else ""),
            )
        n = int(m.group(1)) * (12 if m.group(2) == "年" else 1)
    if n < 1:
        raise _bad(f"{n} 须至少为 1", f"{n} must be at least 1")
    return n


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = norm(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _bad(
        f"「{value}」不是“是/否”（也可写 有/无、已编写/未编写）",
        f"{value!r} is not yes/no (是/否, 有/无, 已编写/未编写)",
    )


def to_enum(value: Any, enum: str) -> str:
    labels = ENUM_LABELS[enum]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = norm(str(value))
    for k, label in labels.items():
        if text in (norm(k), norm(label)):
            return k
    for alias, k in ENUM_ALIASES.get(enum, {}).items():
        if text == norm(alias):
            return k
    allowed = "、".join(labels.values())
    raise _bad(
        f"「{value}」不是可用的值；可填：{allowed}",
        f"{value!r} is not an allowed value; write one of: {', '.join(labels)} ({allowed})",
    )


def convert(column: Column, value: Any, *, yuan: bool = False) -> Any:
    """The model's value for a cell of `column` (raises Unusable)."""
    kind = column.kind
    if kind == "id":
        text = to_text(value)
        if not ID_RE.match(text):
            raise _bad(
                f"项目编号「{text}」不合规：只能用小写字母、数字和连字符，3 到 64 个字符",
                f"project id {text!r} is malformed: lowercase letters, digits, hyphens, 3-64",
            )
        return text
    if kind == "text":
        return to_text(value)
    if kind == "phone":
        return to_phone(value)
    if kind == "wan":
        return to_wan(value, yuan=yuan)
    if kind == "date":
        return to_date(value)
    if kind == "months":
        return to_int(value, months=True)
    if kind == "count":
        return to_int(value)
    if kind == "bool":
        return to_bool(value)
    if kind == "enum":
        return to_enum(value, column.enum)
    raise AssertionError(kind)  # pragma: no cover


def is_total_row(values: list[Any]) -> bool:
    """A 合计/总计/小计 row, as registers end (or group) with."""
    for v in values:
        if isinstance(v, str) and norm(v)[:2] in ("合计", "总计", "小计"):
            return True
    return False


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
