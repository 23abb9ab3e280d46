"""The clause map of 格政办〔2023〕15号 (pure): for each clause, what gtx enforces it
with (rules, deadlines, gates and the roles that sign them) and what it deliberately
leaves unchecked, with the reason. `gtx rules --coverage` prints it; docs/rules.md
lists the unchecked obligations.
"""

from __future__ import annotations

from dataclasses import dataclass

from golmud_cli.core.deadlines import CLAUSES as DEADLINE_CLAUSES
from golmud_cli.core.deadlines import Kind
from golmud_cli.core.lifecycle import ENTERED_BY, JOINT_ACTS, STAGE_CLAUSES, Role, Stage


@dataclass(frozen=True, slots=True)
class Unchecked:
    """An obligation of the measures that no program can judge from a dossier."""

    clause: str
    what_zh: str
    what_en: str
    why_zh: str
    why_en: str


_JUDGEMENT = (
    "须由人判断，档案中没有可供程序核对的事实",
    "a matter of judgement: the dossier holds no fact a program could check",
)

UNCHECKED: tuple[Unchecked, ...] = (
    Unchecked(
        "一",
        "项目是否属于《政务信息系统定义和范围》规定的政务信息系统",
        "whether a project is a government information system as defined",
        "适用范围由建设单位和市发改委认定；gtx 只按资金来源区分市级与省级办法",
        "scope is decided by the unit and the NDRC; gtx only tells municipal from "
        "provincial funding apart",
    ),
    Unchecked(
        "二（一）",
        "编制市级政务信息化项目建设规划；专家评审的质量与可行性、必要性论证",
        "drawing up the city's plan; the quality of the expert review and of the case "
        "for feasibility and necessity",
        _JUDGEMENT[0] + "（gtx 只记录评审是否通过，A012）",
        _JUDGEMENT[1] + " (gtx records whether the review passed, A012)",
    ),
    Unchecked(
        "二（二）",
        "资金使用计划审核、下达和拨付；绩效评价；项目入库",
        "review, release and payment of funds; performance evaluation; entry in the "
        "project library",
        "资金拨付在财政系统中办理，不在档案里；入库记录（project_library）可选，办法未规定时限",
        "funds move in the finance system, not in the dossier; the library entry "
        "(project_library) is optional, the measures set no time for it",
    ),
    Unchecked(
        "二（三）",
        "能由政务云承载部分的建设费用不得列入预算；框架方案内容（数据目录、无重复交叉）",
        "no budget for what the e-gov cloud can carry; the content of a framework plan "
        "(data catalog, no overlap)",
        "要比较建设内容与云平台能力，须由人审查方案",
        "it compares the plan's content with the cloud's capacity: a reviewer's task",
    ),
    Unchecked(
        "二（四）",
        "政府采购是否符合《政府采购法》",
        "whether procurement follows the Government Procurement Law",
        "采购过程由市财政局监管，档案只记录采购方式和备案表（P001）",
        "the finance bureau supervises the procedure; the dossier records the method and "
        "the filing form (P001)",
    ),
    Unchecked(
        "三（一）",
        "当年建设项目经建设单位研究同意后“即时申报”",
        "a project to build this year is applied for 'at once' after the unit's decision",
        "“即时”没有天数，办法未规定，gtx 只检查预算申报已记录（P002）",
        "'at once' has no number of days; gtx checks only that the budget application is "
        "recorded (P002)",
    ),
    Unchecked(
        "三（二）",
        "编制单位资信、资质的真实性；充分考虑评审意见优化方案；信息共享长效机制和反馈机制；"
        "不得将应普遍共享的数据仅向特定企业开放",
        "whether credentials are genuine; revising the plan after review; the lasting "
        "sharing and feedback mechanisms; not opening shared data to chosen firms only",
        _JUDGEMENT[0] + "（gtx 检查这些内容已记录，A005–A009）",
        _JUDGEMENT[1] + " (gtx checks they are recorded, A005-A009)",
    ),
    Unchecked(
        "三（三）",
        "备案表各项内容的真实性",
        "whether the filing table tells the truth",
        "gtx 检查每一项已填写（B001），不能核实内容",
        "gtx checks every field is filled (B001), not that it is true",
    ),
    Unchecked(
        "三（五）",
        "如实提供资料、不得拒绝隐匿瞒报；遵守保密法规、构建防护体系；密评的周期（“定期”）；"
        "网络安全监管部门的监管；审计",
        "truthful materials, nothing withheld; secrecy law and a layered defence; how "
        "often to assess cryptography ('regularly'); the security regulator's and the "
        "auditor's work",
        "档案无法证明其未记录的事实（gtx 只核对登记了 SHA-256 的附件未被替换，F003）；"
        "办法未规定密评周期；监管与审计是其他部门的职责",
        "a dossier cannot prove what it leaves out (gtx checks only that attachments with "
        "a recorded SHA-256 were not swapped, F003); the measures set no period for the "
        "crypto assessment; supervision and audit are other departments' work",
    ),
    Unchecked(
        "三（六）",
        "初步验收、竣工验收的实质内容（是否按批复规模和内容建设、功能是否达标）",
        "the substance of acceptance (built to the approved scale and content, functions "
        "meeting the targets)",
        _JUDGEMENT[0] + "（gtx 检查期限、报告和附件，K001–K009）",
        _JUDGEMENT[1] + " (gtx checks the deadlines, reports and attachments, K001-K009)",
    ),
    Unchecked(
        "三（七）",
        "评价结果的应用：整改意见、完善制度、作为下一年度安排投资和运维经费的依据",
        "using the results: rectification advice, better rules, next year's investment "
        "and O&M funds",
        "这是评价之后各部门的决策，不在单个项目档案中",
        "these are the departments' decisions after the evaluation, outside a project's dossier",
    ),
)


@dataclass(frozen=True, slots=True)
class ClauseCoverage:
    clause: str
    rules: tuple[str, ...]  # rule codes
    deadlines: tuple[Kind, ...]
    gates: tuple[Stage, ...]  # acts (stages entered) resting on the clause
    roles: tuple[Role, ...]  # who signs those acts (joint ones included)
    unchecked: tuple[Unchecked, ...]


def clause_map() -> list[ClauseCoverage]:
    """Every clause of the shipped measures, in order, with what enforces it."""
    from golmud_cli.core.measures import leaf_clauses
    from golmud_cli.core.rules import catalog

    rules = catalog()
    out: list[ClauseCoverage] = []
    for c in leaf_clauses():
        gates = tuple(s for s, cs in STAGE_CLAUSES.items() if c in cs)
        roles: list[Role] = []
        for s in gates:
            for role in (ENTERED_BY[s], *JOINT_ACTS.get(s, ())):
                if role not in roles:
                    roles.append(role)
        out.append(
            ClauseCoverage(
                clause=c,
                rules=tuple(r.code for r in rules if r.clause == c or c in r.also),
                deadlines=tuple(k for k, kc in DEADLINE_CLAUSES.items() if kc == c),
                gates=gates,
                roles=tuple(roles),
                unchecked=tuple(u for u in UNCHECKED if u.clause == c),
            )
        )
    return out
