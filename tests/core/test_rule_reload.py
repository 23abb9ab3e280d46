"""The rule catalog as a fresh gtx process builds it, and the findings of its rules.

Every rule is built when its module is imported (`rule(...)(check)` and `structural(...)`
in core/rules/base.py), and the pipeline keeps the catalog and which rules apply to a
history (pipeline/check.py). Under `make mutate` the modules were imported and those
caches filled before a mutant of base.py was switched on, so no test reached `rule()`,
`structural()` or `Rule.applies` (docs/testing.md, The rule modules). Here the rule
modules are executed again and the caches emptied, as in a new process, and the test
reads what a user sees: `gtx rules` in both languages, the generated docs/rules.md,
`gtx rules --coverage`, and findings of the rebuilt rules. Everything is rebuilt again
afterwards, so the tests after these see the catalog as it was.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from golmud_cli.core.findings import Severity
from golmud_cli.pipeline import check as pipeline_check
from tests.conftest import ROOT
from tests.support.rule_cases import PID, base, check, dump

# every module of core/rules that holds rules (core/rules/__init__.py, catalog())
RULE_MODULES = (
    "structure",
    "corrections",
    "units",
    "supervision",
    "approval",
    "filing",
    "acceptance",
    "git",
)


def _forget_cached_rules() -> None:
    pipeline_check._CATALOG = None
    pipeline_check._APPLICABLE.clear()


@contextmanager
def rules_built_afresh() -> Iterator[None]:
    modules = [importlib.import_module(f"golmud_cli.core.rules.{m}") for m in RULE_MODULES]
    try:
        for module in modules:
            importlib.reload(module)
        _forget_cached_rules()
        yield
    finally:
        for module in modules:
            importlib.reload(module)
        _forget_cached_rules()


def shown(cli: Callable[..., Any], *args: str) -> str:
    r = cli("rules", *args)
    assert r.exit_code == 0, r.output
    text: str = r.stdout
    return text


def test_a_fresh_catalog_is_the_one_gtx_rules_and_docs_rules_md_list(cli: Any) -> None:
    # what this process listed before, in both languages and with the clauses it covers
    before = {lang: shown(cli, "--format", "json", "--lang", lang) for lang in ("zh", "en")}
    coverage = shown(cli, "--coverage", "--format", "json", "--lang", "en")
    with rules_built_afresh():
        # code, severity, clause, stage and Chinese title of every rule, as committed
        markdown = shown(cli, "--format", "markdown")
        assert markdown == (ROOT / "docs" / "rules.md").read_text("utf-8")
        for lang, listed in before.items():
            assert shown(cli, "--format", "json", "--lang", lang) == listed, lang
        assert shown(cli, "--coverage", "--format", "json", "--lang", "en") == coverage
        rows = json.loads(before["en"])
        local = {r["code"] for r in rows if r["local_policy"]}
        assert local == {"B003", "P004"}
        by_clause = {c["clause"]: c["rules"] for c in json.loads(coverage)}
        assert "B001" in by_clause["附件"]  # B001's `also`: the filing table itself
        assert "P001" in by_clause["二（四）"]

        en = shown(cli, "B003", "--lang", "en")
        assert en.splitlines()[:2] == [
            "B003  warning  filing began immediately after approval",
            "applies from: filed",
        ]
        assert "local policy" in en
        assert "local policy" not in shown(cli, "B001", "--lang", "en")
        assert shown(cli, "S001").splitlines() == [
            "S001  错误  YAML 语法与编码",
            "适用阶段：任何阶段",
            "依据：档案格式（docs/dossier.md），不对应《办法》的具体条款。",
        ]
        assert shown(cli, "S004", "--lang", "en").splitlines()[:2] == [
            "S004  error  unknown key (a typo)",
            "applies from: any",
        ]
    # and the catalog afterwards is the one before
    assert shown(cli, "--format", "json", "--lang", "en") == before["en"]


def test_the_rebuilt_rules_apply_from_their_stage_and_say_what_they_find() -> None:
    with rules_built_afresh():
        # an approved project: no rule from a later stage applies (B002 asks for the
        # filing form only from `filed` on)
        assert [f for f in check(base("approved")) if f.severity is not Severity.info] == []

        filed = base("filed")
        del filed["documents"]["filing_form"]
        [b002] = [f for f in check(filed) if f.code == "B002"]
        assert (b002.severity, b002.field, b002.clause) == (
            Severity.error,
            "documents.filing_form",
            "三（三）",
        )
        assert b002.message_zh.startswith("缺少 documents.filing_form（")
        assert b002.message_en.startswith("documents.filing_form (")
        assert "local policy" not in b002.message_en

        # B003 rests on gtx.yaml's filing_days: its finding says so
        late = base("filed")
        [entry] = [h for h in late["history"] if h["stage"] == "filed"]
        entry["date"] = "2024-05-20"
        [b003] = [f for f in check(late) if f.code == "B003"]
        assert b003.severity is Severity.warning
        assert b003.message_en.endswith("(this limit is local policy, not the measures)")
        assert b003.message_zh.endswith("（此数值为本地政策，非《办法》规定）")

        # S005 applies at any stage; a folder name that is no id has its own message
        [s005] = [f for f in check(base("approved"), folder="Smart_Parking") if f.code == "S005"]
        assert s005.message_en.startswith(
            "the folder name 'Smart_Parking' is not a valid project id"
        )
        assert s005.message_zh.startswith("文件夹名“Smart_Parking”不是合法的项目编号")


def test_a_blank_field_that_must_be_filled_in_is_pointed_at_by_its_key() -> None:
    # S002 on a note written blank anchors at the key (`note:`), where the user types,
    # not at the blank value after it: the column `gtx validate` shows
    d = base("filed")
    d["mlps"] = {"level": "other", "note": " "}
    [s002] = [f for f in check(d) if f.code == "S002"]
    assert (s002.field, s002.anchor) == ("mlps.note", "key")
    text = dump(d).splitlines()
    assert text[s002.line - 1 if s002.line else 0] == "  note: ' '"
    assert s002.column == 3
    assert s002.project == PID
