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
