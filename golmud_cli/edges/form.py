"""The filing table 格尔木市政务信息系统备案表 (the attachment of 格政办〔2023〕15号).

Clause 三（三） asks the construction unit to file the project with 项目名称、投资额度、
运营费用、经费渠道、数据资源、应用系统、等级保护 ... and to hand in this table. This
module turns a Dossier into the table's text (build_context, pure) and fills
templates/filing-form.docx with docxtpl (render_docx). docxtpl and python-docx are
imported inside the functions that need them, so `gtx --help` stays fast.

The template and the context agree on one key per value cell; the template is built by
scripts/build_form_template.py, whose PLACEHOLDERS lists the same keys as CONTEXT_KEYS.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from golmud_cli.core import form_layout
from golmud_cli.core.findings import Finding
from golmud_cli.core.values import MlpsLevel, Network
from golmud_cli.core.wan import wan_text

if TYPE_CHECKING:
    from golmud_cli.core.model import Dossier

TEMPLATE_RELPATH = Path("templates") / "filing-form.docx"
DEFAULT_OUTPUT_NAME = "filing-form.docx"

# The checkbox glyphs. ■/□ (U+25A0/U+25A1) are in GB2312 and so in every Chinese font
# (仿宋_GB2312, 仿宋, Noto CJK); ☑/☐ (U+2611/U+2610) are not, and print as tofu.
CHECKED = "■"
UNCHECKED = "□"

# When a cell does not apply (no cloud deployment, so no cloud operator), Chinese forms
# write a slash rather than leave a blank that looks forgotten.
NOT_APPLICABLE = "/"

CONTEXT_KEYS: tuple[str, ...] = (
    "name",
    "contact_name",
    "contact_phone",
    "budget_wan",
    "funding_source",
    "start_date",
    "duration",
    "basis",
    "mlps_3_box",
    "mlps_2_box",
    "mlps_other_box",
    "mlps_note",
    "systems_count",
    "systems_type",
    "data_needed",
    "data_catalog",
    "operating_cost",
    "cloud_deployed",
    "cloud_operator",
    "network",
    "unit",
)


# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF).
# A value holding one would make word/document.xml unreadable, so they are dropped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str | None) -> str:
    """Text safe for a docx run: no XML-illegal characters, LF line ends, no tabs.

    docxtpl turns LF into a line break (<w:br/>) and, after rendering, turns TAB, BEL
    and FF in any run into tabs, paragraphs and page breaks; BEL and FF are dropped
    here with the other controls and TAB becomes a space, so a value stays in its cell.
    """
    if value is None:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _XML_ILLEGAL.sub("", text).strip()


def format_wan(value: Decimal | None) -> str:
    """万元 as the dossier writes it, on an official form (core/wan.py)."""
    return wan_text(value, as_written=True)


def format_date(value: dt.date | None) -> str:
    """2024年6月3日 (no leading zeros), as dates are written in official documents."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _mlps_note(level: object, note: str) -> str:
    if level == MlpsLevel.classified:
        return f"分级保护（{note}）" if note else "分级保护"
    return note if level == MlpsLevel.other else ""


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return ""
    return yes if value else no


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def filing_gaps(
    dossier: Dossier, *, file: str | None = None, text: str | None = None
) -> list[Finding]:
    """The filing-table fields the dossier lacks, as B001 findings in table order.

    The same list as `gtx validate` reports under B001 (三（三）: filing needs every
    field of the table), whatever the dossier's stage; with the YAML text, each
    finding carries the line and column where the field belongs.
    """
    from golmud_cli.core.rules import Hit
    from golmud_cli.core.rules.filing import B001, missing_filing_fields

    findings = [
        B001.finding(Hit(path, anchor="parent"), dossier.id, file)
        for path in missing_filing_fields(dossier)
    ]
    if text is not None and findings:
        from golmud_cli.edges.loader import positions

        pos = positions(text, [(f.path, f.anchor) for f in findings])
        findings = [f.at(*pos.get((f.path, f.anchor), (None, None))) for f in findings]
    return findings


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def build_context(dossier: Dossier) -> dict[str, str]:
    """The text of every value cell (a missing value is blank; see filing_gaps).

    Every value is a plain, cleaned string; escaping for XML happens in render_docx.
    """
    d = dossier
    funding = d.funding_source.label if d.funding_source else ""
    if funding and not _blank(d.funding_note):
        funding = f"{funding}（{clean_text(d.funding_note)}）"

    level = _get(d, "mlps.level")

    def box(choice: MlpsLevel) -> str:
        return CHECKED if level == choice else UNCHECKED

    duration = _get(d, "schedule.duration_months")
    count = _get(d, "systems.count")
    systems_type = _get(d, "systems.type")
    deployed = _get(d, "cloud.deployed")
    operator = clean_text(_get(d, "cloud.operator"))
    if deployed is False and not operator:
        operator = NOT_APPLICABLE

    network = d.network.label if d.network else ""
    if d.network == Network.other and not _blank(d.network_note):
        network = f"{network}（{clean_text(d.network_note)}）"

    cost = format_wan(d.operating_cost_wan)

    ctx = {
        "name": clean_text(d.name),
        "contact_name": clean_text(_get(d, "contact.name")),
        "contact_phone": clean_text(_get(d, "contact.phone")),
        "budget_wan": format_wan(d.budget_wan),
        "funding_source": funding,
        "start_date": format_date(_get(d, "schedule.start")),
        "duration": f"{duration}个月" if duration is not None else "",
        "basis": clean_text(d.basis),
        "mlps_3_box": box(MlpsLevel.level3),
        "mlps_2_box": box(MlpsLevel.level2),
        # 三（三）: 等级保护和分级保护备案: a classified system is 其他 (说明: 分级保护)
        "mlps_other_box": CHECKED
        if level in (MlpsLevel.other, MlpsLevel.classified)
        else UNCHECKED,
        "mlps_note": _mlps_note(level, clean_text(_get(d, "mlps.note"))),
        "systems_count": str(count) if count is not None else "",
        "systems_type": systems_type.label if systems_type else "",
        "data_needed": _yes_no(_get(d, "data_resources.needed"), "有需求", "无需求"),
        "data_catalog": _yes_no(_get(d, "data_resources.catalog_written"), "已编写", "未编写"),
        # docs/dossier.md: operating_cost_wan is 万元 per year; the table's cell has no unit.
        "operating_cost": f"{cost}万元/年" if cost else "",
        "cloud_deployed": _yes_no(deployed, "是", "否"),
        "cloud_operator": operator,
        "network": network,
        "unit": clean_text(d.unit),
    }
    assert tuple(ctx) == CONTEXT_KEYS
    return ctx


