"""core/gitattributes.py: which attribute lines touch dossiers (pure)."""

from __future__ import annotations

import pytest

from golmud_cli.core.gitattributes import attributes_affect, modules_affect

PATHS = ["gtx.yaml", "dossiers/2024-a/project.yaml"]


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("dossiers/** working-tree-encoding=UTF-16", True),
        ("/dossiers/**/*.yaml filter=x", True),
        ("*.yaml ident", True),
        ("project.yaml -diff", True),  # no slash: any depth
        ("dossiers/*.yaml eol=crlf", False),  # anchored, * stays in one component
        ("docs/** working-tree-encoding=UTF-16", False),
        ("*.yaml text eol=lf", False),  # what gtx init writes
        ("*.yaml whitespace=trailing-space linguist-language=YAML", False),
        ("# dossiers/** filter=x", False),
        ("[attr]hide -diff\n*.yaml hide", True),
        ("*.yaml unknown-macro", True),  # a macro defined elsewhere counts
        ('"gtx.yaml" export-subst', True),
        ("gtx.yam? binary", True),
        ("[a-f]tx.yaml crlf", False),
    ],
)
def test_which_lines_touch_dossiers(text: str, hit: bool) -> None:
    assert bool(attributes_affect(text, PATHS)) is hit


def test_a_hit_names_line_pattern_and_path() -> None:
    [h] = attributes_affect("# c\n\ndossiers/** working-tree-encoding=UTF-16\n", PATHS)
    assert (h.line, h.pattern, h.attributes, h.path) == (
        3, "dossiers/**", ("working-tree-encoding=UTF-16",), "dossiers/2024-a/project.yaml")


def test_modules_over_dossiers() -> None:
    text = '[submodule "a"]\n\tpath = dossiers/2024-a\n[submodule "b"]\n\tpath = vendor/x\n'
    assert modules_affect(text, ["gtx.yaml", "dossiers"]) == ["dossiers/2024-a"]
