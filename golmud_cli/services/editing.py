"""`gtx set` and `gtx attach`: one field or one document record changed in
project.yaml, every other byte kept (comments, blank lines, quotes, order).

As `gtx advance` does (edges/yamledit.py), the edit is made on the text at the
positions a round-trip parse reports; the result must read back as exactly the
old data plus the change, and pass the schema where the old file did, before it
is written (atomically). Anything else is refused with nothing written.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from golmud_cli.core.editing import Attached, Change
from golmud_cli.core.register import BY_KEY, IGNORE, Column, Unusable, convert, propose
from golmud_cli.edges import loader
from golmud_cli.edges.fs import atomic_write
from golmud_cli.edges.repo import PROJECT_FILE, Repository, read_limited
from golmud_cli.errors import Refused, UsageError
from golmud_cli.services import scaffolding as scaffold


class EditError(Exception):
    """The text cannot be edited safely here; the caller refuses."""


# --- positions in the text ------------------------------------------------------------


def _rt(text: str) -> Any:
    from ruamel.yaml import YAML

    try:
        return YAML(typ="rt").load(text)
    except Exception as e:  # any parse fault: the file must be fixed first
        raise EditError(f"round-trip parse failed: {type(e).__name__}") from None


def _is_block_map(node: Any) -> bool:
    if not isinstance(node, Mapping) or not hasattr(node, "lc"):
        return False
    block: bool = not node.fa.flow_style()  # type: ignore[attr-defined]
    return block


def _token_end(line: str, col: int) -> int:
    """Where the scalar starting at `col` ends (a quoted one at its closing quote,
    a plain one before its comment)."""
    q = line[col] if col < len(line) else ""
    if q == '"':
        i = col + 1
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == '"':
                return i + 1
            i += 1
        raise EditError("unterminated quote")
    if q == "'":
        i = col + 1
        while i < len(line):
            if line[i] == "'":
                if line[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        raise EditError("unterminated quote")
    body = line.rstrip("\r\n")
    m = re.search(r"\s#", body[col:])
    return col + (m.start() if m else len(body[col:].rstrip()))


def _with_value(line: str, start: int, end: int, value: str) -> str:
    """`line` with [start, end) replaced by ` value`, its comment kept in its column
    where there is room."""
    body, eol = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")) :]
    head = body[:start].rstrip() + " " + value
    rest = body[end:]
    m = re.match(r"(\s*)(#.*)$", rest)
    if m:
        col = end + len(m.group(1))
        pad = max(1, _width(body[:col]) - _width(head))
        return head + " " * pad + m.group(2) + eol
    return head + rest.rstrip() + eol


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], key_line: int, key_col: int) -> int:
    """The index after the lines that belong to the key at (key_line, key_col)."""
    end = key_line + 1
    for i in range(key_line + 1, len(lines)):
        s = lines[i].strip()
        if not s or s.startswith("#"):
            continue
        if _indent(lines[i]) > key_col:
            end = i + 1
            continue
        break
    return end


def _insert_at(lines: list[str], node: Any, key: str, order: list[str]) -> tuple[int, int]:
    """(line index, indent) for a new key in the block mapping `node`: after the
    block of the sibling before it in the model's order, else after the last child."""
    keys = list(node.keys())
    col = node.lc.key(keys[0])[1] if keys else 0
    before = [k for k in order[: order.index(key)] if k in node] if key in order else []
    anchor = before[-1] if before else (keys[-1] if keys else None)
    if anchor is None:
        raise EditError("empty mapping")
    line, kcol = node.lc.key(anchor)
    return _block_end(lines, line, kcol), col


def _model_order(path: tuple[str, ...]) -> list[str]:
    from golmud_cli.core.model import Dossier, _inner_model

    model: Any = Dossier
    for part in path:
        info = model.model_fields.get(part) if model else None
        model = _inner_model(info.annotation) if info else None
    return [f.alias or k for k, f in model.model_fields.items()] if model else []


