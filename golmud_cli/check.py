"""One dossier from bytes to findings: load, schema, rules, positions (pure but for
the injected `stat`, which answers where each referenced file stands)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from golmud_cli import loader, schema_check
from golmud_cli.findings import Finding, Severity
from golmud_cli.model import Dossier, FundingSource, Settings
from golmud_cli.rules import Context, FileStatus, Rule, catalog
from golmud_cli.rules.structure import referenced_files

# 一: for central or provincial money the provincial measures govern; gtx checks only
# the file, its attachments and its history (lifecycle.md, C001).
PROVINCIAL_SCOPE = ("S", "F", "H", "C")


@dataclass(slots=True)
class Result:
    project: str
    file: str
    dossier: Dossier | None
    findings: list[Finding]


_CATALOG: list[Rule] | None = None


def rules() -> list[Rule]:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = [r for r in catalog() if r.check is not None]
    return _CATALOG


def run_rules(ctx: Context, *, file: str, only: Iterable[str] | None = None) -> list[Finding]:
    d = ctx.dossier
    stages = d.stages
    provincial = d.funding_source in (FundingSource.central, FundingSource.provincial)
    wanted = set(only) if only is not None else None
    out: list[Finding] = []
    for r in rules():
        if wanted is not None and r.code not in wanted:
            continue
        if provincial and not r.code.startswith(PROVINCIAL_SCOPE):
            continue
        if not r.applies(stages):
            continue
        assert r.check is not None
        out.extend(r.finding(hit, d.id, file) for hit in r.check(ctx))
    return out


def check_bytes(
    raw: bytes,
    *,
    file: str,
    folder: str,
    settings: Settings,
    today: dt.date,
    stat: Callable[[str], FileStatus],
    with_positions: bool = True,
) -> Result:
    loaded = loader.load(raw, file, folder)
    findings = list(loaded.findings)
    dossier: Dossier | None = None
    if loaded.data is not None or not findings:
        dossier, schema_findings = schema_check.validate(
            Dossier, loaded.data, file=file, project=folder
        )
        findings.extend(schema_findings)
    if dossier is not None:
        files = {f: stat(f) for _, f, _ in referenced_files(dossier)}
        ctx = Context(dossier, settings, today, folder, files)
        findings.extend(run_rules(ctx, file=file))
    if with_positions and loaded.text is not None:
        findings = locate(findings, loaded.text)
    findings.sort(key=Finding.sort_key)
    return Result(folder, file, dossier, findings)


def locate(findings: list[Finding], text: str) -> list[Finding]:
    """Fill in line and column from one round-trip parse of the file."""
    todo = [f for f in findings if f.line is None]
    if not todo:
        return findings
    pos = loader.positions(text, ((f.path, f.anchor) for f in todo))
    out = []
    for f in findings:
        if f.line is None:
            line, col = pos.get((f.path, f.anchor), (None, None))
            f = f.at(line, col)
        out.append(f)
    return out


def worst(findings: Iterable[Finding]) -> Severity | None:
    ranks = [f.severity for f in findings]
    return min(ranks, key=lambda s: s.rank) if ranks else None
