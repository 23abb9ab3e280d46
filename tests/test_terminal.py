"""What a clerk sees in an 80-column terminal: every --help, status and deadlines fit
(CJK characters counted double); in zh no English from click or the YAML parser;
usage errors (a bad language, a date that does not exist) are exit 2."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT

GTX = Path(sys.executable).with_name("gtx")
COMMANDS = ["validate", "rules", "schema", "form", "deadlines", "status", "init", "new", "advance", "verify", "show"]

# What click, typer and the YAML parser say in English, in pieces a sentence of theirs holds.
CLICK_ENGLISH = [
    "Usage:", "Error:", "Options:", "Arguments:", "Commands:", "Show this message", "[required]",
    "required]", "Try '", "for help", "Missing argument", "Missing option", "Missing parameter", "No such option",
    "No such command", "Invalid value", "is not a valid", "requires an argument", "Got unexpected",
    "Did you mean", "default:", "Install completion", "Show completion", "Aborted", "[OPTIONS]",
    "COMMAND [ARGS]",
]
PARSER_ENGLISH = ["could not find expected", "mapping values", "while scanning", "while parsing",
                  "found character", "expected <block end>"]


def gtx(*args: str, lang: str | None = None, cwd: Path = ROOT, columns: int = 80,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("GTX_LANG", "GTX_DEBUG")}
    base.update(COLUMNS=str(columns), LINES="40", **(env or {}))
    if lang:
        base["GTX_LANG"] = lang
    return subprocess.run([str(GTX), *args], cwd=cwd, env=base, capture_output=True, text=True, check=False)


def too_wide(text: str, columns: int = 80) -> list[str]:
    return [ln for ln in text.splitlines() if cell_len(ln) > columns]


def english_in(text: str, words: list[str]) -> list[str]:
    # the parser's own text is kept as a labelled detail: （解析器原文：…）
    text = re.sub(r"（解析器原文：[^）]*）", "", text)
    return [w for w in words if w in text]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_fits_80_columns(lang: str) -> None:
    for args in [["--help"], *[[c, "--help"] for c in COMMANDS]]:
        res = gtx(*args, lang=lang)
        assert res.returncode == 0, (args, res.stderr)
        assert not too_wide(res.stdout), (args, too_wide(res.stdout))
        if lang == "zh":
            assert not english_in(res.stdout, CLICK_ENGLISH), (args, english_in(res.stdout, CLICK_ENGLISH))
            assert "用法：gtx" in res.stdout and "显示本帮助并退出" in res.stdout
        else:
            assert "Usage: gtx" in res.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_and_deadlines_fit_80_columns(lang: str) -> None:
    for cmd in ("status", "deadlines"):
        res = gtx(cmd, "--as-of", "2025-06-01", lang=lang)
        assert res.returncode in (0, 1), res.stderr
        assert len(res.stdout.splitlines()) > 10
        assert not too_wide(res.stdout), (cmd, too_wide(res.stdout))
    # and a wider terminal gets wider lines
    wide = gtx("deadlines", "--as-of", "2025-06-01", lang=lang, columns=200)
    assert max(cell_len(ln) for ln in wide.stdout.splitlines()) > 80


USAGE_ERRORS = [
    (["validate", "--nope"], "没有 --nope 这个选项", "No such option"),
    (["advance"], "缺少参数 'project'", "Missing argument"),
    (["deadlines", "--within", "abc"], "不是整数", "is not a valid"),
    (["deadlines", "--within"], "需要一个值", "requires an argument"),
    (["frobnicate"], "没有 'frobnicate' 这个命令", "No such command"),
    (["validate", "--lang", "fr"], "语言只能是 zh 或 en", "the language is zh or en"),
    (["status", "--as-of", "2024-02-30"], "日期 2024-02-30 不存在", "does not exist"),
    (["status", "--as-of", "20240230"], "YYYY-MM-DD", "YYYY-MM-DD"),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS)
def test_usage_errors_in_both_languages(args: list[str], zh: str, en: str) -> None:
    res = gtx(*args)
    assert res.returncode == 2, res.stderr
    assert zh in res.stderr, res.stderr
    assert not english_in(res.stderr, CLICK_ENGLISH), res.stderr
    assert "Traceback" not in res.stderr
    assert not too_wide(res.stderr) or "--lang" in args
    res = gtx("--lang", "en", *args)
    assert res.returncode == 2 and en in res.stderr, res.stderr


def test_a_bad_gtx_lang_is_a_usage_error_in_both_languages() -> None:
    res = gtx("status", env={"GTX_LANG": "xx"})
    assert res.returncode == 2
    assert "语言只能是 zh 或 en" in res.stderr and "the language is zh or en" in res.stderr
    assert gtx("status", "--as-of", "2025-06-01", env={"GTX_LANG": "en_US.UTF-8"}).returncode in (0, 1)


def test_yaml_syntax_error_is_explained_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "gtx.yaml").write_text("city: 格尔木市\n", "utf-8")
    d = tmp_path / "dossiers" / "2025-a"
    d.mkdir(parents=True)
    (d / "project.yaml").write_text("schema_version: 1\nid: 2025-a\nname： 测试\nunit: x\nstage: draft\n", "utf-8")
    res = gtx("validate", cwd=tmp_path)
    assert res.returncode == 1
    assert "project.yaml:3:" in res.stdout and "S001" in res.stdout
    assert "第 3 行用了中文全角冒号“：”" in res.stdout
    assert "解析器原文：could not find expected ':'" in res.stdout  # the detail is kept
    assert not english_in(res.stdout, PARSER_ENGLISH + CLICK_ENGLISH)
    en = gtx("validate", "--lang", "en", cwd=tmp_path)
    assert "line 3 has a full-width colon" in en.stdout and "(parser: could not find expected ':')" in en.stdout
    # a bad indentation gets its own explanation
    (d / "project.yaml").write_text("schema_version: 1\nid: 2025-a\n  name: x\nunit: x\n", "utf-8")
    res = gtx("validate", cwd=tmp_path)
    assert "YAML 语法错误" in res.stdout and not english_in(res.stdout, PARSER_ENGLISH)


def test_csv_headers_are_chinese_in_zh() -> None:
    for cmd in ("status", "deadlines"):
        res = gtx(cmd, "--format", "csv", "--as-of", "2025-06-01")
        header = res.stdout.lstrip("\ufeff").splitlines()[0]
        assert not re.search(r"[A-Za-z]{3,}", header), (cmd, header)
        en = gtx(cmd, "--format", "csv", "--as-of", "2025-06-01", "--lang", "en")
        assert re.search(r"[A-Za-z]{3,}", en.stdout.lstrip("\ufeff").splitlines()[0])


def test_an_ics_with_nothing_pending_is_still_a_valid_calendar(tmp_path: Path) -> None:
    from icalendar import Calendar

    (tmp_path / "gtx.yaml").write_text("city: 格尔木市\n", "utf-8")
    (tmp_path / "dossiers").mkdir()
    res = gtx("deadlines", "--format", "ics", "--as-of", "2025-06-01", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    cal = Calendar.from_ical(res.stdout)
    assert cal.name == "VCALENDAR" and cal["VERSION"] == "2.0" and cal.get("PRODID")
    (only,) = cal.subcomponents  # RFC 5545 3.6: at least one component
    assert only.name == "VJOURNAL" and "没有待办期限" in str(only["SUMMARY"]) and only.get("UID")
    assert "BEGIN:VEVENT" not in res.stdout
