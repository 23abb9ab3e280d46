"""Where a finding points in project.yaml, by its anchor (edges/loader.py, positions).

A rule names the field a finding is about and how to point at it: "value" (the
default), "key", or "parent" for a field that may be missing. A clerk's editor jumps
to that line and column, so the anchor has to decide it: a missing field points at the
key of the mapping it belongs in (where it is to be added), a present one at its value.
"""

from __future__ import annotations

import pytest

from golmud_cli.edges.loader import positions

TEXT = """\
name: 智慧停车
contact:
  person: 张三
  email: zhang@example.cn
documents:
  proposal:
    file: attachments/proposal.pdf
budget_wan: 120
"""


def _at(path: tuple[str, ...], anchor: str) -> tuple[int | None, int | None]:
    return positions(TEXT, [(path, anchor)])[(path, anchor)]


def test_a_missing_field_anchored_parent_points_at_the_key_above_it() -> None:
    assert _at(("contact", "phone"), "parent") == (2, 1)  # `contact:`
    assert _at(("documents", "proposal", "sha256"), "parent") == (6, 3)  # `proposal:`
    # its parent missing as well: the deepest mapping that exists
    assert _at(("documents", "contract", "vendor"), "parent") == (5, 1)  # `documents:`


def test_a_present_field_anchored_value_points_at_its_value() -> None:
    assert _at(("contact", "email"), "value") == (4, 10)
    assert _at(("budget_wan",), "value") == (8, 13)
    # a block mapping's value is the line of its key
    assert _at(("documents", "proposal"), "value") == (6, 3)


def test_a_present_field_anchored_parent_points_at_its_value_and_key_at_its_key() -> None:
    # "parent" is for a field that may be missing: when it is there, the finding is
    # about what it holds (A002's budget over the simplified path's limit)
    assert _at(("budget_wan",), "parent") == _at(("budget_wan",), "value") == (8, 13)
    assert _at(("contact", "email"), "key") == (4, 3)


def test_a_missing_field_points_at_its_parent_whatever_the_anchor() -> None:
    for anchor in ("value", "key", "parent"):
        assert _at(("contact", "phone"), anchor) == (2, 1), anchor
    assert _at(("network",), "parent") == (1, 1)  # top level: the file's start


def test_an_anchor_no_rule_may_use_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="unknown anchor 'parnet'"):
        _at(("contact", "phone"), "parnet")
