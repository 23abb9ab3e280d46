"""Move golmud_cli's flat modules into the layers of docs/architecture.md (issue 15).

A mechanical, idempotent step, meant to run on main once the branches in flight
are merged, so that nobody's work collides with a move:

    python scripts/relayout.py                  # dry run: what would move, what is unknown
    python scripts/relayout.py --apply          # git mv + rewrite every reference
    python scripts/relayout.py specs            # dry run of the spec-reference pass
    python scripts/relayout.py specs --apply    # comments citing unshipped specs -> docs/

`modules` (the default pass):

1. refuses to run while golmud_cli/ holds a top-level module that MAPPING does not
   place (a module added on a branch must be placed by a person, not guessed);
2. `git mv`s each module of MAPPING that is still at its old place (one already in
   its room is left alone: a second run moves nothing);
3. rewrites every reference in golmud_cli/, tests/, scripts/, bench/ and the text
   files of TEXT_FILES: import statements from the syntax tree (every form,
   `from golmud_cli import x` keeps the local name `x` with `as`), dotted names in
   code (`golmud_cli.x.attr`) from the token stream, and in strings, comments and
   docs only fully qualified names (`golmud_cli.x`, `golmud_cli/x.py`) and bare
   `x.py` file names of a moved module; nothing else in a string is touched;
4. sorts the touched imports and formats the touched package files with ruff.

`specs` rewrites the citations of the spec files that do not ship (dossier.md,
lifecycle.md, cli.md, performance.md) to the documents that do, in comments and
docstrings only: a string the user sees (a message, the exported schema) is output,
and output does not change.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "golmud_cli"

# old module (relative to golmud_cli) -> its room and name. A package (rules) moves
# whole; its submodules follow the prefix.
MAPPING: dict[str, str] = {
    # core: pure domain, knows nothing of files, git or the terminal
    "model": "core.model",
    "lifecycle": "core.lifecycle",
    "periods": "core.periods",
    "deadlines": "core.deadlines",
    "findings": "core.findings",
    "transitions": "core.transitions",  # gate() calls check_bytes: see docs/architecture.md
    "measures": "core.measures",  # the shipped text of the measures, read as package data
    "rules": "core.rules",
    # pipeline: bytes -> findings, one dossier or many
    "check": "pipeline.check",
    "schema_check": "pipeline.schema_check",
    "validation": "pipeline.validation",
    "parallel": "pipeline.parallel",
    # cache.py is a store, the batch orchestrator and a progress bar: moved whole to
    # the orchestrator's room, split by hand afterwards (edges/cache/store.py)
    "cache": "pipeline.batch",
    # edges: files, YAML text, git, the calendar package
    "loader": "edges.loader",
    "yamledit": "edges.yamledit",
    "repo": "edges.repo",
    "gitops": "edges.git",
    "journal": "edges.journal",
    "form": "edges.form",
    "fsutil": "edges.fs",
    "resources": "edges.resources",
    "calendar_cache": "edges.calendar",
    # services
    "scaffold": "services.scaffolding",
}

# Top-level names that stay where they are: the kernel, the entry point and the rooms.
# i18n_click (branch ootb: click's own messages in Chinese) belongs to the entry point.
STAY = {"__init__", "__main__", "cli", "options", "i18n", "i18n_click", "errors"}
ROOMS = {
    "core": "The pure domain: the model, the lifecycle, dates, deadlines, rules (no I/O).",
    "pipeline": "One dossier or many from bytes to findings: check, schema, batch.",
    "edges": "Where gtx meets the world: files, YAML text, git, the journal, the calendar.",
    "services": "Use cases that tie core, pipeline and edges together.",
    "reporters": "",
    "commands": "",
}
NOT_MODULES = {"data", "__pycache__"}

SOURCE_DIRS = ("golmud_cli", "tests", "scripts", "bench")
# Text files whose module paths are rewritten (CHANGELOG.md is history: it keeps the
# paths of its time).
TEXT_FILES = (
    "README.md",
    "Makefile",
    "pyproject.toml",
    ".ci/run",
    ".pre-commit-hooks.yaml",
    ".github/**/*.yml",
    "docs/*.md",
)
SELF = Path(__file__).resolve()
# docs/architecture.md names the modules before and after the move on purpose
NOT_REWRITTEN = {(ROOT / "docs" / "architecture.md").resolve()}
LINE_LENGTH = 100  # pyproject.toml, [tool.ruff]

# Module paths that code builds from path segments, which no syntax names as a module:
# (file, before, after), each applied once (after present and before absent: done).
FIXUPS: tuple[tuple[str, str, str], ...] = (
    # the fingerprint test copies the package and edits a rule in the copy
    (
        "tests/pipeline/test_cache.py",
        'pkg / "rules" / "approval.py"',
        'pkg / "core" / "rules" / "approval.py"',
    ),
    (
        "tests/pipeline/test_cache.py",
        'fake = pkg / "cache.py"',
        'fake = pkg / "pipeline" / "batch.py"',
    ),
)

# specs pass: the spec files cited in comments -> the document that ships
SPEC_DOCS = {
    "dossier.md": "docs/dossier.md",
    "lifecycle.md": "docs/lifecycle.md",
    "performance.md": "docs/benchmarks.md",
    "cli.md": "README.md",
}


# --- mapping names ---------------------------------------------------------------------


def map_dotted(rest: str) -> str | None:
    """`x.y` under golmud_cli -> its new dotted path, or None if it does not move."""
    parts = rest.split(".")
    for n in range(len(parts), 0, -1):
        new = MAPPING.get(".".join(parts[:n]))
        if new is not None:
            return ".".join([new, *parts[n:]])
    return None


_DOTTED = re.compile(rf"\b{PKG}((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_SLASHED = re.compile(rf"\b{PKG}/((?:[A-Za-z_][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*)(\.py\b|/)")
_BARE = re.compile(
    r"(?<![\w/.-])("
    + "|".join(sorted((k for k in MAPPING if "." not in k), key=len, reverse=True))
    + r")\.py\b"
)


def rewrite_text(text: str, bare_names: bool = True) -> str:
    """Module paths: golmud_cli.x[.y], golmud_cli/x.py, golmud_cli/rules/; in prose
    (`bare_names`) also x.py. A string in code keeps its bare names: `pkg / "cache.py"`
    is a file name a test made up, not a reference."""

    def dotted(m: re.Match[str]) -> str:
        new = map_dotted(m.group(1)[1:])
        return m.group(0) if new is None else f"{PKG}.{new}"

    def slashed(m: re.Match[str]) -> str:
        new = map_dotted(m.group(1).replace("/", "."))
        return m.group(0) if new is None else f"{PKG}/{new.replace('.', '/')}{m.group(2)}"

    def bare(m: re.Match[str]) -> str:
        return MAPPING[m.group(1)].replace(".", "/") + ".py"

    text = _DOTTED.sub(dotted, text)
    text = _SLASHED.sub(slashed, text)
    return _BARE.sub(bare, text) if bare_names else text


# --- Python sources ----------------------------------------------------------------------


@dataclass
class Edit:
    start: tuple[int, int]  # (line, col), lines from 1, col in characters
    end: tuple[int, int]
    text: str


@dataclass
class Report:
    changed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _alias(name: str, asname: str | None) -> str:
    return name if asname is None else f"{name} as {asname}"


def _import_edits(tree: ast.AST, source_lines: list[str], rel: str, report: Report) -> list[Edit]:
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            report.warnings.append(f"{rel}:{node.lineno}: relative import left as is")
            continue
        if isinstance(node, ast.Import):
            names = []
            touched = False
            for a in node.names:
                new = map_dotted(a.name[len(PKG) + 1 :]) if a.name.startswith(PKG + ".") else None
                if new is not None:
                    touched = True
                    names.append(_alias(f"{PKG}.{new}", a.asname))
                else:
                    names.append(_alias(a.name, a.asname))
            if touched:
                edits.append(_statement_edit(node, "import " + ", ".join(names), source_lines))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == PKG:
                # `from golmud_cli import x, y`: each moved x comes from its room, as x
                stay: list[str] = []
                rooms: dict[str, list[str]] = {}
                for a in node.names:
                    new = MAPPING.get(a.name)
                    if new is None:
                        stay.append(_alias(a.name, a.asname))
                        continue
                    room, _, leaf = new.rpartition(".")
                    local = a.asname or a.name
                    rooms.setdefault(f"{PKG}.{room}", []).append(
                        leaf if local == leaf else f"{leaf} as {local}"
                    )
                if not rooms:
                    continue
                stmts = [f"from {PKG} import {', '.join(stay)}"] if stay else []
                stmts += [f"from {m} import {', '.join(ns)}" for m, ns in sorted(rooms.items())]
                edits.append(_statement_edit(node, stmts, source_lines, rel, report))
            elif module.startswith(PKG + "."):
                new = map_dotted(module[len(PKG) + 1 :])
                if new is None:
                    continue
                # only the module name changes: keep the statement's own layout
                line = source_lines[node.lineno - 1]
                at = line.index(module, _chars(line, node.col_offset))
                edits.append(
                    Edit((node.lineno, at), (node.lineno, at + len(module)), f"{PKG}.{new}")
                )
    return edits


def _statement_edit(
    node: ast.stmt,
    stmts: str | list[str],
    lines: list[str],
    rel: str = "",
    report: Report | None = None,
) -> Edit:
    assert node.end_lineno is not None and node.end_col_offset is not None
    if isinstance(stmts, str):
        stmts = [stmts]
    first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
    start = _chars(first, node.col_offset)
    end = _chars(last, node.end_col_offset)
    original = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    original = original[start : len(original) - len(last) + end]
    if "#" in original and report is not None:
        report.warnings.append(f"{rel}:{node.lineno}: a comment inside this import was dropped")
    head = first[:start]
    # a statement alone on its line continues on lines of its indent; else after `;`
    sep = "\n" + head if not head.strip() else "; "
    return Edit((node.lineno, start), (node.end_lineno, end), sep.join(stmts))


def _chars(line: str, utf8_offset: int) -> int:
    """ast's column (UTF-8 bytes) as a column in characters, which Edit counts in."""
    return len(line.encode("utf-8")[:utf8_offset].decode("utf-8", "ignore"))


