"""`gtx form ID [-o PATH] [--pdf] [--draft]`: fill the filing table (附件, 三（三）).

`run` returns the exit code of docs/cli.md: 0 written; 1 the dossier cannot be filled (its
filing fields are incomplete, listed as B001 findings with positions, or it does not
load); 3 the template is broken or LibreOffice failed. Usage errors (not a dossier
repository, unknown project, --pdf without LibreOffice: exit 2) are raised as
UsageError for run_guarded, like every other command. Nothing is written unless the whole
form can be: a half-filled table handed in by mistake is worse than none, so blanks
need --draft.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from golmud_cli.core.findings import Finding
from golmud_cli.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, UsageError

INSTALL_CMD = "sudo apt-get install -y libreoffice-writer fonts-noto-cjk"

MESSAGES: dict[str, tuple[str, str]] = {
    "unloadable": (
        "{file} 有错误，无法生成备案表：",
        "{file} has errors, so the filing form cannot be filled:",
    ),
    "unloadable_hint": (
        "请先运行 gtx validate {id} 并修正上述问题。",
        "run gtx validate {id} and fix the problems above first.",
    ),
    "gaps": (
        "备案表有 {n} 项未填写，未生成文件（三（三）：备案须填写备案表的每一项）：",
        "{n} field(s) of the filing form are missing, so no file was written (三（三）: "
        "filing needs every field of the form):",
    ),
    "gaps_hint": (
        "请在 {file} 中补齐上述各项；如需先打印留空的草稿，请加 --draft。",
        "fill them in {file}; to print a draft with blanks on purpose, add --draft.",
    ),
    "draft_gaps": (
        "草稿：以下 {n} 项留空：",
        "draft: these {n} field(s) are left blank:",
    ),
    "no_template": (
        "找不到备案表模板 {path}。",
        "the filing form template {path} is missing.",
    ),
    "no_template_hint": (
        "在 gtx 源码目录运行 python scripts/build_form_template.py 重新生成，"
        "或把 templates/filing-form.docx 复制到档案仓库。",
        "rebuild it with python scripts/build_form_template.py in the gtx source tree, "
        "or copy templates/filing-form.docx into the dossier repository.",
    ),
    "bad_template": (
        "备案表模板 {path} 无法填写：{error}",
        "the filing form template {path} cannot be filled: {error}",
    ),
    "bad_template_hint": (
        "模板中的占位符须与 gtx 提供的字段一致；请用 python scripts/build_form_template.py 重新生成。",
        "its placeholders must match the fields gtx provides; rebuild it with "
        "python scripts/build_form_template.py.",
    ),
    "written": ("已生成备案表：{path}", "filing form written: {path}"),
    "no_soffice": (
        "未安装 LibreOffice，无法转换为 PDF（--pdf 需要 soffice 命令）。",
        "LibreOffice is not installed, so no PDF can be made (--pdf needs the soffice command).",
    ),
    "nothing_written": ("未生成任何文件。", "Nothing was written."),
    "no_soffice_hint": (
        "安装方法（Debian/Ubuntu）：" + INSTALL_CMD + "\n"
        "其他系统请从 https://zh-cn.libreoffice.org/ 下载安装；"
        "或去掉 --pdf，只生成 .docx 后用 WPS/Word 另存为 PDF。",
        "to install it (Debian/Ubuntu): " + INSTALL_CMD + "\n"
        "elsewhere, get it from https://www.libreoffice.org/; or drop --pdf, write only "
        "the .docx and save it as PDF from WPS or Word.",
    ),
    "pdf_written": ("已转换为 PDF：{path}", "PDF written: {path}"),
    "pdf_failed": (
        "LibreOffice 未能转换 {path}：{error}",
        "LibreOffice could not convert {path}: {error}",
    ),
    "pdf_failed_hint": (
        "备案表 .docx 已生成，可用 WPS/Word 另存为 PDF；如果 LibreOffice 正在运行，请关闭后重试。",
        "the .docx is written; save it as PDF from WPS or Word, or close a running "
        "LibreOffice and try again.",
    ),
}


def _t(key: str, lang: str, **params: object) -> str:
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)


def _show(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _finding_line(f: Finding, lang: str) -> str:
    where = f.file or ""
    if f.line is not None:
        where += f":{f.line}" + (f":{f.column}" if f.column is not None else "")
    return f"  {where}: {f.code} {f.message(lang)}"


def _default_target(project_dir: Path) -> Path:
    """dossiers/ID/attachments/filing-form.docx, refused when attachments/ leads out of
    the project folder: git keeps symbolic links, so a dossier repository may hold one
    pointing anywhere, and gtx must not write there (docs/dossier.md, Attachments)."""
    from golmud_cli.edges.form import DEFAULT_OUTPUT_NAME

    folder = project_dir / "attachments"
    base = project_dir.resolve()
    try:
        real: Path | None = folder.resolve()
    except (OSError, RuntimeError):  # a link loop
        real = None
    if real is None or not real.is_relative_to(base):
        raise UsageError(
            f"{_show(folder)} 是指向项目文件夹之外（{real or '?'}）的链接：gtx form 不会写到那里。"
            "请删除这个链接，或用 -o 指定输出路径。" + _t("nothing_written", "zh"),
            f"{_show(folder)} is a link leading out of the project folder (to {real or '?'}): gtx form "
            "will not write there. Remove the link, or name the output with -o. "
            + _t("nothing_written", "en"),
        )
    return folder / DEFAULT_OUTPUT_NAME


def run(
    project: str,
    *,
    output: Path | None = None,
    pdf: bool = False,
    draft: bool = False,
    repo: Path | None = None,
    lang: str = "zh",
) -> int:
    """Fill templates/filing-form.docx for one project; returns the exit code.

    `project` is an id or a path into the project's folder. Usage errors (no
    repository, unknown project, --pdf without LibreOffice) raise UsageError, which
    run_guarded prints and maps to exit 2.
    """
    from golmud_cli.core.model import Dossier
    from golmud_cli.edges import form
    from golmud_cli.edges.fs import atomic_write
    from golmud_cli.edges.loader import load
    from golmud_cli.edges.repo import read_limited
    from golmud_cli.pipeline import schema_check
    from golmud_cli.pipeline.check import locate
    from golmud_cli.pipeline.workspace import open_repo

    out, err = sys.stdout, sys.stderr

    def say(stream: TextIO, key: str, **params: object) -> None:
        print(_t(key, lang, **params), file=stream)

    r = open_repo(repo, no_links=True)
    pid = r.resolve_target(project)
    path = r.project_file(pid)
    rel = r.rel(path)
    if not os.path.lexists(path):
        raise UsageError(
            f"dossiers/{pid}/ 中没有 project.yaml：请用 gtx new {pid} 生成。",
            f"dossiers/{pid}/ has no project.yaml: create it with gtx new {pid}.",
        )

    # --pdf without LibreOffice is refused before anything is written (exit 2 means
    # nothing happened); the message says how to install it.
    if pdf and form.find_soffice() is None:
        raise UsageError(
            _t("no_soffice", "zh") + _t("nothing_written", "zh"),
            _t("no_soffice", "en") + " " + _t("nothing_written", "en"),
            hint_zh=_t("no_soffice_hint", "zh"),
            hint_en=_t("no_soffice_hint", "en"),
        )

    try:
        raw = read_limited(path)  # no hang on a pipe, no 2 GB read
    except OSError as exc:
        zh = getattr(exc, "zh", None) or exc.strerror or type(exc).__name__
        en = getattr(exc, "en", None) or exc.strerror or type(exc).__name__
        raise UsageError(
            f"无法读取 {rel}：{zh}。" + _t("nothing_written", "zh"),
            f"cannot read {rel}: {en}. " + _t("nothing_written", "en"),
        ) from None
    loaded = load(raw, rel, pid)
    problems: list[Finding] = list(loaded.findings)
    dossier: Dossier | None = None
    if loaded.data is not None or not problems:
        dossier, schema_findings = schema_check.validate(
            Dossier, loaded.data, file=rel, project=pid
        )
        problems.extend(schema_findings)
    if problems or dossier is None:
        # A value that failed its check was dropped from `dossier`; filling the form
        # from what is left would silently blank it.
        if loaded.text is not None:
            problems = locate(problems, loaded.text)
        say(err, "unloadable", file=rel)
        for f in sorted(problems, key=Finding.sort_key):
            print(_finding_line(f, lang), file=err)
        say(err, "unloadable_hint", id=pid)
        return EXIT_FINDINGS

    gaps = form.filing_gaps(dossier, file=rel, text=loaded.text)
    if gaps and not draft:
        say(err, "gaps", n=len(gaps))
        for f in gaps:
            print(_finding_line(f, lang), file=err)
        say(err, "gaps_hint", file=rel)
        return EXIT_FINDINGS
    if gaps:
        say(err, "draft_gaps", n=len(gaps))
        for f in gaps:
            print(_finding_line(f, lang), file=err)

    try:
        template = form.find_template(r.root)
    except FileNotFoundError as exc:
        say(err, "no_template", path=exc.args[0])
        say(err, "no_template_hint")
        return EXIT_INTERNAL
    try:
        data = form.render_docx(template, form.build_context(dossier))
    except Exception as exc:  # jinja2 UndefinedError/TemplateSyntaxError, a broken zip
        say(err, "bad_template", path=_show(template), error=f"{type(exc).__name__}: {exc}")
        say(err, "bad_template_hint")
        return EXIT_INTERNAL

    target = output if output is not None else _default_target(r.project_dir(pid))
    if output is None:
        from golmud_cli.edges.fs import no_link_on_way

        # nor through a link inside the folder: attachments/ or the .docx itself
        no_link_on_way(r.root, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Atomic: an interrupted run never leaves half a .docx where the last good one was.
        atomic_write(target, data)
    except OSError as exc:  # a folder in the way, a full disk, no permission
        why = exc.strerror or type(exc).__name__
        raise UsageError(
            f"无法写入 {_show(target)}：{why}。" + _t("nothing_written", "zh"),
            f"cannot write {_show(target)}: {why}. " + _t("nothing_written", "en"),
        ) from None
    say(out, "written", path=_show(target))

    if pdf:
        try:
            made = form.convert_to_pdf(target)
        except (form.SofficeMissing, form.ConversionFailed) as exc:
            say(err, "pdf_failed", path=_show(target), error=str(exc) or type(exc).__name__)
            say(err, "pdf_failed_hint")
            return EXIT_INTERNAL
        say(out, "pdf_written", path=_show(made))
    return EXIT_OK
