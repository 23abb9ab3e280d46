"""`gtx form ID [-o PATH] [--pdf] [--draft]`: fill the filing table (附件, 三（三）).

`run` returns the exit code of cli.md: 0 written; 1 the dossier cannot be filled (its
filing fields are incomplete, listed as B001 findings with positions, or it does not
load); 2 usage (not a dossier repository, unknown project, --pdf without LibreOffice);
3 the template is broken or LibreOffice failed. Nothing is written unless the whole
form can be: a half-filled table handed in by mistake is worse than none, so blanks
need --draft.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from golmud_cli.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from golmud_cli.findings import Finding

INSTALL_CMD = "sudo apt-get install -y libreoffice-writer fonts-noto-cjk"

MESSAGES: dict[str, tuple[str, str]] = {
    "no_repo": (
        "未找到项目档案仓库：{start} 及其上级目录中都没有 gtx.yaml 或 dossiers/ 目录。",
        "not a dossier repository: neither {start} nor any parent holds gtx.yaml or dossiers/.",
    ),
    "no_repo_hint": (
        "请在档案仓库内运行，或用 --repo 指定仓库路径。",
        "run it inside a dossier repository, or name one with --repo.",
    ),
    "bad_id": (
        "项目编号 {id} 不合规：只能使用小写字母、数字和连字符（3～64 位），例如 2024-smart-parking。",
        "project id {id} is not valid: lowercase letters, digits and hyphens (3-64), "
        "e.g. 2024-smart-parking.",
    ),
    "unknown": (
        "没有项目 {id}：找不到 {file}。",
        "no project {id}: {file} does not exist.",
    ),
    "unknown_hint": (
        "用 gtx status 查看所有项目。",
        "gtx status lists every project.",
    ),
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


def find_repo_root(start: Path) -> Path | None:
    """The folder holding gtx.yaml or dossiers/, found upward as git finds its root."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "gtx.yaml").is_file() or (folder / "dossiers").is_dir():
            return folder
    return None


def _write_atomic(path: Path, data: bytes) -> None:
    # Write beside the target and rename, so an interrupted run never leaves half a
    # .docx where the clerk expects the last good one.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gtx-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(
    project_id: str,
    *,
    output: Path | None = None,
    pdf: bool = False,
    draft: bool = False,
    repo: Path | None = None,
    lang: str = "zh",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Fill templates/filing-form.docx for one project; returns the exit code."""
    from pydantic import ValidationError

    from golmud_cli import form
    from golmud_cli.loader import load
    from golmud_cli.model import ID_RE, Dossier

    out = out or sys.stdout
    err = err or sys.stderr

    def say(stream: TextIO, key: str, **params: object) -> None:
        print(_t(key, lang, **params), file=stream)

    start = repo if repo is not None else Path.cwd()
    root = find_repo_root(start)
    if root is None:
        say(err, "no_repo", start=start)
        say(err, "no_repo_hint")
        return EXIT_USAGE
    if not ID_RE.match(project_id):
        say(err, "bad_id", id=project_id)
        return EXIT_USAGE
    rel = f"dossiers/{project_id}/project.yaml"
    yaml_path = root / rel
    if not yaml_path.is_file():
        say(err, "unknown", id=project_id, file=rel)
        say(err, "unknown_hint")
        return EXIT_USAGE

    # --pdf without LibreOffice is refused before anything is written (exit 2 means
    # nothing happened); the message says how to install it.
    if pdf and form.find_soffice() is None:
        say(err, "no_soffice")
        say(err, "nothing_written")
        say(err, "no_soffice_hint")
        return EXIT_USAGE

    loaded = load(yaml_path.read_bytes(), rel, project_id)
    problems: list[str] = [_finding_line(f, lang) for f in loaded.findings]
    dossier: Dossier | None = None
    if not problems:
        try:
            dossier = Dossier.model_validate(loaded.data)
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(p) for p in e["loc"]) or "-"
                problems.append(f"  {rel}: {loc}: {e['msg']}")
    if dossier is None:
        say(err, "unloadable", file=rel)
        for line in problems:
            print(line, file=err)
        say(err, "unloadable_hint", id=project_id)
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
        template = form.find_template(root)
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

    target = (
        output
        if output is not None
        else root / "dossiers" / project_id / "attachments" / form.DEFAULT_OUTPUT_NAME
    )
    _write_atomic(target, data)
    say(out, "written", path=_show(target))

    if pdf:
        try:
            made = form.convert_to_pdf(target)
        except form.SofficeMissing:
            say(err, "no_soffice")
            say(err, "no_soffice_hint")
            return EXIT_USAGE
        except form.ConversionFailed as exc:
            say(err, "pdf_failed", path=_show(target), error=str(exc) or "-")
            say(err, "pdf_failed_hint")
            return EXIT_INTERNAL
        say(out, "pdf_written", path=_show(made))
    return EXIT_OK
