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


def default_settings() -> Settings:
    """Settings() (no gtx.yaml, or one that failed), from the fast model: the same
    values without importing pydantic (tests/core/test_fastmodel.py)."""
    from golmud_cli.core.fastmodel import convert_settings

    made = convert_settings({})
    if made is None:  # never expected: the reference, rather than a guess
        from golmud_cli.core.model import Settings as SettingsModel

        return SettingsModel()
    return made


def load_settings(root: Path) -> tuple[Settings, list[Finding]]:
    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        return default_settings(), []
    try:
        raw = read_limited(path)
    except OSError as e:
        # gtx.yaml names the signers: one that cannot be read is said, not ignored
        zh = getattr(e, "zh", None) or e.strerror or type(e).__name__
        en = getattr(e, "en", None) or e.strerror or type(e).__name__
        return default_settings(), [
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
    if loaded.data is not None and not findings:
        # the fast model takes a valid gtx.yaml without pydantic (issue 17: a start-up
        # of --changed-since or advance pays no ~0.25 s for it); anything it is not
        # sure of goes to pydantic, which words the findings
        from golmud_cli.core.fastmodel import convert_settings

        settings = convert_settings(loaded.data)
    if settings is None and loaded.data is not None:
        from golmud_cli.core.model import Settings as SettingsModel
        from golmud_cli.pipeline import schema_check

        settings, more = schema_check.validate(
            SettingsModel, loaded.data, file=SETTINGS_FILE, project=None
        )
        findings.extend(more)
    if settings is not None:
        from golmud_cli.core.policy import notices

        findings.extend(notices(settings, SETTINGS_FILE))  # C006: local policy, once per run
    if findings and loaded.text is not None:
        from golmud_cli.pipeline.check import locate

        findings = locate(findings, loaded.text)
    return settings or default_settings(), findings
