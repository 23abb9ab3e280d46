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

import functools
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


# options whose value is the next argument and may look like a test id
# (pyproject.toml's selection deselects ids with `--deselect ID`)
_TAKES_VALUE = frozenset({"--deselect", "-p", "-m", "-k", "-o", "--ignore", "--ignore-glob"})


@functools.cache
def _table() -> dict[str, list[str]]:
    # read once a process: both hooks below ask
    table: dict[str, list[str]] = tomllib.loads(SELECTION.read_text("utf-8"))["tests"]
    return table


def _listed_files(name: str | None) -> list[str] | None:
    return None if name is None else files_for(name, _table())


def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    """Trim and order the test ids mutmut passes before pytest collects them.

    mutmut names every test that called the mutant's function (400-odd for a rule's
    check), quickest first, and pytest stops at the first failure (`-x`). Collecting
    ids of files not listed for the module only to deselect them costs a fifth of a
    mutant's time, and the quickest tests are the committed cases, which rarely kill
    what a direct test of the rule kills at once. So: drop the ids of files not
    listed, and run the listed files in their listed order (direct tests first),
    keeping mutmut's order within a file. Options and their values are left alone;
    when no id would remain, nothing changes and collection deselects them all.
    """
    files = _listed_files(module_under_test())
    if files is None:
        return
    rank = {f: i for i, f in enumerate(files)}
    is_id = [
        "::" in a and a.startswith("tests/") and (i == 0 or args[i - 1] not in _TAKES_VALUE)
        for i, a in enumerate(args)
    ]
    ids = [a for a, yes in zip(args, is_id, strict=True) if yes]
    kept = [a for a in ids if a.split("::", 1)[0] in rank]
    if not kept:
        return
    kept.sort(key=lambda a: rank[a.split("::", 1)[0]])  # stable: mutmut's order within a file
    first = is_id.index(True)
    rest = [a for a, yes in zip(args, is_id, strict=True) if not yes]
    args[:] = rest[:first] + kept + rest[first:]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    files = _listed_files(module_under_test())
    if files is None:
        return
    allowed = set(files)
    keep = [i for i in items if i.nodeid.split("::", 1)[0] in allowed]
    if len(keep) < len(items):
        config.hook.pytest_deselected(
            items=[i for i in items if i.nodeid.split("::", 1)[0] not in allowed]
        )
        items[:] = keep
