"""The language of every message: zh by default, en with --lang en or GTX_LANG=en."""

from __future__ import annotations

import os
import re
import sys
from typing import NamedTuple

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
    return Msg(zh, en).text(lang)


class Msg(NamedTuple):
    """A text in both languages: the one value type for a message, a label or a help
    text (issue 15 counts seven ways of picking zh/en today). A tuple, so that the
    `(zh, en)` pairs of the label tables can become Msg one by one: `[0]` and `[1]`
    keep working while the call sites move to `.text(lang)`."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The text in `lang` (resolved: "zh" or "en"); Chinese unless English."""
        return self.en if lang == "en" else self.zh

    def format(self, **params: object) -> Msg:
        """Both texts with the same named values filled in."""
        return Msg(self.zh.format(**params), self.en.format(**params))

    def __add__(self, other: object) -> Msg:
        """Two messages one after the other, in each language (a sentence and a hint)."""
        if not isinstance(other, Msg):
            return NotImplemented
        return Msg(self.zh + other.zh, self.en + other.en)