_FROM_IMPORT = re.compile(rf"from {PKG} import ([\w, ]+)")


def _token_edits(source: str, skip: set[int], specs: bool, warnings: list[str]) -> list[Edit]:
    """Dotted names in code; module paths (or spec citations) in strings and comments."""
    edits: list[Edit] = []
    toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    docstrings = _docstring_starts(source)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.start[0] in skip:
            i += 1
            continue
        if specs:
            if t.type == tokenize.COMMENT or (t.type == tokenize.STRING and t.start in docstrings):
                new = rewrite_specs(t.string)
                code = t.line[: t.start[1]].rstrip()
                if (
                    new != t.string
                    and t.type == tokenize.COMMENT
                    and code.strip()
                    and (len(code) + 2 + len(new) > LINE_LENGTH)
                ):
                    # a trailing comment grown past the line: above its line instead
                    # (else ruff format would break the code around it)
                    indent = code[: len(code) - len(code.lstrip())]
                    edits.append(Edit((t.start[0], 0), t.end, f"{indent}{new}\n{code}"))
                elif new != t.string:
                    edits.append(Edit(t.start, t.end, new))
            i += 1
            continue
        if t.type == tokenize.NAME and t.string == PKG:
            # golmud_cli . a . b ... in code
            j, parts = i + 1, []
            while j + 1 < len(toks) and toks[j].string == "." and toks[j + 1].type == tokenize.NAME:
                parts.append(toks[j + 1].string)
                j += 2
            new = map_dotted(".".join(parts)) if parts else None
            if new is not None:
                edits.append(Edit(t.start, toks[j - 1].end, f"{PKG}.{new}"))
            i = j
            continue
        if t.type in (tokenize.STRING, tokenize.COMMENT):
            prose = t.type == tokenize.COMMENT or t.start in docstrings
            new = rewrite_text(t.string, bare_names=prose)
            m = _FROM_IMPORT.search(t.string)
            if m and any(n.strip() in MAPPING for n in m.group(1).split(",")):
                warnings.append(f"{t.start[0]}: `{m.group(0)}` inside a string: not rewritten")
            if new != t.string:
                edits.append(Edit(t.start, t.end, new))
        i += 1
    return edits


