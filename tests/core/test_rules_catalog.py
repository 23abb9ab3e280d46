"""The catalog's order is a fact on the rules (core/rules FAMILIES), not a string that
a new prefix would crash."""

from __future__ import annotations

from golmud_cli.core.rules import FAMILIES, by_code, catalog, family_rank


def test_every_rule_prefix_is_a_known_family() -> None:
    known = {prefix for prefix, _ in FAMILIES}
    assert len(known) == len(FAMILIES)  # each family listed once
    unknown = sorted({r.code for r in catalog() if r.code[:1] not in known})
    assert not unknown, f"place these rules' prefix in FAMILIES: {unknown}"


def test_catalog_follows_the_families_then_the_codes() -> None:
    codes = [r.code for r in catalog()]
    assert codes == sorted(codes, key=lambda c: (family_rank(c), c))
    assert codes[0].startswith("S") and codes[-1].startswith("G")
    assert set(by_code()) == set(codes)


def test_an_unknown_prefix_sorts_last_instead_of_crashing() -> None:
    assert family_rank("Z001") == len(FAMILIES)
    assert family_rank("S001") == 0
