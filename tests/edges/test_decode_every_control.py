"""decode() asks cheaply whether a forbidden character can be in the text before it
searches for it (the cold path, docs/benchmarks.md): every character of the forbidden
set must still be found, with its position, wherever it stands in a dossier."""

from __future__ import annotations

import pytest

from golmud_cli.edges import loader

# Every code point the loader refuses in a file: the hidden line breaks and the
# controls (C0, DEL, C1, bidirectional overrides and isolates, the non-characters).
REFUSED = [
    chr(cp)
    for cp in range(0x110000)
    if not 0xD800 <= cp < 0xE000
    and (loader._HIDDEN_BREAK.match(chr(cp)) or loader._UNPRINTABLE.match(chr(cp)))
]
TEXT = "schema_version: 1\nname: 格尔木市智慧停车（一期）\nbasis: 《办法》\n"


def test_the_refused_set_is_what_the_loader_documents() -> None:
    # tab, LF and CR are YAML's own; everything else below U+0020 is refused
    assert "\t" not in REFUSED and "\n" not in REFUSED and "\r" not in REFUSED
    assert {"\x00", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u202e", "\u2069", "\uffff"} <= set(
        REFUSED
    )


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_every_refused_character_is_found_where_it_stands(char: str) -> None:
    # after CJK text, on the third line: the line and column a clerk's editor shows
    text = TEXT.replace("《办法》", "《办法" + char + "》")
    data, findings = loader.decode(text.encode("utf-8"), "f", "p")
    assert data is None and len(findings) == 1
    f = findings[0]
    assert f.code == "S001" and f"U+{ord(char):04X}" in f.message_en
    assert (f.line, f.column) == (3, 11)


@pytest.mark.parametrize("char", ["·", "×", "é", "\u2014", "（", "\u3000"])
def test_near_misses_are_text(char: str) -> None:
    # characters whose UTF-8 starts like a refused one's (C2, E2 80, E2 81, EF BF)
    text = TEXT.replace("《办法》", "《办法" + char + "》")
    data, findings = loader.decode(text.encode("utf-8"), "f", "p")
    assert findings == [] and data == text


def test_a_crlf_file_keeps_its_positions_as_an_editor_counts_them() -> None:
    text = TEXT.replace("\n", "\r\n").replace("《办法》", "《办法\x07》")
    _, findings = loader.decode(text.encode("utf-8"), "f", "p")
    assert "U+0007" in findings[0].message_en
    assert (findings[0].line, findings[0].column) == (3, 11)


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_load_words_every_refused_character_as_decode_does(char: str) -> None:
    # load() asks the fast parser before decode(): it must hand over every line holding
    # one (in a value, a comment, a blank line, a line it has read before without it),
    # so that decode() still finds it, at its place
    from golmud_cli.edges import fastyaml

    assert fastyaml.parse(TEXT) is not fastyaml.FALLBACK  # its lines are remembered
    for text, at in (
        (TEXT.replace("《办法》", "《办法" + char + "》"), (3, 11)),
        (TEXT + "# 注" + char + "\n", (4, 4)),
        (TEXT + "  " + char + "\n", (4, 3)),
    ):
        assert fastyaml.parse(text) is fastyaml.FALLBACK
        loaded = loader.load(text.encode("utf-8"), "f", "p")
        expected = loader.decode(text.encode("utf-8"), "f", "p")[1]
        assert loaded.data is None and loaded.findings == expected
        assert (expected[0].line, expected[0].column) == at


def test_no_refused_character_is_printable() -> None:
    # fastyaml._raw_line searches a line for them only when str.isprintable() says no
    from golmud_cli.edges import fastyaml

    assert not any(c.isprintable() for c in [*REFUSED, "\t", "\r", "\ufeff"])
    assert all(fastyaml._REFUSED_CHAR.match(c) for c in [*REFUSED, "\t", "\r", "\ufeff"])
