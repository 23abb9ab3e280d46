"""gtx run as a separate process in a terminal of a given width, and the lines too wide for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from tests.conftest import ROOT

GTX = Path(sys.executable).with_name("gtx")



def gtx(*args: str, lang: str | None = None, cwd: Path = ROOT, columns: int = 80,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("GTX_LANG", "GTX_DEBUG")}
    base.update(COLUMNS=str(columns), LINES="40", **(env or {}))
    if lang:
        base["GTX_LANG"] = lang
    return subprocess.run([str(GTX), *args], cwd=cwd, env=base, capture_output=True, text=True, check=False)



def too_wide(text: str, columns: int = 80) -> list[str]:
    return [ln for ln in text.splitlines() if cell_len(ln) > columns]
