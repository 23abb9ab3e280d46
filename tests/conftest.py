"""Shared test helpers, kept small and generic.

- `ROOT`, `CASES`: the repository and the example dossier repositories (tests/cases/).
- `copy_case(name, dest)`: a copy of tests/cases/<name> (e.g. "valid/base-approved"),
  symbolic links kept as links, to change or to put under git.
- `cli` fixture: runs `gtx ARGS...` through typer's CliRunner with GTX_LANG unset,
  returning the result (exit_code, stdout, stderr).
- `env` fixture: an isolated HOME and git configuration under tmp_path (returned).
- `git_env`, `keys`, `pgp_key` fixtures: registered here from tests/support/git.py (an
  isolated git, real ssh-keygen keys made once per session, an OpenPGP key).

The tests are laid out by the layer whose behaviour they pin (docs/testing.md): core/,
pipeline/, edges/, services/, reporters/, and e2e/ for whole-program runs. Fixtures that
more than one module uses are registered in the conftest.py of the narrowest folder that
holds them all; helpers that are not fixtures live in tests/support/.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.support.git import git_env_fixture, keys_fixture, pgp_key_fixture  # noqa: F401

# `make mutate` runs with --hypothesis-profile=mutation (pyproject.toml, [tool.mutmut]):
# the same examples for every mutant, so a kill does not depend on the draw, and no
# health check or deadline failing on a loaded machine as if a mutant had been caught.
settings.register_profile(
    "mutation", derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)

# A terminal's width must not leak into the tests: pytest-xdist's workers export
# COLUMNS=80 and LINES=24, and a developer's shell may export its own; gtx wraps its
# error lines to COLUMNS (reporters/errors.py), so a test that wants a width sets it.
for _var in ("COLUMNS", "LINES"):
    os.environ.pop(_var, None)


@pytest.fixture(autouse=True)
def _no_memo_from_another_test() -> None:
    """Each test starts with the core's memos by value empty: the package calendar's
    shifts and the months added (core/periods.py) and H002's walks
    (core/rules/structure.py). A test then never depends on what an earlier one
    computed, and under `make mutate`, which forks each mutant from the process that
    ran the whole selection, a mutant of the shift, the sum or the walk is run by each
    test rather than answered from the unmutated memo."""
    periods = sys.modules.get("golmud_cli.core.periods")
    if periods is not None:
        periods.PACKAGE_CALENDAR.forget()
        periods.forget()
    structure = sys.modules.get("golmud_cli.core.rules.structure")
    if structure is not None:
        structure.forget()


ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


def copy_case(name: str, dest: Path) -> Path:
    shutil.copytree(CASES / name, dest, symlinks=True)
    return dest


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    from typer.testing import CliRunner

    from golmud_cli.cli import app

    monkeypatch.delenv("GTX_LANG", raising=False)
    monkeypatch.delenv("GTX_DEBUG", raising=False)

    def run(*args: str | Path, env: Mapping[str, str] | None = None) -> Any:
        return CliRunner().invoke(app, [str(a) for a in args], env=dict(env or {}))

    return run


@pytest.fixture(scope="session", autouse=True)
def gtx_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's wheel, built once per session and handed to every `gtx init`
    through GTX_WHEEL (a build per init would take seconds each)."""

    from golmud_cli.services.wheel import _build

    # `make mutate` runs a pytest session per mutant (in ROOT = mutants/, a copy): the
    # wheel of the first one serves them all, as a build costs ~10 s of CPU a session.
    mutation = ROOT / ".mutation-wheel" if os.environ.get("MUTANT_UNDER_TEST") else None
    built = sorted(mutation.glob("*.whl")) if mutation and mutation.is_dir() else []
    if built:
        path = built[0]
    else:
        wheel = _build(ROOT)
        path = tmp_path_factory.mktemp("wheel") / wheel.name
        path.write_bytes(wheel.data)
        if mutation:
            mutation.mkdir(exist_ok=True)
            (mutation / wheel.name).write_bytes(wheel.data)
    os.environ["GTX_WHEEL"] = str(path)
    return path


@pytest.fixture()
def no_shipped_calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No shipped calendar table (golmud_cli/data/calendar-cn.json): the copy beside the
    result cache answers, as when another version of `holidays` is installed; for tests
    that plant a calendar in that copy (edges/calendar.py)."""
    from golmud_cli.edges import calendar

    monkeypatch.setattr(calendar, "SHIPPED", tmp_path / "no-shipped-calendar.json")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return tmp_path
