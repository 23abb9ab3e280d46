"""Chinese for the parts of the command line that typer and its click write: help
layout (用法, 选项, [必填]), usage errors (no such option, missing argument, bad
value), and help text wrapped by display width, a CJK character counting two.

typer 0.27 vendors click with its messages as plain f-strings (no gettext), and keeps
gettext only in typer.core (headings, `required`, `default:`). So this module:

- installs a gettext function into typer.core that answers in Chinese in zh;
- gives the app a Group and Command class (`GtxGroup`, `GtxCommand`) whose context
  makes a CJK-aware help formatter, whose help option and completion options have
  Chinese help, and whose `main` shows usage errors in Chinese in zh (the English
  message is matched by pattern, so the facts stay the same in both languages);
- help text is wrapped by display width (core/textwidth.py): between CJK characters
  or at spaces, never leaving a closing punctuation mark at the start of a line.

The language is the one asked for on the command line of each run (`i18n.from_argv`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer.core
from typer import _click
from typer._click import exceptions as cx

from golmud_cli import i18n
from golmud_cli.core.textwidth import width, wrap

_lang = i18n.from_argv()


def lang() -> str:
    return _lang


def set_lang(value: str) -> None:
    global _lang
    _lang = value


# --- typer.core's gettext ---------------------------------------------------------------

ZH: dict[str, str] = {
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "Aborted!": "已中止。",
    "(dynamic)": "（动态）",
}


def gettext(message: str) -> str:
    return ZH.get(message, message) if _lang == "zh" else message


typer.core._ = gettext  # type: ignore[attr-defined]


def _paragraphs(text: str) -> Iterator[str]:
    for para in re.split(r"\n\s*\n", text.strip()):
        yield para.strip("\b\n")


class GtxFormatter(_click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = "用法：" if _lang == "zh" else "Usage: "
        if _lang == "zh":
            args = args.replace("[OPTIONS]", "[选项]").replace(
                "COMMAND [ARGS]...", "命令 [参数]..."
            )
        head = f"{prefix:>{self.current_indent}}{prog} "
        for ln in wrap(args, self.width, head, " " * min(width(head), 12)):
            self.write(ln + "\n")

    def write_heading(self, heading: str) -> None:
        colon = "：" if _lang == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        out = ["\n".join(wrap(p, self.width, indent)) for p in _paragraphs(text)]
        self.write("\n\n".join(out))
        self.write("\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + pad)
            lines: list[str] = []
            for p in _paragraphs(second):
                lines.extend(wrap(p, self.width - first_col - self.current_indent))
            self.write(lines[0] + "\n" if lines else "\n")
            for ln in lines[1:]:
                self.write(pad + ln + "\n")


class GtxContext(typer.Context):
    formatter_class = GtxFormatter


_OPTION_HELP = {
    "--help": ("显示本帮助并退出", "Show this message and exit."),
    "--install-completion": (
        "为当前的 shell 安装命令补全",
        "Install completion for the current shell.",
    ),
    "--show-completion": (
        "显示当前 shell 的补全脚本，以便复制或自行安装",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
}


def _translate_params(params: list[Any]) -> list[Any]:
    for p in params:
        for name in getattr(p, "opts", []):
            if name in _OPTION_HELP:
                p.help = i18n.pick(_lang, *_OPTION_HELP[name])
    return params


class GtxCommand(typer.core.TyperCommand):
    context_class = GtxContext

    def get_params(self, ctx: _click.Context) -> list[Any]:
        return _translate_params(super().get_params(ctx))


class GtxGroup(typer.core.TyperGroup):
    context_class = GtxContext

    def get_params(self, ctx: _click.Context) -> list[Any]:
        return _translate_params(super().get_params(ctx))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        set_lang(i18n.from_argv(argv))
        if _lang != "zh":
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(argv, prog_name, complete_var, False, **extra)
        except cx.ClickException as e:
            if not standalone_mode:
                raise
            from golmud_cli.reporters.usage import show

            show(render_zh(e))
            sys.exit(e.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            from golmud_cli.reporters.usage import show

            show("已中止。")
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


# --- usage errors in Chinese ----------------------------------------------------------------

_TYPE_NAMES = {
    "integer": "整数",
    "int": "整数",
    "float": "数字",
    "boolean": "布尔值（true 或 false）",
    "bool": "布尔值（true 或 false）",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), r"多余的参数：\1"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), r"选项 \1 需要一个值。"),
    (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), r"选项 \1 需要 \2 个值。"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), r"选项 \1 不带值。"),
    (
        re.compile(r"^(.+) is not a valid (integer|int|float|boolean|bool)(?: range)?\.(?: .*)?$"),
        "",
    ),
    (re.compile(r"^(.+) is not in the range (.+)\.$"), r"\1 不在 \2 范围内。"),
    (re.compile(r"^(.+) is not one of (.+)\.$"), r"\1 不是可选的值之一：\2。"),
)


def _message_zh(text: str) -> str:
    text = re.sub(r"\. Did you mean (.+)\?$", r"。您是不是要用 \1？", text)
    for pat, repl in _PATTERNS:
        m = pat.match(text)
        if m and not repl:
            return f"{m.group(1)} 不是{_TYPE_NAMES[m.group(2)]}。"
        if m:
            return m.expand(repl).replace("', '", "'、'").replace(" or ", " 或 ")
    return text


def render_zh(e: cx.ClickException) -> str:
    """The whole message click would print for `e`, in Chinese."""
    if isinstance(e, cx.NoArgsIsHelpError):
        return e.format_message()
    if isinstance(e, cx.NoSuchOption):
        msg = f"没有 {e.option_name} 这个选项。"
        if e.possibilities:
            msg += f"您是不是要用 {'、'.join(sorted(e.possibilities))}？"
    elif isinstance(e, cx.MissingParameter):
        hint = e.param.get_error_hint(e.ctx) if e.param is not None and e.ctx else ""
        kind = "选项" if getattr(e.param, "param_type_name", "") == "option" else "参数"
        msg = f"缺少{kind} {hint}。"
    elif isinstance(e, cx.BadParameter):
        if e.param_hint is not None:
            hint = e.param_hint if isinstance(e.param_hint, str) else " / ".join(e.param_hint)
        elif e.param is not None and e.ctx is not None:
            hint = e.param.get_error_hint(e.ctx)
        else:
            hint = ""
        msg = (f"{hint} 的值无效：" if hint else "") + _message_zh(e.message)
    else:
        msg = _message_zh(e.format_message())
    out = []
    ctx = getattr(e, "ctx", None)
    if ctx is not None:
        cmd = ctx.command_path
        opt = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        out.append(ctx.get_usage())
        out.append(f"运行 '{cmd} {opt}' 查看帮助。\n")
    out.append(f"错误：{msg}")
    return "\n".join(out)
