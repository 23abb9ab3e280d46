"""Files that ship with gtx: where to find them, installed or in the source tree."""

from __future__ import annotations

from pathlib import Path

from golmud_cli.errors import EXIT_INTERNAL, GtxError


def package_root(module_file: str) -> Path:
    """The package folder holding `module_file`, however deep the module sits: the
    outermost folder with an __init__.py above it. Modules move between the package's
    layers (docs/architecture.md); a module's own folder is not the package's."""
    pkg = Path(module_file).resolve().parent
    while (pkg.parent / "__init__.py").is_file():
        pkg = pkg.parent
    return pkg


_PACKAGE = package_root(__file__)
DATA_DIR = _PACKAGE / "data"
FILING_TEMPLATE_NAME = "filing-form.docx"


class IncompleteInstall(GtxError):
    """A file gtx ships is missing: gtx's fault, not the user's (exit 3)."""

    exit_code = EXIT_INTERNAL


def filing_template() -> Path:
    """The official filing table (附件: 格尔木市政务信息系统备案表) that gtx ships.

    The package data copy comes first: it is what an installed gtx has. The source
    tree's templates/ copy is the fallback for a checkout whose data copy is missing
    (tests/services/test_init.py asserts that the two are byte-identical).
    """
    for candidate in (
        DATA_DIR / FILING_TEMPLATE_NAME,
        _PACKAGE.parent / "templates" / FILING_TEMPLATE_NAME,
    ):
        if candidate.is_file():
            return candidate
    raise IncompleteInstall(
        f"gtx 安装不完整：找不到备案表模板 {DATA_DIR / FILING_TEMPLATE_NAME}。请重新安装 gtx。",
        f"gtx is not installed completely: the filing form template {DATA_DIR / FILING_TEMPLATE_NAME} "
        "is missing. Reinstall gtx.",
    )
