"""Write golmud_cli/core/fastschema.py, the msgspec twins of the model's classes, from
core/model.py (golmud_cli/core/fastgen.py makes the source; ruff sorts its imports and
formats it, so that the committed file passes `make lint` as written).

    python scripts/build_fastschema.py          # write the file (make fastschema)
    python scripts/build_fastschema.py --check  # exit 1 when the committed file is stale
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from golmud_cli.core import fastgen  # noqa: E402 (the checkout's package, not an installed one)

TARGET = ROOT / fastgen.GENERATED


def _ruff(args: list[str], text: str) -> str:
    # the project's ruff and settings (pyproject.toml), reading and writing stdin/stdout
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", fastgen.GENERATED, "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"ruff {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def render() -> str:
    """The file as it is committed: generated, imports sorted, formatted."""
    text = _ruff(["check", "--fix-only", "--select", "I", "--quiet"], fastgen.generate())
    return _ruff(["format", "--quiet"], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is stale")
    args = parser.parse_args(argv)
    text = render()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{fastgen.GENERATED} is stale: run `{fastgen.COMMAND}`")
            return 1
        print(f"{fastgen.GENERATED} is up to date")
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {fastgen.GENERATED}")
    else:
        print(f"{fastgen.GENERATED} unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
