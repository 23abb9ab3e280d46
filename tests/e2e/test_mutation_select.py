"""`make mutate`'s test selection (tests/support/mutation_select.py): a mutant runs only
the test files tests/mutation_selection.toml lists for its module, direct tests first.
A wrong selection shows as a slow or, worse, a falsely surviving mutant, so it is run
here the way mutmut runs it: pytest with the plugin loaded by `-p`, the ids given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.mutation_select import pytest_load_initial_conftests

ROOT = Path(__file__).resolve().parents[2]
FILING = "golmud_cli.core.rules.filing.x_missing_filing_fields__mutmut_1"
CASES = "tests/core/test_cases.py::test_every_rule_has_a_case_and_a_near_miss"
DIRECT = "tests/core/test_rule_mutants_c.py::test_b001_an_mlps_level_other_with_its_note_is_filled_in"
UNLISTED = "tests/pipeline/test_cli_validate.py::test_the_sample_dossiers_pass"
# what mutmut passes before and after the ids ([tool.mutmut] pytest_add_cli_args)
HEAD = ["--rootdir=.", "--tb=native", "-x", "-q", "-p", "no:randomly"]
TAIL = ["-p", "no:cacheprovider", "-p", "tests.support.mutation_select"]


def trimmed(monkeypatch: pytest.MonkeyPatch, mutant: str, ids: list[str]) -> list[str]:
    monkeypatch.setenv("MUTANT_UNDER_TEST", mutant)
    monkeypatch.delenv("GTX_MUTATE_MODULE", raising=False)
    args = [*HEAD, *ids, *TAIL]
    pytest_load_initial_conftests(None, None, args)  # type: ignore[arg-type]
    return args


def test_a_rule_mutant_runs_its_direct_tests_first_and_no_unlisted_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # mutmut's order is quickest first: the committed case before the direct test
    args = trimmed(monkeypatch, FILING, [CASES, UNLISTED, DIRECT])
    assert args == [*HEAD, DIRECT, CASES, *TAIL]


def test_the_options_and_their_values_are_kept_when_nothing_is_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert trimmed(monkeypatch, FILING, [UNLISTED]) == [*HEAD, UNLISTED, *TAIL]
    # mutmut's stats pass must see every test
    assert trimmed(monkeypatch, "stats", [CASES, UNLISTED]) == [*HEAD, CASES, UNLISTED, *TAIL]


def test_a_deselected_id_stays_the_value_of_its_option(monkeypatch: pytest.MonkeyPatch) -> None:
    # `make mutate-sample` gives whole files and pyproject's `--deselect ID` pairs
    deselect = ["--deselect", CASES, "--deselect", CASES + "_too"]
    monkeypatch.setenv("MUTANT_UNDER_TEST", FILING)
    args = [*HEAD, *deselect, "tests/core/test_rule_mutants_c.py", *TAIL]
    pytest_load_initial_conftests(None, None, args)  # type: ignore[arg-type]
    assert args == [*HEAD, *deselect, "tests/core/test_rule_mutants_c.py", *TAIL]
    # ... and among ids to order, it is left where it stands
    args = trimmed(monkeypatch, FILING, [*deselect, CASES, UNLISTED, DIRECT])
    assert args == [*HEAD, *deselect, DIRECT, CASES, *TAIL]


def test_pytest_collects_only_the_listed_files_in_the_listed_order() -> None:
    env = {**os.environ, "MUTANT_UNDER_TEST": FILING}
    env.pop("GTX_MUTATE_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "--collect-only", "-q",
         "-p", "no:randomly",
         CASES, UNLISTED, DIRECT, "-p", "no:cacheprovider",
         "-p", "tests.support.mutation_select"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    ids = [line for line in out.stdout.splitlines() if "::" in line]
    assert ids == [DIRECT, CASES]
