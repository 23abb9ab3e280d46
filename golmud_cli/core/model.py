"""The dossier model (docs/dossier.md), pure pydantic.

Every field carries its Chinese label as the JSON Schema `title`; messages name a
field by its key and that label. Dates arrive as text (the loader keeps YAML
timestamps as strings) and are checked here, so `2024-02-30` is a finding with a
position rather than a crash in the YAML layer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from golmud_cli.core import model_methods
from golmud_cli.core.lifecycle import Role, Stage
from golmud_cli.core.values import (
    ENUM_LABELS,
    ID_PATTERN,
    ID_RE,
    ISO_DATE_RE,
    ApprovalPath,
    CryptoResult,
    DocKind,
    ExtensionFor,
    FundingSource,
    LabeledEnum,
    MlpsLevel,
    Network,
    ProcurementMethod,
    Sanction,
    SystemType,
    _iso_date,
    _mlps_level,
    _not_blank,
    _plain_key,
    _strict_bool,
    _strict_int,
    _text,
    _wan,
    _window_in_order,
)
from golmud_cli.core.wan import wan_number

# re-exported: the model's names, as its callers have always imported them
__all__ = [
    "ENUM_LABELS",
    "ID_PATTERN",
    "ID_RE",
    "ISO_DATE_RE",
    "ApprovalPath",
    "CryptoResult",
    "DocKind",
    "ExtensionFor",
    "FundingSource",
    "LabeledEnum",
    "MlpsLevel",
    "Network",
    "ProcurementMethod",
    "Sanction",
    "SystemType",
]

# --- scalar types (their checks: core/values.py) ----------------------------------

IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": ISO_DATE_RE.pattern}),
]

Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string"})]

NonBlank = Annotated[
    Text, AfterValidator(_not_blank), WithJsonSchema({"type": "string", "minLength": 1})
]

Wan = Annotated[
    Decimal,
    BeforeValidator(_wan),
    PlainSerializer(wan_number),
    WithJsonSchema({"type": "number"}),
]
PositiveWan = Annotated[Wan, Field(gt=0)]
NonNegativeWan = Annotated[Wan, Field(ge=0)]

StrictInt = Annotated[int, BeforeValidator(_strict_int), WithJsonSchema({"type": "integer"})]

StrictBool = Annotated[bool, BeforeValidator(_strict_bool), WithJsonSchema({"type": "boolean"})]


# --- parts ----------------------------------------------------------------------


class Part(BaseModel):
    # defer_build: each class's validator is built when first used, not when the
    # class is made. Dossier's validator holds every part's schema, so the 40-odd
    # part validators built at import were never used by a dossier check: importing
    # the model cost ~50 ms more than building the one that is (docs/benchmarks.md).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Contact(Part):
    name: NonBlank | None = Field(None, title="联系人姓名")
    phone: NonBlank | None = Field(None, title="联系电话")


class Schedule(Part):
    start: IsoDate | None = Field(None, title="开工时间")
    duration_months: Annotated[StrictInt, Field(ge=1)] | None = Field(
        None, title="建设时间（预计工期，月）"
    )


class Mlps(Part):
    # docs/dossier.md writes `level: 3` (a YAML int); editors and check-jsonschema must
    # accept what gtx accepts, so the schema lists both spellings.
    level: (
        Annotated[
            MlpsLevel,
            BeforeValidator(_mlps_level),
            WithJsonSchema({"enum": [2, 3, "2", "3", "other", "classified"]}),
        ]
        | None
    ) = Field(None, title="等保级别")
    note: Text | None = Field(None, title="其他（说明）")


class Systems(Part):
    count: Annotated[StrictInt, Field(ge=1)] | None = Field(None, title="应用系统数量")
    type: SystemType | None = Field(None, title="系统类型")


class DataResources(Part):
    needed: StrictBool | None = Field(None, title="数据资源需求")
    catalog_written: StrictBool | None = Field(None, title="数据资源目录")


class Cloud(Part):
    deployed: StrictBool | None = Field(None, title="云平台部署")
    operator: Text | None = Field(None, title="云平台运维管理机构")
    exemption_reason: Text | None = Field(None, title="未上云理由")


class CrossDepartment(Part):
    lead: NonBlank = Field(title="牵头部门")
    participants: list[NonBlank] = Field(default_factory=list, title="参建部门")


class Document(Part):
    file: NonBlank = Field(title="文件")
    date: IsoDate | None = Field(None, title="日期")
    number: Text | None = Field(None, title="文号")
    note: Text | None = Field(None, title="备注")
    # Recorded by `gtx attach`: the scan as it was filed, so that a later swap shows.
    sha256: Annotated[Text, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, title="文件的 SHA-256 摘要"
    )


class CredentialedDocument(Document):
    prepared_by: Text | None = Field(None, title="编制单位")
    credential: Text | None = Field(None, title="资信")


class Proposal(CredentialedDocument):
    pass


class FeasibilityStudy(CredentialedDocument):
    sharing_analysis: StrictBool | None = Field(None, title="信息资源共享分析篇（章）")
    platform_docking: StrictBool | None = Field(None, title="与共享交换平台及政务服务平台对接")


class QualifiedDocument(Document):
    prepared_by: Text | None = Field(None, title="编制单位")
    qualification: Text | None = Field(None, title="资质")


class PreliminaryDesign(QualifiedDocument):
    sharing_analysis: StrictBool | None = Field(None, title="信息资源共享分析篇（章）")


class InvestmentEstimate(QualifiedDocument):
    amount_wan: NonNegativeWan | None = Field(None, title="概算金额（万元）")


class ExpertReview(Document):
    passed: StrictBool | None = Field(None, title="评审通过")


class SharingOpinionDocument(Document):
    sharing_opinion: StrictBool | None = Field(None, title="对信息资源共享分析篇（章）的意见")


class ProcurementFiling(Document):
    method: ProcurementMethod | None = Field(None, title="采购方式")


class Contract(Document):
    vendor: Text | None = Field(None, title="承建单位")
    amount_wan: NonNegativeWan | None = Field(None, title="合同金额（万元）")


class SelfEvaluationReport(Document):
    submitted_to: list[Role] = Field(default_factory=list, title="报送单位")


class PostEvaluationReport(Document):
    evaluator: Text | None = Field(None, title="评价机构")


class CryptoAssessment(Document):
    # 三（五）: 定期开展密码应用安全性评估; the latest report (date, result, evaluator)
    result: CryptoResult | None = Field(None, title="评估结论")
    evaluator: Text | None = Field(None, title="密评机构")


class MlpsCertificate(Document):
    # 等级保护备案证明 (or the 分级保护 filing of a classified system)
    date: IsoDate | None = Field(None, title="备案日期")
    number: Text | None = Field(None, title="备案证明编号")


class ProjectLibrary(Part):
    # 二（二）: the unit 组织项目申报、入库 (the project library of the mid-term fiscal plan)
    entered: IsoDate | None = Field(None, title="入库日期")
    number: Text | None = Field(None, title="入库编号")


class Documents(Part):
    proposal: Proposal | None = Field(None, title="项目建议书")
    feasibility_study: FeasibilityStudy | None = Field(None, title="可行性研究报告")
    preliminary_design: PreliminaryDesign | None = Field(None, title="初步设计方案")
    investment_estimate: InvestmentEstimate | None = Field(None, title="投资概算")
    expert_review: ExpertReview | None = Field(None, title="专家评审意见")
    consulting_evaluation: SharingOpinionDocument | None = Field(None, title="咨询评估报告")
    resource_catalog: Document | None = Field(None, title="信息资源目录")
    framework_plan: Document | None = Field(None, title="跨部门框架方案")
    approval_reply: SharingOpinionDocument | None = Field(None, title="立项批复")
    budget_application: Document | None = Field(None, title="部门预算项目支出申报")
    filing_form: Document | None = Field(None, title="政务信息系统备案表")
    procurement_filing: ProcurementFiling | None = Field(None, title="政府采购项目备案表")
    contract: Contract | None = Field(None, title="建设合同")
    preliminary_acceptance_report: Document | None = Field(None, title="初步验收报告")
    construction_summary: Document | None = Field(None, title="项目建设总结")
    financial_report: Document | None = Field(None, title="财务报告")
    audit_report: Document | None = Field(None, title="审计报告")
    security_risk_assessment: Document | None = Field(None, title="安全风险评估报告")
    acceptance_report: Document | None = Field(None, title="竣工验收报告")
    self_evaluation_report: SelfEvaluationReport | None = Field(None, title="自评价报告")
    post_evaluation_report: PostEvaluationReport | None = Field(None, title="后评价报告")
    crypto_assessment: CryptoAssessment | None = Field(None, title="密码应用安全性评估报告")
    mlps_certificate: MlpsCertificate | None = Field(None, title="等级保护备案证明")

    def get(self, kind: str) -> Document | None:
        value = getattr(self, kind, None)
        return value if isinstance(value, Document) else None

    def present(self) -> dict[str, Document]:
        # the instance's own dict holds every field, in the order declared (extra keys
        # are forbidden): read it at once, not field by field through model_fields
        return {k: v for k, v in self.__dict__.items() if v is not None}


class HistoryEntry(Part):
    stage: Stage = Field(title="阶段")
    date: IsoDate = Field(title="日期")
    role: Role = Field(title="角色")
    refs: list[DocKind] = Field(default_factory=list, title="依据文件")
    # 三（五）: 市发改委可以会同市财政局 suspend or terminate: the roles that joined the act
    concurred: list[Role] = Field(default_factory=list, title="会同部门")
    note: Text | None = Field(None, title="备注")


class Correction(Part):
    """A signed correction of the date of one recorded act (history is append-only,
    docs/lifecycle.md: an entry is never edited; its date is corrected by a new entry
    here, signed by the role that signed the act)."""

    entry: Annotated[StrictInt, Field(ge=1)] = Field(title="更正的流转记录（第几项）")
    date: IsoDate = Field(title="更正后的日期")
    corrected: IsoDate = Field(title="更正日期")
    role: Role = Field(title="更正的角色")
    reason: Text | None = Field(None, title="更正理由")


class Extension(Part):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    for_: ExtensionFor = Field(alias="for", title="延期事项")
    requested: IsoDate | None = Field(None, title="申请日期")
    approved: IsoDate | None = Field(None, title="批准日期")
    until: IsoDate | None = Field(None, title="延期至")
    file: Text | None = Field(None, title="批准文件")


class Rectification(Part):
    issued: IsoDate = Field(title="下达日期")
    by: Role = Field(title="下达部门")
    finding: NonBlank = Field(title="整改事项")
    due: IsoDate = Field(title="整改期限")
    resolved: IsoDate | None = Field(None, title="整改完成日期")
    sanctions: list[Sanction] = Field(default_factory=list, title="处理措施")


class Dossier(Part):
    """One project's dossier: `dossiers/<id>/project.yaml`."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="格尔木市市级政务信息化项目档案",
        json_schema_extra={
            "description": "gtx dossier, 格政办〔2023〕15号 (docs/dossier.md)",
        },
    )

    # `true` and `1.0` equal 1 in Python: only the integer 1 is version 1
    schema_version: Annotated[Literal[1], BeforeValidator(_strict_int)] = Field(title="格式版本")
    id: Annotated[Text, Field(pattern=ID_PATTERN)] = Field(title="项目编号")
    name: NonBlank = Field(title="项目名称")
    unit: NonBlank = Field(title="建设单位（申请单位）")
    contact: Contact | None = Field(None, title="项目联系人")
    budget_wan: PositiveWan | None = Field(None, title="项目预算(万元)")
    funding_source: FundingSource | None = Field(None, title="资金来源")
    funding_note: Text | None = Field(None, title="资金来源说明")
    project_code: Text | None = Field(None, title="项目代码")
    project_library: ProjectLibrary | None = Field(None, title="项目库入库")
    schedule: Schedule | None = Field(None, title="计划建设时间")
    basis: Text | None = Field(None, title="项目建设依据")
    mlps: Mlps | None = Field(None, title="等级保护备案")
    systems: Systems | None = Field(None, title="应用系统")
    data_resources: DataResources | None = Field(None, title="数据资源")
    operating_cost_wan: NonNegativeWan | None = Field(None, title="运营费用（万元/年）")
    cloud: Cloud | None = Field(None, title="云平台部署")
    network: Network | None = Field(None, title="基础网络")
    network_note: Text | None = Field(None, title="基础网络说明")
    approval_path: ApprovalPath | None = Field(None, title="审批路径")
    in_plan: StrictBool | None = Field(None, title="已纳入政务信息化建设规划")
    new_department: StrictBool | None = Field(None, title="新设立部门")
    simple_and_mature: StrictBool | None = Field(None, title="系统功能相对简单、技术成熟")
    urgency_basis: Text | None = Field(None, title="紧急事由")
    cross_department: CrossDepartment | None = Field(None, title="跨部门项目")
    documents: Documents = Field(default_factory=Documents, title="项目文件")
    stage: Stage = Field(title="当前阶段")
    history: list[HistoryEntry] = Field(title="阶段历史")
    corrections: list[Correction] = Field(default_factory=list, title="更正记录")
    extensions: list[Extension] = Field(default_factory=list, title="延期验收")
    rectifications: list[Rectification] = Field(default_factory=list, title="整改")

    # the code is core/model_methods.py's, which core/fastschema.py's twin runs too
    @property
    def stages(self) -> list[Stage]:
        return model_methods.stages(self)

    def entered(self, stage: Stage) -> dt.date | None:
        """The date the project last entered `stage`, from its history."""
        return model_methods.entered(self, stage)

    def entered_dates(self) -> dict[Stage, dt.date]:
        """entered() for every stage in the history at once: each stage's latest date
        (core/deadlines.py reads eight of them for one dossier)."""
        return model_methods.entered_dates(self)


