"""The `gtx` program ends without Python's object-by-object teardown (entry.run):
everything a command wrote still arrives whole, its exit code is the command's, and a
reader that stops early ends it as before. Run as the installed console script, the way
users and CI run gtx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

GTX = Path(sys.executable).with_name("gtx")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTX_")}
    env.update(NO_COLOR="1", GTX_RUN_MEMO="0")  # each run does the work, none replayed
    return env


def test_output_arrives_whole_and_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    # the sample dossiers' JSON report is complete, and the exit code says whether it
    # holds an error (docs/cli.md: 1 for error findings)
    p = subprocess.run(
        [str(GTX), "validate", "--format", "json", "--no-cache", "--as-of", "2026-12-01"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        check=False,
    )
    report = json.loads(p.stdout)
    assert report["findings"], "the samples have findings"
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert p.returncode == (1 if errors else 0)
    # a dossier with an error: exit 1, and the JSON still whole
    folder = tmp_path / "dossiers" / "2026-x-broken"
    folder.mkdir(parents=True)
    (folder / "project.yaml").write_text("schema_version: 1\nid: 2026-x-broken\n", "utf-8")
    broken = subprocess.run(
        [str(GTX), "validate", "--format", "json", "--as-of", "2026-12-01"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        check=False,
    )
    assert broken.returncode == 1
    assert any(f["severity"] == "error" for f in json.loads(broken.stdout)["findings"])
    assert p.stderr == b""
    # a usage error: exit code 2, its message on stderr
    bad = subprocess.run(
        [str(GTX), "validate", "--format", "yaml"], cwd=ROOT, env=_env(), capture_output=True
    )
    assert bad.returncode == 2
    assert b"--format" in bad.stderr


def test_output_through_a_file_is_flushed(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as f:
        p = subprocess.run(
            [str(GTX), "deadlines", "--as-of", "2026-12-01", "--lang", "en"],
            cwd=ROOT,
            env=_env(),
            stdout=f,
            stderr=subprocess.PIPE,
            check=False,
        )
    text = out.read_text("utf-8")
    assert p.returncode in (0, 1)
    # the report's last line (its summary) is there: nothing left in a buffer
    assert text.endswith("\n") and len(text.splitlines()) > 3


def test_a_reader_that_stops_early_ends_it_quietly() -> None:
    # `gtx validate | head -1`: the pipe closes while gtx writes; no traceback
    p = subprocess.Popen(
        [str(GTX), "validate", "--no-cache", "--as-of", "2026-12-01"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read(1)
    p.stdout.close()
    err = p.stderr.read()
    p.wait(timeout=60)
    assert b"Traceback" not in err
    assert p.returncode in (0, 1, 141)
