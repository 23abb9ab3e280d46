"""The fast YAML path (edges/fastyaml.py) against the reference (loader.build on ruamel's
C parser): whatever the fast path accepts, it must read exactly as build() does, and
whatever build() refuses or is unsure of, the fast path must hand over (FALLBACK).

`make test` runs FASTYAML_EXAMPLES (default 300) examples per strategy; `make fuzz`
runs a long campaign (FASTYAML_EXAMPLES=20000).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golmud_cli.edges import fastyaml, loader
from tests.conftest import ROOT
from tests.support.differential import campaign
from tests.support.hostile import HOSTILE_LINES, big_or_deep, generated, mutated

DIFF = campaign("FASTYAML_EXAMPLES")
FILES = sorted(
    [*ROOT.glob("dossiers/**/*.yaml"), *ROOT.glob("tests/cases/**/*.yaml"), ROOT / "gtx.yaml"]
)


def reference(text: str) -> tuple[str, Any]:
    try:
        return "data", loader.build(text)
    except loader.Rejected as e:
        return "refused", e.kind
    except Exception as e:  # any refusal of the reference
        return "error", type(e).__name__


def same(text: str) -> bool:
    """True when the fast path read the text (and then read it as build() does)."""
    fast = fastyaml.parse(text)
    if fast is fastyaml.FALLBACK:
        return False
    kind, ref = reference(text)
    assert kind == "data", (text, kind, ref)
    assert fast == ref, text
    assert _types(fast) == _types(ref), text  # 1 is not True, 1.0 is not 1
    return True


def _types(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _types(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_types(x) for x in v]
    return type(v).__name__


def through_load(raw: bytes) -> None:
    """load() with and without the fast path: the same data, the same findings."""
    loader.FAST_PATH = False
    try:
        slow = loader.load(raw, "f", "p")
    finally:
        loader.FAST_PATH = True
    fast = loader.load(raw, "f", "p")
    assert fast.data == slow.data
    assert _types(fast.data) == _types(slow.data)
    assert fast.findings == slow.findings


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sample_and_case(path: Path) -> None:
    raw = path.read_bytes()
    through_load(raw)
    text, _ = loader.decode(raw, "f", None)
    if text is None:
        return
    if "invalid" in path.parts or "crlf" in str(path):
        same(text)  # may be handed over
    else:
        assert same(text), f"{path} should be in the fast subset"


def test_the_samples_are_read_by_the_fast_path() -> None:
    samples = [p for p in FILES if "invalid" not in p.parts]
    read = [p for p in samples if same(p.read_text("utf-8"))]
    assert len(read) >= len(samples) - 2


# --- scalar resolution: one case per rule of _resolve_plain, through both paths --------

SCALARS = [
    ("1", 1),
    ("0", 0),
    ("-3", -3),
    ("+3", 3),
    ("0979", 979),
    ("09", 9),
    ("007", 7),
    ("0979-8412345", "0979-8412345"),
    ("2024-05-01", "2024-05-01"),
    ("2024-02-30", "2024-02-30"),
    ("1_000", 1000),
    ("0x1F", 31),
    ("0o17", 15),
    ("0b101", 5),
    ("-0x10", -16),
    ("0x", "0x"),
    ("1.5", 1.5),
    ("1e3", 1000.0),
    ("-.5", -0.5),
    (".5", 0.5),
    ("1.", 1.0),
    ("1_0.5", 10.5),
    # the loader keeps these as text (float() refuses ".inf"): copied, not corrected
    (".inf", ".inf"),
    ("-.inf", "-.inf"),
    ("+.INF", "+.INF"),
    (".nan", ".nan"),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("FALSE", False),
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("tRUE", "tRUE"),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("~", None),
    ("nULL", "nULL"),
    ("12:30", "12:30"),
    ("1:20:30", "1:20:30"),
    ("2024-05-01T10:00:00", "2024-05-01T10:00:00"),
    ("0.1.2", "0.1.2"),
    ("1e", "1e"),
    ("+", "+"),
    (".", "."),
    ("-1-2", "-1-2"),
    ("9" * 5000, "9" * 5000),
    ("１２", "１２"),
    ("v1", "v1"),
    ("格尔木", "格尔木"),
    ("a b", "a b"),
    ("a#b", "a#b"),
    ("a:b", "a:b"),
    ("http://x.cn/a?b=1", "http://x.cn/a?b=1"),
    ("'1'", "1"),
    ('"1"', "1"),
    ("'it''s'", "it's"),
    ('"true"', "true"),
    ("''", ""),
    ("[]", []),
    ("{}", {}),
    ("1 # one", 1),
    ("a # c", "a"),
]


@pytest.mark.parametrize(("written", "expected"), SCALARS, ids=[s[0][:20] for s in SCALARS])
def test_scalar_resolution(written: str, expected: Any) -> None:
    text = f"k: {written}\n"
    assert same(text)
    assert fastyaml.parse(text)["k"] == expected
    assert type(fastyaml.parse(text)["k"]) is type(expected)
    # as a list item too
    assert same(f"- {written}\n")


# --- what the fast path must hand over ------------------------------------------------

HANDED_OVER = [
    "",
    "# only a comment\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !x 1\n",
    "a: |\n  x\n",
    "a: >\n  x\n",
    "a: foo\n  bar\n",
    "a: 'foo\n  bar'\n",
    'a: "x\\ty"\n',
    'a: "\\e"\n',
    "a: [1, [2]]\n",
    "a: [a: b]\n",
    "a: [1,]\n",
    "a: ['it''s']\n",
    "a: [a #b]\n",
    "a: [&x a]\n",
    "a: [- a]\n",
    "a: [1, 2\n",
    "a: {b: 1}\n",
    "a:\n\t- x\n",
    "a: 1\r\nb: 2\r\n",
    "\ufeffa: 1\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\na: 2\n",
    "1: a\n",
    "null: a\n",
    "true: a\n",
    "? a\n: b\n",
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "a : b\n",
    '"a": 1\n',
    "'a': 1\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "a: -\n",
    "a: - b\n",
    "a: ? b\n",
    "a: :b\n",
    "a: @b\n",
    "a: `b\n",
    "a: %b\n",
    "a: [ ]\n",
    "a: []x\n",
    "a: 'x'y\n",
    "a: 'x'#c\n",
    "k" * 200 + ": 1\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(100)),
    "- - - " * 30 + "x\n",
    "a\n",
    "a #b: c\n",
    # looked for line by line since parse() reads raw lines (a tab in a comment, a BOM
    # or a marker after the first line, a 40th block level)
    "a: 1\n# a\ttab in a comment\n",
    "a: 1\nb: x\ufeffy\n",
    "a: 1\n%TAG ! x\n",
    "a: 1\n...b: 2\n",
    "a: 1\n--- # x\n",
    "a:\n  b: 1\n  # \u2028\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "x: 1\n",
    # item lines read from one memo entry (the item's own key and value): a duplicate
    # key in an item, an item among a mapping's keys, odd dedents, deep items
    "a:\n  - b: 1\n    b: 2\n",
    "a:\n- b: 1\n  c: 2\n- b: 1\n  b: 1\n",
    "a:\n  - b: 1\n  - 1: x\n",
    "a:\n  - b: 1\n  c: 2\n",
    "a: 1\n- b: 1\n",
    "a:\n  b: 1\n  - c: 1\n",
    "a:\n    - b: 1\n  - c: 1\n",
    "a:\n  - b: 1\n - c: 1\n",
    "a:\n  - b: 1\n      c: 1\n",
    "- a: 1\n- b: c: d\n",
    "- a: 1\nb: 2\n",
    "a:\n  b: 1\n  b: 2\n",  # a duplicate right after a block's first line
    "a:\n  b: 1\n    c: 2\n",  # deeper after a block's first line
    "".join(f"{'  ' * i}- k{i}:\n" for i in range(20)) + "  " * 20 + "- x: 1\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(39)) + "  " * 39 + "- x: 1\n",
]


@pytest.mark.parametrize("text", HANDED_OVER, ids=[repr(t[:20]) for t in HANDED_OVER])
def test_handed_over(text: str) -> None:
    assert fastyaml.parse(text) is fastyaml.FALLBACK
    through_load(text.encode("utf-8"))


ACCEPTED = [
    "a: 1\nb:\n  c: x\n  d:\n  - 1\n  - 2\ne: []\n",
    "a:\n- b: 1\n  c: 2\n- d: 3\n",
    "a:\n  - b: 1\n    c:\n      - x\n  -\n    e: 1\n  - # nothing\n  - ''\n",
    "- - a\n  - b\n- c\n",
    "a:   'x # y'   # c\nb: \"z: w\"\n  # an indented comment\nc: 格尔木 市  # 名称\n",
    "  a: 1\n  b: 2\n",
    "a:\n# comment\n  b: 1\n",
    "a: x\u3000y\u3000\n",
    "a: 1\n\n\n   \nb: 2",
    "a: [ndrc, finance]  # c\nb: [12, -2, 'x', \"y\", 格尔木, a b , .5]\nc: [ 1 ]\n",
    # the 40th block level; a compact sequence below it adds a level of its own
    "".join(f"{'  ' * i}k{i}:\n" for i in range(39)) + "  " * 39 + "x: 1\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 39 + "- 1\n",
    "a:\n  b: 1\nc:\n  b: 1\n  a:\n    b: 1\n",
    "  - a\n  -\n  - - b\n    - c: 1\n      d:\n      - e\n    -\n",
    # items of a sequence, each a mapping beside the one before (one memo entry a line)
    "h:\n  - stage: a\n    date: 2024-01-01\n    refs: [x, y]\n  - stage: b\n    d:\n"
    "  -   stage: c\n      e: {}\n  - f: []\n  - g:\n    - 1\n  - h:\n      i: 1\n"
    "  - j: 1\n  - x\n  - k: 1\n  -\n  - l: 1\nm: 1\n",
    # a compact sequence of mappings, ended by its key's next key and by a dedent
    "a:\n  b:\n  - c: 1\n    d: 2\n  - c: 1\n  e: 1\nf:\n- g: 1\n- - h: 1\n  - i: 1\n",
    "a:\n  - b:\n    - c: 1\n    d: 1\n",
    # items as deep as the subset goes: 19 levels of `- k:` (two blocks each), then one
    "".join(f"{'  ' * i}- k{i}:\n" for i in range(19)) + "  " * 19 + "- x: 1\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(39)) + "  " * 39 + "x:\n" + "  " * 39 + "- 1\n",
    # a block's first line: a scalar (read where the block opens), a flow list, an empty
    # mapping, a block of its own; under a key, an item's key and a compact item
    "a:\n  b: 1\n  c: x\nd:\n  e: [1]\n  f: 2\ng:\n  h:\n    i: 1\nj:\n  k: {}\n"
    "l:\n  - m:\n      n: 1\n    o:\n      p: ~\nq:\n- r:\n    s: '1'\n",
]


@pytest.mark.parametrize("text", ACCEPTED, ids=[repr(t[:20]) for t in ACCEPTED])
def test_accepted(text: str) -> None:
    assert same(text)
    through_load(text.encode("utf-8"))


# --- differential: the fuzz corpus and YAML-ish text ----------------------------------

LINE_PARTS = st.sampled_from(
    [
        "a",
        "b",
        "键",
        "1",
        "0979",
        "-1",
        ".5",
        "true",
        "null",
        "~",
        "''",
        "'x''y'",
        '"q"',
        '"a\\n"',
        ":",
        ": ",
        "- ",
        "-",
        "#",
        " #",
        "[]",
        "{}",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a",
        "*a",
        "!t",
        "|",
        ">",
        "?",
        "%",
        "@",
        "`",
        "'",
        '"',
        " ",
        "  ",
        "\t",
        "\ufeff",
        "---",
        "...",
        "2024-05-01",
        "\u3000",
        "x: y",
        "http://a",
    ]
)
LINES = st.lists(
    st.tuples(st.sampled_from([0, 0, 2, 2, 4, 1, 3, 6]), st.lists(LINE_PARTS, max_size=6)).map(
        lambda t: " " * t[0] + "".join(t[1])
    ),
    max_size=12,
).map(lambda ls: "\n".join(ls) + "\n")


def _text(raw: bytes) -> str | None:
    text, _ = loader.decode(raw, "f", None)
    return text


@DIFF
@given(st.one_of(mutated(), generated(), big_or_deep()))
def test_differential_fuzz_corpus(raw: bytes) -> None:
    text = _text(raw)
    if text is not None:
        same(text)


@DIFF
@given(LINES)
def test_differential_yamlish_lines(text: str) -> None:
    if _text(text.encode("utf-8")) is not None:
        same(text)


@DIFF
@given(
    st.sampled_from(HOSTILE_LINES),
    st.sampled_from([str(p) for p in FILES if loader.decode(p.read_bytes(), "f", None)[0]]),
    st.integers(0, 80),
)
def test_differential_hostile_lines(line: str, path: str, at: int) -> None:
    lines = Path(path).read_text("utf-8").splitlines(keepends=True)
    lines.insert(min(at, len(lines)), line + "\n")
    text = "".join(lines)
    if _text(text.encode("utf-8")) is not None:
        same(text)


@DIFF
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))
)
def test_differential_any_bytes(raw: bytes) -> None:
    through_load(raw)


def test_dates_stay_text() -> None:
    data = fastyaml.parse("d: 2024-05-01\n")
    assert data == {"d": "2024-05-01"}
    assert not isinstance(data["d"], dt.date)


def test_two_dossiers_share_no_list_or_mapping() -> None:
    """The fast path remembers the lines it has read (a repository's dossiers repeat
    them); a list or mapping read from a remembered line is still a new one each time,
    so an edit of one dossier's data never shows in another's."""
    text = "refs: [a, b]\nempty: []\nnone: {}\nrole: unit\n"
    first, second = fastyaml.parse(text), fastyaml.parse(text)
    assert first == second == {"refs": ["a", "b"], "empty": [], "none": {}, "role": "unit"}
    first["refs"].append("c")
    first["empty"].append(1)
    first["none"]["k"] = 1
    assert second == {"refs": ["a", "b"], "empty": [], "none": {}, "role": "unit"}
    assert fastyaml.parse(text) == second


def test_numbers_and_look_alikes_resolve_as_the_reference() -> None:
    # fastyaml._plain's shortcuts for digits, decimals and '-' inside (counts, amounts,
    # certificate numbers) against loader.build: every string of up to three characters
    # of a numeric alphabet, and longer usual ones
    import itertools

    alphabet = "09_.-+eExb"
    words = ["".join(p) for n in (1, 2, 3) for p in itertools.product(alphabet, repeat=n)]
    words += ["265.1", "0979", "24", "63280113002-24007", "1-2e3", "1e-5", "2023-07-20", "007"]
    words += ["1" * 19, "1" * 20, "1" * 5000, "1" * 4000 + ".5", "12-" + "9" * 30, "١٢", "1.٢"]
    for w in words:
        text = f"a: {w}\n"
        fast = fastyaml.parse(text)
        if fast is fastyaml.FALLBACK:
            continue
        kind, ref = reference(text)
        assert kind == "data" and fast == ref and _types(fast) == _types(ref), w
