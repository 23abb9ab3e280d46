"""User errors and the one place that maps them to exit codes (docs/cli.md)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class GtxError(Exception):
    """An error the user can act on; carries its message in both languages."""

    exit_code = EXIT_USAGE

    def __init__(self, zh: str, en: str, *, hint_zh: str = "", hint_en: str = "") -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
        self.hint_zh, self.hint_en = hint_zh, hint_en

    def message(self, lang: str) -> str:
        text = self.en if lang == "en" else self.zh
        hint = self.hint_en if lang == "en" else self.hint_zh
        return f"{text}\n{hint}" if hint else text


class UsageError(GtxError):
    exit_code = EXIT_USAGE


class Refused(GtxError):
    """The command was understood but must not proceed (a gate, a transition...)."""

    exit_code = EXIT_FINDINGS
