"""A finding placed in its file (Finding.at) keeps every other field as it was."""

from __future__ import annotations

import dataclasses

from golmud_cli.core.findings import Finding, Severity


def test_at_keeps_every_field_but_the_position() -> None:
    # Finding.at lists the fields by hand (dataclasses.replace's loop cost a cold run):
    # a field added to Finding and not to `at` must fail here, not vanish silently.
    values = {
        "code": "S002",
        "severity": Severity.warning,
        "project": "2024-x",
        "file": "dossiers/2024-x/project.yaml",
        "path": ("history", 0, "date"),
        "label": "日期",
        "message_zh": "日期不对",
        "message_en": "bad date",
        "clause": "三（一）",
        "line": 3,
        "column": 7,
        "anchor": "key",
        "extra": {"k": 1},
    }
    assert set(values) == {f.name for f in dataclasses.fields(Finding)}
    f = Finding(**values)  # type: ignore[arg-type]
    moved = f.at(11, 2)
    assert moved == dataclasses.replace(f, line=11, column=2)
    for name, value in values.items():
        want = {"line": 11, "column": 2}.get(name, value)
        assert getattr(moved, name) == want, name
    assert moved.extra is f.extra  # as replace() keeps it: the same dict
