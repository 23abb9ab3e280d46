"""Screenshots of `gtx report` for the README: the portfolio page and one project
page of the sample dossiers, taken in headless Chromium (tests/support/cdp.py).

Usage: .venv/bin/python scripts/report_screenshots.py [--as-of 2026-12-01]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cdp import Browser, find_chromium, open_page  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", default="2026-12-01")
    ap.add_argument("--project", default="2025-smart-parking")
    args = ap.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "golmud_cli",
                "report",
                "-o",
                str(out),
                "--repo",
                str(ROOT),
                "--as-of",
                args.as_of,
            ],
            check=True,
        )
        b = Browser(chromium)
        try:
            for page, png in (
                (out / "index.html", "report-portfolio.png"),
                (out / "projects" / f"{args.project}.html", "report-project.png"),
            ):
                open_page(b, page.as_uri()).screenshot(ROOT / "docs" / png)
                print(f"docs/{png}")
        finally:
            b.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
