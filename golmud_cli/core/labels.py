"""The Chinese label of a field path and the keys allowed at a path, without pydantic:
read from the table core/fastgen.py generates from the model's fields
(core/fastschema.py, FIELDS). The only labels of the package (core/model.py's walk of
pydantic's fields is gone); tests/core/test_labels.py holds them to that walk."""

from __future__ import annotations

from golmud_cli.core.fastschema import FIELDS

Path = tuple[str | int, ...]
_Row = tuple[str | None, str | None, str | None, bool]


def _name(root: str | type) -> str:
    return root if isinstance(root, str) else root.__name__


def _row(cls: str, part: str) -> _Row | None:
    """The field `part` of class `cls`, by name or by alias (such as `for`)."""
    fields = FIELDS.get(cls, {})
    row = fields.get(part)
    if row is None:
        row = next((r for r in fields.values() if r[1] == part), None)
    return row


def title(cls: str | type, name: str) -> str:
    """The label of one field of a class, e.g. ("Policy", "filing_days") -> "备案期限（天，本地政策）"."""
    row = FIELDS.get(_name(cls), {}).get(name)
    return (row[0] or "") if row else ""


def label_for(path: Path, root: str | type = "Dossier") -> str:
    """The Chinese label of a field path, e.g. ("documents", "proposal", "file") ->
    "项目建议书·文件"; list indices are shown as 第N项, free mapping keys as written.
    `root` is the class at the path's start, or its name ("Dossier", "Settings")."""
    labels: list[str] = []
    cls: str | None = _name(root)
    keyed = False
    for part in path:
        if isinstance(part, int):
            labels.append(f"第{part + 1}项")
            continue
        if keyed:  # e.g. roles.ndrc: the role as written, then its entry's fields
            labels.append(part)
            keyed = False
            continue
        if cls is None:
            break
        row = _row(cls, part)
        if row is None:
            break
        title, _alias, cls, keyed = row
        # cloud.deployed is titled like its parent (云平台部署): say it once
        if title and (not labels or labels[-1] != title):
            labels.append(title)
        if path and path[0] == "documents" and len(labels) > 1 and labels[0] == "项目文件":
            labels.pop(0)
    return "·".join(labels)


def known_keys(path: Path, root: str | type = "Dossier") -> list[str]:
    """The keys allowed in the mapping at `path` (for 'did you mean' suggestions)."""
    cls: str | None = _name(root)
    keyed = False
    for part in path:
        if isinstance(part, int) or cls is None:
            continue
        if keyed:  # a free mapping key (roles.ndrc): its value is the inner class
            keyed = False
            continue
        row = _row(cls, part)
        if row is None:
            return []
        _title, _alias, cls, keyed = row
    if cls is None or keyed:
        return []
    return [alias or name for name, (_t, alias, _c, _k) in FIELDS.get(cls, {}).items()]
