"""A pytest plugin for `make mutate` (docs/testing.md, Mutation testing): the test files
that may kill a mutant of a module, named per module in tests/mutation_selection.toml.

mutmut runs a mutant against every test that called its function in its stats pass;
for the lifecycle that is nearly the whole selection (minutes a survivor), most of it
slow whole-program tests that a quick direct test already covers. This plugin keeps,
of the tests mutmut asks for, those in the files listed for the mutant's module, so a
survivor costs seconds. A module not listed keeps all of them. It is loaded with `-p`
by [tool.mutmut] pytest_add_cli_args only, so `make test` never sees it.

Which module: the mutant's name in MUTANT_UNDER_TEST (set by mutmut in each forked
child), or, for mutmut's clean run and forced failure (no mutant yet), the module
`make mutate MODULE=...` runs, in GTX_MUTATE_MODULE. mutmut's stats pass and test
listing are never filtered: they must see the whole selection.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

SELECTION = Path(__file__).resolve().parent.parent / "mutation_selection.toml"
# mutmut's own phases, named in MUTANT_UNDER_TEST, that must run every test
UNFILTERED = {"stats", "list_all_tests", "mutant_generation"}


def files_for(name: str, table: dict[str, list[str]]) -> list[str] | None:
    """The test files listed for the longest module of `table` that `name` (a module
    or a mutant's name) lies in, or None when none is listed."""
    best = max(
        (m for m in table if name == m or name.startswith(m + ".")), key=len, default=None
    )
    return None if best is None else table[best]


def module_under_test() -> str | None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant in UNFILTERED:
        return None
    if "__mutmut_" in mutant:
        return mutant
    return os.environ.get("GTX_MUTATE_MODULE") or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = module_under_test()
    if name is None:
        return
    table: dict[str, list[str]] = tomllib.loads(SELECTION.read_text("utf-8"))["tests"]
    files = files_for(name, table)
    if files is None:
        return
    allowed = set(files)
    keep = [i for i in items if i.nodeid.split("::", 1)[0] in allowed]
    if len(keep) < len(items):
        config.hook.pytest_deselected(
            items=[i for i in items if i.nodeid.split("::", 1)[0] not in allowed]
        )
        items[:] = keep
