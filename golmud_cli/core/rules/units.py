"""S010: the dossier's building unit is one gtx.yaml registers (when it registers any),
checked by `gtx validate` before `gtx advance` needs the unit's signers.

A warning while the project is a draft (nothing has been signed by the unit yet, and
the administrator may register the unit later); an error once the unit has acted
(from `proposed` on): its signature can only be trusted against a registered unit."""

from __future__ import annotations

import difflib

from golmud_cli.core.lifecycle import Stage
from golmud_cli.core.rules.base import Context, E, Hit, W, rule


def s010(ctx: Context) -> list[Hit]:
    units = ctx.settings.units
    unit = ctx.dossier.unit
    if not units or unit in units:
        return []
    near = difflib.get_close_matches(unit, list(units), n=1, cutoff=0.6)
    return [
        Hit(
            ("unit",),
            {
                "unit": unit,
                "near": f"，是不是「{near[0]}」？" if near else "。",
                "near_en": f"; did you mean '{near[0]}'?" if near else ".",
            },
            severity=None if ctx.dossier.stage is Stage.draft else E,
        )
    ]
    return []


S010 = rule(
    "S010",
    W,
    None,
    None,
    ("建设单位已在 gtx.yaml 登记", "the unit is registered in gtx.yaml"),
    (
        "建设单位「{unit}」没有在 gtx.yaml 的 units 中登记（名称须一字不差）{near}"
        "推进阶段前须由管理员登记该单位及其签署人。",
        "the unit '{unit}' is not registered under units in gtx.yaml (the name must match "
        "exactly){near_en} The administrator registers the unit and its signers before a "
        "stage can advance.",
    ),
)(s010)
