"""The dossier's values without pydantic: the id pattern, the enums and their Chinese
labels, and the checks each scalar kind makes (dates as ISO text, text that must be
quoted, amounts in 万元, strict ints and booleans).

core/model.py builds its pydantic fields from these, and core/fastmodel.py its
msgspec ones, so that a command which reads only valid dossiers never imports
pydantic (issue 17: ~0.2-0.35 s of a start-up, docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
ID_RE = re.compile(ID_PATTERN)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- scalar types ---------------------------------------------------------------


def _iso_date(value: Any) -> Any:
    # Only ISO text (or a real date object from Python callers) is a date; pydantic's
    # lax mode would take an int as a Unix timestamp (docs/library-pitfalls.md).
    if type(value) is str:  # what the YAML gives: tested first (a dozen per dossier)
        if not ISO_DATE_RE.match(value):
            raise ValueError("date_format")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("date_unreal") from None
    if isinstance(value, dt.datetime):
        raise ValueError("date_expected")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not ISO_DATE_RE.match(value):
            raise ValueError("date_format")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("date_unreal") from None
    raise ValueError("date_expected")


def _text(value: Any) -> Any:
    # A clerk's text must be a YAML string: an unquoted number loses leading zeros
    # (0979123456 -> 979123456), so we ask for quotes instead of guessing.
    if type(value) is str:  # the usual answer, first: every text field of a dossier
        return value
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError("quote_number")
    if not isinstance(value, str):
        raise ValueError("text_expected")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


def _wan(value: Any) -> Any:
    # Money in 万元 as written: YAML 320.5 stays 320.5 (via its shortest repr).
    if isinstance(value, bool):
        raise ValueError("number_expected")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("number_expected")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        # A number in quotes is text to YAML and to every schema client (editors,
        # check-jsonschema): refused alike, with the fix named (number_quoted).
        try:
            Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("number_expected") from None
        raise ValueError("number_quoted")
    raise ValueError("number_expected")


def _strict_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("int_expected")
    return value


def _strict_bool(value: Any) -> Any:
    # YAML 1.2: only true/false are booleans; `yes`/`no` are strings.
    if not isinstance(value, bool):
        raise ValueError("bool_expected")
    return value


# --- enums ----------------------------------------------------------------------


class LabeledEnum(StrEnum):
    @property
    def label(self) -> str:
        return ENUM_LABELS[type(self).__name__][self.value]


class FundingSource(LabeledEnum):
    municipal = "municipal"
    municipal_social = "municipal_social"
    service_purchase = "service_purchase"
    om_only = "om_only"
    central = "central"
    provincial = "provincial"


class MlpsLevel(LabeledEnum):
    level2 = "2"
    level3 = "3"
    other = "other"
    classified = "classified"  # 分级保护: a classified system (三（三）: 等级保护和分级保护备案)


class SystemType(LabeledEnum):
    custom = "custom"
    product = "product"


class Network(LabeledEnum):
    e_gov_extranet = "e_gov_extranet"
    internet = "internet"
    other = "other"


class ApprovalPath(LabeledEnum):
    standard = "standard"
    simplified = "simplified"
    planned = "planned"
    urgent = "urgent"


class ProcurementMethod(LabeledEnum):
    public_tender = "public_tender"
    invited_tender = "invited_tender"
    competitive_negotiation = "competitive_negotiation"
    competitive_consultation = "competitive_consultation"
    single_source = "single_source"
    inquiry = "inquiry"
    framework_agreement = "framework_agreement"


class Sanction(LabeledEnum):
    criticism = "criticism"
    defer_investment = "defer_investment"
    suspend_om_funds = "suspend_om_funds"
    suspend_construction = "suspend_construction"
    terminate = "terminate"


class CryptoResult(LabeledEnum):
    # 密评 conclusions (GB/T 39786 evaluation reports): 符合 / 基本符合 / 不符合
    pass_ = "pass"
    basic = "basic"
    fail = "fail"


class ExtensionFor(LabeledEnum):
    preliminary_acceptance = "preliminary_acceptance"
    final_acceptance_request = "final_acceptance_request"
    construction = "construction"  # 三（六）: 可延长项目建设期限


class DocKind(LabeledEnum):
    proposal = "proposal"
    feasibility_study = "feasibility_study"
    preliminary_design = "preliminary_design"
    investment_estimate = "investment_estimate"
    expert_review = "expert_review"
    consulting_evaluation = "consulting_evaluation"
    resource_catalog = "resource_catalog"
    framework_plan = "framework_plan"
    approval_reply = "approval_reply"
    budget_application = "budget_application"
    filing_form = "filing_form"
    procurement_filing = "procurement_filing"
    contract = "contract"
    preliminary_acceptance_report = "preliminary_acceptance_report"
    construction_summary = "construction_summary"
    financial_report = "financial_report"
    audit_report = "audit_report"
    security_risk_assessment = "security_risk_assessment"
    acceptance_report = "acceptance_report"
    self_evaluation_report = "self_evaluation_report"
    post_evaluation_report = "post_evaluation_report"
    crypto_assessment = "crypto_assessment"
    mlps_certificate = "mlps_certificate"


ENUM_LABELS: dict[str, dict[str, str]] = {
    "FundingSource": {
        "municipal": "市级财政资金",
        "municipal_social": "政府和社会联合建设",
        "service_purchase": "政府购买服务",
        "om_only": "需要政府运行维护",
        "central": "中央财政资金",
        "provincial": "省级财政资金",
    },
    "MlpsLevel": {"2": "等保二级", "3": "等保三级", "other": "其他", "classified": "分级保护"},
    "CryptoResult": {"pass": "符合", "basic": "基本符合", "fail": "不符合"},
    "SystemType": {"custom": "定制研发", "product": "成品"},
    "Network": {"e_gov_extranet": "电子政务外网", "internet": "互联网", "other": "其他"},
    "ApprovalPath": {
        "standard": "常规",
        "simplified": "简化",
        "planned": "已纳入规划",
        "urgent": "紧急",
    },
    "ProcurementMethod": {
        "public_tender": "公开招标",
        "invited_tender": "邀请招标",
        "competitive_negotiation": "竞争性谈判",
        "competitive_consultation": "竞争性磋商",
        "single_source": "单一来源采购",
        "inquiry": "询价",
        "framework_agreement": "框架协议采购",
    },
    "Sanction": {
        "criticism": "通报批评",
        "defer_investment": "暂缓安排投资计划",
        "suspend_om_funds": "暂停拨付运维经费",
        "suspend_construction": "暂停项目建设",
        "terminate": "终止项目",
    },
    "ExtensionFor": {
        "preliminary_acceptance": "初步验收",
        "final_acceptance_request": "申请竣工验收",
        "construction": "项目建设期限",
    },
    "DocKind": {
        "proposal": "项目建议书",
        "feasibility_study": "可行性研究报告",
        "preliminary_design": "初步设计方案",
        "investment_estimate": "投资概算",
        "expert_review": "专家评审意见",
        "consulting_evaluation": "咨询评估报告",
        "resource_catalog": "信息资源目录",
        "framework_plan": "跨部门框架方案",
        "approval_reply": "立项批复",
        "budget_application": "部门预算项目支出申报",
        "filing_form": "政务信息系统备案表",
        "procurement_filing": "政府采购项目备案表",
        "contract": "建设合同",
        "preliminary_acceptance_report": "初步验收报告",
        "construction_summary": "项目建设总结",
        "financial_report": "财务报告",
        "audit_report": "审计报告",
        "security_risk_assessment": "安全风险评估报告",
        "acceptance_report": "竣工验收报告",
        "self_evaluation_report": "自评价报告",
        "post_evaluation_report": "后评价报告",
        "crypto_assessment": "密码应用安全性评估报告",
        "mlps_certificate": "等级保护备案证明",
    },
}


def _mlps_level(value: Any) -> Any:
    # `level: 3` is an int in YAML; the enum's values are text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# --- gtx.yaml's checks ------------------------------------------------------------

# SSH key types as the first word of an allowed-signers key (ssh-keygen(1)).
_SSH_TYPE = re.compile(r"^(ssh-|ecdsa-|sk-ssh-|sk-ecdsa-)[A-Za-z0-9@.-]+$")


def _plain_key(value: str) -> str:
    # A key line is "type base64 [comment]" or an OpenPGP fingerprint. Anything
    # before the type (valid-before=, cert-authority, principals=, namespaces=) is
    # an allowed-signers option that gtx would not honour the way it reads: refused,
    # and validity is written as from/until instead (docs/security.md).
    words = value.strip().removeprefix("key::").split()
    if len(words) > 1 and not _SSH_TYPE.match(words[0]) and any(map(_SSH_TYPE.match, words)):
        raise ValueError("key_options")
    return value


def _window_in_order(value: tuple[int, int]) -> tuple[int, int]:
    # 三（七）: 12 to 24 months; a window must open before it closes
    lo, hi = value
    if lo < 0 or hi <= lo:
        raise ValueError("window_order")
    return value
