"""gtx.yaml read into Settings and its findings (S001, the schema's, C006), with line
and column. Pipeline work, since it runs the schema check and locates the findings: the
repository (edges/repo.py) is handed this function by pipeline/workspace.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.edges import loader
from golmud_cli.edges.repo import SETTINGS_FILE, read_limited

if TYPE_CHECKING:
    from golmud_cli.core.model import Settings


def load_settings(root: Path) -> tuple[Settings, list[Finding]]:
    from golmud_cli.core.model import Settings
    from golmud_cli.pipeline import schema_check

    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        return Settings(), []
    try:
        raw = read_limited(path)
    except OSError as e:
        # gtx.yaml names the signers: one that cannot be read is said, not ignored
        zh = getattr(e, "zh", None) or e.strerror or type(e).__name__
        en = getattr(e, "en", None) or e.strerror or type(e).__name__
        return Settings(), [
            Finding(
                "S001",
                Severity.error,
                None,
                SETTINGS_FILE,
                (),
                "",
                f"无法读取 {SETTINGS_FILE}：{zh}。",
                f"cannot read {SETTINGS_FILE}: {en}.",
                None,
            )
        ]
    loaded = loader.load(raw, SETTINGS_FILE, None)
    findings = list(loaded.findings)
    settings: Settings | None = None
    if loaded.data is not None:
        settings, more = schema_check.validate(
            Settings, loaded.data, file=SETTINGS_FILE, project=None
        )
        findings.extend(more)
    if settings is not None:
        from golmud_cli.core.policy import notices

        findings.extend(notices(settings, SETTINGS_FILE))  # C006: local policy, once per run
    if findings and loaded.text is not None:
        from golmud_cli.pipeline.check import locate

        findings = locate(findings, loaded.text)
    return settings or Settings(), findings
