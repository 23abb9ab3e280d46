"""What every field of a dossier means, for people: "Model.field" -> (Chinese
description, clause of 格政办〔2023〕15号 or ""). A field is looked up on its model
and then on the models it inherits from (Document.file serves every document kind).

Applied to the exported JSON Schema (core/schema_export.py) and to docs/dossier.md;
tests/pipeline/test_schema_strict.py fails when a field of the model has no entry here.
"""

from __future__ import annotations

FIELD_DOCS: dict[str, tuple[str, str]] = {
    # --- Dossier -------------------------------------------------------------------
    "Dossier.schema_version": ("档案格式的版本，固定为 1。", ""),
    "Dossier.id": (
        "项目编号：与文件夹同名，小写字母、数字和连字符，3 到 64 个字符，如 2025-smart-parking。",
        "",
    ),
    "Dossier.name": ("项目全称，与批复、备案表一致。", "三（三）"),
    "Dossier.unit": (
        "建设单位（申请单位）全称，须与 gtx.yaml 的 units 中登记的名称一字不差。",
        "三（一）",
    ),
    "Dossier.contact": ("项目联系人（备案表“联系人”“联系电话”）。", "三（三）"),
    "Dossier.budget_wan": ("项目预算，单位万元，大于 0 的数字（不加引号）。", "三（一）"),
    "Dossier.funding_source": (
        "资金来源；中央、省级资金按上级办法管理，gtx 不计格尔木期限。",
        "一",
    ),
    "Dossier.project_code": ("全国投资项目在线审批监管平台赋予的项目代码（如有）。", "三（二）"),
    "Dossier.project_library": ("项目入库情况：入库日期和编号（如有）。", "二（二）"),
    "Dossier.funding_note": ("资金来源的补充说明，如预算安排文号。", ""),
    "Dossier.schedule": ("计划建设时间：开工日期和预计工期。", "三（三）"),
    "Dossier.basis": ("项目建设依据：规划或文件名称。", "三（三）"),
    "Dossier.mlps": ("网络安全等级保护备案（等保级别）。", "三（三）"),
    "Dossier.systems": ("项目包含的应用系统：数量和类型。", "三（三）"),
    "Dossier.data_resources": ("数据资源需求，以及是否已编写信息资源目录。", "二（二）"),
    "Dossier.operating_cost_wan": ("建成后每年的运营费用，单位万元/年，不小于 0。", "三（三）"),
    "Dossier.cloud": ("是否部署在市电子政务云；不部署须写明理由。", "二（三）"),
    "Dossier.network": ("系统运行的基础网络。", "三（三）"),
    "Dossier.network_note": ("基础网络选“其他”时的说明。", ""),
    "Dossier.approval_path": ("审批路径：常规、简化、已纳入规划或紧急。", "三（二）"),
    "Dossier.in_plan": (
        "项目是否已纳入政务信息化建设规划；走“已纳入规划”路径须为 true。",
        "三（二）",
    ),
    "Dossier.new_department": ("是否为新设立部门的项目（须与共享交换平台对接）。", "二（二）"),
    "Dossier.simple_and_mature": (
        "系统功能是否相对简单、技术成熟；走简化路径须为 true。",
        "三（二）",
    ),
    "Dossier.urgency_basis": ("紧急事由；走紧急路径时必填。", "三（二）"),
    "Dossier.cross_department": ("跨部门项目的牵头部门和参建部门。", "二（三）"),
    "Dossier.documents": ("项目文件，键为文件类别，附件放在 attachments/ 中。", ""),
    "Dossier.stage": ("当前阶段，由 gtx advance 修改，请勿手改。", ""),
    "Dossier.history": ("阶段流转记录，由 gtx advance 追加，请勿手改。", ""),
    "Dossier.corrections": (
        "流转记录日期的更正，由 gtx correct 追加，请勿手改；流转记录本身永不修改。",
        "",
    ),
    "Dossier.extensions": ("延期验收的申请与批准。", "三（六）"),
    "Dossier.rectifications": ("监督检查下达的整改事项。", "三（五）"),
    # --- parts ------------------------------------------------------------------------
    "Contact.name": ("联系人姓名。", "三（三）"),
    "Contact.phone": ('联系电话，加英文双引号以保留区号的前导零，如 "0979-8412345"。', "三（三）"),
    "Schedule.start": ("计划开工日期，YYYY-MM-DD。", "三（三）"),
    "Schedule.duration_months": ("预计工期，整数个月，至少 1。", "三（三）"),
    "Mlps.level": ("等保级别：2（二级）、3（三级）或 other（其他）。", "三（三）"),
    "Mlps.note": ("等保级别选“其他”时的说明。", ""),
    "Systems.count": ("应用系统数量，整数，至少 1。", "三（三）"),
    "Systems.type": ("系统类型：定制研发或成品。", "三（三）"),
    "DataResources.needed": ("是否有数据资源需求。", "二（二）"),
    "DataResources.catalog_written": ("是否已编写信息资源目录；申报前须为 true。", "二（二）"),
    "Cloud.deployed": ("是否部署在市电子政务云平台。", "二（三）"),
    "Cloud.operator": ("云平台运维管理机构；部署在云上时必填。", "二（三）"),
    "Cloud.exemption_reason": ("不部署在云平台的理由；不上云时必填。", "二（三）"),
    "CrossDepartment.lead": ("跨部门项目的牵头部门。", "二（三）"),
    "CrossDepartment.participants": ("参建部门，至少一个（牵头部门以外）。", "二（三）"),
    # --- documents --------------------------------------------------------------------
    "Documents.proposal": ("项目建议书（常规路径）。", "三（二）"),
    "Documents.feasibility_study": ("可行性研究报告，须有信息资源共享分析篇（章）。", "三（二）"),
    "Documents.preliminary_design": ("初步设计方案。", "三（二）"),
    "Documents.investment_estimate": ("投资概算。", "三（二）"),
    "Documents.expert_review": ("专家评审意见。", "三（二）"),
    "Documents.consulting_evaluation": ("咨询评估报告，含对共享分析篇（章）的意见。", "三（二）"),
    "Documents.resource_catalog": ("信息资源目录。", "二（二）"),
    "Documents.framework_plan": ("跨部门项目的框架方案。", "二（三）"),
    "Documents.approval_reply": ("市发改委的立项批复。", "三（二）"),
    "Documents.budget_application": ("部门预算项目支出申报。", "三（一）"),
    "Documents.filing_form": ("格尔木市政务信息系统备案表（gtx form 生成并记录）。", "三（三）"),
    "Documents.procurement_filing": ("政府采购项目备案表，写明采购方式。", "三（四）"),
    "Documents.contract": ("建设合同。", "三（四）"),
    "Documents.preliminary_acceptance_report": ("初步验收报告。", "三（六）"),
    "Documents.construction_summary": ("项目建设总结。", "三（六）"),
    "Documents.financial_report": ("财务报告。", "三（六）"),
    "Documents.audit_report": ("审计报告。", "三（六）"),
    "Documents.security_risk_assessment": ("安全风险评估报告。", "三（六）"),
    "Documents.acceptance_report": ("竣工验收报告。", "三（六）"),
    "Documents.self_evaluation_report": ("自评价报告，报送市发改委和市财政局。", "三（七）"),
    "Documents.post_evaluation_report": ("后评价报告。", "三（七）"),
    "Documents.crypto_assessment": (
        "最近一次密码应用安全性评估（密评）报告：日期、结论、评估机构。",
        "三（五）",
    ),
    "Documents.mlps_certificate": (
        "等级保护备案证明（涉密系统为分级保护备案）：编号和日期。",
        "三（三）",
    ),
    "Document.file": ("附件路径，相对于项目文件夹，如 attachments/approval-reply.pdf。", ""),
    "Document.date": ("文件日期（批复、报告、备案等），YYYY-MM-DD。", ""),
    "Document.number": ("文号，如 格发改〔2024〕12号。", ""),
    "Document.note": ("备注。", ""),
    "Document.sha256": (
        "附件的 SHA-256 摘要（gtx attach 记录），用于发现签署后被替换的附件。",
        "",
    ),
    "CryptoAssessment.result": ("密评结论：符合、基本符合或不符合。", "三（五）"),
    "CryptoAssessment.evaluator": ("开展密评的机构。", "三（五）"),
    "ProjectLibrary.entered": ("项目入库日期。", "二（二）"),
    "ProjectLibrary.number": ("入库编号。", "二（二）"),
    "CredentialedDocument.prepared_by": ("编制单位。", "三（二）"),
    "CredentialedDocument.credential": ("编制单位的工程咨询资信。", "三（二）"),
    "FeasibilityStudy.sharing_analysis": ("是否有信息资源共享分析篇（章）。", "三（二）"),
    "FeasibilityStudy.platform_docking": ("是否写明与共享交换平台及政务服务平台对接。", "二（二）"),
    "QualifiedDocument.prepared_by": ("编制单位。", "三（二）"),
    "QualifiedDocument.qualification": ("编制单位的资质。", "三（二）"),
    "PreliminaryDesign.sharing_analysis": ("是否有信息资源共享分析篇（章）。", "三（二）"),
    "InvestmentEstimate.amount_wan": ("概算金额，单位万元。", "三（二）"),
    "ExpertReview.passed": ("专家评审是否通过。", "三（二）"),
    "SharingOpinionDocument.sharing_opinion": (
        "是否有对信息资源共享分析篇（章）的意见。",
        "三（二）",
    ),
    "ProcurementFiling.method": ("政府采购方式。", "三（四）"),
    "Contract.vendor": ("承建单位。", "三（四）"),
    "Contract.amount_wan": ("合同金额，单位万元。", "三（四）"),
    "SelfEvaluationReport.submitted_to": (
        "自评价报告报送的单位（市发改委、市财政局）。",
        "三（七）",
    ),
    "PostEvaluationReport.evaluator": ("后评价机构。", "三（七）"),
    # --- history, extensions, rectifications ---------------------------------------------
    "HistoryEntry.stage": ("进入的阶段。", ""),
    "HistoryEntry.date": ("该行为（批复、备案等）的日期。", ""),
    "HistoryEntry.role": ("签署这次流转的角色。", ""),
    "HistoryEntry.refs": ("这次流转所依据的文件类别。", ""),
    "HistoryEntry.note": ("备注。", ""),
    "HistoryEntry.concurred": (
        "会同的部门：暂停、终止由市发改委会同市财政局作出，写 [finance]。",
        "三（五）",
    ),
    "Correction.entry": ("被更正的流转记录是第几项（从 1 数起，与 gtx show 一致）。", ""),
    "Correction.date": ("该行为的正确日期（取代流转记录中误录的日期）。", ""),
    "Correction.corrected": ("作出更正的日期。", ""),
    "Correction.role": ("作出更正的角色：须是签署原流转的角色。", ""),
    "Correction.reason": ("更正理由，如“批复日期误录为登记日期”。", ""),
    "Extension.for_": ("延期的事项：初步验收或申请竣工验收。", "三（六）"),
    "Extension.requested": ("申请延期的日期。", "三（六）"),
    "Extension.approved": ("市发改委批准延期的日期。", "三（六）"),
    "Extension.until": ("延期至哪一天。", "三（六）"),
    "Extension.file": ("批准延期的文件。", "三（六）"),
    "Rectification.issued": ("整改通知下达的日期。", "三（五）"),
    "Rectification.by": ("下达整改的部门。", "三（五）"),
    "Rectification.finding": ("整改事项。", "三（五）"),
    "Rectification.due": ("整改期限。", "三（五）"),
    "Rectification.resolved": ("整改完成的日期。", "三（五）"),
    "Rectification.sanctions": ("处理措施。", "三（五）"),
}


def describe(model: type, field: str) -> tuple[str, str] | None:
    """(description, clause) of `field` on `model` or a model it inherits from."""
    for cls in model.__mro__:
        found = FIELD_DOCS.get(f"{cls.__name__}.{field}")
        if found is not None:
            return found
    return None