def _docstring_starts(source: str) -> set[tuple[int, int]]:
    """(line, col) of every docstring: the first statement of a module, class or def."""
    out: set[tuple[int, int]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                out.add((body[0].lineno, body[0].col_offset))
    return out


def _apply(source: str, edits: list[Edit]) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def pos(lc: tuple[int, int]) -> int:
        return offsets[lc[0] - 1] + lc[1]

    out = source
    for e in sorted(edits, key=lambda e: pos(e.start), reverse=True):
        out = out[: pos(e.start)] + e.text + out[pos(e.end) :]
    return out


def rewrite_python(path: Path, report: Report, specs: bool = False) -> str | None:
    source = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(source, rel)
    lines = source.splitlines()
    edits: list[Edit] = []
    skip: set[int] = set()
    if not specs:
        edits = _import_edits(tree, lines, rel, report)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and node.end_lineno is not None:
                skip.update(range(node.lineno, node.end_lineno + 1))
    warnings: list[str] = []
    edits += _token_edits(source, skip, specs, warnings)
    report.warnings += [f"{rel}:{w}" for w in warnings]
    if not edits:
        return None
    new = _apply(source, edits)
    ast.parse(new, rel)  # a rewrite that breaks the syntax stops the run here
    return new


def rewrite_specs(text: str) -> str:
    pattern = re.compile(
        r"(?<![\w/.-])(" + "|".join(re.escape(k) for k in SPEC_DOCS) + r")(?![\w-])"
    )
    return pattern.sub(lambda m: SPEC_DOCS[m.group(1)], text)


# --- the passes ------------------------------------------------------------------------


def python_files() -> Iterable[Path]:
    for d in SOURCE_DIRS:
        for p in sorted((ROOT / d).rglob("*.py")):
            if "__pycache__" in p.parts or p.resolve() == SELF:
                continue
            yield p


def text_files() -> Iterable[Path]:
    for pattern in TEXT_FILES:
        yield from sorted(
            p for p in ROOT.glob(pattern) if p.is_file() and p.resolve() not in NOT_REWRITTEN
        )


def unknown_modules() -> list[str]:
    out = []
    for p in sorted((ROOT / PKG).iterdir()):
        name = p.stem if p.suffix == ".py" else p.name
        if p.is_file() and p.suffix != ".py":
            continue  # py.typed
        if p.is_dir() and not any(p.rglob("*.py")):
            continue
        if name in MAPPING or name in STAY or name in ROOMS or name in NOT_MODULES:
            continue
        out.append(p.relative_to(ROOT).as_posix())
    return out


def old_path(old: str) -> Path:
    base = ROOT / PKG / old.replace(".", "/")
    return base if base.is_dir() else base.with_suffix(".py")


def new_path(new: str, is_dir: bool) -> Path:
    base = ROOT / PKG / new.replace(".", "/")
    return base if is_dir else base.with_suffix(".py")


def moves() -> list[tuple[Path, Path]]:
    out = []
    for old, new in MAPPING.items():
        src = old_path(old)
        if not src.exists():
            continue  # already in its room, or gone
        dst = new_path(new, src.is_dir())
        if dst.exists():
            sys.exit(f"relayout: both {src} and {dst} exist: merge them by hand first")
        out.append((src, dst))
    return out


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def ruff() -> str | None:
    venv = ROOT / ".venv" / "bin" / "ruff"
    return str(venv) if venv.exists() else shutil.which("ruff")


def pass_modules(apply: bool) -> int:
    unknown = unknown_modules()
    for u in unknown:
        print(f"UNKNOWN  {u}: in no room and not in MAPPING; place it in scripts/relayout.py")
    if unknown:
        print("relayout: nothing done; every top-level module must be placed first")
        return 2
    planned = moves()
    for src, dst in planned:
        print(f"move     {src.relative_to(ROOT)} -> {dst.relative_to(ROOT)}")
    if not planned:
        print("move     nothing: every module of MAPPING is in its room")
    if apply:
        for room, doc in ROOMS.items():
            init = ROOT / PKG / room / "__init__.py"
            if doc and not init.exists():
                init.parent.mkdir(exist_ok=True)
                init.write_text(f'"""{doc}"""\n', encoding="utf-8")
                git("add", init.relative_to(ROOT).as_posix())
                print(f"create   {init.relative_to(ROOT)}")
        for src, dst in planned:
            git("mv", src.relative_to(ROOT).as_posix(), dst.relative_to(ROOT).as_posix())
            cache = src.parent / "__pycache__"
            if src.is_dir():
                shutil.rmtree(src, ignore_errors=True)  # what git does not track: bytecode
            elif cache.is_dir():
                for pyc in cache.glob(f"{src.stem}.*.pyc"):
                    pyc.unlink()
    report = Report()
    touched_py: list[Path] = []
    for p in python_files():
        new = rewrite_python(p, report)
        if new is not None:
            touched_py.append(p)
            report.changed.append(p)
            if apply:
                p.write_text(new, encoding="utf-8")
    for p in text_files():
        old = p.read_text(encoding="utf-8")
        new = rewrite_text(old)
        if new != old:
            report.changed.append(p)
            if apply:
                p.write_text(new, encoding="utf-8")
    for rel, before, after in FIXUPS:
        p = ROOT / rel
        text = p.read_text(encoding="utf-8") if p.exists() else ""
        if before in text:
            print(f"fixup    {rel}: {before} -> {after}")
            if apply:
                p.write_text(text.replace(before, after), encoding="utf-8")
        elif after not in text:
            report.warnings.append(f"{rel}: neither `{before}` nor `{after}`: check by hand")
    for p in report.changed:
        print(f"rewrite  {p.relative_to(ROOT)}")
    for w in report.warnings:
        print(f"WARNING  {w}")
    if apply and touched_py and (r := ruff()):
        files = [p.relative_to(ROOT).as_posix() for p in touched_py]
        # imports from another module sort elsewhere; the package's layout is ruff's
        subprocess.run([r, "check", "--fix", "--select", "I", "-q", *files], cwd=ROOT)
        pkg_files = [f for f in files if f.startswith(PKG + "/")]
        if pkg_files:
            subprocess.run([r, "format", "-q", *pkg_files], cwd=ROOT)
    elif apply and touched_py:
        print("WARNING  ruff not found: imports not sorted (run `make fmt`)")
    if not apply:
        print("dry run: nothing written (--apply to do it)")
    return 0


def pass_specs(apply: bool) -> int:
    report = Report()
    count = 0
    for p in python_files():
        before = p.read_text(encoding="utf-8")
        new = rewrite_python(p, report, specs=True)
        if new is None:
            continue
        n = sum(len(re.findall(re.escape(k), before)) for k in SPEC_DOCS) - sum(
            len(re.findall(r"(?<![\w/.-])" + re.escape(k), new)) for k in SPEC_DOCS
        )
        count += n
        print(f"rewrite  {p.relative_to(ROOT)} ({n})")
        if apply:
            p.write_text(new, encoding="utf-8")
    # what is left cites an unshipped spec from a string the user sees: listed, not changed
    for p in python_files():
        text = p.read_text(encoding="utf-8") if apply else rewrite_python_or_same(p, report)
        for k in SPEC_DOCS:
            for m in re.finditer(r"(?<![\w/.-])" + re.escape(k) + r"(?![\w-])", text):
                line = text.count("\n", 0, m.start()) + 1
                print(f"KEPT     {p.relative_to(ROOT)}:{line}: {k} in a string gtx outputs")
    # prose outside the code (the Makefile's help, the README) is for a person to word
    for p in text_files():
        text = p.read_text(encoding="utf-8")
        for k in SPEC_DOCS:
            for m in re.finditer(r"(?<![\w/.-])" + re.escape(k) + r"(?![\w-])", text):
                line = text.count("\n", 0, m.start()) + 1
                print(f"KEPT     {p.relative_to(ROOT)}:{line}: {k} in prose, reword by hand")
    print(f"{count} citation(s) rewritten" + ("" if apply else " (dry run)"))
    return 0


def rewrite_python_or_same(p: Path, report: Report) -> str:
    new = rewrite_python(p, report, specs=True)
    return new if new is not None else p.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("which", nargs="?", choices=("modules", "specs"), default="modules")
    ap.add_argument("--apply", action="store_true", help="write (else a dry run)")
    args = ap.parse_args(argv)
    return pass_specs(args.apply) if args.which == "specs" else pass_modules(args.apply)


if __name__ == "__main__":
    sys.exit(main())
