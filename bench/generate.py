"""Generate N realistic synthetic dossiers in a fresh git repository (docs/benchmarks.md).

Every dossier derives from one of the sample dossiers in dossiers/ (so every stage and
approval path the samples show appears, plus a terminated project derived from the
suspended one), with its own id, name, contact and budget, written without comments
(about 1.7-2 KB each, as in docs/benchmarks.md's measurements). A share of them (10% by
default) is broken in one of several ways a clerk breaks a file: a YAML syntax error,
an unknown key, an unquoted phone number, an impossible date, a missing required field,
a missing attachment, an id that does not match its folder, an id used twice, a value
outside its list, a stage that contradicts the history. Attachments are tiny files
(hard links to one file, so ten thousand dossiers cost few disk blocks). The result is
committed, so `--changed-since HEAD` works.

A share of the dossiers (40% by default, `--lifecycle`) are full-lifecycle ones
(issue 17): derived from the operating, self-evaluated and post-evaluated samples,
with their whole history and every document attachment (about 3.3 KB each), the
shape every project reaches and keeps for years; the rest are the mix above.

    python bench/generate.py /tmp/bench-repo -n 10000 --lifecycle 0.4
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from golmud_cli.edges import loader  # noqa: E402  (the repository's own loader)

SAMPLES = ROOT / "dossiers"
SETTINGS = ROOT / "gtx.yaml"
SCHEMA = ROOT / "schema" / "dossier.schema.json"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "建军",
    "晓琴",
    "海燕",
    "志强",
    "文华",
    "德明",
    "秀英",
    "国庆",
    "玉兰",
    "永福",
    "春梅",
    "学军",
]
# Fields that are free prose: dropped to keep a synthetic dossier near 1.7 KB.
PROSE = {"note", "funding_note"}
# Stages of a project that has lived its whole life (docs/lifecycle.md): its dossier holds
# the full history and all its documents.
LIFECYCLE_STAGES = frozenset({"operating", "self_evaluated", "post_evaluated"})
LIFECYCLE_SHARE = 0.40
INVALID_KINDS = (
    "syntax",
    "unknown_key",
    "unquoted_phone",
    "bad_date",
    "missing_field",
    "missing_attachment",
    "id_mismatch",
    "duplicate_id",
    "bad_enum",
    "stage_history",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*$")


# --- a tiny block-style YAML writer (the generated files must load back identically) --


def scalar(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int | float):
        return repr(v)
    s = str(v)
    if _DATE.match(s):
        return s  # dates are written plain, as clerks write them
    if (
        _PLAIN_OK.match(s)
        and ": " not in s
        and not s.endswith((" ", ":"))
        and loader._resolve_plain(s) == s
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def emit(data: Any, indent: int = 0) -> Iterator[str]:
    pad = " " * indent
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(v, dict) and v:
                yield f"{pad}{k}:"
                yield from emit(v, indent + 2)
            elif isinstance(v, list) and v and any(isinstance(x, dict | list) for x in v):
                yield f"{pad}{k}:"
                yield from emit(v, indent + 2)
            elif isinstance(v, list):
                yield f"{pad}{k}: [{', '.join(scalar(x) for x in v)}]"
            elif isinstance(v, dict):
                yield f"{pad}{k}: {{}}"
            else:
                yield f"{pad}{k}: {scalar(v)}"
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and item:
                lines = list(emit(item, indent + 2))
                yield f"{pad}- {lines[0].lstrip()}"
                yield from lines[1:]
            else:
                yield f"{pad}- {scalar(item)}"


def dump(data: dict[str, Any]) -> str:
    return (
        "# yaml-language-server: $schema=../../schema/dossier.schema.json\n"
        + "\n".join(emit(data))
        + "\n"
    )


# --- templates --------------------------------------------------------------------


def strip_prose(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: strip_prose(v) for k, v in data.items() if k not in PROSE}
    if isinstance(data, list):
        return [strip_prose(x) for x in data]
    return data


def files_of(data: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "file" and isinstance(v, str):
                out.add(v)
            else:
                out |= files_of(v)
    elif isinstance(data, list):
        for x in data:
            out |= files_of(x)
    return out


def templates() -> list[dict[str, Any]]:
    out = []
    for f in sorted(SAMPLES.glob("*/project.yaml")):
        data = loader.load(f.read_bytes(), str(f), f.parent.name).data
        t = strip_prose(data)
        text = dump(t)
        back = loader.load(text.encode(), "t", "t").data
        assert back == t, f"the writer does not round-trip {f}"
        out.append(t)
        if t.get("stage") == "suspended":
            # docs/lifecycle.md: a suspended project may be terminated by the NDRC
            term = copy.deepcopy(t)
            last = term["history"][-1]["date"]
            year, month = int(last[:4]), int(last[5:7])
            month += 2
            if month > 12:
                year, month = year + 1, month - 12
            term["history"].append(
                {"stage": "terminated", "date": f"{year}-{month:02d}-{last[8:]}", "role": "ndrc"}
            )
            term["stage"] = "terminated"
            out.append(term)
    return out


def variant(t: dict[str, Any], i: int, rnd: random.Random) -> dict[str, Any]:
    d = copy.deepcopy(t)
    slug = d["id"].split("-", 1)[1][:40]
    d["id"] = f"{d['id'][:4]}-b{i:05d}-{slug}"
    d["name"] = f"{d['name']}（{i}）"
    contact = d.get("contact")
    if isinstance(contact, dict):
        contact["name"] = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        contact["phone"] = f"0979-{8400000 + i % 100000:07d}"
    b = d.get("budget_wan")
    if isinstance(b, int | float) and not isinstance(b, bool):
        cap = 500 if d.get("approval_path") == "simplified" else 10**6
        nb = round(b * rnd.uniform(0.8, 1.2), 1)
        d["budget_wan"] = int(nb) if nb == int(nb) else nb
        if d["budget_wan"] > cap:
            d["budget_wan"] = cap
        # The amounts written against the budget scale with it: a contract over its
        # budget is P004's warning, rare in a real repository; unscaled, about a third
        # of the derived dossiers carried one (and a cold run located each finding).
        ratio = d["budget_wan"] / b if b else 1
        docs = d.get("documents")
        for name in ("contract", "investment_estimate"):
            doc = docs.get(name) if isinstance(docs, dict) else None
            amount = doc.get("amount_wan") if isinstance(doc, dict) else None
            if isinstance(amount, int | float) and not isinstance(amount, bool):
                na = round(amount * ratio, 1)
                doc["amount_wan"] = int(na) if na == int(na) else na
    return d


def break_it(kind: str, d: dict[str, Any], text: str, ids: list[str]) -> tuple[str, str | None]:
    """(text, attachment to leave out) for one way of breaking a dossier."""
    if kind == "syntax":
        return text.replace("\nunit:", "\n unit:", 1).replace("\nname:", "\nname: [", 1), None
    if kind == "unknown_key":
        return text.replace("\nbudget_wan:", "\nbudjet_wan:", 1), None
    if kind == "unquoted_phone":
        return re.sub(r"phone: \"?0979-(\d+)\"?", r"phone: 0979\1", text, count=1), None
    if kind == "bad_date":
        return re.sub(r"date: \d{4}-\d{2}-\d{2}", "date: 2024-02-30", text, count=1), None
    if kind == "missing_field":
        return re.sub(r"\nunit: [^\n]*", "", text, count=1), None
    if kind == "missing_attachment":
        files = sorted(files_of(d))
        if files:
            return text, files[0]
        return text.replace("\nbudget_wan:", "\nbudjet_wan:", 1), None
    if kind == "id_mismatch":
        return text.replace(f"\nid: {d['id']}", f"\nid: {d['id']}-x", 1), None
    if kind == "duplicate_id" and ids:
        return text.replace(f"\nid: {d['id']}", f"\nid: {ids[0]}", 1), None
    if kind == "bad_enum":
        return re.sub(r"\napproval_path: \w+", "\napproval_path: fast", text, count=1), None
    if kind == "stage_history":
        return re.sub(
            r"\nstage: \w+",
            "\nstage: accepted" if d.get("stage") != "accepted" else "\nstage: draft",
            text,
            count=1,
        ), None
    return text, None


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=gtx bench",
            "-c",
            "user.email=bench@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.autocrlf=false",
            *args,
        ],
        cwd=root,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def generate(
    dest: Path,
    n: int,
    *,
    invalid: float = 0.10,
    lifecycle: float = LIFECYCLE_SHARE,
    seed: int = 15,
    commit: bool = True,
) -> dict[str, int]:
    """Write the repository; returns counts (dossiers, invalid, attachments, bytes)."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "dossiers").mkdir(parents=True)
    shutil.copy(SETTINGS, dest / "gtx.yaml")
    (dest / "schema").mkdir()
    if SCHEMA.exists():
        shutil.copy(SCHEMA, dest / "schema" / SCHEMA.name)
    blob = dest / ".attachment"
    blobs: list[Path] = []
    rnd = random.Random(seed)
    tpls = templates()
    full = [t for t in tpls if t.get("stage") in LIFECYCLE_STAGES]
    n_bad = round(n * invalid)
    bad_at = set(rnd.sample(range(n), n_bad)) if n_bad else set()
    n_full = round(n * lifecycle) if full else 0
    full_at = set(random.Random(seed + 1).sample(range(n), n_full)) if n_full else set()
    ids: list[str] = []
    stats = {"dossiers": n, "invalid": n_bad, "lifecycle": n_full, "attachments": 0, "bytes": 0}
    k = 0
    for i in range(n):
        t = full[i % len(full)] if i in full_at else tpls[i % len(tpls)]
        d = variant(t, i, rnd)
        text = dump(d)
        leave_out = None
        if i in bad_at:
            text, leave_out = break_it(INVALID_KINDS[k % len(INVALID_KINDS)], d, text, ids)
            k += 1
        folder = dest / "dossiers" / d["id"]
        (folder / "attachments").mkdir(parents=True)
        data = text.encode()
        (folder / "project.yaml").write_bytes(data)
        stats["bytes"] += len(data)
        for f in sorted(files_of(d)):
            if f == leave_out or not f.startswith("attachments/") or ".." in f:
                continue
            target = folder / f
            target.parent.mkdir(parents=True, exist_ok=True)
            if stats["attachments"] % 50000 == 0:  # a file system caps the links to one file
                blob = dest / f".attachment{stats['attachments']}"
                blob.write_bytes(b"%PDF-1.4\n% gtx bench attachment\n%%EOF\n")
                blobs.append(blob)
            os.link(blob, target)
            stats["attachments"] += 1
        ids.append(d["id"])
    for b in blobs:
        b.unlink()
    if commit:
        git(dest, "init", "-q", "-b", "main")
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "-m", f"{n} synthetic dossiers")
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dest", type=Path)
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--invalid", type=float, default=0.10, help="share of broken dossiers")
    ap.add_argument(
        "--lifecycle",
        type=float,
        default=LIFECYCLE_SHARE,
        help="share of full-lifecycle dossiers (operating, self- and post-evaluated)",
    )
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    stats = generate(
        args.dest, args.n, invalid=args.invalid, lifecycle=args.lifecycle, seed=args.seed
    )
    print(
        f"{stats['dossiers']} dossiers ({stats['invalid']} invalid, {stats['lifecycle']} "
        f"full-lifecycle), {stats['attachments']} attachments, "
        f"{stats['bytes'] / stats['dossiers']:.0f} bytes per project.yaml on average, in {args.dest}"
    )


if __name__ == "__main__":
    main()
