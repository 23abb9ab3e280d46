"""A command that reads only valid files imports no pydantic (issue 17: its import and
the Dossier validator cost ~0.2-0.35 s of a start-up, docs/benchmarks.md): the fast
model (core/fastmodel.py) takes valid dossiers and a valid gtx.yaml, the usual schema
faults are worded without it (pipeline/schema_check.py's validate_fast), and pydantic,
the reference, is imported at the first file the fast path is not sure of.

Each command runs in a fresh interpreter, as `gtx` runs, and says at its end whether
pydantic was imported; the same command on an invalid dossier must import it (and
report the schema's finding), so the probe itself is shown to see an import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench import generate
from golmud_cli.pipeline.parallel import THRESHOLD
from tests.support.git import AS_OF, PROJECT, Key, Life, add_documents, git, make_repo, project_file

PROBE = (
    "import sys\n"
    "sys.argv = ['gtx', *sys.argv[1:]]\n"
    "from golmud_cli.entry import main\n"
    "code = 0\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as e:\n"
    "    code = e.code or 0\n"
    "sys.stdout.flush()\n"
    "print('PYDANTIC', 'pydantic' in sys.modules, 'MODEL', 'golmud_cli.core.model' in sys.modules)\n"
    "sys.exit(code)\n"
)


def gtx(repo: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTX_")}
    env.update(NO_COLOR="1", GTX_RUN_MEMO="0")
    p = subprocess.run(
        [sys.executable, "-c", PROBE, *args, "--repo", str(repo), "--as-of", AS_OF, "--lang", "en"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return p.returncode, p.stdout + p.stderr


def test_validate_changed_since_on_a_valid_change(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    f = project_file(repo)
    f.write_text(f.read_text("utf-8") + "# a clerk's note\n", "utf-8")
    code, out = gtx(repo, "validate", "--changed-since", "HEAD")
    assert "PYDANTIC False MODEL False" in out, out
    assert code == 0 and "1 project" in out, out


def test_validate_of_a_schema_fault_imports_the_reference(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    # a fault the fast path leaves to pydantic (core/fastmodel.py's `errors`): an
    # extension's `for` written by its Python name, which pydantic also takes
    repo = make_repo(tmp_path / "r", keys)
    f = project_file(repo)
    f.write_text(_left_to_pydantic(f.read_text("utf-8")), "utf-8")
    code, out = gtx(repo, "validate", "--changed-since", "HEAD")
    assert code == 1 and "schema_version" in out, out
    assert "PYDANTIC True MODEL True" in out, out


def _left_to_pydantic(text: str) -> str:
    assert "\nextensions: []" in text
    return text.replace("schema_version: 1", "schema_version: 2").replace(
        "\nextensions: []", "\nextensions: [{for_: later}]"
    )


def test_validate_of_a_usual_schema_fault_needs_no_pydantic(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    # a value outside its list, worded without pydantic (pipeline/schema_check.py's
    # validate_fast), as pydantic words it (tests/pipeline/test_schema_fast.py)
    repo = make_repo(tmp_path / "r", keys)
    f = project_file(repo)
    f.write_text(f.read_text("utf-8").replace("schema_version: 1", "schema_version: 2"), "utf-8")
    code, out = gtx(repo, "validate", "--changed-since", "HEAD")
    assert code == 1 and "schema_version" in out, out
    assert "PYDANTIC False MODEL False" in out, out


def test_validate_of_a_rule_finding_needs_no_pydantic(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    # valid to the schema, faulted by a rule: the finding's label comes from the
    # generated table (core/labels.py), not from pydantic's fields
    repo = make_repo(tmp_path / "r", keys)
    f = project_file(repo)
    text = f.read_text("utf-8")
    assert "\nstage: draft" in text
    f.write_text(text.replace("\nstage: draft", "\nstage: proposed"), "utf-8")
    code, out = gtx(repo, "validate", "--changed-since", "HEAD")
    assert code == 1 and "stage" in out, out
    assert "PYDANTIC False" in out, out


def test_advance_of_a_valid_dossier(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    s = Life.step("proposed")
    add_documents(repo, s.docs)
    before = git(repo, "rev-parse", "HEAD")
    refs = [a for r in s.refs for a in ("--ref", r)]
    code, out = gtx(repo, "advance", PROJECT, "proposed", "--date", s.date, *refs, "--include-changes")
    assert code == 0, out
    assert git(repo, "rev-parse", "HEAD~1") == before
    assert "PYDANTIC False MODEL False" in out, out


def test_a_cold_run_with_workers_imports_it_only_for_an_invalid_dossier(
    tmp_path: Path, git_env: Path
) -> None:
    # Enough dossiers for the forked workers (pipeline/parallel.py). `-X importtime`
    # holds in the forked workers too: an import in any process is on stderr.
    repo = tmp_path / "r"
    stats = generate.generate(repo, THRESHOLD + 40, invalid=0.0)
    assert stats["invalid"] == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTX_")}
    env.update(NO_COLOR="1", GTX_RUN_MEMO="0")

    def cold() -> tuple[int, str, str]:
        p = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "golmud_cli", "validate", "--jobs", "2",
             "--as-of", AS_OF, "--lang", "en", "--format", "json"],
            cwd=repo, env=env, capture_output=True, text=True, check=False,
        )
        imports = {line.rsplit("|", 1)[1].strip() for line in p.stderr.splitlines()
                   if line.startswith("import time:")}
        return p.returncode, p.stdout, " ".join(sorted(imports))

    code, out, imports = cold()
    assert code in (0, 1) and '"checked": ' in out, out[-2000:]
    assert "golmud_cli.core.fastmodel" in imports  # the probe sees the workers' start
    assert "pydantic" not in imports.split(), imports
    # one usual schema fault among them, checked in a worker: worded without pydantic
    last = sorted((repo / "dossiers").iterdir())[-1] / "project.yaml"
    text = last.read_text("utf-8")
    last.write_text(text.replace("schema_version: 1", "schema_version: 7"), "utf-8")
    code, out, imports = cold()
    assert code == 1 and "schema_version" in out, out[-2000:]
    assert "pydantic" not in imports.split(), imports
    # one the fast path leaves to pydantic: the reference is imported there
    last.write_text(_left_to_pydantic(text), "utf-8")
    code, out, imports = cold()
    assert code == 1 and "schema_version" in out, out[-2000:]
    assert "pydantic" in imports.split(), imports
