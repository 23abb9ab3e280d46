"""Warm `gtx deadlines` / `status` / `validate` (issue 17): answered from the cache
without pydantic (nor ruamel.yaml, jsonschema) being imported, with gtx.yaml's policy
taken from the cache by gtx.yaml's content, and a changed gtx.yaml seen at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.cache_repo import AS_OF, git, settle

HEAVY = ("pydantic", "pydantic_core", "ruamel.yaml", "jsonschema")


def imported(repo: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a real `python -m golmud_cli ARGS` imported (-X importtime), and the run."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "golmud_cli", *args, "--as-of", AS_OF],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, proc


def heavy(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] in HEAVY or n.startswith(HEAVY)}


def test_warm_reports_import_no_model(repo: Path) -> None:
    # the cold runs must leave stamps the warm ones trust (else a warm run checks again)
    settle(repo)
    cold = {}
    for args in (("validate",), ("deadlines",), ("status", "--format", "json")):
        names, proc = imported(repo, *args)
        if not cold:
            # the first run checks the dossiers: the rules run (and the probe sees imports);
            # valid ones through the fast model, without pydantic (tests/e2e/test_no_pydantic.py)
            assert {"golmud_cli.core.rules", "golmud_cli.core.fastmodel"} <= names
        cold[args] = proc.stdout
    for args in (("validate",), ("deadlines",), ("status", "--format", "json")):
        names, proc = imported(repo, *args)
        assert heavy(names) == set(), (args, heavy(names))
        assert proc.stdout == cold[args], args  # and says what the cold run said


def test_changed_policy_is_seen_warm(repo: Path) -> None:
    names, first = imported(repo, "deadlines", "--format", "json", "--all")
    assert first.returncode == 0, first.stderr[-2000:]
    before = json.loads(first.stdout)
    settings = repo / "gtx.yaml"
    text = settings.read_text("utf-8")
    assert "due_soon_days: 30" in text
    # a longer warning window and no holiday shift: states and due dates move
    settings.write_text(
        text.replace("due_soon_days: 30", "due_soon_days: 3000").replace(
            "holiday_shift: true", "holiday_shift: false"
        ),
        "utf-8",
    )
    names, warm = imported(repo, "deadlines", "--format", "json", "--all")
    after = json.loads(warm.stdout)
    assert after != before
    pending = [e for e in after["deadlines"] if e["state"] in ("open", "due_soon")]
    assert pending and all(e["state"] == "due_soon" for e in pending)
    assert not any(e["shifted"] for e in after["deadlines"])
    # ... the same answer as a run with no cache at all
    import shutil

    shutil.rmtree(repo / ".git" / "gtx-cache")
    names, fresh = imported(repo, "deadlines", "--format", "json", "--all")
    assert fresh.stdout == warm.stdout
    # and gtx.yaml put back (as committed): the first answer again, from the cache
    git(repo, "checkout", "--", "gtx.yaml")
    # a run within the racy window of the fixture's folders checks them again (and
    # imports the model): on a quick machine this whole test fits in that window
    settle(repo)
    imported(repo, "deadlines", "--format", "json", "--all")
    names, back = imported(repo, "deadlines", "--format", "json", "--all")
    assert back.stdout == first.stdout
    assert heavy(names) == set()


def test_broken_policy_uses_defaults_warm(repo: Path) -> None:
    """A gtx.yaml whose policy does not validate: the defaults apply (with the warning),
    on the run that meets it and on the warm runs after it."""
    settings = repo / "gtx.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace("due_soon_days: 30", "due_soon_days: -5"), "utf-8"
    )
    runs = [imported(repo, "deadlines", "--lang", "en")[1] for _ in range(2)]
    for proc in runs:
        assert "due within 30 days is 'due soon'" in proc.stdout
        assert "gtx.yaml" in proc.stderr
    assert runs[0].stdout == runs[1].stdout
