"""A second, faster way from a dossier's or gtx.yaml's data to its model, without
pydantic (issue 17: a cold run checks every dossier; pydantic took ~190 us of a
dossier's ~1.3 ms, msgspec ~20 us; and importing pydantic and building its validator
cost a start-up 0.2-0.35 s that `validate --changed-since` and `advance` paid even
when every file they read was valid).

`convert(data)` gives an object with Dossier's shape -- every field of core/model.py's
Dossier and of its parts, with the same values of the same types, and the methods the
rules and the deadlines use (`stages`, `entered`, `entered_dates`, `documents.get`,
`documents.present`, `model_copy`) -- or None; `convert_settings(data)` the same for
gtx.yaml's Settings (and `Signer.valid_on`). None means "not sure": the caller
validates with pydantic (core/model.py), which stays the reference and words every
finding.

The classes are core/fastschema.py's, generated from the pydantic classes by
core/fastgen.py (`make fastschema`) and committed, so that this module imports neither
pydantic nor core/model.py. A field added to the model is a field there once the
file is regenerated (tests/core/test_fastgen.py fails until it is); a validator the
generator does not know stops it, never a silent difference.

Only a subset of what pydantic accepts is taken here, and on that subset the same
answer: msgspec is strict (no bool for a number, no number for a text, no text for a
number), YAML's text dates go through RFC 3339's full-date (YYYY-MM-DD, a real day)
as _iso_date's pattern and fromisoformat do, patterns end at the end of the text as
pydantic's Rust regex does (`\\Z`, not Python's `$`, which also matches before a
final newline), and the amounts in 万元 are checked and made Decimal as _wan makes
them. What it does not take (an alias such as `for_`, a datetime object) pydantic
judges. tests/core/test_fastmodel.py holds the two to the same data or to a refusal
here, on every sample, every test case and generated variants of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import msgspec

from golmud_cli.core import fastschema

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier, Settings

# the generated twins of model.Dossier and model.Settings
DossierStruct = fastschema.Dossier
SettingsStruct = fastschema.Settings

# what a value msgspec or a fix refuses raises: each means "not sure here"
_REFUSED = (msgspec.ValidationError, ValueError, TypeError, OverflowError)


def _made(data: Any, struct: type[msgspec.Struct]) -> Any:
    """`struct` made from the data (a mapping as the loader gives it), or None."""
    if type(data) is not dict:
        return None
    try:
        return msgspec.convert(data, struct)
    except _REFUSED:
        return None


def convert(data: Any) -> Dossier | None:
    """The dossier's model from its data, or None when this path is not sure and
    pydantic must judge (module docstring). Not a pydantic object, but the same fields,
    values and methods: the rules, the deadlines and the cache's encoding read it as
    they read the model."""
    return cast("Dossier | None", _made(data, DossierStruct))


def convert_settings(data: Any) -> Settings | None:
    """gtx.yaml's Settings from its data, or None when pydantic must judge. `{}` gives
    the defaults, as `Settings()` does; a missing gtx.yaml is the caller's `Settings()`."""
    return cast("Settings | None", _made(data, SettingsStruct))