# --- rendering --------------------------------------------------------------------


def find_template(repo_root: Path | None) -> Path:
    """The dossier repository's own template if it has one (a city may restyle it),
    else the one shipped with gtx."""
    candidates: list[Path] = []
    if repo_root is not None:
        candidates.append(repo_root / TEMPLATE_RELPATH)
    from golmud_cli.edges.resources import package_root

    pkg = package_root(__file__)
    candidates += [pkg / "data" / "filing-form.docx", pkg.parent / TEMPLATE_RELPATH]
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(str(candidates[0]))


def _xml_value(text: str) -> Any:
    """Escape a value for the document XML, beyond what autoescape does.

    docxtpl rewrites "{_{", "}_}", "{_%", "%_}" in the rendered XML to "{{" ... (its
    own escape for literal tags), which would alter a value holding them; writing "_"
    as the character reference &#95; keeps those four sequences out of the XML while
    the text read back is unchanged.
    """
    from markupsafe import Markup, escape

    return Markup(str(escape(text)).replace("_", "&#95;"))


# A template's arithmetic on text or numbers bigger than this is refused: a form has
# no use for it, and `{{ 'x' * 10**10 }}` or `{{ 9**9**9 }}` would exhaust the machine.
TEMPLATE_MAX_REPEAT = 100_000


