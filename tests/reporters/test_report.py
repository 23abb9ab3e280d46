"""`gtx report`: the static pages, and the same pages opened in headless Chromium
(tests/support/cdp.py) with no console error, no request leaving the file, and charts
holding the portfolio's numbers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cdp import Browser, find_chromium, open_page
from tests.support.registers import samples

Cli = Callable[..., Any]
AS_OF = "2026-12-01"
HOSTILE_NAME = "</title><script>alert(1)</script>&\"' 停车"
HOSTILE_UNIT = "<img src=x onerror=alert(1)>交警"


@pytest.fixture()
def built(cli: Cli, env: Path) -> Path:
    repo = samples(env)
    f = repo / "dossiers" / "2025-smart-parking" / "project.yaml"
    text = f.read_text()
    text = text.replace("name: 格尔木市城区智慧停车管理平台", f"name: {json.dumps(HOSTILE_NAME)}")
    text = text.replace("unit: 格尔木市公安局交通警察大队", f"unit: {json.dumps(HOSTILE_UNIT)}")
    f.write_text(text)
    out = env / "报告"
    res = cli("report", "-o", out, "--repo", repo, "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    return out


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_is_there_and_escaped(built: Path) -> None:
    assert (built / "index.html").is_file() and (built / "findings.html").is_file()
    assert len(list((built / "projects").glob("*.html"))) == 16
    for page in pages(built):
        html = page.read_text("utf-8")
        assert "default-src 'none'" in html
        assert "<script" not in html.lower()
        assert "http://" not in html and "https://" not in html and "//cdn" not in html
        assert "<img" not in html
    project = (built / "projects" / "2025-smart-parking.html").read_text()
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in project


def test_report_refuses_a_foreign_folder_and_replaces_its_own(
    cli: Cli,
    env: Path,
) -> None:
    repo = samples(env)
    other = env / "docs"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    res = cli("report", "-o", other, "--repo", repo)
    assert res.exit_code == 2 and (other / "keep.txt").read_text() == "mine"
    out = env / "r"
    assert cli("report", "-o", out, "--repo", repo).exit_code == 0
    page = out / "projects" / "2025-smart-parking.html"
    assert "<td>市级财政资金</td>" in page.read_text()  # an enum: its official term
    (out / "stale.html").write_text("old")
    assert cli("report", "-o", out, "--repo", repo, "--lang", "en").exit_code == 0
    assert not (out / "stale.html").exists()
    assert 'lang="en"' in (out / "index.html").read_text()
    # in English the code beside the term, as gtx show --lang en writes it, and no
    # Chinese punctuation around English words
    english = page.read_text()
    assert "<td>市级财政资金 (municipal)</td>" in english
    assert "stage: <b>" in english and "stage：" not in english
    charts = re.findall(r"<rect [^>]*><title>([^<]*)</title>", (out / "index.html").read_text())
    assert charts and all(": " in c and "：" not in c for c in charts), charts


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip(
            "no Chromium on PATH: the browser tests need Debian's chromium package "
            "(make test installs it when run as root with apt-get; else apt-get install chromium)"
        )
    b = Browser(chromium)
    yield b
    b.close()


def test_the_harness_sees_errors_and_requests(browser: Browser, tmp_path: Path) -> None:
    # a negative control: without it, a broken harness would pass every page
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<img src="http://example.invalid/x.png"><script>console.error("boom");'
        "undefined_call()</script></body></html>"
    )
    seen = open_page(browser, bad.as_uri()).seen
    assert seen.console_errors and seen.exceptions
    assert seen.outside == ["http://example.invalid/x.png"]


def test_pages_load_clean_in_chromium(built: Path, browser: Browser) -> None:
    for page in pages(built):
        p = open_page(browser, page.as_uri())
        s = p.seen
        assert not (s.console_errors or s.exceptions or s.log_errors), (page.name, s)
        assert s.outside == [], (page.name, s.outside)
        assert p.eval("document.querySelectorAll('script').length") == 0
        assert p.eval("document.title") != ""


def test_charts_hold_the_numbers(cli: Cli, built: Path, browser: Browser, env: Path) -> None:
    repo = env / "samples"
    status = json.loads(cli("status", "--format", "json", "--repo", repo, "--as-of", AS_OF).stdout)[
        "totals"
    ]
    p = open_page(browser, (built / "index.html").as_uri())
    bars = p.eval(
        "JSON.stringify([...document.querySelectorAll('#chart-stage g.bar')]"
        ".map(g => [g.dataset.label, g.dataset.value, g.querySelector('rect').getAttribute('width')]))"
    )
    stage = [(label, value) for label, value, _ in json.loads(bars)]
    assert stage == [(s["label"], str(s["count"])) for s in status["by_stage"]]
    assert all(int(w) > 0 for _, _, w in json.loads(bars))
    units = json.loads(
        p.eval(
            "JSON.stringify([...document.querySelectorAll('#chart-unit g.bar')]"
            ".map(g => [g.dataset.label, g.dataset.value]))"
        )
    )
    expected = [[u["unit"], format(u["budget_wan"], "g")] for u in status["by_unit"]]
    assert [[u, float(v)] for u, v in units] == [[u, float(v)] for u, v in expected]
    assert HOSTILE_UNIT in [u for u, _ in units]  # shown as text, not markup
    deadlines = json.loads(
        cli("deadlines", "--format", "json", "--repo", repo, "--as-of", AS_OF).stdout
    )["deadlines"]
    dots = json.loads(
        p.eval(
            "JSON.stringify([...document.querySelectorAll('#chart-deadlines g.deadline')]"
            ".map(g => [g.dataset.project, g.dataset.due, g.classList.contains('overdue')]))"
        )
    )
    assert dots == [[d["project"], d["due"], d["state"] == "overdue"] for d in deadlines]
    assert any(overdue for _, _, overdue in dots)
    assert p.eval("document.getElementById('total-count').textContent") == "16"
    project = open_page(browser, (built / "projects" / "2025-smart-parking.html").as_uri())
    assert project.eval("document.querySelector('h1').textContent") == HOSTILE_NAME
    rows = project.eval("document.querySelectorAll('#timeline tr').length")
    assert rows == 1 + 5  # header and five history entries


def test_screenshots(built: Path, browser: Browser, tmp_path: Path) -> None:
    for name, page in (
        ("p.png", built / "index.html"),
        ("q.png", built / "projects" / "2025-smart-parking.html"),
    ):
        open_page(browser, page.as_uri()).screenshot(tmp_path / name)
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
