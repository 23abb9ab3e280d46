"""万元 (ten thousand yuan), the unit of every amount in a dossier, as gtx shows it
(pure): one helper for the text, one for the number, used by every output (status,
list, the HTML report, show's JSON, the filing form, spreadsheets)."""

from __future__ import annotations

from decimal import Decimal


def wan_text(value: Decimal | None, *, as_written: bool = False) -> str:
    """An amount as text, never with an exponent (3.205E+2 is 320.5); "" for none.

    Tables and reports drop trailing zeros (620, 588.6). `as_written` keeps the
    dossier's own digits (320.50 stays 320.50, -0 is 0): the filing form is an
    official document and shows the amount as the unit wrote it."""
    if value is None:
        return ""
    text = format(value, "f")
    if as_written:
        return "0" if text in ("-0", "-0.0") else text
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan_number(value: Decimal | None) -> int | float | None:
    """An amount as a JSON or spreadsheet number: an integer when it is whole, else a
    float (万元 have few digits, so nothing is lost); None for none."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
