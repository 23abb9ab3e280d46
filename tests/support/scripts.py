"""The repository's scripts/ as modules, for the tests that hold a generated file to
what its script writes now (scripts/ is not a package)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py, imported (its `main` is not run)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
