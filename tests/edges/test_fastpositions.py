"""Positions from the fast YAML path (fastyaml.tables) against the reference (ruamel's
parse events, loader._event_tables): for every path of a file -- every key, every list
index, one past the end of each list, a missing child under each node, the root -- and
every anchor, both give loader._pick the tables that place it at the same line and
column, or the fast path hands the text over (FALLBACK).

`make test` runs FASTPOSITIONS_EXAMPLES (default 25) examples per strategy; `make fuzz`
runs a long campaign (FASTPOSITIONS_EXAMPLES=20000).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from golmud_cli.core.findings import Path as DataPath
from golmud_cli.edges import fastyaml, loader
from tests.conftest import ROOT
from tests.edges.test_fastyaml import LINES, SCALARS
from tests.support.differential import campaign
from tests.support.hostile import big_or_deep, generated, mutated

# Each example checks every path of a file against ruamel's events, path by path too:
# `make test` runs 25 per strategy unless told otherwise (300 took minutes on 2 cores).
DIFF = campaign("FASTPOSITIONS_EXAMPLES")
if "FASTPOSITIONS_EXAMPLES" not in os.environ and "FUZZ_EXAMPLES" not in os.environ:
    DIFF = settings(DIFF, max_examples=25)
FILES = sorted(
    [
        *ROOT.glob("dossiers/**/*.yaml"),
        *ROOT.glob("tests/cases/**/*.yaml"),
        *ROOT.glob("tests/cases/**/gtx.yaml"),
        ROOT / "gtx.yaml",
    ]
)
TEXTS = {p: t for p in FILES if (t := loader.decode(p.read_bytes(), "f", None)[0]) is not None}
DOSSIERS = sorted(p for p in ROOT.glob("dossiers/**/project.yaml") if "invalid" not in p.parts)
MISSING = "\x00missing"  # a key no file has


def every_path(data: Any, here: DataPath = ()) -> list[DataPath]:
    """Each node's path, one past the end of each list, a missing child of each node
    (a mapping's, a list's and a scalar's) and a missing grandchild of the root."""
    out: list[DataPath] = [here, (*here, MISSING)]
    if isinstance(data, dict):
        for k, v in data.items():
            out += every_path(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += every_path(v, (*here, i))
        out.append((*here, len(data)))
    if not here:
        out.append((MISSING, MISSING))
    return out


def _answers(keys: Any, values: Any, wanted: list[tuple[DataPath, str]]) -> dict[Any, Any]:
    return {(p, a): loader._pick(p, a, keys, values) for p, a in wanted}


def placed(text: str) -> bool:
    """True when the fast path placed the text (and then placed every path of it as
    ruamel's events do)."""
    fast = fastyaml.tables(text)
    if fast is fastyaml.FALLBACK:
        return False
    data = loader.build(text)  # the fast path reads only what the reference reads
    wanted = [(p, a) for p in every_path(data) for a in loader.ANCHORS]
    # the reference as positions() reads it: until every wanted path is found
    ref = _answers(*loader._event_tables(text, {p for p, _ in wanted}), wanted)
    got = _answers(*fast, wanted)
    bad = {w: (got[w], ref[w]) for w in wanted if got[w] != ref[w]}
    assert not bad, (text, bad)
    # and loader.positions() gives that answer, in one call for the whole file
    assert loader.positions(text, wanted) == ref
    # and path by path, where the walk stops as soon as the path is placed (every
    # seventh path, sixty at most: each one re-reads the file up to it, and a fuzz
    # text has thousands of paths)
    paths = sorted({p for p, _ in wanted}, key=repr)
    for p in paths[:: max(7, len(paths) // 60)]:
        one = fastyaml.tables(text, {p})
        assert one is not fastyaml.FALLBACK
        for a in loader.ANCHORS:
            assert loader._pick(p, a, *one) == ref[(p, a)], (text, p, a)
    # and a few paths at once from far apart in the file, as a file's findings are: the
    # walk steps over every node off their way (a sibling's block, a list's other
    # items); ten such sets a file at most, each walks most of it
    third = max(1, len(paths) // 3)
    for i in range(0, third, max(5, third // 10)):
        some = set(paths[i::third])
        few = fastyaml.tables(text, some)
        assert few is not fastyaml.FALLBACK
        for p in some:
            for a in loader.ANCHORS:
                assert loader._pick(p, a, *few) == ref[(p, a)], (text, some, p, a)
    # and the root's keys alone, all at once and one by one (fastyaml._top_level: most
    # findings of a failing dossier are on a top-level field)
    tops = [p for p in paths if len(p) == 1]
    for some in [set(tops), *({p} for p in tops[:: max(1, len(tops) // 20)])]:
        top = fastyaml.tables(text, some)
        assert top is not fastyaml.FALLBACK
        for p in some:
            for a in loader.ANCHORS:
                assert loader._pick(p, a, *top) == ref[(p, a)], (text, some, p, a)
    return True


@pytest.mark.parametrize("path", sorted(TEXTS), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sample_and_case(path: Path) -> None:
    placed(TEXTS[path])


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_sample_dossiers_are_placed_by_the_fast_path(path: Path) -> None:
    """Else the fast path saves nothing where it is meant to."""
    assert placed(path.read_text("utf-8")), f"{path} fell back"


def test_the_reference_is_ruamels_when_the_fast_path_is_off() -> None:
    """positions() with FAST_PATH off reads the events only (the comparison above is
    between two different computations, not one computation twice)."""
    text = "a:\n- b: 1\n"
    loader.FAST_PATH = False
    try:
        slow = loader.positions(text, [(("a", 0, "b"), "value")])
    finally:
        loader.FAST_PATH = True
    assert (
        slow
        == loader.positions(text, [(("a", 0, "b"), "value")])
        == {(("a", 0, "b"), "value"): (2, 6)}
    )


def test_an_unknown_anchor_still_raises() -> None:
    with pytest.raises(ValueError, match="unknown anchor"):
        loader.positions("a: 1\n", [(("a",), "valeu")])


# One case per shape the brief names, each with the answer read off the text by hand
# (line, column), so that a wrong rule shared by both paths would show here too.
SHAPES = [
    ("a: 1\n", ("a",), "value", (1, 4)),
    ("a: 1\n", ("a",), "key", (1, 1)),
    ("a:   'x'  # c\n", ("a",), "value", (1, 6)),
    ('a: "x"\n', ("a",), "value", (1, 4)),
    ("a:\nb: 1\n", ("a",), "value", (1, 3)),  # an empty value: just after the colon
    ("a:   # c\nb: 1\n", ("a",), "value", (1, 3)),
    ("x: 1\n\n# c\na:\n  b: 1\n", ("a",), "value", (4, 1)),  # a block mapping: its key
    ("a:\n- 1\n- 2\n", ("a", 1), "value", (3, 3)),
    ("a:\n  - 1\n  -\n", ("a", 1), "value", (3, 4)),  # an empty item: after the '-'
    ("a:\n- b: 1\n  c: 2\n", ("a", 0), "value", (2, 3)),  # a compact item: at its key
    ("a:\n- b: 1\n  c: 2\n", ("a", 0, "c"), "value", (3, 6)),
    ("- - x\n", (0,), "value", (1, 3)),
    ("a: [x,  'y']\n", ("a", 1), "value", (1, 9)),
    ("a: []\n", ("a",), "value", (1, 4)),
    ("a: {}\n", ("a",), "value", (1, 4)),
    ("a:\n  b: 1\n", ("a", "c"), "parent", (1, 1)),  # missing: the mapping's key
    ("a:\n- 1\n", ("a", 5), "value", (1, 1)),  # out of range: the list's key
    ("a: 1\n", ("a", "b"), "value", (1, 1)),  # under a scalar: its key
    ("# c\n\n  a: 1\n", (), "value", (3, 3)),  # the root: its first key
    ("a: 格尔木\nb: 木\n", ("b",), "value", (2, 4)),
    # a root key found by a search of the text (fastyaml._top_level)
    ("# c\n\na:\n\n  # x\n  b: 1\n", ("a",), "value", (3, 1)),
    ("a: 1\nb:\n", ("b",), "value", (2, 3)),
    ("a: 1\nb:", ("b",), "value", (2, 3)),
    ("a: 1\nb:  \n\n# c\n", ("b",), "value", (2, 3)),
    ("a:\n- 1\nb: 2\n", ("b",), "key", (3, 1)),
    ("a:\n\n- 1\n", ("a",), "parent", (1, 1)),
    ("ab: 1\nb: 2\n", ("b",), "value", (2, 4)),
    ("a:\n  b: 1\nb: 2\n", ("b",), "value", (3, 4)),
    ("a: x  # b: 1\nb: 2\n", ("b",), "value", (2, 4)),
    ("a: x\n", ("b",), "parent", (1, 1)),
    ("a: [x, y]\n", ("a",), "value", (1, 4)),
]


@pytest.mark.parametrize(("text", "path", "anchor", "expected"), SHAPES)
def test_shapes(text: str, path: DataPath, anchor: str, expected: tuple[int, int]) -> None:
    assert fastyaml.tables(text) is not fastyaml.FALLBACK
    assert placed(text)
    assert loader.positions(text, [(path, anchor)])[(path, anchor)] == expected


# --- variants of the samples: the edits people make, in the subset's shapes ------------

_VALUE_LINE = re.compile(r"^( *(?:- +)?[^\s:#'\"-][^:#]*:) +([^\s#'\"\[{|>&*!].*?)\s*$")
_OPEN_LINE = re.compile(r"^( *)[^\s:#-][^:#]*:\s*$")
_ITEM = re.compile(r"^( *)- +([^\s#'\"\[{|>&*!:?-][^:#]*?)\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@st.composite
def variants(draw: st.DrawFn) -> str:
    """A sample file with a few edits: values emptied or replaced, comments and blank
    lines added, a sequence's indentation changed, a list made a flow list, values
    quoted."""
    path = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[path].split("\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[i] if lines else ""
        op = draw(
            st.sampled_from(
                ["empty", "value", "comment", "line", "blank", "indent", "flow", "quote"]
            )
        )
        m = _VALUE_LINE.match(line)
        if op == "empty" and m:
            lines[i] = m.group(1) + draw(st.sampled_from(["", "  ", " # emptied"]))
        elif op == "value" and m:
            new = draw(st.sampled_from([*[s for s, _ in SCALARS if "\n" not in s][:40], "[a, b]"]))
            lines[i] = f"{m.group(1)} {new}"
        elif op == "comment" and "#" not in line and line.strip():
            lines[i] = line + draw(st.sampled_from(["  # note", " # 注", "   #"]))
        elif op == "line":
            lines.insert(i, " " * draw(st.integers(0, 6)) + "# a comment line")
        elif op == "blank":
            lines.insert(i, " " * draw(st.integers(0, 4)))
        elif op == "indent" and _OPEN_LINE.match(line):
            # the sequence under `key:` moved right or left by two spaces
            ind = _indent(line)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].lstrip().startswith("-"):
                first = _indent(lines[j])
                shift = 2 if first == ind else -2 if first == ind + 2 else 0
                while j < len(lines) and (
                    not lines[j].strip()
                    or _indent(lines[j]) > first
                    or (_indent(lines[j]) == first and lines[j].lstrip().startswith("-"))
                ):
                    if lines[j].strip():
                        lines[j] = lines[j][-shift:] if shift < 0 else " " * shift + lines[j]
                    j += 1
        elif op == "flow" and _OPEN_LINE.match(line):
            # a block list of plain scalars written as a flow list
            j, items = i + 1, []
            while (
                j < len(lines)
                and (im := _ITEM.match(lines[j]))
                and _indent(lines[j]) >= _indent(line)
            ):
                items.append(im.group(2))
                j += 1
            if items and all("," not in x and "]" not in x for x in items):
                lines[i:j] = [f"{line.rstrip()} [{', '.join(items)}]"]
        elif op == "quote" and m:
            v = m.group(2)
            if "'" not in v:
                lines[i] = f"{m.group(1)} '{v}'"
            elif '"' not in v and "\\" not in v:
                lines[i] = f'{m.group(1)} "{v}"'
    return "\n".join(lines)


@DIFF
@given(variants())
def test_differential_variants(text: str) -> None:
    if loader.decode(text.encode("utf-8"), "f", None)[0] is not None:
        placed(text)


@DIFF
@given(st.one_of(mutated(), generated(), big_or_deep()))
def test_differential_fuzz_corpus(raw: bytes) -> None:
    text = loader.decode(raw, "f", None)[0]
    if text is not None:
        placed(text)


@DIFF
@given(LINES)
def test_differential_yamlish_lines(text: str) -> None:
    if loader.decode(text.encode("utf-8"), "f", None)[0] is not None:
        placed(text)


def test_the_variants_are_mostly_placed() -> None:
    """The variants above must mostly stay in the subset, else they test nothing."""
    seen: list[bool] = []

    @DIFF
    @given(variants())
    def run(text: str) -> None:
        seen.append(placed(text))

    run()
    assert sum(seen) >= len(seen) * 0.6, (sum(seen), len(seen))


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"])
def test_yamls_other_line_breaks_go_to_ruamel(brk: str) -> None:
    # ruamel breaks lines at NEL, LS and PS; the fast path's lines do not: a text with
    # one (the loader refuses it before, this keeps the subset whole on its own) is
    # neither read nor placed here, and ruamel's events count the break as a line
    text = f"a: 1 # note{brk}b: 2\nc: 3\n"
    assert fastyaml.parse(text) is fastyaml.FALLBACK
    assert fastyaml.tables(text) is fastyaml.FALLBACK
    assert loader.positions(text, [(("c",), "key")]) == {(("c",), "key"): (3, 1)}
