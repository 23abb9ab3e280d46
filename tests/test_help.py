"""Help in both languages with an example for every command, and shell completion."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import typer
from typer.testing import CliRunner

import golmud_cli.cli

runner = CliRunner()
MARKER = {"zh": "例：", "en": "Example:"}
OTHER = {"zh": "Example:", "en": "例："}


@pytest.fixture()
def cli_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The cli module rebuilt with help in a given language (help text is chosen at
    import time, from --lang or GTX_LANG, so that `gtx --help` itself is translated)."""

    def build(lang: str) -> ModuleType:
        monkeypatch.setattr(sys, "argv", ["gtx"])
        monkeypatch.setenv("GTX_LANG", lang)
        return importlib.reload(golmud_cli.cli)

    yield build
    monkeypatch.undo()
    importlib.reload(golmud_cli.cli)  # back to the language of the environment


def commands(app: typer.Typer) -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return list(group.commands)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_has_help_with_an_example(cli_in: object, lang: str) -> None:
    cli = cli_in(lang)  # type: ignore[operator]
    cmds = commands(cli.app)
    assert {"init", "new", "validate", "rules", "schema"} <= set(cmds)
    res = runner.invoke(cli.app, ["--help"])
    assert res.exit_code == 0 and MARKER[lang] in res.output
    for name in cmds:
        res = runner.invoke(cli.app, [name, "--help"])
        assert res.exit_code == 0, (name, res.output)
        assert MARKER[lang] in res.output, (name, lang, res.output)
        assert OTHER[lang] not in res.output, (name, lang)
        assert f"gtx {name}" in res.output.split(MARKER[lang], 1)[1], name


def test_help_language_from_the_command_line() -> None:
    gtx = Path(sys.executable).with_name("gtx")
    env = {k: v for k, v in os.environ.items() if k != "GTX_LANG"}
    en = subprocess.run([str(gtx), "new", "--help", "--lang", "en"], capture_output=True, text=True, env=env, check=False)
    assert en.returncode == 0 and "Example:" in en.stdout and "Scaffold" in en.stdout
    zh = subprocess.run([str(gtx), "init", "--help"], capture_output=True, text=True, env=env, check=False)
    assert zh.returncode == 0 and "例：" in zh.stdout and "新建档案仓库" in zh.stdout


def test_shell_completion_script() -> None:
    gtx = Path(sys.executable).with_name("gtx")
    # the shell is named, not detected: under make the parent is sh, which typer refuses
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    res = subprocess.run([str(gtx), "--show-completion", "bash"], capture_output=True, text=True, check=False,
                         env=env)
    assert res.returncode == 0, res.stderr
    assert "_GTX_COMPLETE" in res.stdout and "complete" in res.stdout
