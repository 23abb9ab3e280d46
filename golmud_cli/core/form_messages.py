"""The messages of `gtx form`, both languages, by key: the service words its refusals
with them and the reporter its notes, so each sentence is written once."""

from __future__ import annotations

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
    "too_long": (
        "{where}{field}（{label}）太长，备案表中放不下（最小用六号字时约可容 {max} 个汉字）。",
        "{where}{field} ({label}) is too long for its cell of the filing form (about "
        "{max} Chinese characters at the smallest size, 六号).",
    ),
    "too_long_hint": (
        "备案表须为一页（附件）。请精简上述各项（详细内容可写入可行性研究报告等材料）。"
        "未生成任何文件。",
        "the form must stay one page (附件): shorten the field(s) above (details belong "
        "in the feasibility study or another document). Nothing was written.",
    ),
    "too_long_draft": (
        "草稿：上述各项按原文完整填写，备案表将超过一页；正式备案前请精简。",
        "draft: the field(s) above are filled in full, so the form runs past one page; "
        "shorten them before filing.",
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
    "signed": (
        "未写入：{path} 是已签署的流转所依据的备案表（documents.filing_form），gtx form 不会覆盖它。"
        "如需另生成一份，请用 -o 指定其他路径。",
        "nothing written: {path} is the filing form a signed transition rests on "
        "(documents.filing_form), and gtx form never overwrites it. To make another copy, "
        "name a different path with -o.",
    ),
    "recorded": (
        "已在 {file} 中登记 documents.filing_form：{path}（日期 {date}）",
        "recorded in {file}: documents.filing_form = {path} (date {date})",
    ),
    "not_recorded": (
        "备案表已生成，但未能登记到 {file}：{error}请用 gtx attach 或手工在 documents 中登记 filing_form。",
        "the form is written, but could not be recorded in {file}: {error} Record filing_form "
        "under documents with gtx attach or by hand.",
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


def text(key: str, lang: str, **params: object) -> str:
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)
