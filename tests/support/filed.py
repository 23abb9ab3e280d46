"""A filed dossier with every attachment (the shape of tests/cases/valid/base-filed)."""

from __future__ import annotations

from pathlib import Path

PID = "2024-smart-parking"



FILED = """\
schema_version: 1
id: 2024-smart-parking
name: 格尔木市智慧停车管理平台
unit: 格尔木市公安局交通警察大队
contact:
  name: 张三
  phone: "0979-8412345"
budget_wan: 320.5
funding_source: municipal
schedule:
  start: 2024-06-01
  duration_months: 8
basis: 《格尔木市数字政府建设规划（2023—2025年）》
mlps:
  level: 3
systems:
  count: 2
  type: custom
data_resources:
  needed: true
  catalog_written: true
operating_cost_wan: 25
cloud:
  deployed: true
  operator: 格尔木市电子政务云运维中心
network: e_gov_extranet
approval_path: standard
in_plan: true
new_department: false
simple_and_mature: false
documents:
  proposal:
    file: attachments/proposal.pdf
    prepared_by: 青海某工程咨询有限公司
    credential: 工程咨询单位甲级资信
  feasibility_study:
    file: attachments/feasibility-study.pdf
    prepared_by: 青海某工程咨询有限公司
    credential: 工程咨询单位甲级资信
    sharing_analysis: true
    platform_docking: true
  preliminary_design:
    file: attachments/preliminary-design.pdf
    prepared_by: 某工程设计有限公司
    qualification: 工程设计电子通信广电行业乙级
    sharing_analysis: true
  investment_estimate:
    file: attachments/investment-estimate.xlsx
    prepared_by: 某工程设计有限公司
    qualification: 工程设计电子通信广电行业乙级
    amount_wan: 320.5
  resource_catalog:
    file: attachments/resource-catalog.xlsx
  approval_reply:
    file: attachments/approval-reply.pdf
    number: 格发改〔2024〕35号
    date: 2024-04-10
    sharing_opinion: true
  filing_form:
    file: attachments/filing-form.pdf
    date: 2024-04-25
stage: filed
history:
  - stage: proposed
    date: 2024-02-20
    role: unit
  - stage: approved
    date: 2024-04-10
    role: ndrc
  - stage: filed
    date: 2024-04-25
    role: gov_office
extensions: []
rectifications: []
"""



def write_filed(root: Path) -> None:
    """A filed dossier with every attachment (the shape of tests/cases/valid/base-filed)."""
    d = root / "dossiers" / PID
    (d / "attachments").mkdir(parents=True)
    (d / "project.yaml").write_text(FILED, "utf-8")
    for line in FILED.splitlines():
        if line.strip().startswith("file: "):
            (d / line.split("file: ", 1)[1]).write_bytes(b"%PDF-1.4\n")
