"""`gtx rules [CODE]`: the catalog; with a code, the clause quoted from the measures
(reporters/rules.py prints both)."""

from __future__ import annotations

from golmud_cli.core.rules import by_code, catalog
from golmud_cli.errors import EXIT_OK, UsageError


def run(*, code: str | None, fmt: str, lang: str, coverage: bool = False) -> int:
    if fmt not in ("text", "json", "markdown"):
        raise UsageError(
            f"--format 只能是 text / json / markdown，而不是 {fmt}。",
            f"--format must be text, json or markdown, not {fmt}.",
        )
    if coverage:
        if code is not None:
            raise UsageError(
                "--coverage 列出全部条款，不能同时给出规则编号。",
                "--coverage maps every clause; give no rule code with it.",
            )
        from golmud_cli.reporters.coverage import print_coverage

        print_coverage(fmt, lang)
        return EXIT_OK
    rules = catalog()
    if code is not None:
        r = by_code().get(code.upper())
        if r is None:
            raise UsageError(
                f"没有规则 {code}：gtx rules 列出全部规则编号。",
                f"there is no rule {code}: gtx rules lists every code.",
            )
        rules = [r]
    from golmud_cli.reporters.rules import write

    write(rules, fmt=fmt, lang=lang, one=code is not None)
    return EXIT_OK
