"""Stages and coded values as a clerk writes them: Chinese stage names on the command
line, "did you mean", shell completion; Chinese labels in a dossier named with the
code to write; `gtx show` with labels."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from golmud_cli.core import stage_words
from golmud_cli.errors import UsageError
from tests.conftest import ROOT, copy_case

GTX = Path(sys.executable).with_name("gtx")
PID = "2024-smart-parking"


@pytest.mark.parametrize(("word", "code"), [
    ("approved", "approved"), ("审批通过", "approved"), ("已立项", "approved"),
    ("审批通过（已立项）", "approved"), ("已备案", "filed"), ("投入运行", "operating"),
    ("暂停", "suspend"), ("恢复", "resume"), ("终止建设", "terminate"), ("Filed", "filed"),
])
def test_stage_words(word: str, code: str) -> None:
    assert stage_words.normalize(word) == code


def test_a_typo_gets_did_you_mean(cli: Callable[..., Any]) -> None:
    with pytest.raises(UsageError) as e:
        stage_words.normalize("aproved")
    assert "approved（审批通过（已立项））" in e.value.zh and "Did you mean approved" in e.value.en
    res = cli("advance", PID, "aproved")
    assert res.exit_code == 2 and "是不是 approved" in res.output and "可用的阶段" in res.output
    res = cli("advance", PID, "aproved", "--lang", "en")
    assert res.exit_code == 2 and "Did you mean approved" in res.output


def test_a_chinese_stage_gets_past_the_stage_check(cli: Callable[..., Any], tmp_path: Path) -> None:
    root = copy_case("valid/base-approved", tmp_path / "r")
    res = cli("advance", PID, "已备案", "--dry-run", "--repo", root)
    # the stage was understood: what stops it is the repository (no git) or the gate
    assert "未知的阶段" not in res.output, res.output


def test_advance_help_lists_the_stages() -> None:
    for lang, words in (("zh", ("approved（审批通过", "filed（已备案）", "suspend（暂停）")),
                        ("en", ("approved (approved)", "filed (filed)", "suspend (suspend)"))):
        res = subprocess.run([str(GTX), "advance", "--help", "--lang", lang], capture_output=True, text=True,
                             check=False, env={**os.environ, "COLUMNS": "200"})
        flat = " ".join(res.stdout.split()).replace("（ ", "（")
        for word in words:
            assert word in flat, (word, res.stdout)


def complete(words: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> list[str]:
    line = words.split(" ")
    proc = subprocess.run([str(GTX)], cwd=cwd, capture_output=True, text=True, check=False, env={
        **os.environ, "_GTX_COMPLETE": "complete_bash", "COMP_WORDS": words,
        "COMP_CWORD": str(len(line) - 1), **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_shell_completion_of_projects_stages_and_formats() -> None:
    ids = complete("gtx show 2023-")
    assert ids and all(i.startswith("2023-") for i in ids)
    assert set(ids) == {p.name for p in (ROOT / "dossiers").iterdir() if p.name.startswith("2023-")}
    assert complete("gtx advance 2023-hotline-12345 ap") == ["approved"]
    assert "suspend" in complete("gtx advance 2023-hotline-12345 s")
    assert complete("gtx deadlines --format ") == ["text", "json", "csv", "ics", "xlsx"]
    assert complete("gtx validate --format g") == ["github"]
    assert complete("gtx status --format c") == ["csv"]


LABEL_CASES = [
    ("funding_source: municipal", "funding_source: 市级财政资金", "municipal（市级财政资金）"),
    ("network: e_gov_extranet", "network: 电子政务外网", "e_gov_extranet（电子政务外网）"),
    ("  level: 3", "  level: 三级", "3（等保三级）"),
    ("    method: public_tender", "    method: 公开招标", "public_tender（公开招标）"),
]


@pytest.mark.parametrize(("good", "bad", "named"), LABEL_CASES)
def test_a_label_instead_of_the_code_names_the_code(cli: Callable[..., Any], tmp_path: Path,
                                                     good: str, bad: str, named: str) -> None:
    root = copy_case("valid/base-procuring", tmp_path / "r")
    p = root / "dossiers" / PID / "project.yaml"
    text = p.read_text("utf-8")
    assert good in text
    p.write_text(text.replace(good, bad, 1), "utf-8")
    res = cli("validate", "--repo", root, "--as-of", "2024-06-01")
    assert res.exit_code == 1
    assert "S002" in res.output and "这里要写代码：" + named in res.output, res.output
    en = cli("validate", "--repo", root, "--as-of", "2024-06-01", "--lang", "en")
    assert "write the code: " + named.replace("（", " (").replace("）", ")") in en.output, en.output


def test_an_unknown_value_lists_codes_with_labels_and_no_or(cli: Callable[..., Any], tmp_path: Path) -> None:
    root = copy_case("valid/base-procuring", tmp_path / "r")
    p = root / "dossiers" / PID / "project.yaml"
    p.write_text(p.read_text("utf-8").replace("funding_source: municipal", "funding_source: municipall"), "utf-8")
    res = cli("validate", "--repo", root, "--as-of", "2024-06-01")
    assert "是不是 municipal（市级财政资金）" in res.output and "provincial（省级财政资金）" in res.output
    assert " or " not in res.output


def test_show_prints_labels(cli: Callable[..., Any]) -> None:
    res = cli("show", "2023-employment-service-platform", "--repo", ROOT, "--as-of", "2025-06-01")
    assert res.exit_code == 0, res.output
    assert "电子政务外网（e_gov_extranet）" in res.output and "市级财政资金（municipal）" in res.output
    assert "network（基础网络）: e_gov_extranet" not in res.output
