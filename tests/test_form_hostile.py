"""`gtx form` with hostile text, end to end from project.yaml (tests/test_form.py covers
the context and the renderer; this file drives the command from a dossier repository).

Template syntax (Jinja and docxtpl's own {%p %}, {%tr %}, {{r }}) in any field is
rendered literally, never evaluated; text that would break the document's XML stays
text; a control character written as a YAML escape is refused with an S001 finding
and nothing is written; 100 KB in a field is filled in full. The template itself comes
from the dossier repository (templates/filing-form.docx), so it runs in a sandbox: a
template that reaches for Python's internals or tries to exhaust the machine is
refused (exit 3), and nothing runs.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges import form
from tests.test_attachments import FILED, PID, write_filed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# field -> (the YAML line it replaces, the label of its cell in the table)
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("name: 格尔木市智慧停车管理平台", "项目名称"),
    "contact.name": ("  name: 张三", "项目联系人"),
    "contact.phone": ('  phone: "0979-8412345"', "联系电话"),
    "basis": ("basis: 《格尔木市数字政府建设规划（2023—2025年）》", "项目建设依据"),
    "cloud.operator": ("  operator: 格尔木市电子政务云运维中心", "云平台运维\n管理机构"),
}

JINJA = [
    "{{ 7*7 }}", "{{7*'7'}}", "{% for i in range(3) %}x{% endfor %}", "{%p if true %}段{%p endif %}",
    "{%tr for x in y %}行{%tr endfor %}", "{%tc for c in cols %}{%tc endfor %}", "{{r rich }}",
    "{{p sub }}", "{%r if x %}", "{# 注释 #}", "{% raw %}{{ x }}{% endraw %}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{% include '/etc/passwd' %}",
    "{% import 'x' as y %}", "{% extends 'base' %}", "{{ config }}", "{{ self }}", "{_{ x }_}",
    "{_% y %_}", "{{", "}}", "{%", "%}", "{{{{}}}}", "{{ name }}", "${7*7}", "#{7*7}", "<%= 7*7 %>",
]
XML = [
    "</w:t></w:r></w:p><w:p><w:r><w:t>注入", "<w:br/><w:tab/>", "]]>", "<![CDATA[x]]>",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;', "&amp;&lt;&#x1b;&#0;&e;",
    "\"'<>&", '<?xml version="1.0"?>', "<script>alert(1)</script>", "A&B <系统> 5>3",
]
UNICODE = [
    "😀🏛️👨‍👩‍👧", "𠀀𪚥𰻞", "é = e\u0301", "\u200f\u200e", "\u200b\u200c\u200d\u2060", "ＡＢＣ１２３",
    "\u3000全角空格\u3000", "\u00a0nbsp", "ﬁ ligature", "Ⅻ ⑫ ㊣", "\U0010fffd",
]


def gtx(*args: str | Path, lang: str = "en") -> Any:
    res = CliRunner().invoke(app, [*map(str, args), "--lang", lang], env={"GTX_DEBUG": "1", "GTX_LANG": None})
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exc_info
    assert "Traceback" not in res.stdout + res.stderr
    return res


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_filed(root)
    return root


def quoted(value: str) -> str:
    """A YAML double-quoted string: JSON's syntax, but characters beyond the BMP kept as
    they are (YAML has no surrogate-pair escapes) and YAML's own line breaks escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


def set_fields(repo: Path, values: dict[str, str]) -> None:
    """Write each value as a YAML double-quoted string."""
    text = FILED
    for field, value in values.items():
        line, _ = FIELDS[field]
        key = line.split(":")[0]
        assert line in text
        text = text.replace(line, f"{key}: {quoted(value)}", 1)
    (repo / "dossiers" / PID / "project.yaml").write_text(text, "utf-8")


def fill(repo: Path, lang: str = "en") -> tuple[Any, Path]:
    out = repo.parent / "form.docx"
    out.unlink(missing_ok=True)
    return gtx("form", PID, "--repo", repo, "-o", out, lang=lang), out


def cells(data: bytes) -> dict[str, str]:
    """label -> the text of the cell beside it (merged repeats skipped)."""
    doc = Document(io.BytesIO(data))
    out: dict[str, str] = {}
    for row in doc.tables[0].rows:
        seen: list[Any] = []
        for c in row.cells:
            if not seen or seen[-1]._tc is not c._tc:
                seen.append(c)
        for a, b in itertools.pairwise(seen):
            out.setdefault(a.text, b.text)
    return out


def well_formed(data: bytes) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<!DOCTYPE" not in xml and "<!ENTITY" not in xml
    root = ElementTree.fromstring(xml)
    assert len(root.findall(f".//{W}tbl/{W}tr")) == 15  # no value added or removed a row
    return root