def set_text(
    text: str,
    path: tuple[str, ...],
    value: str,
    nl: str = "\n",
    relabel: tuple[str, str] = ("", ""),
) -> str:
    """The text with the scalar at `path` set to the YAML text `value`; a comment that
    is exactly the old value's label (`# 市级财政资金`) becomes the new one's."""
    doc = _rt(text)
    lines = text.splitlines(keepends=True)
    node = doc
    for depth, key in enumerate(path[:-1]):
        if not _is_block_map(node):
            raise EditError("not a block mapping")
        child = node.get(key) if key in node else None
        if child is None:
            # the mapping is missing or empty (`schedule:`): write it with this one key
            rest = path[depth + 1 :]

            def block(col: int, rest: tuple[str, ...] = rest) -> list[str]:
                out = [" " * (col + 2 * i) + f"{k}:" for i, k in enumerate(rest[:-1])]
                return [*out, " " * (col + 2 * (len(rest) - 1)) + f"{rest[-1]}: {value}"]

            if key in node:
                kline, kcol = node.lc.key(key)
                lines[kline + 1 : kline + 1] = [x + nl for x in block(kcol + 2)]
            else:
                at, col = _insert_at(lines, node, key, _model_order(path[:depth]))
                lines[at:at] = [x + nl for x in [" " * col + f"{key}:", *block(col + 2)]]
            return "".join(lines)
        node = child
    if not _is_block_map(node):
        raise EditError("not a block mapping")
    key = path[-1]
    if key in node:
        current = node[key]
        if isinstance(current, Mapping | list):
            raise EditError("not a scalar")
        kline, kcol = node.lc.key(key)
        line = lines[kline]
        colon = line.index(":", kcol + len(key))
        if current is None:
            start = end = colon + 1
        else:
            vline, vcol = node.lc.value(key)
            if vline != kline or line[vcol : vcol + 1] in ("|", ">", "&", "*", "!"):
                raise EditError("not a one-line scalar")
            start, end = vcol, _token_end(line, vcol)
        lines[kline] = _with_value(line, start, end, value)
        old_label, new_label = relabel
        if old_label and lines[kline].rstrip("\r\n").endswith(f"# {old_label}"):
            body = lines[kline].rstrip("\r\n")
            tail = lines[kline][len(body) :]
            lines[kline] = body[: len(body) - len(old_label)] + new_label + tail
    else:
        at, col = _insert_at(lines, node, key, _model_order(path[:-1]))
        lines[at:at] = [" " * col + f"{key}: {value}" + nl]
    return "".join(lines)


# --- checks -------------------------------------------------------------------------


def _schema_errors(text: str, project: str) -> set[tuple[str, str]]:
    from golmud_cli.core.model import Dossier
    from golmud_cli.pipeline import schema_check

    loaded = loader.load(text.encode(), f"dossiers/{project}/{PROJECT_FILE}", project)
    if loaded.findings:
        return {(f.code, f.message_zh + "\n" + f.message_en) for f in loaded.findings}
    _, findings = schema_check.validate(Dossier, loaded.data, file="-", project=project)
    return {
        (f.field or "", f.message_zh + "\n" + f.message_en)
        for f in findings
        if f.severity.value == "error"
    }


def checked(old: str, new: str, project: str, expected: Any) -> str:
    """`new` when it reads back as `expected` and adds no schema error; else refuse."""
    data = loader.load(new.encode(), "-", project).data
    if data != expected:
        raise EditError("the edit does not read back as intended")
    added = _schema_errors(new, project) - _schema_errors(old, project)
    if added:
        _, message = sorted(added)[0]
        zh, en = message.split("\n", 1)
        raise Refused(
            f"未写入：修改后档案不符合格式：{zh}",
            f"nothing written: the edit breaks the schema: {en}",
        )
    return new


def _read(r: Repository, project: str) -> tuple[Path, str, Any]:
    path = r.project_file(project)
    if path.is_symlink():
        raise UsageError(
            f"{r.rel(path)} 是一个链接：请先运行 gtx validate 查看并改正。",
            f"{r.rel(path)} is a link: run gtx validate and fix it first.",
        )
    try:
        text = read_limited(path).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise UsageError(
            f"无法读取 {r.rel(path)}：请先运行 gtx validate。",
            f"cannot read {r.rel(path)}: run gtx validate first.",
        ) from None
    data = loader.load(text.encode(), "-", project).data
    if not isinstance(data, dict):
        raise UsageError(
            f"{r.rel(path)} 无法读取为档案：请先运行 gtx validate 并改正。",
            f"{r.rel(path)} does not load as a dossier: run gtx validate and fix it first.",
        )
    return path, text, data


def _cannot_edit(r: Repository, path: Path) -> Refused:
    return Refused(
        f"未写入：{r.rel(path)} 的这一处写法无法安全地自动修改（如多行或流式写法），请手工编辑。",
        f"nothing written: {r.rel(path)} is written in a way gtx cannot edit safely there "
        "(a multi-line or flow value); edit it by hand.",
    )


