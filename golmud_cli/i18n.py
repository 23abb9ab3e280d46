"""The language of every message: zh by default, en with --lang en or GTX_LANG=en."""

from __future__ import annotations

import os
import re
import sys

LANGS = ("zh", "en")


_default: str | None = None  # --lang given before the command


def set_default(option: str | None) -> None:
    global _default
    _default = option


def resolve(option: str | None) -> str:
    lang = (option or _default or os.environ.get("GTX_LANG") or "zh").strip().lower()
    if lang.startswith("en"):
        return "en"
    return "zh"


def is_known(value: str) -> bool:
    """zh or en, with a region or an encoding after it (zh_CN, en-US, en_US.UTF-8)."""
    return re.fullmatch(r"(zh|en)([-_][A-Za-z]+)?(\.[\w-]+)?", value.strip().lower()) is not None


def from_argv(argv: list[str] | None = None) -> str:
    """The language asked for on the command line, read before typer parses it, so
    that `--help` itself can be in that language."""
    args = sys.argv[1:] if argv is None else argv
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return resolve(args[i + 1])
        if a.startswith("--lang="):
            return resolve(a.split("=", 1)[1])
    return resolve(None)


def pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh
