"""What core/fastschema.py's generated classes call at run time, without pydantic: the
amount and level fixes made after msgspec's check, and the methods that read a
struct's fields (model_copy, Documents.get and .present).

Kept apart from core/fastmodel.py, which imports the generated module: the generated
module imports this one, and an import cycle is refused (scripts/check_layers.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from golmud_cli.core.values import MlpsLevel

_INF = (float("inf"), float("-inf"))


class Wan:
    """A field of the _wan kind (万元): int, float or Decimal in, Decimal out, as
    values._wan makes it, with the field's bound (gt or ge) checked on the Decimal.
    msgspec takes the field as Any: this is its only check (a text, a bool, a list are
    refused here)."""

    __slots__ = ("ge", "gt")

    def __init__(self, gt: Any = None, ge: Any = None) -> None:
        self.gt, self.ge = gt, ge

    def __call__(self, value: Any) -> Decimal:
        if type(value) is int:
            out = Decimal(value)
        elif type(value) is float:
            if value != value or value in _INF:
                raise ValueError("number_expected")
            out = Decimal(repr(value))
        elif type(value) is Decimal:
            # kept as it is, as _wan does (a default, a copy, a Python caller's); pydantic's
            # Decimal then refuses NaN and the infinities, and checks the bound
            if not value.is_finite():
                raise ValueError("number_expected")
            out = value
        else:
            raise ValueError("number_expected")
        if (self.gt is not None and not out > self.gt) or (
            self.ge is not None and not out >= self.ge
        ):
            raise ValueError("out_of_range")
        return out


# MlpsLevel's members by value: what MlpsLevel(value) looks up, without the Enum call
# (~1/8 of a valid dossier's convert, issue 17)
_LEVELS = {m.value: m for m in MlpsLevel}


def mlps_level(value: Any) -> MlpsLevel:
    # values._mlps_level: `level: 3` is a YAML int, the enum's values are text
    if type(value) is int:
        level = _LEVELS.get(str(value))
        if level is None:
            raise ValueError("mlps_level")  # a level that is not one, as MlpsLevel() says
        return level
    if isinstance(value, MlpsLevel):
        return value
    raise ValueError("mlps_level")


def model_copy(self: Any, *, update: dict[str, Any] | None = None) -> Any:
    """pydantic's model_copy(update=...): a copy with these fields changed, unchecked."""
    return msgspec.structs.replace(self, **(update or {}))


def present(self: Any) -> dict[str, Any]:
    """Documents.present: each document the dossier has, in the order of the fields."""
    # astuple reads every field in one call (C), rather than a getattr each
    values = msgspec.structs.astuple(self)
    return {k: v for k, v in zip(self.__struct_fields__, values, strict=True) if v is not None}


def get(self: Any, kind: str) -> Any:
    """Documents.get: the document of that kind, or None."""
    if kind not in self.__struct_fields__:
        return None
    return getattr(self, kind)
