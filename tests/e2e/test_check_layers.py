"""scripts/check_layers.py (run by `make lint`): the package as it is passes; a module
that runs git outside edges/git.py, in any of the ways Python can start a program,
makes it fail with a line naming the file and the call (docs/architecture.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_layers.py"


def _check(root: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(SCRIPT)] + (["--root", str(root)] if root else [])
    return subprocess.run(args, capture_output=True, text=True, check=False)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package's sources, to add a module to."""
    src = ROOT / "golmud_cli"
    for path in src.rglob("*.py"):
        dest = tmp_path / "golmud_cli" / path.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return tmp_path


def test_the_package_passes() -> None:
    proc = _check()
    assert proc.returncode == 0, proc.stdout
    assert "every import points inward" in proc.stdout


# Each way a module could start git on its own (its own environment, its own errors).
GIT_RUNS = {
    "edges/status_probe.py": 'import subprocess\n\n\ndef f() -> None:\n    subprocess.run(["git", "status"], check=False)\n',
    "pipeline/lister.py": (
        "import subprocess as sp\n\nARGV = ('git', '-c', 'core.quotePath=false')\n\n\n"
        "def f(*args: str) -> None:\n    sp.Popen([*ARGV, *args])\n"
    ),
    "services/exec_git.py": 'import os\n\n\ndef f() -> None:\n    os.execvp("git", ["git", "log"])\n',
    "services/shell_git.py": 'from os import system\n\n\ndef f() -> None:\n    system("git add -A")\n',
    "edges/spawn_git.py": (
        "import os\nimport shutil\n\n\ndef f() -> None:\n"
        '    prog = "/usr/bin/git"\n    os.spawnv(os.P_WAIT, prog, [prog, "fetch"])\n'
    ),
    "core/checked.py": (
        "from subprocess import check_output\n\n\ndef f() -> bytes:\n"
        '    return check_output(args=["git.exe", "rev-parse", "HEAD"])\n'
    ),
}


def test_a_git_run_outside_edges_git_fails(package_copy: Path) -> None:
    for rel, text in GIT_RUNS.items():
        (package_copy / "golmud_cli" / rel).write_text(text, "utf-8")
    proc = _check(package_copy)
    assert proc.returncode == 1
    flagged = [line for line in proc.stdout.splitlines() if "runs git outside edges/git.py" in line]
    assert sorted(line.split(":")[0] for line in flagged) == sorted(
        f"golmud_cli/{rel}" for rel in GIT_RUNS
    )
    assert proc.stdout.rstrip().endswith(f"{len(GIT_RUNS)} layering problem(s)")


def test_other_programs_and_edges_git_itself_pass(package_copy: Path) -> None:
    # LibreOffice for --pdf, pip for the wheel: programs other than git may be started
    (package_copy / "golmud_cli" / "edges" / "office.py").write_text(
        "import subprocess\n\n\ndef f(name: str) -> None:\n"
        '    subprocess.run(["soffice", "--convert-to", "pdf", name], check=False)\n',
        "utf-8",
    )
    proc = _check(package_copy)
    assert proc.returncode == 0, proc.stdout
