"""`gtx form` on the terminal: its notes (core/form_messages.py) and findings."""

from __future__ import annotations

import sys

from golmud_cli.core.findings import Finding
from golmud_cli.core.form_messages import text
from golmud_cli.reporters.errors import columns, fit


def finding_line(f: Finding, lang: str) -> str:
    where = f.file or ""
    if f.line is not None:
        where += f":{f.line}" + (f":{f.column}" if f.column is not None else "")
    return f"  {where}: {f.code} {f.message(lang)}"


class FormNotes:
    """services/filing.py's `FormNotes`, printing in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def say(self, key: str, *, out: bool = False, **params: object) -> None:
        # wrapped as gtx's errors are (reporters/errors.py); findings stay one a line
        stream = sys.stdout if out else sys.stderr
        print(fit(text(key, self.lang, **params), columns(stream)), file=stream)

    def findings(self, findings: list[Finding]) -> None:
        for f in findings:
            print(finding_line(f, self.lang), file=sys.stderr)
