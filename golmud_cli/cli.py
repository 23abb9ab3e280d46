"""The typer app: options and help only. Every command imports its module lazily,
so `gtx --help` loads typer and nothing heavy (docs/benchmarks.md: <= 0.15 s)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from golmud_cli import __version__, i18n
from golmud_cli.edges import completion as complete
from golmud_cli.i18n_click import GtxCommand, GtxGroup

LANG = i18n.from_argv()


def H(zh: str, en: str) -> str:
    """Help text in the language asked for on the command line or by GTX_LANG."""
    return en if LANG == "en" else zh


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise typer.BadParameter(
                H(
                    f"日期 {value} 不存在（{int(value[:4])} 年 {int(value[5:7])} 月没有 {int(value[8:])} 日）",
                    f"the date {value} does not exist",
                )
            ) from None
        raise typer.BadParameter(
            H(
                f"日期须写成 YYYY-MM-DD，而不是 {value}",
                f"write the date as YYYY-MM-DD, not {value}",
            )
        ) from None


RepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help=H(
            "档案仓库（默认：从当前目录向上查找 gtx.yaml 或 dossiers/）",
            "the dossier repository (default: found upward from here)",
        ),
        show_default=False,
    ),
]


def _check_lang(value: str | None) -> str | None:
    """--lang and GTX_LANG take zh or en (zh_CN, en_US.UTF-8 and the like too)."""
    for given, where in ((value, "--lang"), (os.environ.get("GTX_LANG"), "GTX_LANG")):
        if given and given.strip() and not i18n.is_known(given):
            raise typer.BadParameter(
                f"语言只能是 zh 或 en，不能是 {given!r}（{where}）/ "
                f"the language is zh or en, not {given!r} ({where})",
                param_hint="'--lang'" if where == "--lang" else "GTX_LANG",
            )
    return value


LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_check_lang,
        help=H("输出语言：zh 或 en（环境变量 GTX_LANG）", "language: zh or en (env GTX_LANG)"),
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=H(
            "以哪一天为“今天”（YYYY-MM-DD），便于复现结果",
            "the date taken as today (YYYY-MM-DD), for reproducible results",
        ),
        show_default=False,
    ),
]

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=H("输出文件（--format xlsx 时必填，除非重定向）", "output file (for --format xlsx)"),
        show_default=False,
    ),
]

app = typer.Typer(
    name="gtx",
    help=H(
        "格尔木市市级政务信息化项目档案工具（格政办〔2023〕15号）：校验档案、推进阶段（签名提交）、"
        "验证签名、填写备案表、报告期限。\n\n例：gtx validate",
        "Dossiers of Golmud's municipal e-government IT projects (格政办〔2023〕15号): validate, "
        "advance by signed commits, verify signatures, fill the filing form, report deadlines.\n\n"
        "Example: gtx validate",
    ),
    cls=GtxGroup,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _stage_listing(lang: str) -> str:
    """The stages for advance's help; only built when advance is on the command line
    (it loads the lifecycle, which `gtx --help` does not need)."""
    if "advance" not in sys.argv[1:]:
        return ""
    from golmud_cli.core import stage_words

    return ("：" if lang == "zh" else ": ") + stage_words.listing(lang)


def _stage(word: str) -> str:
    from golmud_cli.core import stage_words

    return stage_words.normalize(word)


def _version(value: bool) -> None:
    if value:
        from golmud_cli.reporters import version

        version.write(__version__)
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=H("显示版本并退出", "show the version and exit"),
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    # `gtx --lang en validate` means the same as `gtx validate --lang en`; set on every
    # invocation (None clears it), so nothing carries over between runs in one process
    i18n.set_default(lang)


@app.command(
    help=H(
        "校验档案：格式、附件、历史以及《办法》的每条规则。\n\n例：gtx validate；gtx validate 2024-smart-parking --format json；"
        "gtx validate --changed-since origin/main --format github",
        "Validate dossiers: schema, attachments, history and every rule of the measures.\n\n"
        "Example: gtx validate; gtx validate 2024-smart-parking --format json; "
        "gtx validate --changed-since origin/main --format github",
    )
)
def validate(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help=H("项目编号或路径（默认：全部）", "project ids or paths (default: all)"),
            show_default=False,
            autocompletion=complete.projects,
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help=H(
                "只校验与该版本相比有改动的项目（另加全仓库检查）",
                "only the projects changed since this git revision (plus repository-wide checks)",
            ),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=H("警告也视为失败", "fail on warnings too"))
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json | github | xlsx",
            autocompletion=complete.choices("text", "json", "github", "xlsx"),
        ),
    ] = "text",
    output: OutputOpt = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=H("不使用缓存", "bypass the cache"))
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", help=H("并行进程数（0 = 自动）", "worker processes (0 = auto)")
        ),
    ] = 0,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import validate as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo,
                targets=targets or [],
                changed_since=changed_since,
                strict=strict,
                as_of=_parse_date(as_of),
                fmt=fmt,
                lang=lg,
                use_cache=not no_cache,
                jobs=jobs,
                output=output,
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "列出规则目录；给出规则编号时引用《办法》原文。\n\n例：gtx rules；gtx rules K001",
        "List the rule catalog; with a code, quote the clause of the measures.\n\nExample: gtx rules; gtx rules K001",
    )
)
def rules(
    code: Annotated[
        str | None,
        typer.Argument(help=H("规则编号，如 K001", "a rule code, e.g. K001"), show_default=False),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json | markdown",
            autocompletion=complete.choices("text", "json", "markdown"),
        ),
    ] = "text",
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help=H(
                "列出《办法》每一条款由哪些规则、期限、关口和角色检查，以及不检查的义务及原因",
                "map every clause of the measures to the rules, deadlines, gates and roles "
                "that enforce it, and what is not checked, with the reason",
            ),
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import rules as cmd

    raise typer.Exit(_run(lambda lg: cmd.run(code=code, fmt=fmt, lang=lg, coverage=coverage), lang))


@app.command(
    help=H(
        "由模型生成 schema/dossier.schema.json（JSON Schema draft-07，编辑器可用）。\n\n例：gtx schema；gtx schema --check",
        "Write schema/dossier.schema.json from the model (JSON Schema draft-07, for editors).\n\nExample: gtx schema; gtx schema --check",
    )
)
def schema(
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=H("文件过期时失败，不写入", "fail when the file is stale; write nothing"),
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=H("输出路径", "output path"), show_default=False),
    ] = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import schema as cmd

    raise typer.Exit(_run(lambda lg: cmd.run(repo=repo, check=check, output=output, lang=lg), lang))


@app.command(
    help=H(
        "填写备案表（附件：格尔木市政务信息系统备案表，三（三））。\n\n例：gtx form 2024-smart-parking；gtx form 2024-smart-parking --pdf；"
        "gtx form 2024-smart-parking --draft -o 草稿.docx",
        "Fill the filing form (the attachment 格尔木市政务信息系统备案表, 三（三）).\n\n"
        "Example: gtx form 2024-smart-parking; gtx form 2024-smart-parking --pdf",
    )
)
def form(
    project: Annotated[
        str,
        typer.Argument(
            help=H("项目编号或其文件夹路径", "project id or its folder"),
            autocompletion=complete.projects,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=H(
                "输出路径（默认 dossiers/ID/attachments/filing-form.docx）",
                "output path (default dossiers/ID/attachments/filing-form.docx)",
            ),
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf", help=H("同时用 LibreOffice 转换为 PDF", "also convert to PDF with LibreOffice")
        ),
    ] = False,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help=H("有未填项时仍生成（留空）", "write even with missing fields (left blank)"),
        ),
    ] = False,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import form as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run(project, output=output, pdf=pdf, draft=draft, repo=repo, lang=lg),
            lang,
        )
    )


@app.command(
    help=H(
        "期限报告：初步验收、申请竣工验收、自评价、整改、备案，哪些已逾期、哪些即将到期（三（三）（五）（六）（七））。"
        "默认只列未完成的期限，已逾期的在前。\n\n例：gtx deadlines；gtx deadlines --within 30；"
        "gtx deadlines --format ics > 期限.ics；gtx deadlines --fail-on overdue（定时 CI 任务）",
        "Deadlines: preliminary acceptance, final acceptance request, self-evaluation, "
        "rectification, filing; what is overdue and what is coming. Pending ones by default, "
        "overdue first.\n\nExample: gtx deadlines; gtx deadlines --within 30; "
        "gtx deadlines --format ics > deadlines.ics; gtx deadlines --fail-on overdue (scheduled CI)",
    )
)
def deadlines(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help=H("项目编号或路径（默认：全部）", "project ids or paths (default: all)"),
            show_default=False,
            autocompletion=complete.projects,
        ),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            help=H(
                "只列 N 天内到期的（已逾期的总会列出）",
                "only those due within N days (overdue always listed)",
            ),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json | csv | ics | xlsx",
            autocompletion=complete.choices("text", "json", "csv", "ics", "xlsx"),
        ),
    ] = "text",
    output: OutputOpt = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help=H(
                "overdue：有逾期时退出码为 1；due_soon：有逾期或即将到期时为 1",
                "overdue: exit 1 when any is overdue; due_soon: when any is overdue or due soon",
            ),
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help=H("也列出已完成的期限", "also list deadlines already met"))
    ] = False,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import deadlines as cmd

    day = _parse_date(as_of)  # outside _run: a bad date is a usage error (exit 2)
    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo,
                targets=targets or [],
                as_of=day,
                within=within,
                fmt=fmt,
                fail_on=fail_on,
                show_all=show_all,
                lang=lg,
                output=output,
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "项目总览：每个项目一行（编号、名称、建设单位、阶段、预算、下一个期限），并按阶段和建设单位汇总。"
        "\n\n例：gtx status；gtx status --format csv > 项目总览.csv",
        "The portfolio: one row per project (id, name, unit, stage, budget, next deadline), with "
        "totals by stage and by unit.\n\nExample: gtx status; gtx status --format csv > portfolio.csv",
    )
)
def status(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json | csv | xlsx",
            autocompletion=complete.choices("text", "json", "csv", "xlsx"),
        ),
    ] = "text",
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import status as cmd

    day = _parse_date(as_of)  # outside _run: a bad date is a usage error (exit 2)
    raise typer.Exit(
        _run(lambda lg: cmd.run(repo=repo, as_of=day, fmt=fmt, lang=lg, output=output), lang)
    )


@app.command(
    help=H(
        "新建档案仓库：git init、gtx.yaml（默认政策与角色）、dossiers/、schema/、备案表模板、"
        "GitHub/Gitea 的 CI 检查、pre-commit 配置和给经办人的 README。文件已暂存，不自动提交"
        "（加 --commit 才做初始提交）。非空文件夹须加 --force，且只补上缺少的文件，从不覆盖。"
        "\n\n例：gtx init 项目档案库；gtx init . --force；gtx init archive --commit",
        "Make a new dossier repository: git init, gtx.yaml (default policy and roles), dossiers/, "
        "schema/, the filing form template, CI checks for GitHub and Gitea Actions, a pre-commit "
        "config and a README for the clerks. The files are staged, not committed (--commit makes "
        "the initial commit). A non-empty folder needs --force, which adds only missing files and "
        "never overwrites.\n\nExample: gtx init dossiers-repo; gtx init . --force; gtx init archive --commit",
    )
)
def init(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help=H(
                "新仓库的文件夹（默认：当前文件夹）", "the new repository's folder (default: here)"
            ),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=H(
                "文件夹非空时也继续，只补上缺少的文件",
                "go on in a non-empty folder, adding only missing files",
            ),
        ),
    ] = False,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit",
            help=H(
                "写入后做一次初始提交（不签名）",
                "make an initial (unsigned) commit of the new files",
            ),
        ),
    ] = False,
    upgrade: Annotated[
        bool,
        typer.Option(
            "--upgrade",
            help=H(
                "在已有仓库中换上当前 gtx 的 wheel，并更新 CI 和 pre-commit 中的文件名与 sha256",
                "in an existing repository, vendor this gtx's wheel and update its name and "
                "sha256 in the CI and pre-commit files",
            ),
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import init as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                directory=directory, force=force, commit=commit, upgrade=upgrade, lang=lg
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "新建项目档案 dossiers/ID/project.yaml（阶段：草拟），每项旁有中文注释说明含义、可填的值和哪个阶段前必填；"
        "--interactive 逐项询问备案表的内容。编号只能用小写字母、数字和连字符。"
        "\n\n例：gtx new 2025-smart-parking --interactive；"
        "gtx new 2025-smart-parking --name 格尔木市智慧停车管理平台 --unit 格尔木市公安局交通警察大队",
        "Scaffold dossiers/ID/project.yaml (stage draft) with a Chinese comment beside every field "
        "(meaning, allowed values, the stage that needs it); --interactive asks for the filing "
        "table's fields one by one. Ids use lowercase letters, digits and hyphens."
        "\n\nExample: gtx new 2025-smart-parking --interactive; "
        "gtx new 2025-smart-parking --name 格尔木市智慧停车管理平台 --unit 格尔木市公安局交通警察大队",
    )
)
def new(
    project: Annotated[
        str,
        typer.Argument(
            help=H("项目编号，如 2025-smart-parking", "the project id, e.g. 2025-smart-parking")
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option("--name", help=H("项目名称", "the project's name"), show_default=False),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help=H("建设单位（申请单位）全称", "the building unit's full name"),
            show_default=False,
        ),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help=H("逐项询问备案表的内容", "ask for the filing table's fields one by one"),
        ),
    ] = False,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import new as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo, project=project, name=name, unit=unit, interactive=interactive, lang=lg
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "推进阶段：检查准入条件，追加一条流转记录（保留所有注释和格式），并以签名提交记录这一个项目的文件夹"
        "（提交说明含 Gtx-Project、Gtx-Transition、Gtx-Role）。暂停、恢复、终止：STAGE 写 suspended / "
        "terminated / 暂停前的阶段，或 suspend / resume / terminate。不满足条件时不做任何修改。"
        "\n\n例：gtx advance 2024-smart-parking filed --date 2024-04-20 --ref filing_form；"
        "gtx advance 2024-smart-parking approved --dry-run；gtx advance 2024-smart-parking suspend --note 整改期间暂停",
        "Advance a stage: check the gate, append the history entry (keeping every comment and the "
        "layout) and make one signed commit of that project's folder (trailers Gtx-Project, "
        "Gtx-Transition, Gtx-Role). Suspend, resume, terminate: STAGE is suspended / terminated / "
        "the stage it was suspended from, or suspend / resume / terminate. A refusal changes nothing."
        "\n\nExample: gtx advance 2024-smart-parking filed --date 2024-04-20 --ref filing_form; "
        "gtx advance 2024-smart-parking approved --dry-run",
    )
)
def advance(
    project: Annotated[
        str,
        typer.Argument(
            help=H("项目编号或其文件夹路径", "project id or its folder"),
            autocompletion=complete.projects,
        ),
    ],
    stage: Annotated[
        str,
        typer.Argument(
            help=H(
                "要进入的阶段（代码或中文名称），或 suspend / resume / terminate"
                + _stage_listing("zh"),
                "the stage to enter (its code or Chinese name), or suspend / resume / "
                "terminate" + _stage_listing("en"),
            ),
            autocompletion=complete.stages,
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=H(
                "该行为（批复、备案等）的日期，YYYY-MM-DD（默认：今天）",
                "the date of the official act, YYYY-MM-DD (default: today)",
            ),
            show_default=False,
        ),
    ] = None,
    ref: Annotated[
        list[str] | None,
        typer.Option(
            "--ref",
            help=H(
                "依据文件的类别，可重复，如 --ref approval_reply",
                "a document kind the act rests on; repeatable, e.g. --ref approval_reply",
            ),
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help=H("备注", "a note"), show_default=False)
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=H(
                "只显示修改和准入检查结果，不写入、不提交",
                "show the change and the gate result; write nothing",
            ),
        ),
    ] = False,
    include_changes: Annotated[
        bool,
        typer.Option(
            "--include-changes",
            help=H(
                "把项目文件夹中其他未提交的修改（含新文件）一并签署提交；不加时遇到这些修改即拒绝",
                "sign and commit the project folder's other uncommitted changes (new files "
                "too) with the transition; without it, such changes are refused",
            ),
        ),
    ] = False,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.edges.git import StatusAhead

    # git's status of the whole work tree (the first thing the transaction asks, ~0.2 s
    # at 10,000 dossiers) runs while the command's modules and the model import
    # (~0.3 s); reaped here whatever happens (docs/benchmarks.md)
    ahead = StatusAhead.start(repo if repo is not None else Path.cwd())
    try:
        from golmud_cli.commands import advance as cmd

        raise typer.Exit(
            _run(
                lambda lg: cmd.run(
                    repo=repo,
                    project=project,
                    stage=_stage(stage),
                    date=_parse_date(date),
                    refs=ref or [],
                    note=note,
                    as_of=_parse_date(as_of),
                    dry_run=dry_run,
                    include_changes=include_changes,
                    lang=lg,
                    ahead=ahead,
                ),
                lang,
            )
        )
    finally:
        if ahead is not None:
            ahead.close()


@app.command(
    help=H(
        "更正一条流转记录的日期：流转记录本身永不修改，而是在 corrections 中追加一条更正（保留所有注释和格式），"
        "由签署原流转的角色（建设单位的行为由本单位的签署人）签名提交。ENTRY 是 gtx show 显示的序号。"
        "更正后的日期须保持历史的先后顺序，且不得带来新的错误；不满足时不做任何修改。"
        "\n\n例：gtx correct 2024-smart-parking 2 --date 2024-04-10 --reason 批复日期误录为登记日期",
        "Correct the date of a recorded act: history itself is never edited; a correction is "
        "appended under corrections (keeping every comment and the layout) and committed, signed "
        "by the role that signed the act (for a unit's act, a signer of the project's unit). "
        "ENTRY is the number gtx show gives. The corrected date keeps history in order and may "
        "bring no new error; a refusal changes nothing.\n\nExample: gtx correct "
        "2024-smart-parking 2 --date 2024-04-10 --reason 'approval date entered as the entry day'",
    )
)
def correct(
    project: Annotated[
        str,
        typer.Argument(
            help=H("项目编号或其文件夹路径", "project id or its folder"),
            autocompletion=complete.projects,
        ),
    ],
    entry: Annotated[
        int,
        typer.Argument(
            min=1,
            help=H(
                "要更正的流转记录的序号（从 1 数起，见 gtx show）",
                "the number of the history entry to correct (from 1, as gtx show numbers them)",
            ),
        ),
    ],
    date: Annotated[
        str,
        typer.Option(
            "--date",
            help=H("该行为的正确日期，YYYY-MM-DD", "the act's true date, YYYY-MM-DD"),
            show_default=False,
        ),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help=H("更正理由", "why the date is corrected"),
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=H(
                "只显示修改和可签署人，不写入、不提交",
                "show the change and who may sign; write nothing",
            ),
        ),
    ] = False,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import correct as cmd

    when = _parse_date(date)
    assert when is not None  # --date is required
    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo,
                project=project,
                entry=entry,
                date=when,
                reason=reason,
                as_of=_parse_date(as_of),
                lang=lg,
                dry_run=dry_run,
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "验证阶段流转（供 CI 使用）：范围内每个改动了阶段或流转记录的提交，都必须由基准分支 gtx.yaml 中登记的、"
        "该角色的签署人签名；流转合法；只涉及一个项目；只追加、不改写流转记录；且在该提交时满足准入条件。"
        "默认范围：与上游分支（或 main）的分叉点到 HEAD。有问题时退出码为 1。"
        "\n\n例：gtx verify；gtx verify origin/main..HEAD --format json",
        "Verify stage transitions (for CI): every commit in the range that changes a dossier's stage "
        "or history must be signed by a key that gtx.yaml on the base lists for the role the "
        "transition needs; be legal; touch one dossier; append to history without rewriting it; "
        "and pass its gate at that commit. Default range: the merge base with the upstream (or main) "
        "to HEAD. Exit 1 on any problem.\n\nExample: gtx verify; gtx verify origin/main..HEAD --format json",
    )
)
def verify(
    rev_range: Annotated[
        str | None,
        typer.Argument(
            metavar="RANGE",
            help=H("提交范围 A..B，或 A（即 A..HEAD）", "a range A..B, or A (meaning A..HEAD)"),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json",
            autocompletion=complete.choices("text", "json"),
        ),
    ] = "text",
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import verify as cmd

    raise typer.Exit(
        _run(lambda lg: cmd.run(repo=repo, rev_range=rev_range, fmt=fmt, lang=lg), lang)
    )


@app.command(
    help=H(
        "查看一个项目：各字段、项目文件（附件是否存在），以及由流转记录组成的时间线，"
        "每次流转的提交和签署人取自 git（按当前 gtx.yaml 判断签名）。\n\n例：gtx show 2024-smart-parking；"
        "gtx show 2024-smart-parking --format json",
        "Show one project: its fields, its documents (whether each attachment is there) and its "
        "timeline from history, with the commit and signer of each transition read from git "
        "(signatures judged against the current gtx.yaml).\n\nExample: gtx show 2024-smart-parking; "
        "gtx show 2024-smart-parking --format json",
    )
)
def show(
    project: Annotated[
        str,
        typer.Argument(
            help=H("项目编号或其文件夹路径", "project id or its folder"),
            autocompletion=complete.projects,
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text | json",
            autocompletion=complete.choices("text", "json"),
        ),
    ] = "text",
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import show as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo, project=project, fmt=fmt, as_of=_parse_date(as_of), lang=lg
            ),
            lang,
        )
    )


@app.command(
    "import",
    help=H(
        "由项目台账（.xlsx 或 .csv）新建档案（草拟阶段）：识别中文表头（项目名称、建设单位、项目预算（万元）、"
        "资金来源、开工时间……，含合并的表头），转换中文的值（市级财政资金、等保三级、2024年6月3日、120万），"
        "列出每个无法使用的单元格（如 C7）。每行都通过格式校验才写入；已有的项目只报告、不覆盖。"
        "\n\n例：gtx import 台账.xlsx --dry-run；gtx import 台账.xlsx --save-mapping 映射.yaml；"
        "gtx import 台账.xlsx --mapping 映射.yaml",
        "Make draft dossiers from a project register (.xlsx or .csv): Chinese headers (merged "
        "ones too) and values are recognised, every unusable cell is named (e.g. C7). Nothing is "
        "written unless every new row validates; existing projects are reported, never "
        "overwritten.\n\nExample: gtx import register.xlsx --dry-run; "
        "gtx import register.xlsx --save-mapping map.yaml; gtx import register.xlsx --mapping map.yaml",
    ),
)
def import_(
    source: Annotated[
        Path, typer.Argument(help=H("台账文件 .xlsx 或 .csv", "the .xlsx or .csv file"))
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help=H("表头与字段的映射文件（YAML）", "the header -> field mapping (YAML)"),
            show_default=False,
        ),
    ] = None,
    save_mapping: Annotated[
        Path | None,
        typer.Option(
            "--save-mapping",
            help=H("把所用的映射写入该文件，便于修改", "write the mapping used, to edit it"),
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help=H("工作表名（默认第一个）", "the sheet (default: the first)"),
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=H(
                "只显示将新建的项目和无法使用的单元格", "show what would be created; write nothing"
            ),
        ),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import import_ as cmd

    day = _parse_date(as_of)
    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo,
                source=source,
                sheet=sheet,
                mapping=mapping,
                save_mapping=save_mapping,
                dry_run=dry_run,
                as_of=day,
                fmt=fmt,
                lang=lg,
            ),
            lang,
        )
    )


ProjectArg = Annotated[
    str, typer.Argument(help=H("项目编号或其文件夹路径", "project id or its folder"))
]


@app.command(
    "set",
    help=H(
        "修改一个字段（保留其余每个字节和注释，校验后才写入）。字段可写英文键或中文名，值可写中文"
        "（市级财政资金、等保三级、2024年6月3日、120万、是/否）。\n\n例：gtx set 2025-smart-parking "
        "budget_wan 650；gtx set 2025-smart-parking 资金来源 市级财政资金",
        "Set one field (every other byte and comment kept; checked before it is written). The "
        "field is a dotted key or its Chinese label; Chinese values are accepted.\n\nExample: "
        "gtx set 2025-smart-parking budget_wan 650; gtx set 2025-smart-parking 资金来源 市级财政资金",
    ),
)
def set_(
    project: ProjectArg,
    field: Annotated[str, typer.Argument(help=H("字段，如 budget_wan 或 项目预算", "a field"))],
    value: Annotated[str, typer.Argument(help=H("新的值", "the new value"))],
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import edit as cmd

    raise typer.Exit(
        _run(
            lambda lg: cmd.run_set(repo=repo, project=project, field=field, value=value, lang=lg),
            lang,
        )
    )


@app.command(
    help=H(
        "登记一个附件：把文件复制到项目的 attachments/，在 documents 中按类别登记，并记下 SHA-256 摘要"
        "（保留其余每个字节和注释）。\n\n例：gtx attach 2025-smart-parking 立项批复.pdf --kind "
        "approval_reply --date 2025-11-20",
        "Record an attachment: copy the file into the project's attachments/, record it under "
        "documents by kind with its SHA-256 (every other byte kept).\n\nExample: "
        "gtx attach 2025-smart-parking reply.pdf --kind approval_reply --date 2025-11-20",
    )
)
def attach(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help=H("要登记的文件", "the file to record"))],
    kind: Annotated[
        str,
        typer.Option("--kind", help=H("文件类别，如 approval_reply 或 立项批复", "document kind")),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help=H("文件日期 YYYY-MM-DD", "its date, YYYY-MM-DD"), show_default=False
        ),
    ] = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import edit as cmd

    day = _parse_date(date)
    raise typer.Exit(
        _run(
            lambda lg: cmd.run_attach(
                repo=repo, project=project, file=file, kind=kind, date=day, lang=lg
            ),
            lang,
        )
    )


@app.command(
    "list",
    help=H(
        "按条件列出项目：--stage 阶段、--unit 建设单位（部分名称）、--overdue 有逾期、--path 审批路径、"
        "以及名称等文字搜索。\n\n例：gtx list --stage under_construction；gtx list --unit 公安 --overdue；"
        "gtx list 停车 --format xlsx -o 停车.xlsx",
        "List the projects that match: --stage, --unit (part of the name), --overdue, --path "
        "(approval path) and a text search.\n\nExample: gtx list --stage under_construction; "
        "gtx list --unit 公安 --overdue; gtx list parking --format xlsx -o parking.xlsx",
    ),
)
def list_(
    text: Annotated[
        str | None,
        typer.Argument(
            help=H("在编号、名称、单位中搜索", "search id, name, unit"), show_default=False
        ),
    ] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help=H("阶段", "stage"), show_default=False)
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help=H("建设单位", "unit"), show_default=False)
    ] = None,
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue", help=H("只列有逾期期限的", "only those with an overdue deadline")
        ),
    ] = False,
    path: Annotated[
        str | None, typer.Option("--path", help=H("审批路径", "approval path"), show_default=False)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | csv | xlsx")] = "text",
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import list_ as cmd
    from golmud_cli.core.portfolio import Filters

    day = _parse_date(as_of)
    filters = Filters(stage=stage, unit=unit, overdue=overdue, path=path, text=text)
    raise typer.Exit(
        _run(
            lambda lg: cmd.run(
                repo=repo, filters=filters, as_of=day, fmt=fmt, lang=lg, output=output
            ),
            lang,
        )
    )


@app.command(
    help=H(
        "生成给领导看的静态 HTML 报告：项目总览（按阶段、按建设单位，金额为万元）、图表、每个项目一页"
        "（字段、文件、签名时间线）和校验问题。不依赖网络，可从共享文件夹打开。"
        "\n\n例：gtx report -o 报告",
        "Write a static HTML report for leaders: the portfolio by stage and unit (万元), charts, a "
        "page per project (fields, documents, signed timeline) and the findings. Needs no "
        "network; opens from a file share.\n\nExample: gtx report -o report",
    )
)
def report(
    output: Annotated[
        Path, typer.Option("--output", "-o", help=H("输出文件夹", "the output folder"))
    ],
    as_of: AsOfOpt = None,
    repo: RepoOpt = None,
    lang: LangOpt = None,
) -> None:
    from golmud_cli.commands import report as cmd

    day = _parse_date(as_of)
    raise typer.Exit(_run(lambda lg: cmd.run(repo=repo, output=output, as_of=day, lang=lg), lang))


def _run(fn: Callable[[str], int], lang: str | None) -> int:
    from golmud_cli.commands import run_guarded
    from golmud_cli.errors import UsageError

    def call(lg: str) -> int:
        try:
            return fn(lg)
        except typer.BadParameter as e:  # e.g. a bad date parsed inside the lambda
            raise UsageError(e.message, e.message) from None

    return run_guarded(call, i18n.resolve(lang))


# One line per command in `gtx --help` (typer would cut the long help mid-sentence).
SHORT_HELP: dict[str, tuple[str, str]] = {
    "validate": (
        "校验档案：格式、附件、历史和《办法》的每条规则",
        "validate dossiers against the schema and every rule",
    ),
    "rules": (
        "规则目录；给出编号时引用《办法》原文",
        "the rule catalog; with a code, the clause text",
    ),
    "schema": ("生成 schema/dossier.schema.json", "write schema/dossier.schema.json"),
    "form": ("填写备案表（.docx，可转 PDF）", "fill the filing form (.docx, PDF optional)"),
    "deadlines": (
        "期限报告：已逾期、即将到期、未到窗口期",
        "deadlines: overdue, due soon, not yet open",
    ),
    "status": ("项目总览，按阶段和建设单位汇总", "the portfolio, totals by stage and unit"),
    "init": (
        "新建档案仓库（含 CI 与 pre-commit）",
        "create a dossier repository (with CI and pre-commit)",
    ),
    "new": ("新建项目档案（草拟阶段）", "scaffold a new project (draft)"),
    "advance": (
        "推进阶段：检查准入条件并签名提交",
        "advance a stage: check the gate, make a signed commit",
    ),
    "correct": (
        "更正一次行为的日期：追加签名的更正记录",
        "correct an act's date: a signed correction entry",
    ),
    "verify": (
        "验证阶段流转的签名与角色（CI）",
        "verify the signatures and roles of stage changes (CI)",
    ),
    "show": ("查看一个项目及其时间线", "one project and its timeline"),
    "import": ("由项目台账（Excel/CSV）新建档案", "make dossiers from a register (Excel/CSV)"),
    "set": ("修改一个字段（保留注释）", "set one field (comments kept)"),
    "attach": ("登记附件并记下 SHA-256", "record an attachment with its SHA-256"),
    "list": ("按条件列出项目", "list projects by filters"),
    "report": ("生成静态 HTML 报告（离线可看）", "write the static HTML report (offline)"),
}


def _command_name(info: typer.models.CommandInfo) -> str:
    return info.name or (info.callback.__name__ if info.callback else "")


for _info in app.registered_commands:
    _info.cls = GtxCommand
    if _command_name(_info) in SHORT_HELP:
        _info.short_help = H(*SHORT_HELP[_command_name(_info)])


def main() -> None:
    # typer turns every command's signature into click parameters before it parses
    # anything: ~0.1 s for the 17 commands here. When the first word names a command,
    # only that one is built (a group with one command and the root callback behaves
    # as with all of them); help, completion and anything else get the whole app.
    words = sys.argv[1:]
    if words and not any(k.endswith("_COMPLETE") for k in os.environ):
        only = [c for c in app.registered_commands if _command_name(c) == words[0]]
        if only:
            app.registered_commands = only
        elif words in (["--help"], ["-h"]):
            # the list of commands shows each one's name and short help only: no
            # command's parameters need building for it
            app.registered_commands = [_listed(c) for c in app.registered_commands]
    app()


def _listed(info: typer.models.CommandInfo) -> typer.models.CommandInfo:
    import copy

    def listed() -> None:  # pragma: no cover - never run: the group's help exits first
        raise SystemExit(2)

    out = copy.copy(info)
    out.name, out.callback = _command_name(info), listed
    return out
