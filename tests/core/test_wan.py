"""万元 as gtx shows it (core/wan.py), the one formatter of every output: tables and
reports drop trailing zeros, the filing form keeps the dossier's digits, JSON and
spreadsheets get a number; never an exponent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from golmud_cli.core.wan import wan_number, wan_text


@pytest.mark.parametrize(
    ("value", "shown", "as_written"),
    [
        ("620", "620", "620"),
        ("588.6", "588.6", "588.6"),
        ("320.50", "320.5", "320.50"),  # a quoted value with trailing zeros
        ("1E+2", "100", "100"),  # never 1E+2
        ("3.205E+2", "320.5", "320.5"),
        ("0.05", "0.05", "0.05"),
        ("-0", "-0", "0"),
    ],
)
def test_text(value: str, shown: str, as_written: str) -> None:
    assert wan_text(Decimal(value)) == shown
    assert wan_text(Decimal(value), as_written=True) == as_written


def test_none_is_blank_text_and_null_number() -> None:
    assert wan_text(None) == "" and wan_text(None, as_written=True) == ""
    assert wan_number(None) is None


def test_number_is_an_integer_when_whole() -> None:
    assert wan_number(Decimal("620.00")) == 620 and isinstance(wan_number(Decimal("620.00")), int)
    assert wan_number(Decimal("588.6")) == 588.6
    assert isinstance(wan_number(Decimal("588.6")), float)
