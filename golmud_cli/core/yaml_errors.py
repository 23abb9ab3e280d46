"""A YAML syntax error explained to a clerk: what the parser's message means, in
Chinese and in English, with the parser's own text kept as a labelled detail, and
the likeliest cause a Chinese keyboard produces named on its own line: a full-width
colon `：` (or a full-width space) where YAML needs `: `.
"""

from __future__ import annotations

import re

# The parser's problem (ruamel.yaml's wording, its start) -> what it means.
_MEANINGS: tuple[tuple[str, str, str], ...] = (
    (
        "could not find expected ':'",
        "找不到应有的英文冒号“:”（键和值之间要写“: ”）",
        "no ':' where one was expected (a key and its value are written `key: value`)",
    ),
    (
        "mapping values are not allowed here",
        "这里不能出现“键: 值”：多半是上一行的值没有写完，或本行缩进不对",
        "a `key: value` is not allowed here: the line above is unfinished or the indentation is off",
    ),
    (
        "found character '\\t' that cannot start any token",
        "出现了制表符（Tab）：YAML 只能用空格缩进",
        "a tab character: YAML indents with spaces only",
    ),
    (
        "found a tab character",
        "出现了制表符（Tab）：YAML 只能用空格缩进",
        "a tab character: YAML indents with spaces only",
    ),
    (
        "did not find expected key",
        "缩进没有对齐：这里应当是一个键",
        "the indentation is off: a key was expected here",
    ),
    (
        "expected <block end>",
        "缩进没有对齐：同一层的键要从同一列开始",
        "the indentation is off: keys of one level start in the same column",
    ),
    (
        "did not find expected '-' indicator",
        "列表项没有对齐：每项都以同一列的“- ”开头",
        "the list items are not aligned: each starts with `- ` in the same column",
    ),
    (
        "found unexpected end of stream",
        "文件在引号或括号闭合前就结束了",
        "the file ends before a quote or bracket is closed",
    ),
    (
        "found unknown escape character",
        "双引号里有无法识别的反斜杠转义：路径请改用单引号或正斜杠“/”",
        "an unknown backslash escape inside double quotes: use single quotes or '/'",
    ),
    (
        "while scanning a quoted scalar",
        "引号没有闭合",
        "a quote is not closed",
    ),
    (
        "found undefined alias",
        "用了没有定义的别名“*”",
        "an alias `*` that is not defined",
    ),
    (
        "found duplicate anchor",
        "锚点“&”重复定义",
        "an anchor `&` defined twice",
    ),
    (
        "found unexpected ':'",
        "冒号的位置不对",
        "a ':' in the wrong place",
    ),
    (
        "found character",
        "出现了 YAML 不允许用在这里的字符（如 @、`、%）：把这个值放进英文双引号",
        "a character YAML does not allow here (such as @, `, %): put the value in double quotes",
    ),
)

_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#：][^:#：]*?)\s*：")
_IDEOGRAPHIC_SPACE_INDENT = re.compile(r"^[ ]*\u3000")


def _fullwidth_line(lines: list[str], around: int) -> tuple[int, str] | None:
    """The line (1-based) near `around` that writes `key：value` or indents with a
    full-width space, and which of the two."""
    lo, hi = max(around - 3, 0), min(around + 1, len(lines))
    for i in range(hi - 1, lo - 1, -1):
        code = lines[i].split(" #", 1)[0]
        if _IDEOGRAPHIC_SPACE_INDENT.match(code):
            return i + 1, "space"
        if _FULLWIDTH_KEY.match(code) and ":" not in code.split("：", 1)[0]:
            return i + 1, "colon"
    return None


def explain(problem: str, text: str | None, line: int | None) -> tuple[str, str, int | None]:
    """(zh, en, line) for a parser problem at `line` (1-based) of `text`."""
    problem = problem.strip()
    zh_what, en_what = "无法识别的写法", "the text cannot be read as YAML"
    for start, zh, en in _MEANINGS:
        if problem.startswith(start):
            zh_what, en_what = zh, en
            break
    zh_cause = "请检查该行及上一行的缩进、冒号和引号。"
    en_cause = "Check the indentation, colons and quotes on that line and the one above."
    if text is not None and line is not None:
        found = _fullwidth_line(text.splitlines(), line - 1)
        if found is not None:
            line, kind = found
            if kind == "colon":
                zh_cause = (
                    f"多半是第 {line} 行用了中文全角冒号“：”：请改为英文冒号“:”并在其后加一个空格。"
                )
                en_cause = (
                    f"Likely cause: line {line} has a full-width colon '：'; write an ASCII "
                    "':' followed by a space."
                )
            else:
                zh_cause = f"多半是第 {line} 行用全角空格缩进：请改为英文空格。"
                en_cause = f"Likely cause: line {line} is indented with a full-width space."
    zh = f"YAML 语法错误：{zh_what}。{zh_cause}（解析器原文：{problem}）"
    en = f"YAML syntax error: {en_what}. {en_cause} (parser: {problem})"
    return zh, en, line