# --- gtx.yaml -------------------------------------------------------------------


# Signer's and Policy's checks are core/values.py's and core/model_methods.py's, which
# core/fastschema.py's twins run too (the generator knows them by identity).


class Signer(Part):
    name: NonBlank = Field(title="姓名")
    key: Annotated[NonBlank, AfterValidator(_plain_key)] = Field(
        title="公钥（SSH 公钥或 OpenPGP 指纹）"
    )
    # A key counts for acts dated within [from, until] (both inclusive): staff of a
    # body change, and a retired key stops counting from a date, not from the day
    # gtx.yaml is edited.
    valid_from: IsoDate | None = Field(None, alias="from", title="生效日期（含）")
    until: IsoDate | None = Field(None, title="失效日期（含）")

    _in_order = model_validator(mode="after")(model_methods.validity_in_order)

    def valid_on(self, day: dt.date) -> bool:
        return model_methods.valid_on(self, day)


class RoleEntry(Part):
    name: Text | None = Field(None, title="单位名称")
    signers: list[Signer] = Field(default_factory=list, title="签署人")


class UnitEntry(Part):
    signers: list[Signer] = Field(default_factory=list, title="签署人")


class Policy(Part):
    preliminary_acceptance_months: Annotated[StrictInt, Field(ge=1)] = Field(
        3, title="初步验收期限（月）"
    )
    final_acceptance_request_months: Annotated[StrictInt, Field(ge=1)] = Field(
        1, title="申请竣工验收期限（月）"
    )
    self_evaluation_window_months: tuple[StrictInt, StrictInt] = Field(
        (12, 24), title="自评价窗口（月）"
    )
    simplified_max_budget_wan: PositiveWan = Field(Decimal(500), title="简化审批投资上限（万元）")
    filing_days: Annotated[StrictInt, Field(ge=0)] = Field(30, title="备案期限（天，本地政策）")
    due_soon_days: Annotated[StrictInt, Field(ge=0)] = Field(30, title="临近提醒（天）")
    holiday_shift: StrictBool = Field(True, title="节假日顺延")
    # local policy (二（二）预算管理; the measures set no number): a contract above the
    # project budget by more than this many percent is a warning (P004)
    contract_over_budget_percent: Annotated[StrictInt, Field(ge=0)] = Field(
        0, title="合同金额超出预算的容许比例（%，本地政策）"
    )

    _window_order = field_validator("self_evaluation_window_months")(_window_in_order)


class Settings(Part):
    """Repository settings: `gtx.yaml` (docs/dossier.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="gtx 仓库设置")

    city: Text = Field("格尔木市", title="城市")
    roles: dict[Role, RoleEntry] = Field(default_factory=dict, title="角色与签署人")
    units: dict[str, UnitEntry] = Field(default_factory=dict, title="建设单位与签署人")
    policy: Policy = Field(default_factory=Policy, title="政策参数")


DEFAULT_SETTINGS = Settings()


# --- the fields inside a field (labels for dotted paths: core/labels.py) -------------


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside `X | None` or `list[X]`, if any."""
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        stack.extend(getattr(a, "__args__", ()))
    return None


def _keyed(annotation: Any) -> bool:
    """Is the field a mapping with free keys (gtx.yaml's roles and units)?"""
    return any(get_origin(a) is dict for a in (annotation, *get_args(annotation)))
