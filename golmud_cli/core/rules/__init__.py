"""The rule catalog: every rule as data with its clause (docs/lifecycle.md, Rules).

What a rule is lives in `base.py`, which every rule module imports; this package
imports the rule modules (lazily, in `catalog()`), never the reverse. `gtx rules`
prints the catalog; docs/rules.md is generated from it.
"""

from __future__ import annotations

from golmud_cli.core.rules.base import (
    Check,
    Context,
    Digest,
    E,
    FileStatus,
    Hit,
    I,
    Rule,
    W,
    rule,
    structural,
)

__all__ = [
    "FAMILIES",
    "Check",
    "Context",
    "Digest",
    "E",
    "FileStatus",
    "Hit",
    "I",
    "Rule",
    "W",
    "by_code",
    "catalog",
    "family_rank",
    "rule",
    "structural",
]

# The rule families by code prefix, in the order `gtx rules` and docs/rules.md list
# them (the lifecycle's order, structure first, signatures last). A family spans
# modules (S is structure.py's and units.py's), so the order is kept here, once. A rule
# whose prefix is missing still appears, last; tests/core/test_rules_catalog.py asserts
# that every rule's prefix is listed, so a new family is placed on purpose.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("S", "the file: syntax, schema, names"),
    ("F", "referenced files"),
    ("H", "history and its transitions"),
    ("C", "funding and the e-gov cloud"),
    ("A", "the approval path"),
    ("B", "filing (备案)"),
    ("P", "procurement and construction"),
    ("U", "building before approval"),
    ("K", "acceptance"),
    ("V", "evaluation after acceptance"),
    ("R", "rectification and sanctions"),
    ("G", "git: trees and signatures (gtx verify)"),
)
_RANK = {prefix: n for n, (prefix, _) in enumerate(FAMILIES)}


def family_rank(code: str) -> int:
    """The position of a rule's family in the catalog; an unknown one sorts last."""
    return _RANK.get(code[:1], len(FAMILIES))


def catalog() -> list[Rule]:
    # imported here, not at the top: a caller that only needs `FileStatus` or `Hit`
    # does not load every rule module
    from golmud_cli.core.rules import (
        acceptance,
        approval,
        corrections,
        filing,
        git,
        structure,
        supervision,
        units,
    )

    rules: list[Rule] = []
    modules = (structure, corrections, units, supervision, approval, filing, acceptance, git)
    for module in modules:
        rules.extend(r for r in vars(module).values() if isinstance(r, Rule))
    return sorted(rules, key=lambda r: (family_rank(r.code), r.code))


def by_code() -> dict[str, Rule]:
    return {r.code: r for r in catalog()}
