"""gtx's own error messages (GtxError, printed by reporters/errors.py) fit the terminal
(issue 14): at COLUMNS=80 no line is wider than 80 display columns, Chinese characters
counted double, in zh and en; the words are the same as unwrapped, only the line breaks
differ; a pipe with COLUMNS unset gets the message unwrapped, for programs that read it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

from golmud_cli.reporters.errors import fit
from tests.conftest import ROOT
from tests.support.terminal import GTX, gtx, too_wide

PID = "2025-smart-parking"


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A copy of the sample repository with a broken gtx.yaml, and a plain file where
    `gtx init` would make a folder."""
    broken = tmp_path_factory.mktemp("broken")
    (broken / "gtx.yaml").write_text("city: [格尔木市\nroles: {}\n", "utf-8")
    shutil.copytree(ROOT / "dossiers" / PID, broken / "dossiers" / PID)
    lonely = tmp_path_factory.mktemp("lonely")
    (lonely / "afile").write_text("x", "utf-8")
    return {"root": ROOT, "broken": broken, "lonely": lonely}


# (where, arguments, extra environment, the exit code): a dozen different GtxErrors.
ERRORS = [
    ("root", ["show", "no-such-project"], {}, 2),
    ("root", ["show", "../../etc"], {}, 2),
    ("root", ["advance", PID, "aproved"], {}, 2),  # the long list of stages
    ("root", ["advance", PID, "approved", "--date", "2024-02-30"], {}, 2),
    ("root", ["form", PID, "--pdf"], {"GTX_SOFFICE": "/nonexistent/soffice"}, 2),
    ("root", ["verify", "nosuchref..HEAD"], {}, 2),
    ("root", ["set", PID, "nosuch.field", "3"], {}, 2),  # the long list of fields
    ("root", ["new", PID], {}, 2),
    ("broken", ["advance", PID, "approved"], {}, 2),  # broken YAML, findings indented
    ("lonely", ["form", PID], {}, 2),  # no repository here
    ("lonely", ["show", PID], {}, 2),
    ("lonely", ["init", "afile/sub"], {}, 2),
]


def run(repos: dict[str, Path], where: str, args: list[str], env: dict[str, str], lang: str,
        columns: int | None = 80) -> subprocess.CompletedProcess[str]:
    """gtx at COLUMNS=`columns`; None: COLUMNS unset (stderr is a pipe here)."""
    if columns is not None:
        return gtx(*args, lang=lang, cwd=repos[where], env=env, columns=columns)
    base = {k: v for k, v in os.environ.items() if k not in ("GTX_LANG", "GTX_DEBUG", "COLUMNS")}
    base.update(GTX_LANG=lang, **env)
    return subprocess.run([str(GTX), *args], cwd=repos[where], env=base, capture_output=True,
                          text=True, check=False)


def words(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("where", "args", "env", "code"), ERRORS, ids=[" ".join(e[1]) for e in ERRORS])
def test_error_messages_fit_80_columns(repos: dict[str, Path], where: str, args: list[str],
                                       env: dict[str, str], code: int, lang: str) -> None:
    res = run(repos, where, args, env, lang)
    assert res.returncode == code, res.stderr
    assert res.stderr.strip() and "Traceback" not in res.stderr
    assert not too_wide(res.stderr), too_wide(res.stderr)
    # the same words as the unwrapped message: only line breaks differ
    raw = run(repos, where, args, env, lang, columns=None)
    assert words(raw.stderr) == words(res.stderr)


def test_long_messages_are_wrapped_and_pipes_are_not(repos: dict[str, Path]) -> None:
    args = ["set", PID, "nosuch.field", "3"]
    narrow = run(repos, "root", args, {}, "zh")
    raw = run(repos, "root", args, {}, "zh", columns=None)
    assert max(cell_len(ln) for ln in raw.stderr.splitlines()) > 200  # one long line
    assert len(narrow.stderr.splitlines()) > len(raw.stderr.splitlines()) + 5
    # a wider terminal gets wider lines
    wide = run(repos, "root", args, {}, "en", columns=120)
    assert not too_wide(wide.stderr, 120)
    assert max(cell_len(ln) for ln in wide.stderr.splitlines()) > 100


def test_wrapping_keeps_paths_and_field_names_whole() -> None:
    text = ("gtx set cannot change 'nosuch.field': the fields it sets are name, unit, "
            "contact.name, data_resources.catalog_written, dossiers/2025-smart-parking/project.yaml "
            "and operating_cost_wan.")
    lines = fit(text, 40).splitlines()
    assert all(cell_len(ln) <= 40 for ln in lines)
    for whole in ("data_resources.catalog_written,", "dossiers/2025-smart-parking/project.yaml",
                  "'nosuch.field':"):
        assert any(whole in ln for ln in lines), (whole, lines)
    zh = "找不到项目 no-such-project：请给出 dossiers/ 下的项目编号或其文件夹路径（gtx status 列出全部项目）。"
    lines = fit(zh, 30).splitlines()
    assert all(cell_len(ln) <= 30 for ln in lines)
    assert words("".join(lines)) == words(zh)
    assert not any(ln.startswith(("。", "）", "：")) for ln in lines)  # no line starts with a closing mark
    # an indented line keeps its indentation on every line it becomes
    finding = "  gtx.yaml:2:1 S001 YAML 语法错误：无法识别的写法。请检查该行及上一行的缩进、冒号和引号。"
    assert all(ln.startswith("  ") for ln in fit(finding, 40).splitlines())
    assert fit(text, None) == text


def test_a_terminal_without_columns_gets_its_own_width() -> None:
    # COLUMNS unset, stderr a 100-column terminal: the message is wrapped to 100.
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("GTX_LANG", "GTX_DEBUG", "COLUMNS")}
    env["GTX_LANG"] = "en"
    proc = subprocess.Popen([str(GTX), "set", PID, "nosuch.field", "3"], cwd=ROOT, env=env,
                            stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 2
    lines = out.decode("utf-8").replace("\r\n", "\n").splitlines()
    assert len(lines) > 3, lines
    assert max(cell_len(ln) for ln in lines) <= 100
    assert max(cell_len(ln) for ln in lines) > 80