def _sandbox(**options: Any) -> Any:
    """A Jinja sandbox for the template (dossier repository's templates/filing-form.docx
    is written by whoever can push to that repository, and gtx form runs on a
    reviewer's machine): no attribute starting with `_`, no access to Python's
    internals ({{ cycler.__init__.__globals__.os }}), bounded range(), and bounded
    `*` and `**` (intercepted, so Jinja does not fold them at compile time either)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class FormSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                bits = left.bit_length() if isinstance(left, int) else 64
                if (
                    not isinstance(right, int | float)
                    or abs(right) > 64
                    or bits * abs(right) > 65536
                ):
                    raise SecurityError("exponent too large in the form template")
            if operator == "*":
                seq = next((x for x in (left, right) if isinstance(x, str | list | tuple)), None)
                num = next((x for x in (left, right) if isinstance(x, int)), None)
                if (
                    seq is not None
                    and num is not None
                    and len(seq) * abs(num) > TEMPLATE_MAX_REPEAT
                ):
                    raise SecurityError("repetition too large in the form template")
            return super().call_binop(context, operator, left, right)

    return FormSandbox(**options)


def render_docx(template: Path, context: Mapping[str, str]) -> bytes:
    """Fill the template; returns the .docx bytes (deterministic for the same input).

    Autoescape is on (else a value with & or < silently vanishes, docxtpl #557/#634),
    and an unknown placeholder is an error (StrictUndefined), not an empty cell.
    Values are data: Jinja never evaluates text inside them ({{ 7*7 }} stays literal).
    The template itself runs in a sandbox (see _sandbox): it comes from the dossier
    repository, which is not trusted more than its least careful writer.
    """
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined

    env = _sandbox(undefined=StrictUndefined, autoescape=True)
    tpl = DocxTemplate(str(template))
    tpl.init_docx()  # render() keeps a document loaded and not yet rendered
    _resize(tpl.docx, {k: clean_text(v) for k, v in context.items()})
    ctx = {k: _xml_value(clean_text(v)) for k, v in context.items()}
    tpl.render(ctx, jinja_env=env, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return normalize_zip(buf.getvalue())


def _resize(doc: Any, context: Mapping[str, str]) -> None:
    """Set the paragraph holding each long value's placeholder in the size chosen for it
    (core/form_layout.py), with the exact line pitch of that size when the paragraph
    has one: the value then fits its exact-height row instead of being cut off. A value
    too long for any size (a --draft) lets its row grow rather than lose text.

    Every run of the paragraph takes the size (等级保护备案's boxes and words shrink
    with its note). A restyled template gets the same sizes in the same places.
    """
    sizes = form_layout.sizes(context)
    if not sizes:
        return
    grow = {c.key for c in form_layout.overflowing(context)}
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    for p_el in doc.element.body.iter(qn("w:p")):
        p = Paragraph(p_el, doc)
        keys = [key for key in sizes if "{{ " + key + " }}" in p.text]
        if not keys:
            continue
        size = min(sizes[key] for key in keys)
        for run in p.runs:
            run.font.size = Pt(size)
        pf = p.paragraph_format
        if pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY:
            pf.line_spacing = Pt(form_layout.PITCH[size])
        row = next(p_el.iterancestors(qn("w:tr")), None)
        height = None if row is None else row.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        if height is not None and grow.intersection(keys):
            height.set(qn("w:hRule"), "atLeast")


def too_long(
    context: Mapping[str, str], text: str | None = None
) -> list[tuple[form_layout.Cell, int | None]]:
    """The values that do not fit their cell even at the smallest size, each with the
    line of its field in the YAML text (when given) so the message can point at it."""
    cells = form_layout.overflowing({k: clean_text(v) for k, v in context.items()})
    if not cells or text is None:
        return [(c, None) for c in cells]
    from golmud_cli.edges.loader import positions

    paths = [(tuple(c.field.split(".")), "value") for c in cells]
    pos = positions(text, paths)
    return [(c, pos.get(path, (None, None))[0]) for c, path in zip(cells, paths, strict=True)]


def normalize_zip(data: bytes) -> bytes:
    """Fixed zip timestamps, so the same dossier gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------


class SofficeMissing(RuntimeError):
    """LibreOffice is not installed (or not on PATH)."""


class ConversionFailed(RuntimeError):
    """LibreOffice ran but produced no PDF."""


_SOFFICE_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """GTX_SOFFICE, then soffice/libreoffice on PATH, then the usual install places."""
    env = os.environ.get("GTX_SOFFICE")
    if env:
        return env if Path(env).is_file() or shutil.which(env) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _SOFFICE_PLACES if Path(p).is_file()), None)


# On a machine without the government fonts (a Linux server or CI runner), LibreOffice
# would set the whole form in a sans-serif fallback. A private fontconfig file maps the
# names to Noto CJK (fonts-noto-cjk); <accept> only appends the substitute after the
# named family, so a machine that has 仿宋 still uses it. Windows and macOS builds of
# LibreOffice ignore fontconfig and use their own fonts.
PDF_FONT_SUBSTITUTES: tuple[tuple[str, str], ...] = (
    ("仿宋", "Noto Serif CJK SC"),
    ("仿宋_GB2312", "Noto Serif CJK SC"),
    ("FangSong", "Noto Serif CJK SC"),
    ("方正小标宋简体", "Noto Serif CJK SC"),
    ("宋体", "Noto Serif CJK SC"),
    ("黑体", "Noto Sans CJK SC"),
    ("SimHei", "Noto Sans CJK SC"),
)


def _fontconfig_file() -> str:
    from xml.sax.saxutils import escape as xml_escape

    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    aliases = "".join(
        f'<alias binding="same"><family>{xml_escape(src)}</family>'
        f"<accept><family>{xml_escape(dst)}</family></accept></alias>"
        for src, dst in PDF_FONT_SUBSTITUTES
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f'<fontconfig><include ignore_missing="yes">{xml_escape(system)}</include>'
        f"{aliases}</fontconfig>\n"
    )


def convert_to_pdf(docx: Path, timeout: float = 180.0) -> Path:
    """`soffice --headless --convert-to pdf` next to the .docx; returns the PDF path.

    A private LibreOffice profile per run: two conversions sharing the default profile
    (or a desktop LibreOffice that is open) make soffice exit without converting.
    """
    soffice = find_soffice()
    if soffice is None:
        raise SofficeMissing()
    docx = docx.resolve()
    pdf = docx.with_suffix(".pdf")
    pdf.unlink(missing_ok=True)  # so a stale PDF is never taken for a fresh one
    with tempfile.TemporaryDirectory(prefix="gtx-lo-") as profile:
        fc_file = Path(profile) / "fonts.conf"
        fc_file.write_text(_fontconfig_file(), "utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(fc_file)}
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConversionFailed(str(exc)) from exc
    if proc.returncode != 0 or not pdf.is_file():
        raise ConversionFailed((proc.stderr or proc.stdout or "").strip()[-500:])
    return pdf
