"""The catalog's order is a fact on the rules (core/rules FAMILIES), not a string that
a new prefix would crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# Rule.needs: run_rules does not call a rule whose context lacks what it needs, so each
# claim is held here: with the need emptied, every case dossier and sample gives no hit.
def _case_dossiers() -> list[tuple[str, Any]]:
    from golmud_cli.core.model import Dossier
    from golmud_cli.edges import loader
    from golmud_cli.pipeline import schema_check

    root = Path(__file__).resolve().parents[2]
    files = sorted(root.glob("tests/cases/*/*/dossiers/*/project.yaml"))
    files += sorted(root.glob("dossiers/*/project.yaml"))
    out = []
    for f in files:
        loaded = loader.load(f.read_bytes(), str(f), f.parent.name)
        if loaded.data is None:
            continue
        d, _ = schema_check.validate(Dossier, loaded.data, file=str(f), project=f.parent.name)
        if d is not None:
            out.append((f.parent.name, d))
    return out


def test_a_rule_yields_nothing_without_what_it_needs() -> None:
    import datetime as dt

    from golmud_cli.core.corrections import effective
    from golmud_cli.core.model import Settings
    from golmud_cli.core.rules import Context
    from golmud_cli.core.rules.base import NEEDS

    needing = [r for r in catalog() if r.needs]
    assert {r.needs for r in needing} <= set(NEEDS)
    assert {r.code for r in needing} >= {"F003", "H004", "K005", "R001"}
    dossiers = _case_dossiers()
    assert len(dossiers) > 100
    settings = Settings()
    for day in (dt.date(2024, 1, 1), dt.date(2026, 12, 1), dt.date(2030, 6, 30)):
        for folder, written in dossiers:
            for r in needing:
                assert r.check is not None
                field = {"digests": None}.get(r.needs, r.needs)
                bare = written.model_copy(update={field: []}) if field else written
                d = effective(bare, day)
                ctx = Context(d, settings, day, folder, recorded=bare if d is not bare else None)
                assert list(r.check(ctx)) == [], (r.code, folder, day)
