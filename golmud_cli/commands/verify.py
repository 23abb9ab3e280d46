"""`gtx verify [RANGE]`: options -> services/verification.py -> reporters/verify.py.

What verify proves, and from which base, is in services/verification.py and
docs/security.md.
"""

from __future__ import annotations

from pathlib import Path

from golmud_cli.edges import git as gitops
from golmud_cli.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.reporters.verify import report
from golmud_cli.services.verification import Keyring, resolve_range, run_checks

__all__ = ["Keyring", "run"]  # show reads signatures with the same keyring

FORMATS = ("text", "json")


def run(*, repo: Path | None, rev_range: str | None, fmt: str, lang: str) -> int:
    if fmt not in FORMATS:
        raise UsageError(
            f"--format 只能是 {' / '.join(FORMATS)}，而不是 {fmt}。",
            f"--format must be one of {', '.join(FORMATS)}, not {fmt}.",
        )
    r = workspace.open_repo(repo)
    w = gitops.work(r.root)
    result = run_checks(w, resolve_range(w, rev_range))
    report(result, fmt, lang)
    return EXIT_OK if result.ok else EXIT_FINDINGS
