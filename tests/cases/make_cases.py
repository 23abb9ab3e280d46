"""Generate the example dossier repositories under tests/cases/ (valid/ and invalid/).

Each case is a tiny dossier repository: `dossiers/<id>/project.yaml`, placeholder
attachments, optionally `gtx.yaml`, and `case.yaml` saying as of which day to check
it and, for an invalid case, the code it must raise (and where); for a valid case
(a near miss) the code it must not raise. Every case starts from one base dossier
that is valid at the stage asked for, plus a small edit.

    .venv/bin/python tests/cases/make_cases.py            # rewrite tests/cases/
    .venv/bin/python tests/cases/make_cases.py OUT_DIR    # write elsewhere (the sync test)

The generated folders are committed: tests/test_cases.py reads them from disk, and a
test checks that they equal what this script writes.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

D = dt.date
PID = "2024-smart-parking"
AS_OF = D(2026, 11, 2)
HERE = Path(__file__).resolve().parent

# The base project's timeline: (stage, date, role). Every deadline is met:
# filed 15 days after approval (policy: 30), preliminary acceptance 2 months after
# completion (三（六）: 3), the request 18 days later (1 month), self-evaluation 13
# months after operation (三（七）: 12 to 24).
TIMELINE: list[tuple[str, D, str]] = [
    ("proposed", D(2024, 2, 20), "unit"),
    ("approved", D(2024, 4, 10), "ndrc"),
    ("filed", D(2024, 4, 25), "gov_office"),
    ("procuring", D(2024, 5, 10), "finance"),
    ("under_construction", D(2024, 6, 3), "unit"),
    ("completed", D(2024, 12, 20), "unit"),
    ("preliminarily_accepted", D(2025, 2, 20), "unit"),
    ("acceptance_requested", D(2025, 3, 10), "unit"),
    ("accepted", D(2025, 4, 15), "ndrc"),
    ("operating", D(2025, 5, 6), "unit"),
    ("self_evaluated", D(2026, 6, 1), "unit"),
    ("post_evaluated", D(2026, 9, 1), "ndrc"),
]
STAGES = ["draft", *(s for s, _, _ in TIMELINE)]


def _doc(name: str, **fields: Any) -> dict[str, Any]:
    return {"file": f"attachments/{name}", **fields}


# Documents by the stage from which the base dossier holds them.
DOCUMENTS: list[tuple[str, str, dict[str, Any]]] = [
    ("draft", "proposal", _doc("proposal.pdf", prepared_by="青海某工程咨询有限公司",
                                 credential="工程咨询单位甲级资信")),
    ("draft", "feasibility_study", _doc(
        "feasibility-study.pdf", prepared_by="青海某工程咨询有限公司", credential="工程咨询单位甲级资信",
        sharing_analysis=True, platform_docking=True)),
    ("draft", "preliminary_design", _doc(
        "preliminary-design.pdf", prepared_by="某工程设计有限公司",
        qualification="工程设计电子通信广电行业乙级", sharing_analysis=True)),
    ("draft", "investment_estimate", _doc(
        "investment-estimate.xlsx", prepared_by="某工程设计有限公司",
        qualification="工程设计电子通信广电行业乙级", amount_wan=320.5)),
    ("draft", "resource_catalog", _doc("resource-catalog.xlsx")),
    ("approved", "approval_reply", _doc("approval-reply.pdf", number="格发改〔2024〕35号",
                                        date=D(2024, 4, 10), sharing_opinion=True)),
    ("filed", "filing_form", _doc("filing-form.pdf", date=D(2024, 4, 25))),
    ("procuring", "budget_application", _doc("budget-application.pdf", date=D(2024, 5, 6))),
    ("procuring", "procurement_filing", _doc("procurement-filing.pdf", date=D(2024, 5, 10),
                                             method="public_tender")),
    ("under_construction", "contract", _doc("contract.pdf", date=D(2024, 5, 28),
                                            vendor="青海某信息技术有限公司", amount_wan=298)),
    ("preliminarily_accepted", "preliminary_acceptance_report",
     _doc("preliminary-acceptance-report.pdf", date=D(2025, 2, 20))),
    ("acceptance_requested", "construction_summary", _doc("construction-summary.pdf")),
    ("acceptance_requested", "financial_report", _doc("financial-report.pdf")),
    ("acceptance_requested", "audit_report", _doc("audit-report.pdf")),
    ("acceptance_requested", "security_risk_assessment", _doc("security-risk-assessment.pdf")),
    ("accepted", "acceptance_report", _doc("acceptance-report.pdf", date=D(2025, 4, 15))),
    # 三（五）: the 等保 filing and the 密评 of an operating 等保三级 system (C004, C005)
    ("operating", "mlps_certificate", _doc("mlps-certificate.pdf", number="63280013001-25001",
                                           date=D(2025, 4, 28))),
    ("operating", "crypto_assessment", _doc("crypto-assessment.pdf", date=D(2025, 4, 25), result="pass",
                                            evaluator="青海某商用密码检测有限公司")),
    ("self_evaluated", "self_evaluation_report", _doc(
        "self-evaluation-report.pdf", date=D(2026, 6, 1), submitted_to=["ndrc", "finance"])),
    ("post_evaluated", "post_evaluation_report", _doc(
        "post-evaluation-report.pdf", date=D(2026, 9, 1), evaluator="青海某工程咨询有限公司")),
]


PLACEHOLDER = b"placeholder\n"  # every attachment's bytes
PLACEHOLDER_SHA256 = hashlib.sha256(PLACEHOLDER).hexdigest()
OTHER_SHA256 = hashlib.sha256(b"the scan as it was signed\n").hexdigest()  # not the file's


def base(stage: str) -> dict[str, Any]:
    """A dossier that is valid at `stage` (a main-line stage)."""
    upto = STAGES.index(stage)
    docs = {kind: copy.deepcopy(rec) for since, kind, rec in DOCUMENTS if STAGES.index(since) <= upto}
    history = [{"stage": s, "date": d, "role": r} for s, d, r in TIMELINE[:upto]]
    return {
        "schema_version": 1,
        "id": PID,
        "name": "格尔木市智慧停车管理平台",
        "unit": "格尔木市公安局交通警察大队",
        "contact": {"name": "张三", "phone": "0979-8412345"},
        "budget_wan": 320.5,
        "funding_source": "municipal",
        "project_code": "2402-632801-04-01-512345",
        "project_library": {"entered": D(2024, 2, 26), "number": "GEM-2024-017"},
        "schedule": {"start": D(2024, 6, 1), "duration_months": 8},
        "basis": "《格尔木市数字政府建设规划（2023—2025年）》",
        "mlps": {"level": 3},
        "systems": {"count": 2, "type": "custom"},
        "data_resources": {"needed": True, "catalog_written": True},
        "operating_cost_wan": 25,
        "cloud": {"deployed": True, "operator": "格尔木市电子政务云运维中心"},
        "network": "e_gov_extranet",
        "approval_path": "standard",
        "in_plan": True,
        "new_department": False,
        "simple_and_mature": False,
        "documents": docs,
        "stage": stage,
        "history": history,
        "extensions": [],
        "rectifications": [],
    }


# --- a small YAML emitter (block style, as docs/dossier.md writes it) --------------------

_PLAIN = re.compile(r"^[0-9A-Za-z_\u3000-\u9fff\uff00-\uffef][^:#\x00-\x1f'\"{}\[\],&*!|>%@`]*$")
_NUMBERISH = re.compile(r"^[-+0-9.xoXOeE_:]*$")  # ints, floats, dates, times: quote them
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    if _PLAIN.match(s) and not _NUMBERISH.match(s) and s.lower() not in _RESERVED and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def emit(obj: dict[str, Any], indent: int = 0) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for k, v in obj.items():
        if isinstance(v, dict) and v:
            out.append(f"{pad}{k}:")
            out.extend(emit(v, indent + 2))
        elif isinstance(v, dict):
            out.append(f"{pad}{k}: {{}}")
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            out.append(f"{pad}{k}:")
            for item in v:
                lines = emit(item, indent + 4)
                out.append(f"{pad}  - {lines[0].lstrip()}")
                out.extend(lines[1:])
        elif isinstance(v, list):
            out.append(f"{pad}{k}: [{', '.join(scalar(x) for x in v)}]")
        else:
            out.append(f"{pad}{k}: {scalar(v)}")
    return out


def to_yaml(d: dict[str, Any]) -> str:
    head = "# yaml-language-server: $schema=../../schema/dossier.schema.json\n"
    return head + "\n".join(emit(d)) + "\n"


# --- cases ---------------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


@dataclass
class Case:
    name: str
    stage: str = "approved"
    edit: Edit | None = None
    text: Callable[[str], str] | None = None  # applied to the emitted YAML
    raw: Callable[[bytes], bytes] | None = None  # applied to the encoded bytes
    as_of: D = AS_OF
    severity: str = "error"
    also: list[str] = field(default_factory=list)  # other codes that are inherent
    at: str | None = None  # regex: the finding points at its match (group "v" if any)
    field_: str | None = None  # the finding's dotted field
    message: str | None = None  # a text the finding's English message contains
    settings: dict[str, Any] | None = None  # gtx.yaml
    missing: list[str] = field(default_factory=list)  # referenced files not written
    links: dict[str, str] = field(default_factory=dict)  # symlink path -> target
    extra_files: list[str] = field(default_factory=list)
    folder: str = PID
    more: dict[str, dict[str, Any]] = field(default_factory=dict)  # other projects


def hist(d: dict[str, Any], stage: str) -> dict[str, Any]:
    return next(h for h in reversed(d["history"]) if h["stage"] == stage)


def sub(pattern: str, repl: str) -> Callable[[str], str]:
    def f(text: str) -> str:
        new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
        assert n == 1, pattern
        return new

    return f


def chain(*fs: Edit) -> Edit:
    def f(d: dict[str, Any]) -> None:
        for g in fs:
            g(d)

    return f


def setp(path: str, value: Any) -> Edit:
    """Set a dotted path (creating mappings on the way)."""

    def f(d: dict[str, Any]) -> None:
        node: Any = d
        parts = path.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        node[parts[-1]] = value

    return f


def delp(path: str) -> Edit:
    def f(d: dict[str, Any]) -> None:
        node: Any = d
        parts = path.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node[p]
        del node[parts[-1]]

    return f


def sethist(stage: str, **kv: Any) -> Edit:
    def f(d: dict[str, Any]) -> None:
        hist(d, stage).update(kv)

    return f


def simplified(d: dict[str, Any]) -> None:
    # 三（二）: ≤ 500 万元, simple and mature: the feasibility study alone.
    d["approval_path"] = "simplified"
    d["simple_and_mature"] = True
    d["budget_wan"] = 300
    for k in ("proposal", "preliminary_design", "investment_estimate"):
        d["documents"].pop(k, None)


LOL = (
    "x_lol:\n"
    '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
)

EXT_PRELIM = {"for": "preliminary_acceptance", "requested": D(2025, 3, 1), "approved": D(2025, 3, 5),
              "until": D(2025, 4, 30), "file": "attachments/extension-approval.pdf"}
EXT_FINAL = {"for": "final_acceptance_request", "requested": D(2025, 3, 10), "approved": D(2025, 3, 12),
             "until": D(2025, 4, 30), "file": "attachments/extension-approval.pdf"}
RECT = {"issued": D(2026, 3, 2), "by": "ndrc", "finding": "未按要求开展密码应用安全性评估",
        "due": D(2026, 4, 1), "resolved": None, "sanctions": []}


CORRECTED = D(2026, 10, 12)  # the day the correction of a case is made


def correct(entry: int, date: D, role: str, corrected: D = CORRECTED,
            reason: str | None = "批复日期误录为登记日期") -> Edit:
    """Append a correction of history entry `entry` (1-based), placed after history."""

    def f(d: dict[str, Any]) -> None:
        c: dict[str, Any] = {"entry": entry, "date": date, "corrected": corrected, "role": role}
        if reason is not None:
            c["reason"] = reason
        if "corrections" not in d:
            rest = {k: d.pop(k) for k in list(d)[list(d).index("history") + 1:]}
            d["corrections"] = []
            d.update(rest)
        d["corrections"].append(c)

    return f


INVALID: list[Case] = [
    # S001: the file is valid YAML
    Case("S001-tab-indentation", stage="proposed",
         text=sub(r"^  duration_months: 8$", "\tduration_months: 8"), at=r"^\tduration_months"),
    Case("S001-unclosed-quote", stage="proposed",
         text=sub(r"^name: .*$", 'name: "格尔木市智慧停车管理平台'), message="syntax"),
    Case("S001-billion-laughs", stage="proposed", text=lambda t: t + LOL, at=r"(?P<v>&a)"),
    Case("S001-python-tag", stage="proposed",
         text=sub(r"^name: .*$", 'name: !!python/object/apply:os.system ["echo pwned"]'),
         at=r"^name: (?P<v>!!python)", message="tag"),
    Case("S001-not-utf8", stage="proposed", raw=lambda b: b.replace(
        "格尔木市智慧停车管理平台".encode(), "格尔木市智慧停车管理平台".encode("gbk"), 1), message="UTF-8"),
    Case("S001-deep-nesting", stage="proposed",
         text=lambda t: t + "x_deep: " + "[" * 100 + "]" * 100 + "\n", message="nesting"),
    Case("S001-two-documents", stage="proposed", text=lambda t: t + "---\nname: 另一个\n"),
    Case("S001-nul-byte", stage="proposed", raw=lambda b: b.replace(b"\nbasis:", b"\n\x00basis:", 1)),
    # S002: the schema
    Case("S002-date-feb-30", stage="proposed", edit=setp("schedule.start", "2024-02-30"),
         text=sub(r'"2024-02-30"', "2024-02-30"), at=r"^  start: (?P<v>2024-02-30)",
         field_="schedule.start", message="not a real date"),
    Case("S002-phone-unquoted", stage="proposed", text=sub(r"phone: \"0979-8412345\"", "phone: 0979123456"),
         at=r"phone: (?P<v>0979123456)", field_="contact.phone", message="Quote it"),
    Case("S002-date-not-iso", stage="proposed", edit=setp("schedule.start", "2024/6/1"),
         at=r"start: (?P<v>2024/6/1)", field_="schedule.start"),
    Case("S002-unknown-enum-value", stage="proposed", edit=setp("funding_source", "city"),
         at=r"^funding_source: (?P<v>city)", field_="funding_source"),
    Case("S002-yes-is-not-a-boolean", stage="proposed", text=sub(r"deployed: true", "deployed: yes"),
         at=r"deployed: (?P<v>yes)", field_="cloud.deployed"),
    Case("S002-negative-budget", stage="proposed", edit=setp("budget_wan", -5),
         at=r"^budget_wan: (?P<v>-5)", field_="budget_wan"),
    Case("S002-missing-name", stage="proposed", edit=delp("name"), field_="name"),
    Case("S002-document-without-file", stage="proposed", edit=delp("documents.proposal.file"),
         at=r"^  (?P<v>proposal):", field_="documents.proposal.file"),
    Case("S002-rectification-without-due", stage="approved",
         edit=lambda d: d["rectifications"].append({k: v for k, v in RECT.items() if k != "due"}),
         at=r"^  - (?P<v>issued):", field_="rectifications.0.due"),
    Case("S002-mlps-other-without-note", stage="proposed", edit=setp("mlps.level", "other"),
         at=r"^(?P<v>mlps):", field_="mlps.note"),
    Case("S002-cloud-without-operator", stage="proposed", edit=delp("cloud.operator"),
         field_="cloud.operator"),
    Case("S002-network-other-without-note", stage="proposed", edit=setp("network", "other"),
         field_="network_note"),
    Case("S002-top-level-list", stage="proposed", text=lambda t: "- 格尔木市智慧停车管理平台\n"),
    Case("S002-empty-file", stage="proposed", text=lambda t: ""),
    # S003: duplicate keys
    Case("S003-duplicate-key", stage="proposed", text=sub(r"^(budget_wan: .*)$", r"\1\nbudget_wan: 330"),
         at=r"^(?P<v>budget_wan): 330", field_="budget_wan"),
    # S004: unknown keys, with a suggestion
    Case("S004-typo-budjet-wan", stage="proposed", text=sub(r"^budget_wan:", "budjet_wan:"),
         at=r"^(?P<v>budjet_wan):", field_="budjet_wan", message="did you mean budget_wan"),
    Case("S004-nested-typo", stage="proposed",
         text=sub(r"^    sharing_analysis: true$", "    sharing_analisys: true"),
         at=r"^    (?P<v>sharing_analisys):", message="did you mean sharing_analysis"),
    # S005: id equals the folder and is unique
    Case("S005-id-differs-from-folder", stage="proposed", edit=setp("id", "2024-smart-parkin"),
         at=r"^id: (?P<v>2024-smart-parkin)$", field_="id"),
    Case("S005-folder-is-not-an-id", stage="proposed", folder="2024_Smart_Parking", field_="id",
         message="rename the folder"),
    Case("S005-duplicate-id", stage="proposed", folder="2024-smart-parking-copy",
         more={PID: {}}, field_="id"),
    # S010: the unit is registered in gtx.yaml (an error once the unit has acted)
    Case("S010-unit-not-registered", stage="proposed", field_="unit", message="did you mean",
         settings={"units": {"格尔木市公安局交通警察支队": {"signers": []}}}),
    # F001/F002: attachments
    Case("F001-missing-attachment", stage="proposed", missing=["attachments/feasibility-study.pdf"],
         at=r"file: (?P<v>attachments/feasibility-study\.pdf)", field_="documents.feasibility_study.file"),
    Case("F001-attachment-is-a-folder", stage="proposed", edit=setp("documents.proposal.file", "attachments/scans"),
         missing=["attachments/scans"], extra_files=["attachments/scans/page-1.pdf"],
         field_="documents.proposal.file", message="not a regular file"),
    Case("F002-control-character-in-path", stage="proposed",
         edit=setp("documents.proposal.file", "attachments/pro\tposal.pdf"), missing=["attachments/pro\tposal.pdf"],
         field_="documents.proposal.file", message="control"),
    Case("F002-dot-dot", stage="proposed", edit=setp("documents.proposal.file", "../proposal.pdf"),
         at=r'file: (?P<v>"\.\./proposal\.pdf")', field_="documents.proposal.file"),
    Case("F002-absolute-path", stage="proposed", edit=setp("documents.proposal.file", "/etc/passwd"),
         field_="documents.proposal.file"),
    Case("F002-symlink-out", stage="proposed", missing=["attachments/proposal.pdf"],
         links={"attachments/proposal.pdf": "../../../case.yaml"}, field_="documents.proposal.file"),
    # F003: an attachment whose recorded SHA-256 (gtx attach) no longer matches its bytes
    Case("F003-swapped-signed-attachment", stage="approved",
         edit=chain(setp("documents.approval_reply.sha256", OTHER_SHA256),
                    sethist("approved", refs=["approval_reply"])),
         at=r"sha256: (?P<v>[0-9a-f]{64})", field_="documents.approval_reply.sha256",
         message="History entry 2 (approved) rests on it"),
    Case("F003-swapped-attachment-before-any-act", stage="proposed", severity="warning",
         edit=setp("documents.proposal.sha256", OTHER_SHA256),
         at=r"sha256: (?P<v>[0-9a-f]{64})", field_="documents.proposal.sha256",
         message="it is not the file that was recorded"),
    Case("F003-recorded-attachment-became-a-link", stage="approved", missing=["attachments/approval-reply.pdf"],
         edit=chain(setp("documents.approval_reply.sha256", PLACEHOLDER_SHA256),
                    sethist("approved", refs=["approval_reply"])),
         links={"attachments/approval-reply.pdf": "proposal.pdf"},  # the same bytes, through a link
         field_="documents.approval_reply.sha256", message="symbolic link"),
    # H: history
    Case("H001-stage-ahead-of-history", stage="proposed", edit=setp("stage", "approved"),
         at=r"^stage: (?P<v>approved)", field_="stage"),
    Case("H002-skipped-stage", stage="filed",
         edit=lambda d: d["history"].remove(hist(d, "approved")), field_="history.1.stage"),
    Case("H002-wrong-role", stage="approved", edit=sethist("approved", role="unit"),
         field_="history.1.role"),
    Case("H003-date-goes-back", stage="filed", edit=sethist("filed", date=D(2024, 4, 5)),
         field_="history.2.date"),
    Case("H003-date-in-future", stage="filed", as_of=D(2024, 4, 20), field_="history.2.date"),
    # H004-H009: corrections of a recorded act's date
    Case("H004-no-such-entry", stage="filed", edit=correct(5, D(2024, 4, 24), "gov_office"),
         at=r"^  - entry: (?P<v>5)", field_="corrections.0.entry"),
    Case("H005-corrected-by-another-role", stage="filed", edit=correct(2, D(2024, 4, 12), "unit"),
         field_="corrections.0.role", message="only ndrc may correct it"),
    Case("H006-before-the-previous-entry", stage="filed", edit=correct(2, D(2024, 2, 1), "ndrc"),
         field_="corrections.0.date", message="before the previous entry's 2024-02-20"),
    Case("H006-after-the-next-entry", stage="filed", edit=correct(2, D(2024, 5, 1), "ndrc"),
         field_="corrections.0.date", message="after the next entry's 2024-04-25"),
    Case("H007-correction-in-the-future", stage="filed",
         edit=correct(2, D(2024, 4, 12), "ndrc", corrected=D(2026, 12, 1)), field_="corrections.0.corrected"),
    Case("H007-act-after-its-correction", stage="filed",
         edit=correct(2, D(2024, 4, 12), "ndrc", corrected=D(2024, 4, 11)), field_="corrections.0.date"),
    Case("H008-corrections-out-of-order", stage="filed",
         edit=chain(correct(2, D(2024, 4, 12), "ndrc"),
                    correct(3, D(2024, 4, 26), "gov_office", corrected=D(2026, 9, 1))),
         field_="corrections.1.corrected"),
    Case("H009-no-reason", stage="filed", edit=correct(2, D(2024, 4, 12), "ndrc", reason=None),
         field_="corrections.0"),
    Case("H009-blank-reason", stage="filed", edit=correct(2, D(2024, 4, 12), "ndrc", reason=" "),
         field_="corrections.0.reason"),
    # C: scope
    Case("C001-provincial-funding", stage="approved", edit=setp("funding_source", "provincial"),
         severity="info", field_="funding_source"),
    Case("C002-not-on-cloud-without-reason", stage="proposed",
         edit=lambda d: d.update(cloud={"deployed": False}), severity="warning",
         at=r"^(?P<v>cloud):", field_="cloud.exemption_reason"),
    # A: approval 三（二）
    Case("A001-standard-without-preliminary-design", edit=delp("documents.preliminary_design"),
         field_="documents.preliminary_design"),
    Case("A001-no-approval-path", edit=delp("approval_path"), field_="approval_path"),
    Case("A002-simplified-over-500", stage="proposed", edit=chain(simplified, setp("budget_wan", 500.5)),
         field_="budget_wan"),
    Case("A003-planned-not-in-plan", stage="proposed",
         edit=chain(setp("approval_path", "planned"), setp("in_plan", False)), field_="in_plan"),
    Case("A004-urgent-without-basis", stage="proposed",
         edit=chain(setp("approval_path", "urgent"), setp("urgency_basis", " ")), field_="urgency_basis"),
    Case("A005-feasibility-without-credential", edit=delp("documents.feasibility_study.credential"),
         at=r"^  (?P<v>feasibility_study):", field_="documents.feasibility_study.credential"),
    Case("A006-design-without-sharing-chapter",
         edit=setp("documents.preliminary_design.sharing_analysis", False),
         field_="documents.preliminary_design.sharing_analysis"),
    Case("A007-reply-without-number", edit=delp("documents.approval_reply.number"),
         field_="documents.approval_reply.number"),
    Case("A007-evaluation-without-opinion",
         edit=setp("documents.consulting_evaluation", _doc("consulting-evaluation.pdf", sharing_opinion=False)),
         field_="documents.consulting_evaluation.sharing_opinion"),
    Case("A008-catalog-not-written", edit=setp("data_resources.catalog_written", False),
         field_="data_resources.catalog_written"),
    Case("A009-new-department-without-docking",
         edit=chain(setp("new_department", True), setp("documents.feasibility_study.platform_docking", False)),
         field_="documents.feasibility_study.platform_docking"),
    Case("A010-cross-department-without-framework",
         edit=setp("cross_department", {"lead": "格尔木市公安局交通警察大队", "participants": ["格尔木市民政局"]}),
         field_="documents.framework_plan"),
    Case("A010-no-participant-besides-lead",
         edit=chain(setp("cross_department", {"lead": "格尔木市公安局交通警察大队",
                                              "participants": ["格尔木市公安局交通警察大队"]}),
                    setp("documents.framework_plan", _doc("framework-plan.pdf"))),
         field_="cross_department.participants"),
    # B: filing 三（三）
    Case("B001-network-missing", stage="filed", edit=delp("network"), field_="network"),
    Case("B001-phone-missing", stage="filed", edit=delp("contact.phone"), field_="contact.phone"),
    Case("B002-filing-form-missing", stage="filed", edit=delp("documents.filing_form"),
         field_="documents.filing_form"),
    Case("B003-filed-45-days-after-approval", stage="filed", edit=sethist("filed", date=D(2024, 5, 25)),
         severity="warning", field_="history.2.date", message="local policy"),
    # P: procurement 三（四）, budget 三（一）, contract 三（六）
    Case("P001-procurement-filing-missing", stage="procuring", edit=delp("documents.procurement_filing"),
         field_="documents.procurement_filing"),
    Case("P001-procurement-method-missing", stage="procuring",
         edit=delp("documents.procurement_filing.method"), field_="documents.procurement_filing.method"),
    Case("P002-budget-application-missing", stage="procuring", edit=delp("documents.budget_application"),
         severity="warning", field_="documents.budget_application"),
    Case("P003-contract-without-vendor", stage="under_construction", edit=delp("documents.contract.vendor"),
         field_="documents.contract.vendor"),
    Case("P003-contract-missing", stage="under_construction", edit=delp("documents.contract"),
         field_="documents.contract"),
    # U001: building before approval 三（五）
    Case("U001-contract-before-approval", stage="under_construction",
         edit=setp("documents.contract.date", D(2024, 3, 1)),
         at=r"date: (?P<v>2024-03-01)", field_="documents.contract.date"),
    Case("U001-contract-without-approval", stage="proposed",
         edit=setp("documents.contract", _doc("contract.pdf", date=D(2024, 3, 1), vendor="某公司", amount_wan=100)),
         field_="documents.contract"),
    # K: acceptance 三（六）
    Case("K001-late-preliminary-acceptance", stage="preliminarily_accepted",
         edit=chain(sethist("preliminarily_accepted", date=D(2025, 4, 1)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 4, 1))),
         field_="history.6.date"),
    Case("K001-no-holiday-shift", stage="preliminarily_accepted",
         # 2025-03-22 is a Saturday: without the shift, Monday 03-24 is late.
         edit=chain(sethist("completed", date=D(2024, 12, 22)),
                    sethist("preliminarily_accepted", date=D(2025, 3, 24)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 3, 24))),
         settings={"policy": {"holiday_shift": False}}, field_="history.6.date"),
    Case("K001-extension-not-approved", stage="preliminarily_accepted",
         edit=chain(sethist("preliminarily_accepted", date=D(2025, 4, 20)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 4, 20)),
                    lambda d: d["extensions"].append({**EXT_PRELIM, "approved": None})),
         field_="history.6.date"),
    Case("K002-late-acceptance-request", stage="acceptance_requested",
         edit=sethist("acceptance_requested", date=D(2025, 4, 1)), field_="history.7.date"),
    Case("K003-audit-report-missing", stage="acceptance_requested", edit=delp("documents.audit_report"),
         field_="documents.audit_report"),
    Case("K004-acceptance-report-missing", stage="accepted", edit=delp("documents.acceptance_report"),
         field_="documents.acceptance_report"),
    Case("K005-extension-without-until", stage="completed", as_of=D(2025, 3, 15),
         edit=lambda d: d["extensions"].append({k: v for k, v in EXT_PRELIM.items() if k != "until"}),
         field_="extensions.0.until"),
    Case("K005-until-not-after-deadline", stage="completed", as_of=D(2025, 3, 15),
         edit=lambda d: d["extensions"].append({**EXT_PRELIM, "until": D(2025, 3, 20)}),
         at=r"until: (?P<v>2025-03-20)", field_="extensions.0.until"),
    Case("K006-report-missing", stage="preliminarily_accepted",
         edit=delp("documents.preliminary_acceptance_report"), field_="documents.preliminary_acceptance_report"),
    Case("K006-report-without-date", stage="preliminarily_accepted",
         edit=delp("documents.preliminary_acceptance_report.date"),
         field_="documents.preliminary_acceptance_report.date"),
    # V: self-evaluation 三（七）
    Case("V001-late-self-evaluation", stage="self_evaluated", as_of=D(2027, 7, 1),
         edit=chain(sethist("self_evaluated", date=D(2027, 6, 1)),
                    setp("documents.self_evaluation_report.date", D(2027, 6, 1))),
         field_="history.10.date"),
    Case("V001-early-self-evaluation", stage="self_evaluated", severity="warning",
         edit=chain(sethist("self_evaluated", date=D(2026, 1, 12)),
                    setp("documents.self_evaluation_report.date", D(2026, 1, 12))),
         field_="history.10.date"),
    Case("V002-not-sent-to-finance", stage="self_evaluated",
         edit=setp("documents.self_evaluation_report.submitted_to", ["ndrc"]),
         field_="documents.self_evaluation_report.submitted_to"),
    Case("V002-report-missing", stage="self_evaluated", edit=delp("documents.self_evaluation_report"),
         field_="documents.self_evaluation_report"),
    # R: rectification 三（五）
    Case("R001-rectification-overdue", stage="under_construction",
         edit=lambda d: d["rectifications"].append(dict(RECT)),
         at=r"due: (?P<v>2026-04-01)", field_="rectifications.0.due"),
    Case("R002-terminate-without-termination", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "resolved": D(2026, 5, 15), "sanctions": ["terminate"]}),
         field_="rectifications.0.sanctions.0"),
    Case("R002-suspend-without-suspension", stage="under_construction",
         edit=lambda d: d["rectifications"].append(
             {**RECT, "resolved": D(2026, 5, 15), "sanctions": ["criticism", "suspend_construction"]}),
         field_="rectifications.0.sanctions.1"),
    # issue 13: every obligation of the measures checked
    Case("A002-estimate-over-500", stage="proposed",
         edit=chain(simplified, setp("documents.investment_estimate", _doc(
             "investment-estimate.xlsx", prepared_by="某工程设计有限公司",
             qualification="工程设计电子通信广电行业乙级", amount_wan=650))),
         field_="documents.investment_estimate.amount_wan"),
    Case("A009-in-plan-omitted", edit=delp("in_plan"), field_="in_plan"),
    Case("A011-reply-a-year-before-approval", severity="warning",
         edit=setp("documents.approval_reply.date", D(2023, 4, 10)), field_="documents.approval_reply.date"),
    Case("A012-failed-review-approved",
         edit=setp("documents.expert_review", _doc("expert-review.pdf", date=D(2024, 3, 20), passed=False)),
         at=r"passed: (?P<v>false)", field_="documents.expert_review.passed"),
    Case("U001-reply-after-contract", stage="under_construction",
         edit=chain(setp("documents.approval_reply.date", D(2024, 5, 5)),
                    setp("documents.contract.date", D(2024, 5, 1))),
         field_="documents.contract.date", message="approval reply's own date"),
    Case("U002-procurement-filing-before-filing", stage="procuring",
         edit=setp("documents.procurement_filing.date", D(2024, 4, 20)),
         field_="documents.procurement_filing.date"),
    Case("P004-contract-ten-times-budget", stage="under_construction", severity="warning",
         edit=setp("documents.contract.amount_wan", 3205), field_="documents.contract.amount_wan",
         message="local policy"),
    Case("R003-ordered-by-unit", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "by": "unit", "resolved": D(2026, 3, 20)}),
         field_="rectifications.0.by"),
    Case("R004-sanction-on-time-fix", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "resolved": D(2026, 3, 20), "sanctions": ["criticism"]}),
         field_="rectifications.0.sanctions"),
    Case("R005-suspended-by-ndrc-alone", stage="under_construction", edit=lambda d: suspended_alone(d),
         severity="warning",
         field_="history.5.concurred"),
    Case("K007-extension-asked-after-deadline", stage="completed", as_of=D(2025, 4, 10),
         edit=lambda d: d["extensions"].append(
             {**EXT_PRELIM, "requested": D(2025, 3, 25), "approved": D(2025, 3, 28)}),
         at=r"requested: (?P<v>2025-03-25)", field_="extensions.0.requested"),
    Case("K008-report-before-request", stage="accepted",
         edit=setp("documents.acceptance_report.date", D(2025, 3, 1)), field_="documents.acceptance_report.date"),
    Case("K009-report-months-from-act", stage="preliminarily_accepted", severity="warning",
         edit=setp("documents.preliminary_acceptance_report.date", D(2024, 12, 25)),
         field_="documents.preliminary_acceptance_report.date"),
    Case("V003-report-missing", stage="post_evaluated", edit=delp("documents.post_evaluation_report"),
         field_="documents.post_evaluation_report"),
    Case("C003-industry-cloud-reason", stage="proposed", severity="warning",
         edit=setp("cloud", {"deployed": False, "exemption_reason": "拟新建本行业云平台统一承载"}),
         field_="cloud.exemption_reason", message="industry cloud"),
    Case("C004-operating-without-mlps-filing", stage="operating", edit=delp("documents.mlps_certificate"),
         field_="documents.mlps_certificate"),
    Case("C005-level3-without-crypto-assessment", stage="operating", edit=delp("documents.crypto_assessment"),
         field_="documents.crypto_assessment"),
    Case("C006-policy-one-month", stage="approved", severity="info",
         settings={"policy": {"preliminary_acceptance_months": 1}}, message="local policy"),
    Case("K001-late-under-one-month-policy", stage="preliminarily_accepted", also=[],
         settings={"policy": {"preliminary_acceptance_months": 1}}, field_="history.6.date",
         message="within 1 month of completion"),
]


def terminated(d: dict[str, Any]) -> None:
    d["stage"] = "terminated"
    d["history"].append({"stage": "terminated", "date": D(2026, 4, 10), "role": "ndrc", "concurred": ["finance"]})


def suspended_and_resumed(d: dict[str, Any]) -> None:
    # 三（五）: 市发改委会同市财政局 suspends (R005)
    d["history"] += [
        {"stage": "suspended", "date": D(2024, 8, 1), "role": "ndrc", "concurred": ["finance"],
         "note": "资金未到位，暂停建设"},
        {"stage": "under_construction", "date": D(2024, 10, 8), "role": "ndrc", "note": "恢复建设"},
    ]


def suspended_alone(d: dict[str, Any]) -> None:
    suspended_and_resumed(d)
    del hist(d, "suspended")["concurred"]


VALID: list[Case] = [
    *(Case(f"base-{s}", stage=s) for s in STAGES),
    Case("S001-bom-and-crlf", stage="approved", raw=lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")),
    Case("S001-quoted-special-characters", stage="approved",
         edit=setp("funding_note", "市级财政 & 专项资金 *2024* #1 !重要 {a: b} [c]")),
    Case("S002-leap-day", stage="proposed", edit=setp("schedule.start", D(2024, 2, 29))),
    Case("S002-phone-quoted", stage="proposed", edit=setp("contact.phone", "0979123456")),
    Case("S002-quoted-date", stage="proposed", text=sub(r"start: 2024-06-01", "start: '2024-06-01'")),
    Case("S002-mlps-other-with-note", stage="proposed",
         edit=setp("mlps", {"level": "other", "note": "按行业主管部门要求定级中"})),
    Case("S002-network-other-with-note", stage="proposed",
         edit=chain(setp("network", "other"), setp("network_note", "公安信息网"))),
    Case("S003-same-key-in-sibling-mappings", stage="filed",
         edit=lambda d: [h.update(note="按期办理") for h in d["history"]]),
    Case("S004-optional-keys-and-for-alias", stage="completed", as_of=D(2025, 3, 1),
         edit=chain(setp("funding_note", "2024年市级财政预算安排"), setp("urgency_basis", ""),
                    lambda d: d["extensions"].append({**EXT_PRELIM, "approved": None, "until": None}))),
    Case("S005-two-projects", stage="proposed", more={"2024-smart-parking-phase2": {}}),
    Case("S010-unit-registered", stage="proposed",
         settings={"units": {"格尔木市公安局交通警察大队": {"signers": []}, "格尔木市水利局": {"signers": []}}}),
    Case("F001-chinese-file-name", stage="proposed",
         edit=setp("documents.proposal.file", "attachments/项目建议书 第2版.pdf")),
    Case("F002-symlink-inside", stage="proposed", missing=["attachments/proposal.pdf"],
         links={"attachments/proposal.pdf": "feasibility-study.pdf"}),
    Case("F003-recorded-sha256-matches", stage="approved",
         edit=chain(setp("documents.approval_reply.sha256", PLACEHOLDER_SHA256),
                    setp("documents.proposal.sha256", PLACEHOLDER_SHA256),
                    sethist("approved", refs=["approval_reply", "proposal"]))),
    Case("H001-draft-empty-history", stage="draft"),
    Case("H002-suspend-and-resume", stage="under_construction", edit=suspended_and_resumed),
    Case("H002-rejected", stage="proposed",
         edit=lambda d: (d["history"].append({"stage": "rejected", "date": D(2024, 4, 10), "role": "ndrc"}),
                         d.update(stage="rejected"))),
    Case("H003-same-day-entries", stage="filed", edit=sethist("filed", date=D(2024, 4, 10))),
    Case("H004-corrects-the-last-entry", stage="filed", edit=correct(3, D(2024, 4, 24), "gov_office")),
    Case("H005-corrected-by-the-signing-role", stage="filed", edit=correct(2, D(2024, 4, 12), "ndrc")),
    # advance without --date recorded the day the approval was entered; the correction
    # puts back the approval's own date, and history is in order again (H003, B003, A011)
    Case("H006-correction-repairs-a-date-recorded-on-entry", stage="filed",
         edit=chain(sethist("approved", date=D(2026, 10, 30)), correct(2, D(2024, 4, 10), "ndrc",
                                                                     corrected=D(2026, 11, 1)))),
    Case("H006-corrected-to-the-next-entry-day", stage="filed", edit=correct(2, D(2024, 4, 25), "ndrc")),
    Case("H007-corrected-today", stage="filed", edit=correct(2, D(2024, 4, 12), "ndrc", corrected=AS_OF)),
    Case("H008-two-corrections-same-day", stage="filed",
         edit=chain(correct(2, D(2024, 4, 12), "ndrc"), correct(2, D(2024, 4, 11), "ndrc"))),
    Case("H009-short-reason", stage="filed", edit=correct(2, D(2024, 4, 12), "ndrc", reason="误录")),
    Case("C001-municipal-social", stage="approved", edit=setp("funding_source", "municipal_social")),
    Case("C002-provincial-not-on-cloud", stage="filed",
         # 一: the provincial measures govern; gtx checks the S, F and H rules only
         edit=chain(setp("funding_source", "provincial"), setp("cloud", {"deployed": False}))),
    Case("C002-not-on-cloud-with-reason", stage="filed",
         edit=setp("cloud", {"deployed": False, "exemption_reason": "涉密系统，按规定不得上云"})),
    Case("A001-simplified-feasibility-only", edit=simplified),
    Case("A002-simplified-exactly-500", stage="approved", edit=chain(simplified, setp("budget_wan", 500))),
    Case("A003-planned-in-plan", stage="approved",
         edit=chain(setp("approval_path", "planned"), delp("documents.proposal"))),
    Case("A004-urgent-with-basis", stage="approved",
         edit=chain(setp("approval_path", "urgent"), setp("urgency_basis", "省政府明确要求年内建成"),
                    delp("documents.proposal"))),
    Case("A005-planned-without-proposal", stage="approved",
         edit=chain(setp("approval_path", "planned"), delp("documents.proposal"))),
    Case("A006-simplified-without-design", stage="filed", edit=simplified),
    Case("A007-evaluation-with-opinion", stage="approved",
         edit=setp("documents.consulting_evaluation", _doc("consulting-evaluation.pdf", sharing_opinion=True))),
    Case("A008-proposed-catalog-pending", stage="proposed",
         edit=chain(setp("data_resources.catalog_written", False), delp("documents.resource_catalog"))),
    Case("A009-planned-existing-department", stage="approved",
         edit=setp("documents.feasibility_study.platform_docking", False)),
    Case("A010-cross-department-with-framework", stage="approved",
         edit=chain(setp("cross_department", {"lead": "格尔木市公安局交通警察大队",
                                              "participants": ["格尔木市公安局", "格尔木市民政局"]}),
                    setp("documents.framework_plan", _doc("framework-plan.pdf")))),
    Case("B001-false-answers-are-filled", stage="filed",
         edit=chain(setp("data_resources.needed", False),
                    setp("cloud", {"deployed": False, "exemption_reason": "涉密系统，按规定不得上云"}),
                    setp("operating_cost_wan", 0))),
    Case("B002-approved-not-yet-filed", stage="approved"),
    Case("B003-filed-on-day-30", stage="filed", edit=sethist("filed", date=D(2024, 5, 10))),
    Case("B003-policy-filing-days-60", stage="filed", edit=sethist("filed", date=D(2024, 5, 25)),
         settings={"policy": {"filing_days": 60}}),
    Case("P001-single-source", stage="procuring",
         edit=setp("documents.procurement_filing.method", "single_source")),
    Case("P002-filed-budget-not-yet", stage="filed"),
    Case("P003-procuring-contract-not-yet", stage="procuring"),
    Case("U001-contract-on-approval-day", stage="under_construction",
         # filed, procured and signed the same day: neither 未批先建 (U001) nor U002
         edit=chain(setp("documents.contract.date", D(2024, 4, 10)), sethist("filed", date=D(2024, 4, 10)),
                    setp("documents.procurement_filing.date", D(2024, 4, 10)))),
    Case("K001-extension-approved", stage="preliminarily_accepted",
         edit=chain(sethist("preliminarily_accepted", date=D(2025, 4, 28)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 4, 28)),
                    lambda d: d["extensions"].append(dict(EXT_PRELIM)))),
    Case("K001-on-the-deadline-day", stage="preliminarily_accepted",
         edit=chain(sethist("preliminarily_accepted", date=D(2025, 3, 20)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 3, 20)))),
    Case("K001-due-on-weekend-shifted", stage="preliminarily_accepted",
         edit=chain(sethist("completed", date=D(2024, 12, 22)),
                    sethist("preliminarily_accepted", date=D(2025, 3, 24)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 3, 24)))),
    Case("K001-provincial-no-golmud-deadline", stage="preliminarily_accepted",
         edit=chain(setp("funding_source", "provincial"),
                    sethist("preliminarily_accepted", date=D(2025, 6, 1)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 6, 1)))),
    Case("K002-extension-approved", stage="acceptance_requested",
         edit=chain(sethist("acceptance_requested", date=D(2025, 4, 25)),
                    lambda d: d["extensions"].append(dict(EXT_FINAL)))),
    Case("K003-preliminarily-accepted-only", stage="preliminarily_accepted"),
    Case("K004-requested-not-yet-accepted", stage="acceptance_requested"),
    Case("K005-pending-extension-without-until", stage="completed", as_of=D(2025, 3, 15),
         edit=lambda d: d["extensions"].append({"for": "preliminary_acceptance", "requested": D(2025, 3, 1),
                                                "approved": None, "until": None})),
    Case("K006-completed-report-not-yet", stage="completed", as_of=D(2025, 1, 15)),
    Case("V001-twelve-months-exactly", stage="self_evaluated",
         edit=chain(sethist("self_evaluated", date=D(2026, 5, 6)),
                    setp("documents.self_evaluation_report.date", D(2026, 5, 6)))),
    Case("V002-submitted-to-three", stage="self_evaluated",
         edit=setp("documents.self_evaluation_report.submitted_to", ["ndrc", "finance", "audit"])),
    Case("R001-resolved-late", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "resolved": D(2026, 5, 15)})),
    Case("R001-due-in-holiday-shifted", stage="under_construction", as_of=D(2026, 10, 5),
         # 国庆: 2026-10-01 is a holiday, so the due date moves to the next working day.
         edit=lambda d: d["rectifications"].append({**RECT, "issued": D(2026, 9, 1), "due": D(2026, 10, 1)})),
    Case("R002-terminated-with-terminate-sanction", stage="under_construction",
         edit=chain(lambda d: d["rectifications"].append({**RECT, "sanctions": ["terminate"]}), terminated)),
    Case("A011-reply-a-week-before-approval", edit=setp("documents.approval_reply.date", D(2024, 4, 3))),
    Case("A012-failed-review-proposed", stage="proposed",
         edit=setp("documents.expert_review", _doc("expert-review.pdf", date=D(2024, 3, 20), passed=False))),
    Case("U002-procurement-filing-on-filing-day", stage="procuring",
         edit=setp("documents.procurement_filing.date", D(2024, 4, 25))),
    Case("P004-contract-within-tolerance", stage="under_construction",
         edit=setp("documents.contract.amount_wan", 330), settings={"policy": {"contract_over_budget_percent": 5}}),
    Case("R003-ordered-by-cac", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "by": "cac", "resolved": D(2026, 3, 20)})),
    Case("R004-sanction-after-late-fix", stage="under_construction",
         edit=lambda d: d["rectifications"].append({**RECT, "resolved": D(2026, 5, 15), "sanctions": ["criticism"]})),
    Case("R005-suspended-with-finance", stage="under_construction", edit=suspended_and_resumed),
    Case("K007-approved-after-deadline-before-act", stage="preliminarily_accepted",
         edit=chain(sethist("preliminarily_accepted", date=D(2025, 4, 20)),
                    setp("documents.preliminary_acceptance_report.date", D(2025, 4, 20)),
                    lambda d: d["extensions"].append(
                        {**EXT_PRELIM, "requested": D(2025, 3, 15), "approved": D(2025, 3, 25)}))),
    Case("K008-report-on-acceptance-day", stage="accepted"),
    Case("K009-report-a-week-after", stage="preliminarily_accepted",
         edit=setp("documents.preliminary_acceptance_report.date", D(2025, 2, 27))),
    Case("V003-self-evaluated-no-report-yet", stage="self_evaluated"),
    Case("C003-secret-system-off-cloud", stage="proposed",
         edit=setp("cloud", {"deployed": False, "exemption_reason": "涉密系统，按规定不得上云"})),
    Case("C004-classified-with-filing", stage="operating",
         edit=chain(setp("mlps", {"level": "classified", "note": "机密级"}), delp("documents.crypto_assessment"))),
    Case("C005-level2-without-crypto-assessment", stage="operating",
         edit=chain(setp("mlps.level", 2), delp("documents.crypto_assessment"))),
    Case("C006-policy-as-the-measures", stage="approved",
         settings={"policy": {"preliminary_acceptance_months": 3, "self_evaluation_window_months": [12, 24]}}),
    Case("B001-classified-system", stage="filed", edit=setp("mlps", {"level": "classified"})),
    Case("R002-suspended-with-suspend-sanction", stage="under_construction",
         edit=lambda d: (d["rectifications"].append(
             {**RECT, "resolved": D(2026, 5, 15), "sanctions": ["suspend_construction"]}),
             d["history"].append({"stage": "suspended", "date": D(2026, 4, 10), "role": "ndrc",
                                  "concurred": ["finance"]}),
             d.update(stage="suspended"))),
]


def _position(text: str, pattern: str) -> tuple[int, int]:
    m = re.search(pattern, text, flags=re.M)
    assert m is not None, pattern
    start = m.start("v") if "v" in m.groupdict() else m.start()
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _referenced(d: dict[str, Any]) -> list[str]:
    files = [doc["file"] for doc in d.get("documents", {}).values() if isinstance(doc, dict) and "file" in doc]
    files += [e["file"] for e in d.get("extensions", []) if e.get("file")]
    return files


def write_case(root: Path, kind: str, case: Case) -> None:
    out = root / kind / case.name
    d = base(case.stage)
    if case.edit:
        case.edit(d)
    text = to_yaml(d)
    if case.text:
        text = case.text(text)
    raw = text.encode("utf-8")
    if case.raw:
        raw = case.raw(raw)
    projects = {case.folder: (d, raw)}
    for folder, changes in case.more.items():
        other = base(case.stage)
        other["id"] = folder
        other.update(changes)
        projects[folder] = (other, to_yaml(other).encode("utf-8"))
    for folder, (dd, data) in projects.items():
        pdir = out / "dossiers" / folder
        pdir.mkdir(parents=True)
        (pdir / "project.yaml").write_bytes(data)
        for rel in _referenced(dd) + case.extra_files:
            if rel in case.missing and folder == case.folder:
                continue
            target = (pdir / rel).resolve()
            if not target.is_relative_to(pdir.resolve()):
                continue  # F002: never write outside the project folder
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(PLACEHOLDER)
        if folder == case.folder:
            for link, dest in case.links.items():
                (pdir / link).parent.mkdir(parents=True, exist_ok=True)
                os.symlink(dest, pdir / link)
    if case.settings is not None:
        (out / "gtx.yaml").write_text("\n".join(emit(case.settings)) + "\n", "utf-8")
    meta: dict[str, Any] = {"as_of": case.as_of}
    code = case.name.split("-")[0]
    if kind == "invalid":
        meta["expect"] = code
        meta["severity"] = case.severity
        if case.also:
            meta["also"] = case.also
        if case.field_:
            meta["field"] = case.field_
        if case.at:
            meta["line"], meta["column"] = _position(raw.decode("utf-8-sig"), case.at)
        if case.message:
            meta["message"] = case.message
    elif re.fullmatch(r"[A-Z]\d{3}", code):
        meta["absent"] = code
    (out / "case.yaml").write_text("\n".join(emit(meta)) + "\n", "utf-8")


def generate(root: Path) -> None:
    for kind in ("valid", "invalid"):
        if (root / kind).exists():
            shutil.rmtree(root / kind)
        (root / kind).mkdir(parents=True)
    for case in INVALID:
        write_case(root, "invalid", case)
    for case in VALID:
        write_case(root, "valid", case)
    # keep bytes exact (BOM, CRLF) whatever a clone's autocrlf says
    (root / ".gitattributes").write_text("* -text\n", "utf-8")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