def literal(repo: Path, values: dict[str, str], tmp_marker: Path | None = None) -> None:
    set_fields(repo, values)
    res, out = fill(repo)
    assert res.exit_code == 0, res.stderr
    data = out.read_bytes()
    well_formed(data)
    got = cells(data)
    for field, value in values.items():
        assert got[FIELDS[field][1]] == form.clean_text(value), (field, value)
    assert not (repo / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize("payload", JINJA)
def test_template_syntax_in_every_field_is_literal(repo: Path, payload: str) -> None:
    literal(repo, {f: payload for f in FIELDS})


@pytest.mark.parametrize("payload", XML)
def test_xml_breaking_text_stays_text(repo: Path, payload: str) -> None:
    literal(repo, {f: payload for f in FIELDS})


@pytest.mark.parametrize("payload", UNICODE)
def test_unusual_unicode_is_kept(repo: Path, payload: str) -> None:
    literal(repo, {f: payload for f in FIELDS})


def test_tab_and_line_break_stay_in_their_cell(repo: Path) -> None:
    set_fields(repo, {"basis": "第一行\n第二行\t附件", "name": "  两端空格  "})
    res, out = fill(repo)
    assert res.exit_code == 0, res.stderr
    got = cells(out.read_bytes())
    assert got["项目建设依据"] == "第一行\n第二行 附件"
    assert got["项目名称"] == "两端空格"


def test_hundred_kilobytes_in_a_field(repo: Path) -> None:
    chunk = "格尔木{{ x }}<w:t>&amp;_"
    big = (chunk * (100 * 1024 // len(chunk.encode())))[: 100 * 1024]
    assert len(big.encode()) >= 100 * 1024 * 0.9
    literal(repo, {"basis": big})
    literal(repo, {f: big for f in FIELDS})  # every field at once


@pytest.mark.parametrize("escape", ["\\u001b[31m", "\\x0b", "\\0", "\\x9b", "\\u202e", "\\r"])
def test_control_characters_are_refused_with_a_finding(repo: Path, escape: str) -> None:
    text = FILED.replace("name: 格尔木市智慧停车管理平台", f'name: "平台{escape}名称"')
    (repo / "dossiers" / PID / "project.yaml").write_text(text, "utf-8")
    for lang, words in (("zh", "控制字符"), ("en", "control character")):
        res, out = fill(repo, lang)
        assert res.exit_code == 1
        assert "S001" in res.stderr and words in res.stderr and f"{PID}/project.yaml:3:" in res.stderr
        assert not out.exists()


# --- hypothesis: any text a clerk can type fills its cell as typed -----------------------

TYPED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({}, optional={f: TYPED for f in FIELDS}))
def test_any_text_is_filled_as_written_or_refused(repo: Path, values: dict[str, str]) -> None:
    set_fields(repo, values)
    out = repo.parent / "form.docx"
    out.unlink(missing_ok=True)
    res = gtx("form", PID, "--repo", repo, "-o", out, "--draft")
    bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
    if any(bad.search(v) for v in values.values()):
        assert res.exit_code == 1 and "S001" in res.stderr, res.stderr
        assert not out.exists()
        return
    if res.exit_code == 1:
        # a value the model refuses (e.g. an empty name): a finding, nothing written
        assert re.search(r"\b(S002|B001)\b", res.stderr), res.stderr
        assert not out.exists()
        return
    assert res.exit_code == 0, res.stderr
    data = out.read_bytes()
    well_formed(data)
    got = cells(data)
    for field, value in values.items():
        if field == "cloud.operator" and not form.clean_text(value):
            continue  # an empty operator is a gap, left blank in a draft
        assert got[FIELDS[field][1]] == form.clean_text(value), (field, value)


# --- the template is input too -------------------------------------------------------------


def hostile_template(repo: Path, text: str) -> None:
    """The packaged template with one more paragraph holding `text`, as a clerk could
    commit it to the dossier repository's templates/filing-form.docx."""
    doc = Document(str(form.find_template(None)))
    doc.add_paragraph(text)
    (repo / "templates").mkdir(exist_ok=True)
    doc.save(str(repo / form.TEMPLATE_RELPATH))


@pytest.mark.parametrize("text", [
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ 'x' * 10**10 }}",
    "{{ (9**64)**64**64 }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% include '/etc/passwd' %}",
])
def test_a_hostile_template_is_refused_and_nothing_runs(repo: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    hostile_template(repo, text)
    for lang, words in (("zh", "备案表模板"), ("en", "filing form template")):
        res, out = fill(repo, lang)
        assert res.exit_code == 3, (res.stdout, res.stderr)  # the template is broken: exit 3, said so
        assert words in res.stderr and "templates/filing-form.docx" in res.stderr, res.stderr
        assert not out.exists()
    assert not (repo / "PWNED").exists()


def test_a_harmless_template_change_still_works(repo: Path) -> None:
    hostile_template(repo, "打印日期：{{ 'x' * 3 }} {{ 2**10 }} {{ name|upper }}")
    res, out = fill(repo)
    assert res.exit_code == 0, res.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "xxx 1024 格尔木市智慧停车管理平台" in text

