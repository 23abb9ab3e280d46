"""cli.main builds only the command its first word names (typer otherwise turns all
17 commands' signatures into click parameters first, ~0.1 s), and for the group's help
only the list of names: what each command says, its help and its usage errors, and
the group's help must be what the whole app says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from golmud_cli.cli import _command_name, app

NAMES = [_command_name(c) for c in app.registered_commands]
WHOLE = "import sys; sys.argv[0] = 'gtx'; from golmud_cli.cli import app; app(prog_name='gtx')"
LAZY = "import sys; sys.argv[0] = 'gtx'; from golmud_cli.cli import main; main()"


def _run(code: str, args: tuple[str, ...], cwd: Path, lang: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTX_")}
    env.update(COLUMNS="100", NO_COLOR="1", GTX_LANG=lang)
    p = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return p.returncode, p.stdout, p.stderr


def test_every_command_can_be_named() -> None:
    assert len(NAMES) == 17 and len(set(NAMES)) == 17
    assert {"validate", "import", "list", "set", "attach"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_commands_help_is_the_whole_apps(name: str, tmp_path: Path) -> None:
    lazy = _run(LAZY, (name, "--help"), tmp_path, "en")
    assert lazy[0] == 0 and f"gtx {name}" in lazy[1]
    assert lazy == _run(WHOLE, (name, "--help"), tmp_path, "en")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--no-such-option"),
        ("nosuch",),
        ("--help",),
        ("-h",),
        ("--help", "validate"),
        ("status", "--format", "x"),
        (),
    ],
    ids=[
        "unknown-option",
        "unknown-command",
        "group-help",
        "group-h",
        "help-then-word",
        "bad-format",
        "nothing",
    ],
)
def test_usage_errors_and_the_groups_help_are_the_whole_apps(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    for lang in ("zh", "en"):
        assert _run(LAZY, args, tmp_path, lang) == _run(WHOLE, args, tmp_path, lang)
