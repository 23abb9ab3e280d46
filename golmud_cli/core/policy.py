"""Local policy against the measures' numbers (pure): C006, once per run on gtx.yaml.

The numbers of 格政办〔2023〕15号 are settings (gtx.yaml `policy`); a repository may set
others. Each one that differs is said once, as information on gtx.yaml, and every
message that quotes the number uses the value in force (K001, K002, V001, A002, B003).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from golmud_cli.core import labels
from golmud_cli.core.findings import Finding

if TYPE_CHECKING:  # pydantic's, or core/fastmodel.py's twin: the same fields
    from golmud_cli.core.model import Policy, Settings


@dataclass(frozen=True, slots=True)
class Number:
    key: str  # the field of gtx.yaml's policy
    clause: str
    measures: object  # the measures' number (gtx's default)
    local: bool = False  # the default is itself local policy, not the measures


# 三（六）: 建成后3个月内 / 通过初步验收后1个月内; 三（七）: 12 至 24 个月;
# 三（二）: 总投资在 500 万元以内; 三（三）: "立即", which gtx reads as 30 days (local policy).
NUMBERS: tuple[Number, ...] = (
    Number("preliminary_acceptance_months", "三（六）", 3),
    Number("final_acceptance_request_months", "三（六）", 1),
    Number("self_evaluation_window_months", "三（七）", (12, 24)),
    Number("simplified_max_budget_wan", "三（二）", Decimal(500)),
    Number("filing_days", "三（三）", 30, local=True),
)


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "–".join(str(v) for v in value)
    return str(value)


def notices(settings: Settings, file: str = "gtx.yaml") -> list[Finding]:
    """C006: every policy number that differs from the measures (or gtx's default)."""
    from golmud_cli.core.rules import Hit
    from golmud_cli.core.rules.structure import C006

    policy: Policy = settings.policy
    out: list[Finding] = []
    for n in NUMBERS:
        value = getattr(policy, n.key)
        if value == n.measures:
            continue
        label = labels.title("Policy", n.key)  # a gtx.yaml field's label
        hit = Hit(
            ("policy", n.key),
            {
                "value": _show(value),
                "default": _show(n.measures),
                "clause": n.clause,
                "label": label,
            },
            variant="local" if n.local else "",
        )
        f = C006.finding(hit, None, file)
        out.append(replace(f, label=label, clause=n.clause))
    return out
