"""The text of 格政办〔2023〕15号, shipped with the package, cut into clauses."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

TITLE = "《格尔木市市级政务信息化项目建设管理办法（试行）》（格政办〔2023〕15号）"
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^（([一二三四五六七八九十]+)）")


@lru_cache(maxsize=1)
def text() -> str:
    return resources.files("golmud_cli").joinpath("data/gezhengban-2023-15.txt").read_text("utf-8")


@lru_cache(maxsize=1)
def clauses() -> dict[str, str]:
    """{"一": ..., "三（六）": ..., ...} from the body of the measures (not the notice)."""
    out: dict[str, list[str]] = {}
    section: str | None = None
    key: str | None = None
    started = False
    for raw in text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("附件"):
            if started:
                break
            continue
        m = _SECTION.match(line)
        if m:
            started = True
            section = key = m.group(1)
            out.setdefault(key, []).append(line)
            continue
        if not started or section is None:
            continue
        s = _SUB.match(line)
        if s:
            key = f"{section}（{s.group(1)}）"
        assert key is not None
        out.setdefault(key, []).append(line)
    # "一" is the whole section; a sub-clause holds only its own paragraphs
    return {k: "\n".join(v) for k, v in out.items()}


def clause(ref: str) -> str | None:
    return clauses().get(ref)


@lru_cache(maxsize=1)
def leaf_clauses() -> tuple[str, ...]:
    """Every clause that carries obligations, in the text's order: the sections without
    sub-clauses (一) and the sub-clauses (二（一）...三（七）), then 附件 (the filing
    table) when the text has one. `gtx rules --coverage` maps each of them."""
    keys = list(clauses())
    leaves = [k for k in keys if not any(o.startswith(k + "（") for o in keys)]
    if any(line.strip().startswith("附件：") for line in text().splitlines()):
        leaves.append("附件")
    return tuple(leaves)
