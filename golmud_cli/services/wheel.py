"""The gtx wheel that `gtx init` places in a dossier repository (.gtx/wheels/), so that
its CI and its clerks install exactly the gtx that wrote it, from a file the
repository pins by sha256 (never from a package index where the name may be free).

Where the wheel comes from, first match wins:

1. `GTX_WHEEL=/path/to/golmud_cli-<ver>-py3-none-any.whl`: that file (an
   administrator's release build; the test suite builds one per session);
2. an editable install (a source checkout, `pip install -e .`): the checkout's
   pyproject.toml, README.md and golmud_cli/ are copied to a temporary folder and
   built there with `pip wheel --no-deps --no-build-isolation` (the copy keeps a stale
   build/ folder of the checkout out of the wheel);
3. a regular install (from a wheel): the installed files listed in the dist's RECORD,
   packed again into a wheel with a fresh RECORD, in a fixed order with fixed times,
   so the same install always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from golmud_cli import __version__
from golmud_cli.core.wheel import WHEEL_DIR, Upgrade, Wheel
from golmud_cli.errors import GtxError

DIST = "golmud-cli"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def wheel_name(version: str = __version__) -> str:
    return f"golmud_cli-{version}-py3-none-any.whl"


def current() -> Wheel:
    """The wheel of the gtx that is running (see the module's docstring)."""
    given = os.environ.get("GTX_WHEEL")
    if given:
        path = Path(given)
        if not path.is_file() or path.name != wheel_name():
            raise GtxError(
                f"GTX_WHEEL 指向的 {given} 不是正在运行的 gtx 的 wheel 文件（{wheel_name()}）。",
                f"GTX_WHEEL={given} is not the running gtx's wheel file ({wheel_name()}).",
            )
        return Wheel(path.name, path.read_bytes())
    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        dist = None
    source = _editable_source(dist) if dist is not None else _checkout()
    if source is not None:
        return _build(source)
    if dist is None:  # pragma: no cover - gtx runs from somewhere
        raise GtxError(
            "找不到正在运行的 gtx 的安装信息，无法放入 wheel：请用 GTX_WHEEL 指定 wheel 文件。",
            "cannot find how the running gtx is installed to vendor its wheel: set GTX_WHEEL.",
        )
    return _repack(dist)


def _checkout() -> Path | None:
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else None


def _editable_source(dist: metadata.Distribution) -> Path | None:
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    info = json.loads(text)
    if not info.get("dir_info", {}).get("editable"):
        return None
    url = str(info.get("url", ""))
    if not url.startswith("file://"):
        return None
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(url).path))
    return path if (path / "pyproject.toml").is_file() else None


def _build(source: Path) -> Wheel:
    with tempfile.TemporaryDirectory(prefix="gtx-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (source / name).is_file():
                shutil.copy2(source / name, src / name)
        shutil.copytree(
            source / "golmud_cli",
            src / "golmud_cli",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        out = Path(tmp) / "out"
        # without build isolation when this environment has the build backend the
        # pyproject asks for (no index needed); else pip fetches it
        isolation = ["--no-build-isolation"] if _has_backend() else []
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                *isolation,
                "--wheel-dir",
                str(out),
                str(src),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wheels = sorted(out.glob("golmud_cli-*.whl")) if out.is_dir() else []
        if proc.returncode != 0 or not wheels:
            detail = (proc.stderr or proc.stdout).strip()[-800:]
            raise GtxError(
                f"无法由源码 {source} 生成 gtx 的 wheel：\n{detail}",
                f"could not build gtx's wheel from {source}:\n{detail}",
            )
        return Wheel(wheels[0].name, wheels[0].read_bytes())


def _has_backend() -> bool:
    try:
        major = int(metadata.version("setuptools").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return major >= 77


def _repack(dist: metadata.Distribution) -> Wheel:
    files = sorted(
        (f for f in dist.files or [] if _belongs(PurePosixPath(f.as_posix()))),
        key=lambda f: f.as_posix(),
    )
    info_dir = f"golmud_cli-{dist.version}.dist-info"
    buf = io.BytesIO()
    record: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            data = Path(str(dist.locate_file(f))).read_bytes()
            name = f.as_posix()
            _add(zf, name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{name},sha256={digest.decode()},{len(data)}")
        record.append(f"{info_dir}/RECORD,,")
        _add(zf, f"{info_dir}/RECORD", ("\n".join(record) + "\n").encode())
    return Wheel(wheel_name(dist.version), buf.getvalue())


def _belongs(path: PurePosixPath) -> bool:
    """A file of the wheel, not one pip made at install time."""
    if path.parts[0] == ".." or "__pycache__" in path.parts or path.suffix == ".pyc":
        return False
    if path.parent.name.endswith(".dist-info"):
        return path.name not in {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    return True


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


# Files of a dossier repository that name the vendored wheel and its digest.
PINNING_FILES = (
    ".github/workflows/gtx.yml",
    ".gitea/workflows/gtx.yml",
    ".pre-commit-config.yaml",
    "README.md",
)


def upgrade(root: Path, wheel: Wheel) -> Upgrade:
    """Put `wheel` in place of the repository's vendored wheels and point every file
    that named an old one (its path and its sha256) at the new one."""
    from golmud_cli.edges.fs import atomic_write

    folder = root / WHEEL_DIR
    olds = sorted(folder.glob("golmud_cli-*.whl")) if folder.is_dir() else []
    pins = {f"{WHEEL_DIR}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in olds}
    written: list[str] = []
    target = root / wheel.rel
    if not target.is_file() or target.read_bytes() != wheel.data:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(target, wheel.data)
        written.append(wheel.rel)
    removed = [rel for rel in pins if rel != wheel.rel]
    for rel in removed:
        (root / rel).unlink()
    unpinned: list[str] = []
    for rel in PINNING_FILES:
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text("utf-8")
        new = text
        for old_rel, old_sha in pins.items():
            new = new.replace(old_rel, wheel.rel).replace(old_sha, wheel.sha256)
        if new != text:
            atomic_write(path, new.encode("utf-8"))
            written.append(rel)
        elif rel.endswith("gtx.yml") and wheel.rel not in text:
            unpinned.append(rel)
    return Upgrade(wheel, removed, written, unpinned)
