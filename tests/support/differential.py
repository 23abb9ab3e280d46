"""The hypothesis settings of a differential test (a fast path against its reference):
`make test` runs a few hundred examples per strategy, `make fuzz` a long campaign."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def campaign(variable: str) -> settings:
    """`variable` (e.g. FASTYAML_EXAMPLES) examples per strategy, else FUZZ_EXAMPLES,
    else 300."""
    examples = int(os.environ.get(variable, os.environ.get("FUZZ_EXAMPLES", "300")))
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
