"""Loading project.yaml: YAML 1.2 on ruamel's C parser, hostile input as findings,
and positions that point at the value, the key or the parent key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from golmud_cli.core.findings import Finding
from golmud_cli.core.model import Settings
from golmud_cli.core.rules import FileStatus
from golmud_cli.edges import loader
from golmud_cli.pipeline.check import Result, check_bytes

CASES = Path(__file__).parent / "cases"
SAMPLE = (CASES / "valid" / "base-approved" / "dossiers" / "2024-smart-parking" / "project.yaml").read_text("utf-8")
FILE = "dossiers/2024-smart-parking/project.yaml"


def check(raw: bytes | str) -> Result:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return check_bytes(raw, file=FILE, folder="2024-smart-parking", settings=Settings(),
                       today=dt.date(2026, 11, 2), stat=lambda _: FileStatus.ok)


def only(res: Result) -> Finding:
    assert len(res.findings) == 1, [(f.code, f.field, f.message_en) for f in res.findings]
    return res.findings[0]


def edit(pattern: str, repl: str, text: str = SAMPLE) -> str:
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    return new


def where(text: str, pattern: str) -> tuple[int, int]:
    """1-based line and column of the match (of group 1 when there is one)."""
    m = re.search(pattern, text, flags=re.M)
    assert m is not None
    start = m.start(1) if m.groups() else m.start()
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def test_the_c_parser_is_in_use() -> None:
    # docs/benchmarks.md: without ruamel.yaml.clib loading is several times slower
    assert loader.c_parser_in_use()


def test_sample_is_valid() -> None:
    res = check(SAMPLE)
    assert res.findings == [] and res.dossier is not None


def test_yaml_1_2_scalars() -> None:
    data = loader.build("a: no\nb: on\nc: 0979123456\nd: 2024-05-01\ne: 0o17\nf: 1_000\ng: ~\nh: 'true'\n")
    # YAML 1.2: no/on are text; dates stay text for the model to judge
    assert data == {"a": "no", "b": "on", "c": 979123456, "d": "2024-05-01", "e": 15, "f": 1000,
                    "g": None, "h": "true"}


def test_an_unreal_date_is_a_finding_at_its_value() -> None:
    text = edit(r"^  start: .*$", "  start: 2024-02-30")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "schedule.start")
    assert (f.line, f.column) == where(text, r"start: (2024-02-30)")
    assert "2024-02-30" in f.message_zh and "不存在" in f.message_zh


def test_an_unquoted_phone_number_says_to_quote_it() -> None:
    text = edit(r'^  phone: .*$', "  phone: 0979123456")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "contact.phone")
    assert (f.line, f.column) == where(text, r"phone: (0979123456)")
    assert "引号" in f.message_zh and "Quote it" in f.message_en and "leading zero" in f.message_en
    # never suggest the value as read: the number already lost its leading zero
    assert '"979123456"' not in f.message_zh + f.message_en


def test_duplicate_key_points_at_the_repetition() -> None:
    text = edit(r"^(name: .*)$", r"\1\nname: 重复")
    f = only(check(text))
    assert (f.code, f.field) == ("S003", "name")
    assert (f.line, f.column) == where(text, r"^(name): 重复")
    assert "line 4" in f.message_en  # where the first one is


def test_duplicate_key_in_a_nested_mapping() -> None:
    text = edit(r"^(  phone: .*)$", r"\1\n  phone: \"0979-1\"")
    f = only(check(text))
    assert (f.code, f.field) == ("S003", "contact.phone")


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    lol = 'x: &a ["lol", "lol"]\n' + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    f = only(check(SAMPLE + lol))
    assert f.code == "S001"
    assert (f.line, f.column) == where(SAMPLE + lol, r"^x: (&a)")
    assert "&" in f.message_zh and "anchors" in f.message_en


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/object/apply:os.system", "!foo", "!!binary"])
def test_tags_are_refused(tag: str) -> None:
    text = edit(r"^name: .*$", f"name: {tag} x")
    f = only(check(text))
    assert f.code == "S001" and "tag" in f.message_en and "标签" in f.message_zh
    assert (f.line, f.column) == where(text, r"^name: (!)")


@pytest.mark.parametrize(
    ("raw", "zh_word"),
    [
        (b"", "空"),
        (b"# only a comment\n", "空"),
        (b"- a\n- b\n", "列表"),
        (b"just text\n", "文本"),
        (b"42\n", "数字"),
    ],
)
def test_a_file_that_is_not_a_mapping(raw: bytes, zh_word: str) -> None:
    f = only(check(raw))
    assert f.code == "S002" and zh_word in f.message_zh
    assert (f.line, f.column) == (1, 1)


def test_bom_and_crlf_are_harmless_and_positions_still_right() -> None:
    assert check(b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode()).findings == []
    text = edit(r"^budget_wan: .*$", "budget_wan: -3")
    f = only(check(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()))
    assert (f.code, f.field) == ("S002", "budget_wan")
    assert (f.line, f.column) == where(text, r"^budget_wan: (-3)")


def test_non_utf8_bytes_are_a_finding_with_a_position() -> None:
    raw = SAMPLE.encode("utf-8").replace("张三".encode(), "张三".encode("gbk"))
    f = only(check(raw))
    assert f.code == "S001" and "UTF-8" in f.message_en
    assert f.line == where(SAMPLE, r"张三")[0]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x85\x9f"[1]])
def test_control_characters_are_a_finding_with_a_position(char: str) -> None:
    text = edit(r"^(basis: )", r"\g<1>" + char)
    f = only(check(text))
    assert f.code == "S001"
    assert (f.line, f.column) == where(text, "^basis: (.)")
    assert f"U+{ord(char):04X}" in f.message_en


def test_deep_nesting_is_a_finding() -> None:
    f = only(check(SAMPLE + "x: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert f.code == "S001" and "nesting" in f.message_en
    g = only(check(SAMPLE + "x:\n" + "".join(" " * i + "- \n" for i in range(1, 200))))
    assert g.code == "S001"


def test_two_documents_are_refused() -> None:
    f = only(check(SAMPLE + "---\nname: 另一个\n"))
    assert f.code == "S001" and "---" in f.message_zh


def test_syntax_error_has_a_position() -> None:
    text = edit(r"^  duration_months: 8$", "\tduration_months: 8")
    f = only(check(text))
    assert f.code == "S001" and f.line == where(text, r"^\t")[0]


@pytest.mark.parametrize("key", ["1", "null", "[a, b]", "{a: b}"])
def test_keys_must_be_text(key: str) -> None:
    text = SAMPLE + ("? " + key + "\n: 1\n" if key.startswith(("[", "{")) else key + ": 1\n")
    f = only(check(text))
    assert f.code == "S002" and "键" in f.message_zh


def test_unknown_key_suggests_the_nearest_at_the_key() -> None:
    text = edit(r"^budget_wan:", "budjet_wan:")
    f = only(check(text))
    assert (f.code, f.field) == ("S004", "budjet_wan")
    assert "budget_wan" in f.message_en and "budget_wan" in f.message_zh
    assert (f.line, f.column) == where(text, r"^(budjet_wan):")


def test_unknown_nested_key_points_at_the_key() -> None:
    text = edit(r"^    sharing_opinion: true$", "    sharing_opnion: true")
    res = check(text)
    f = next(f for f in res.findings if f.code == "S004")
    assert "sharing_opinion" in f.message_en
    assert (f.line, f.column) == where(text, r"^    (sharing_opnion):")


def test_unknown_key_without_a_near_one() -> None:
    f = only(check(SAMPLE + "zzzzzz: 1\n"))
    assert f.code == "S004" and "schema/dossier.schema.json" in f.message_en


def test_missing_nested_field_points_at_the_parent_key() -> None:
    text = edit(r"^    file: attachments/resource-catalog.xlsx\n", "    note: 目录\n")
    res = check(text)
    f = next(f for f in res.findings if f.code == "S002")
    assert f.field == "documents.resource_catalog.file"
    assert (f.line, f.column) == where(text, r"^  (resource_catalog):")


def test_missing_field_of_a_list_item_points_at_the_item() -> None:
    text = edit(r"^    role: ndrc\n", "")
    res = check(text)
    f = next(f for f in res.findings if f.code == "S002")
    assert f.field == "history.1.role"
    assert (f.line, f.column) == where(text, r"^  - (stage: approved)")


def test_wrong_value_in_a_list_points_at_the_value() -> None:
    text = edit(r"^    role: ndrc$", "    role: mayor")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "history.1.role")
    assert (f.line, f.column) == where(text, r"role: (mayor)")


def test_wrong_type_for_a_mapping_points_at_the_value() -> None:
    text = edit(r"^contact:\n  name: .*\n  phone: .*\n", "contact: 张三 0979-8412345\n")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "contact")
    assert (f.line, f.column) == where(text, r"^contact: (张三)")


def test_one_typo_does_not_hide_the_other_rules() -> None:
    # the lenient second pass drops the bad field and still runs the rules
    text = edit(r"^budget_wan: .*$", "budget_wan: 很多")
    text = edit(r"^    number: .*\n", "", text)
    codes = {f.code for f in check(text).findings}
    assert codes == {"S002", "A007"}


def test_a_bad_history_entry_is_reported_once() -> None:
    # the entry is left out of the partial model; H001 must not then claim that
    # the stage disagrees with a history that is only shorter in the model
    text = edit(r"^    role: ndrc$", "    role: ndcr")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "history.1.role")


def test_a_bad_value_is_not_reported_again_as_missing() -> None:
    text = edit(r"^    date: 2024-04-10$", "    date: 2024-04-31")
    f = only(check(text))
    assert (f.code, f.field) == ("S002", "documents.approval_reply.date")


def test_bad_list_items_are_each_reported() -> None:
    rects = (
        "rectifications:\n"
        "  - {issued: 2026-03-02, by: ndrc, finding: 甲, due: 2026-04-31}\n"
        "  - {issued: 2026-03-02, by: ndrc, finding: 乙, due: 2026-12-31}\n"
        "  - {issued: 2026-03-02, by: mayor, finding: 丙, due: 2026-12-31}\n"
    )
    res = check(edit(r"^rectifications: \[\]\n", rects))
    assert [(f.code, f.field) for f in res.findings] == [
        ("S002", "rectifications.0.due"), ("S002", "rectifications.2.by")]
    assert res.dossier is not None and [r.finding for r in res.dossier.rectifications] == ["乙"]


def test_an_unknown_key_with_brackets_is_named() -> None:
    f = only(check(SAMPLE + "a[b]: 1\n"))
    assert (f.code, f.field) == ("S004", "a[b]") and "a[b]" in f.message_en


@pytest.mark.parametrize("value", ["true", "1.0", "'1'", "2"])
def test_schema_version_is_the_integer_1(value: str) -> None:
    f = only(check(edit(r"^schema_version: 1$", f"schema_version: {value}")))
    assert (f.code, f.field) == ("S002", "schema_version")


# NEL, LS and PS are refused outright now (test_trust_advance.py::
# test_hidden_line_break_in_a_comment); a lone CR is still read, with positions as
# an editor counts them.
@pytest.mark.parametrize("brk", ["\r"])
def test_positions_count_lines_as_an_editor_does(brk: str) -> None:
    # YAML also breaks lines at a lone CR; editors and GitHub do not
    text = edit(r"^(basis: .*)$", r'\1' + "\nfunding_note: \"甲" + brk + "乙\"")
    text = edit(r"^budget_wan: .*$", "budget_wan: -3", text)
    text = edit(r"^  count: 2$", "  count: 0", text)
    res = check(text)
    got = {f.field: (f.line, f.column) for f in res.findings}
    assert got == {"budget_wan": where(text, r"^budget_wan: (-3)"), "systems.count": where(text, r"count: (0)")}
    # and the loader's own findings too
    f = only(check(text + "zz: &a 1\n"))
    assert (f.line, f.column) == where(text + "zz: &a 1\n", "^zz: (&a)")
