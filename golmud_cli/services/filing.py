"""`gtx form`: fill the filing table (附件, 三（三）) of one project.

Nothing is written unless the whole form can be: a half-filled table handed in by
mistake is worse than none, so blanks need --draft. What the user is told on the way
(findings, what was written) goes to a `FormNotes`, reporters/form.py's; refusals
before anything is written are UsageError (exit 2).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from golmud_cli.core import form_layout
from golmud_cli.core.findings import Finding
from golmud_cli.core.form_messages import text
from golmud_cli.core.lifecycle import Stage, reached
from golmud_cli.core.model import Dossier
from golmud_cli.core.values import DocKind
from golmud_cli.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, GtxError, Refused, UsageError

if TYPE_CHECKING:
    from golmud_cli.edges.repo import Repository


class FormNotes(Protocol):
    """Where `fill_form` tells what it does (reporters/form.py)."""

    lang: str  # the language of the notes, for an error's message among them

    def say(self, key: str, *, out: bool = False, **params: object) -> None:
        """One message of core/form_messages.py; on stderr unless `out`."""

    def findings(self, findings: list[Finding]) -> None:
        """Findings, one line each, on stderr."""


def _show(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
            "请删除这个链接，或用 -o 指定输出路径。" + text("nothing_written", "zh"),
            f"{_show(folder)} is a link leading out of the project folder (to {real or '?'}): gtx form "
            "will not write there. Remove the link, or name the output with -o. "
            + text("nothing_written", "en"),
        )
    return folder / DEFAULT_OUTPUT_NAME


def fill_form(
    project: str,
    notes: FormNotes,
    *,
    output: Path | None = None,
    pdf: bool = False,
    draft: bool = False,
    repo: Path | None = None,
) -> int:
    """Fill templates/filing-form.docx for one project; returns the exit code.

    `project` is an id or a path into the project's folder. Usage errors (no
    repository, unknown project, --pdf without LibreOffice) raise UsageError, which
    run_guarded prints and maps to exit 2.
    """
    from golmud_cli.edges import form
    from golmud_cli.edges.fs import atomic_write
    from golmud_cli.edges.loader import load
    from golmud_cli.edges.repo import read_limited
    from golmud_cli.pipeline import schema_check
    from golmud_cli.pipeline.check import locate
    from golmud_cli.pipeline.workspace import open_repo

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
            text("no_soffice", "zh") + text("nothing_written", "zh"),
            text("no_soffice", "en") + " " + text("nothing_written", "en"),
            hint_zh=text("no_soffice_hint", "zh"),
            hint_en=text("no_soffice_hint", "en"),
        )

    try:
        raw = read_limited(path)  # no hang on a pipe, no 2 GB read
    except OSError as exc:
        zh = getattr(exc, "zh", None) or exc.strerror or type(exc).__name__
        en = getattr(exc, "en", None) or exc.strerror or type(exc).__name__
        raise UsageError(
            f"无法读取 {rel}：{zh}。" + text("nothing_written", "zh"),
            f"cannot read {rel}: {en}. " + text("nothing_written", "en"),
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
        notes.say("unloadable", file=rel)
        notes.findings(sorted(problems, key=Finding.sort_key))
        notes.say("unloadable_hint", id=pid)
        return EXIT_FINDINGS

    gaps = form.filing_gaps(dossier, file=rel, text=loaded.text)
    if gaps and not draft:
        notes.say("gaps", n=len(gaps))
        notes.findings(gaps)
        notes.say("gaps_hint", file=rel)
        return EXIT_FINDINGS
    if gaps:
        notes.say("draft_gaps", n=len(gaps))
        notes.findings(gaps)

    try:
        template = form.find_template(r.root)
    except FileNotFoundError as exc:
        notes.say("no_template", path=exc.args[0])
        notes.say("no_template_hint")
        return EXIT_INTERNAL
    context = form.build_context(dossier)
    # The table is one page (附件) in any font: a value longer than its cell holds at
    # the smallest size is refused; a draft fills it in full and runs past one page
    # (core/form_layout.py).
    overflow = form.too_long(context, loaded.text)
    if overflow:
        for cell, line in overflow:
            where = f"{rel}:{line}: " if line is not None else f"{rel}: "
            notes.say(
                "too_long",
                where=where,
                field=cell.field,
                label=cell.label,
                max=form_layout.capacity(cell),
            )
        if not draft:
            notes.say("too_long_hint")
            return EXIT_FINDINGS
        notes.say("too_long_draft")
    try:
        data = form.render_docx(template, context)
    except Exception as exc:  # jinja2 UndefinedError/TemplateSyntaxError, a broken zip
        notes.say("bad_template", path=_show(template), error=f"{type(exc).__name__}: {exc}")
        notes.say("bad_template_hint")
        return EXIT_INTERNAL

    target = output if output is not None else _default_target(r.project_dir(pid))
    signed = signed_form(dossier, r.project_dir(pid))
    if signed is not None and _same_file(target, signed):
        raise Refused(
            text("signed", "zh", path=_show(target)), text("signed", "en", path=_show(target))
        )
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
            f"无法写入 {_show(target)}：{why}。" + text("nothing_written", "zh"),
            f"cannot write {_show(target)}: {why}. " + text("nothing_written", "en"),
        ) from None
    notes.say("written", out=True, path=_show(target))
    if not draft and dossier.documents.get("filing_form") is None:
        _record(r, pid, target, notes)

    if pdf:
        try:
            made = form.convert_to_pdf(target)
        except (form.SofficeMissing, form.ConversionFailed) as exc:
            notes.say("pdf_failed", path=_show(target), error=str(exc) or type(exc).__name__)
            notes.say("pdf_failed_hint")
            return EXIT_INTERNAL
        notes.say("pdf_written", out=True, path=_show(made))
    return EXIT_OK


def signed_form(d: Dossier, folder: Path) -> Path | None:
    """The recorded filing form once a transition rests on it: one that names it in its
    refs, or the dossier has been filed. It is the signed record (三（三）) and must stay
    the file that was signed; None when there is none yet."""
    doc = d.documents.get("filing_form")
    if doc is None:
        return None
    refers = any(DocKind.filing_form in h.refs for h in d.history)
    return folder / doc.file if refers or reached(d.stages, Stage.filed) else None


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: not the same file
        return False


def _record(r: Repository, pid: str, target: Path, notes: FormNotes) -> None:
    """documents.filing_form: the form just written, when it is inside the project folder
    (a document's file is relative to it); a form written elsewhere is not recorded."""
    import datetime as dt

    from golmud_cli.services.editing import record_document

    folder = Path(os.path.realpath(r.project_dir(pid)))
    real = Path(os.path.realpath(target))
    if not real.is_relative_to(folder):
        return
    rel = real.relative_to(folder).as_posix()
    today = dt.date.today()
    file = r.rel(r.project_file(pid))
    try:
        recorded = record_document(r, pid, "filing_form", rel, today)
    except GtxError as exc:
        notes.say("not_recorded", file=file, error=exc.message(notes.lang))
        return
    if recorded:
        notes.say("recorded", out=True, file=file, path=rel, date=today.isoformat())
