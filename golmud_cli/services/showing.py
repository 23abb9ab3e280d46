"""What `gtx show ID` shows: one project's fields, documents, and its timeline from
history with the commit and signer of each transition, read from git (docs/cli.md).

The signer is judged against the repository's current gtx.yaml (as `verify` does
against the base): a good signature by a listed key shows the signer's name; an
unsigned or unlisted one says so. Outside git the timeline has no signers.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from golmud_cli.core.corrections import Reviewed, review
from golmud_cli.core.labels import label_for
from golmud_cli.core.lifecycle import Role, Stage, next_stages, position
from golmud_cli.core.timeline import Mark
from golmud_cli.core.transitions import allowed_signers, compare_history
from golmud_cli.edges import git as gitops
from golmud_cli.edges import loader
from golmud_cli.edges import repo as repo_mod
from golmud_cli.errors import GtxError, UsageError
from golmud_cli.pipeline import workspace
from golmud_cli.pipeline.validation import check_project
from golmud_cli.services.verification import Keyring

if TYPE_CHECKING:
    from golmud_cli.core.model import Correction, Dossier

SKIP = ("schema_version", "id", "name", "unit", "stage", "documents", "history", "corrections")


def _correction_json(c: Correction, mark: Mark | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "corrected": c.corrected.isoformat(),
        "role": c.role.value,
        "reason": c.reason,
    }
    if mark is not None:  # who signed the correction, as for a transition
        out |= {"commit": mark.commit, "signer": mark.signer, "signature": mark.signature}
    return out


def show(repo: Path | None, project: str, as_of: dt.date | None, lang: str) -> dict[str, Any]:
    """The project as `gtx show` prints it (text or json), signers read from git."""
    r = workspace.open_repo(repo, no_links=True)
    pid = r.resolve_target(project)
    res = check_project(r, pid, as_of or dt.date.today())
    if res.dossier is None:

        def lines(lang: str) -> str:
            return "\n".join(
                f"  {f.file}:{f.line or 1}  {f.code}  {f.message(lang)}" for f in res.findings
            )

        raise UsageError(
            f"{res.file} 不能读取为项目档案（用 gtx validate {pid} 查看详情）：\n{lines('zh')}",
            f"{res.file} cannot be read as a dossier (gtx validate {pid} tells why):\n"
            f"{lines('en')}",
        )
    # res.dossier: its history with the corrections that count (core/corrections.py)
    data, in_git = project_json(r, pid, res.dossier, res.recorded, as_of or dt.date.today(), lang)
    data["git"] = in_git
    return data


def project_json(
    r: repo_mod.Repository,
    pid: str,
    d: Dossier,
    recorded: Dossier | None,
    today: dt.date,
    lang: str,
) -> tuple[dict[str, Any], bool]:
    """One project as `gtx show` and `gtx report` give it: `d` with its corrected dates,
    each beside the date history records (`recorded`: the file as written, None when no
    correction counts), and who signed each act and each correction; and whether git
    was there to say."""
    written = recorded or d
    fixes = review(written.history, written.corrections, today).applied()
    (marks, fix_marks), in_git = signed_marks(r, pid, d, written.corrections)
    return to_json(d, marks, r.project_dir(pid), lang, fixes, fix_marks), in_git


def signed_marks(
    r: repo_mod.Repository, pid: str, d: Dossier, corrections: list[Correction]
) -> tuple[tuple[list[Mark], list[Mark]], bool]:
    """For each history entry and each correction (`corrections` as the file records
    them): the commit that appended it and its signer, judged for the role that acts
    (a correction is signed by the role that signed the act it corrects: H005,
    docs/lifecycle.md)."""
    acts: dict[str, list[Role]] = {
        "history": [h.role for h in d.history],
        "corrections": [c.role for c in corrections],
    }
    marks = {key: [Mark() for _ in roles] for key, roles in acts.items()}
    both = (marks["history"], marks["corrections"])
    try:
        w = gitops.work(r.root)
    except GtxError:
        return both, False
    if gitops.head(w) is None:
        for m in (*both[0], *both[1]):
            m.signature = "uncommitted"
        return both, True
    path = f"{w.prefix}{repo_mod.DOSSIERS_DIR}/{pid}/{repo_mod.PROJECT_FILE}"
    owner: dict[str, dict[int, gitops.CommitRecord]] = {key: {} for key in acts}
    committed: dict[str, int] = {}
    with gitops.Blobs(w) as blobs:
        for rec in gitops.log(w, ["HEAD"], [path]):
            parent = rec.parents[0] if rec.parents else None
            before_doc = _data(blobs.read(f"{parent}:{path}") if parent else None)
            after_doc = _data(blobs.read(f"{rec.sha}:{path}"))
            for key in acts:
                before, after = _listed(before_doc, key), _listed(after_doc, key)
                change = compare_history(before, after)
                for i in change.rewritten:
                    if i < len(after):
                        owner[key][i] = rec
                for k in range(len(before), len(after)):
                    owner[key][k] = rec
        head_doc = _data(blobs.read(f"HEAD:{path}"))
        for key in acts:
            committed[key] = len(_listed(head_doc, key))
    ring = Keyring.of(r.settings)
    shas = {rec.sha for owned in owner.values() for rec in owned.values()}
    with tempfile.TemporaryDirectory(prefix="gtx-show-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(ring.allowed_signers_text(), "utf-8")
        sigs = gitops.signatures(w, sorted(shas), allowed)
    for key, roles in acts.items():
        for i, role in enumerate(roles):
            m = marks[key][i]
            owning = owner[key].get(i)
            if i >= committed[key] or owning is None:
                m.signature = "uncommitted"
                continue
            m.commit, m.date = owning.sha, owning.date
            sig = sigs.get(owning.sha)
            if sig is None or sig.status == "N":
                m.signature = "unsigned"
                continue
            match = ring.matcher(sig)
            if match is None:
                m.signature = "bad" if sig.status == "B" else "unlisted"
                m.signer = sig.key or None
                continue
            allowed_here = [s for s in allowed_signers(r.settings, role, d.unit) if match(s.key)]
            if allowed_here:
                m.signer, m.signature = allowed_here[0].name, "good"
            else:
                m.signature = "wrong_role"
                m.signer = sig.key
    return both, True


def _data(raw: bytes | None) -> Any:
    return None if raw is None else loader.load(raw, "-", None).data


def _listed(data: Any, key: str) -> list[Any]:
    got = data.get(key) if isinstance(data, dict) else None
    return got if isinstance(got, list) else []


def to_json(
    d: Dossier,
    marks: list[Mark],
    folder: Path,
    lang: str,
    fixes: dict[int, Reviewed] | None = None,
    fix_marks: list[Mark] | None = None,
) -> dict[str, Any]:
    """`fixes`: history index -> the correction in force for it (a corrected date is
    shown with the date history records beside it); `fix_marks`: the commit and
    signer of each correction, by its place in `corrections`."""
    dumped = d.model_dump(mode="json", by_alias=True, exclude_none=True)
    fields = {k: v for k, v in dumped.items() if k not in SKIP}
    docs = []
    for kind, doc in d.documents.present().items():
        docs.append(
            {
                "kind": kind,
                "label": label_for(("documents", kind)),
                "file": doc.file,
                "date": doc.date.isoformat() if doc.date else None,
                "number": doc.number,
                "exists": repo_mod.stat_in(folder)(doc.file).value == "ok",
            }
        )
    current, resume_to = position(d.stages)
    timeline = []
    source = Stage.draft
    for i, (h, m) in enumerate(zip(d.history, marks, strict=True)):
        fix = (fixes or {}).get(i)
        timeline.append(
            {
                "from": source.value,
                "stage": h.stage.value,
                "date": h.date.isoformat(),
                "role": h.role.value,
                "refs": [k.value for k in h.refs],
                "note": h.note,
                "commit": m.commit,
                "signer": m.signer,
                "signature": m.signature,
                "recorded_date": fix.recorded.isoformat() if fix and fix.recorded else None,
                "correction": (
                    _correction_json(fix.correction, fix_marks[fix.index] if fix_marks else None)
                    if fix
                    else None
                ),
            }
        )
        source = h.stage  # the stage after this entry (what position() would say, in O(1))
    return {
        "project": d.id,
        "name": d.name,
        "unit": d.unit,
        "stage": d.stage.value,
        "stage_label": d.stage.label_in(lang),
        "resume_to": resume_to.value if resume_to else None,
        "next": [s.value for s in next_stages(current, resume_to)],
        "fields": fields,
        "documents": docs,
        "timeline": timeline,
    }
