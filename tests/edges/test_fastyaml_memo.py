"""The fast path remembers keys and one-line values it has judged (edges/fastyaml.py):
a dossier read after another must come out exactly as if read first, and no two
dossiers may share a list or a mapping (the schema check's lenient pass edits its
copy of the data; a shared list would carry one file's edit into the next)."""

from __future__ import annotations

from golmud_cli.edges import fastyaml, loader

FIRST = (
    "budget_wan: 320.5\n"
    "in_plan: true\n"
    "count: 2\n"
    "date: 2024-05-01\n"
    "phone: 0979-8412345\n"
    "refs: [feasibility_study, approval_reply]\n"
    "empty: []\n"
    "none: {}\n"
    "note: ~\n"
)


def test_a_second_read_gives_the_same_data_as_the_reference() -> None:
    first, second = fastyaml.parse(FIRST), fastyaml.parse(FIRST)
    assert first == second == loader.build(FIRST)
    assert [type(v) for v in first.values()] == [type(v) for v in loader.build(FIRST).values()]


def test_no_two_reads_share_a_list_or_a_mapping() -> None:
    first, second = fastyaml.parse(FIRST), fastyaml.parse(FIRST)
    for key in ("refs", "empty", "none"):
        assert first[key] is not second[key]
    first["refs"].append("contract")
    first["empty"].append(1)
    first["none"]["x"] = 1
    assert fastyaml.parse(FIRST) == loader.build(FIRST)


def test_the_same_word_is_read_by_its_own_rules_as_key_and_as_value() -> None:
    # `true` as a value is a bool; as a key ruamel refuses it (keys must be text): the
    # memo of one must not answer for the other
    assert fastyaml.parse("a: true\n") == {"a": True}
    assert fastyaml.parse("true: 1\n") is fastyaml.FALLBACK
    assert fastyaml.parse("null: 1\n") is fastyaml.FALLBACK
    assert fastyaml.parse("b: null\n") == {"b": None}


def test_the_memos_stay_bounded() -> None:
    for i in range(fastyaml._MEMO_MAX + 100):
        assert fastyaml.parse(f"k{i}: {i}.5\n") == {f"k{i}": i + 0.5}
    assert len(fastyaml._SCALARS) <= fastyaml._MEMO_MAX
    assert len(fastyaml._TEXT_KEYS) <= fastyaml._MEMO_MAX
    # still read right once full
    assert fastyaml.parse(FIRST) == loader.build(FIRST)


def test_a_remembered_line_is_read_by_its_place() -> None:
    # the memo of raw lines keeps a line with its indentation; the same text at another
    # indentation, or after another line, is judged there
    assert fastyaml.parse("a:\n  b: 1\n") == {"a": {"b": 1}}
    assert fastyaml.parse("  b: 1\n") == {"b": 1}
    assert fastyaml.parse("b: 1\n  b: 1\n") is fastyaml.FALLBACK
    assert fastyaml.parse("a:\n- b: 1\n  b: 1\n") is fastyaml.FALLBACK  # a duplicate key
    # a refused line is refused again, wherever it comes
    for _ in range(2):
        assert fastyaml.parse("a: 1\n# c\td\n") is fastyaml.FALLBACK
        assert fastyaml.parse("# c\td\na: 1\n") is fastyaml.FALLBACK


# A raw line missing from the memo whose head (indentation, an item's '-', the key)
# was read whole before is read from the value alone (_RawLines.__missing__): the entry
# must be _raw_line's for the whole line, or the line refused as it refuses it.
HEADS = ["name", "  date", "    amount_wan", "  - stage", "  -   role", "- refs", "k"]
VALUES = [
    "格尔木市就业创业公共服务平台（0）",
    "2023-07-06",
    "0979-8400000",
    "63280113002-24003",
    "391.8",
    "406",
    "-1",
    ".5",
    "1e3",
    "0x1f",
    "true",
    "False",
    "null",
    "~",
    "",
    " ",
    "# a comment",
    "x # a comment",
    "x#y",
    "a: b",
    "a:",
    "http://a",
    "[ndrc, finance]",
    "[]",
    "{}",
    "{a: 1}",
    "'q'",
    '"q: r"',
    '"a\\n"',
    "&a x",
    "*a",
    "!t x",
    "|",
    "- x",
    "x\ty",
    "x\u3000y",
    "\u3000",
    "x\u2028y",
    "x\x85",
    "x\ufeff",
    "x\u202e",
    "x  ",
    "  x",
    "٣٣٣٣-1",
]


def _entry(raw: str) -> object:
    try:
        return fastyaml._raw_line(raw)
    except fastyaml._Fallback:
        return "refused"


def test_a_line_of_a_known_head_is_read_as_the_whole_line() -> None:
    fastyaml._HEADS.clear()  # room, whatever ran before (a full memo remembers no head)
    for head in HEADS:
        seen = f"{head}: first value"
        fastyaml._RAW.pop(seen, None)
        fastyaml._RAW[seen]  # read whole: its head is remembered
        assert head in fastyaml._HEADS
        for value in VALUES:
            raw = f"{head}: {value}"
            fastyaml._RAW.pop(raw, None)
            want = _entry(raw)
            try:
                got: object = fastyaml._RAW[raw]
            except fastyaml._Fallback:
                got = "refused"
            assert got == want, raw
            assert repr(got) == repr(want), raw  # 1 is not True, 1.0 is not 1


def test_known_heads_in_whole_texts_read_as_the_reference() -> None:
    fastyaml._HEADS.clear()
    for head in ("name", "  - stage"):
        for value in VALUES:
            text = f"a:\n{head}: x\n" if head.startswith(" ") else f"{head}: x\n"
            fastyaml.parse(text)  # the head remembered
            text = text.replace(": x\n", f": {value}\n")
            fast = fastyaml.parse(text)
            if fast is fastyaml.FALLBACK:
                continue
            ref = loader.build(text)
            assert fast == ref, text
            assert repr(fast) == repr(ref), text  # 1 is not True, 1.0 is not 1