def _nl(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


# --- gtx set --------------------------------------------------------------------------


def resolve_field(name: str) -> Column:
    key = name if name in BY_KEY else propose(name)
    if key is None or key == IGNORE or key == "id":
        allowed = "、".join(f"{c.key}（{c.zh}）" for c in BY_KEY.values() if c.key != "id")
        raise UsageError(
            f"gtx set 不能修改「{name}」：可修改的字段有 {allowed}。阶段由 gtx advance 推进，文件由 gtx attach 登记。",
            f"gtx set cannot change {name!r}: the fields it sets are "
            f"{', '.join(c for c in BY_KEY if c != 'id')}. Stages move with gtx advance, "
            "files are recorded with gtx attach.",
        )
    return BY_KEY[key]


def set_field(r: Repository, project: str, name: str, raw: str) -> Change:
    column = resolve_field(name)
    try:
        value = convert(column, raw)
    except Unusable as e:
        raise UsageError(
            f"{column.key}（{column.zh}）：{e.zh}。", f"{column.key} ({column.zh}): {e.en}."
        ) from None
    path, text, data = _read(r, project)
    token = scaffold.yaml_scalar(value, quote=column.key == "contact.phone")
    expected = copy.deepcopy(data)
    node = expected
    for part in column.path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    old = node.get(column.path[-1])
    node[column.path[-1]] = loader.load(f"k: {token}\n".encode(), "-", None).data["k"]
    relabel = ("", "")
    if column.kind == "enum":
        from golmud_cli.core.values import ENUM_LABELS

        labels = ENUM_LABELS[column.enum]
        relabel = (labels.get(str(old), ""), labels[str(value)])
    try:
        new = set_text(text, column.path, token, _nl(text), relabel)
        new = checked(text, new, project, expected)
    except EditError:
        raise _cannot_edit(r, path) from None
    atomic_write(path, new.encode("utf-8"))
    return Change(project, r.rel(path), column.key, column.zh, old, value)


# --- gtx attach -----------------------------------------------------------------------

_BAD_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
MAX_NAME_BYTES = 120


def safe_name(name: str, kind: str) -> str:
    """A file name for attachments/: the source's own name, without any folder,
    control character (a newline), character Windows refuses, or leading - . or
    space (an option or a hidden file); Chinese and inner spaces stay."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = _BAD_NAME.sub("_", base).lstrip("-. ").rstrip(". ")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    while len(base.encode()) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
        base = f"{stem}.{ext}" if ext else stem
    if not stem.strip("_ "):
        base = f"{kind}.{ext}" if ext and re.fullmatch(r"[A-Za-z0-9]{1,8}", ext) else kind
    return base


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resolve_kind(kind: str) -> str:
    from golmud_cli.core.values import ENUM_LABELS

    labels = ENUM_LABELS["DocKind"]
    if kind in labels:
        return kind
    for k, label in labels.items():
        if kind.strip() == label:
            return k
    raise UsageError(
        f"文件类别「{kind}」不存在；可用：" + "、".join(f"{k}（{v}）" for k, v in labels.items()),
        f"no document kind {kind!r}; use one of: {', '.join(labels)}",
    )


def _attachments_dir(r: Repository, project: str) -> Path:
    folder = r.project_dir(project)
    att = folder / "attachments"
    if att.is_symlink() or (att.exists() and not att.is_dir()):
        raise Refused(
            f"未写入：{r.rel(att)} 不是项目文件夹中的普通文件夹（可能是链接）。",
            f"nothing written: {r.rel(att)} is not a plain folder inside the project (a link?).",
        )
    att.mkdir(exist_ok=True)
    return att


def _source(file: Path) -> Path:
    try:
        st = file.stat()
    except OSError:
        raise UsageError(f"找不到文件 {file}。", f"no such file: {file}.") from None
    import stat as stat_mod

    if not stat_mod.S_ISREG(st.st_mode):
        raise UsageError(
            f"{file} 不是普通文件（是文件夹或特殊文件）。",
            f"{file} is not a regular file (a folder or a special file).",
        )
    return file


def _document_lines(
    kind: str, rel: str, date: dt.date | None, digest: str | None, col: int
) -> list[str]:
    from golmud_cli.core.values import ENUM_LABELS

    pad = " " * (col + 2)
    head = scaffold._with_comment(" " * col + f"{kind}:", ENUM_LABELS["DocKind"][kind])
    out = [head, f"{pad}file: {scaffold.yaml_scalar(rel)}"]
    if date is not None:
        out.append(f"{pad}date: {date.isoformat()}")
    if digest is not None:
        out.append(f"{pad}sha256: {digest}")
    return out


def attach_text(text: str, kind: str, lines_for: Any, nl: str) -> str:
    doc = _rt(text)
    lines = text.splitlines(keepends=True)
    docs = doc.get("documents") if isinstance(doc, Mapping) else None
    if "documents" in doc and docs is not None and len(docs) == 0:
        # the scaffold's `documents: {}`: drop the braces, the block follows the key
        kline, kcol = doc.lc.key("documents")
        body = lines[kline].rstrip("\r\n")
        eol = lines[kline][len(body) :]
        m = re.match(r"^(\s*documents:)\s*\{\s*\}\s*(#.*)?$", body)
        if not m:
            raise EditError("documents is not {}")
        lines[kline] = m.group(1) + eol
        if m.group(2):  # the comment stays in its column
            at = body.index("#", len(m.group(1)))
            lines[kline] = m.group(1) + " " * (at - len(m.group(1))) + body[at:] + eol
        new = lines_for(kcol + 2)
        lines[kline + 1 : kline + 1] = [x + nl for x in new]
        return "".join(lines)
    if docs is None and "documents" not in doc:
        at, _ = _insert_at(lines, doc, "documents", _model_order(()))
        lines[at:at] = [x + nl for x in ["documents:", *lines_for(2)]]
        return "".join(lines)
    if docs is None or not _is_block_map(docs):
        raise EditError("documents is not a block mapping")
    keys = list(docs.keys())
    col = docs.lc.key(keys[0])[1]
    line, kcol = docs.lc.key(keys[-1])
    at = _block_end(lines, line, kcol)
    lines[at:at] = [x + nl for x in lines_for(col)]
    return "".join(lines)


def attach(r: Repository, project: str, file: Path, kind: str, date: dt.date | None) -> Attached:
    kind = resolve_kind(kind)
    src = _source(file)
    path, text, data = _read(r, project)
    documents = data.get("documents") or {}
    if isinstance(documents, dict) and kind in documents:
        raise Refused(
            f"未写入：{project} 已登记 documents.{kind}（{documents[kind].get('file') if isinstance(documents[kind], dict) else ''}）。"
            "已签署的附件不应替换；确需更换时请手工编辑并说明原因。",
            f"nothing written: {project} already records documents.{kind}. A signed attachment "
            "should not be swapped; if it must be, edit by hand and say why.",
        )
    att = _attachments_dir(r, project)
    digest = sha256_of(src)
    name = safe_name(src.name, kind)
    target = att / name
    n = 2
    while os.path.lexists(target) and not (
        target.is_file() and not target.is_symlink() and sha256_of(target) == digest
    ):
        stem, dot, ext = name.rpartition(".")
        target = att / (f"{stem}-{n}.{ext}" if dot and stem else f"{name}-{n}")
        n += 1
    rel = f"attachments/{target.name}"
    expected = copy.deepcopy(data)
    record: dict[str, Any] = {"file": rel}
    if date is not None:
        record["date"] = date.isoformat()
    record["sha256"] = digest
    if not isinstance(expected.get("documents"), dict):
        expected["documents"] = {}
    expected["documents"][kind] = record
    nl = _nl(text)
    try:
        new = attach_text(text, kind, lambda col: _document_lines(kind, rel, date, digest, col), nl)
        new = checked(text, new, project, expected)
    except EditError:
        raise _cannot_edit(r, path) from None
    copied = not os.path.lexists(target)
    if copied:
        _copy_into(src, target)
    try:
        atomic_write(path, new.encode("utf-8"))
    except BaseException:
        if copied:
            target.unlink(missing_ok=True)
        raise
    return Attached(project, kind, rel, digest, copied)


def record_document(r: Repository, project: str, kind: str, rel: str, date: dt.date) -> bool:
    """Add documents.KIND (file, date) to project.yaml by a comment-preserving edit, as
    `gtx attach` does but for a file gtx made itself (`gtx form`); False, and nothing
    written, when KIND is recorded already."""
    path, text, data = _read(r, project)
    documents = data.get("documents") or {}
    if isinstance(documents, dict) and kind in documents:
        return False
    expected = copy.deepcopy(data)
    if not isinstance(expected.get("documents"), dict):
        expected["documents"] = {}
    expected["documents"][kind] = {"file": rel, "date": date.isoformat()}
    try:
        new = attach_text(
            text, kind, lambda col: _document_lines(kind, rel, date, None, col), _nl(text)
        )
        new = checked(text, new, project, expected)
    except EditError:
        raise _cannot_edit(r, path) from None
    atomic_write(path, new.encode("utf-8"))
    return True


def _copy_into(src: Path, target: Path) -> None:
    """Copy aside, then link into place: never through a link, never over a file
    that appeared meanwhile, never half a file under the final name."""
    import shutil
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".attach.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as f:
            shutil.copyfileobj(f, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, target)
    except FileExistsError:
        raise Refused(
            f"未写入：{target.name} 刚被别人写入。",
            f"nothing written: {target.name} just appeared.",
        ) from None
    finally:
        os.unlink(tmp)
