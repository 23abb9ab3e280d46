"""Check the package's layering (docs/architecture.md): every import points inward,
no import cycle, nothing prints outside reporters/, nothing runs git outside
edges/git.py, command modules stay small.

    python scripts/check_layers.py            # exit 1 and a line per violation
    python scripts/check_layers.py --root DIR # check DIR/golmud_cli instead

Every import counts, also one inside a function (a lazy import is still a dependency)
and one under `if TYPE_CHECKING:` (a type is a dependency too).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "golmud_cli"

# Layer of a module: the first matching prefix wins (most specific first).
LAYER_OF: tuple[tuple[str, str], ...] = (
    ("golmud_cli.__init__", "kernel"),
    ("golmud_cli.__main__", "entry"),
    ("golmud_cli.entry", "entry"),
    ("golmud_cli.cli", "entry"),
    ("golmud_cli.options", "entry"),
    ("golmud_cli.i18n_click", "entry"),  # click's own messages in Chinese: part of the CLI
    ("golmud_cli.i18n", "kernel"),
    ("golmud_cli.errors", "kernel"),
    ("golmud_cli.core", "core"),
    ("golmud_cli.edges", "edges"),
    ("golmud_cli.pipeline", "pipeline"),
    ("golmud_cli.services", "services"),
    ("golmud_cli.reporters", "reporters"),
    ("golmud_cli.commands", "commands"),
)

# What each layer may import (besides itself). Arrows point inward: the pure core
# knows nothing of files, git or the terminal; only commands tie a service to a
# reporter; only the entry point knows the commands.
ALLOWED: dict[str, frozenset[str]] = {
    "kernel": frozenset({"kernel"}),
    "core": frozenset({"kernel", "core"}),
    "edges": frozenset({"kernel", "core", "edges"}),
    "pipeline": frozenset({"kernel", "core", "edges", "pipeline"}),
    "services": frozenset({"kernel", "core", "edges", "pipeline", "services"}),
    "reporters": frozenset({"kernel", "core", "pipeline", "reporters"}),
    "commands": frozenset({"kernel", "core", "edges", "pipeline", "services", "reporters"}),
    # the entry point wraps help text (core.textwidth), prints usage errors and the
    # version through reporters, and its shell-completion callbacks list project ids
    # (edges.completion) before any command runs; everything else goes through commands
    "entry": frozenset({"kernel", "core", "edges", "reporters", "commands", "entry"}),
}

# Calls that write to the terminal. Only reporters/ may make them (ruff's T20 covers
# print(); this also catches rich and typer writers and raw stream writes).
PRINTERS = {"print", "pprint", "echo", "secho"}
STREAM_WRITES = {("sys", "stdout"), ("sys", "stderr")}

MAX_COMMAND_LINES = 110

# The one module that starts git: one command line, one environment (no replace refs,
# no grafts, LC_ALL=C, ...), one error type. A git run anywhere else escapes all three.
GIT_MODULE = "golmud_cli.edges.git"
# Calls that start a program: subprocess's, os's exec*/spawn*/posix_spawn*/system/popen,
# asyncio's and pty's.
SUBPROCESS_CALLS = {
    "run",
    "Popen",
    "call",
    "check_call",
    "check_output",
    "getoutput",
    "getstatusoutput",
}
OS_CALLS = re.compile(r"^(exec\w*|spawn\w*|posix_spawnp?|system|popen)$")
OTHER_CALLS = {"asyncio": {"create_subprocess_exec", "create_subprocess_shell"}, "pty": {"spawn"}}
# A program name that is git: "git", "/usr/bin/git", "git.exe", or a shell line "git ...".
GIT_WORD = re.compile(r"^(?:.*[/\\])?git(?:\.exe)?(?:\s.*)?$", re.DOTALL)


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1 and parts[:-1] != [PACKAGE]:
        parts = parts[:-1]
    return ".".join(parts)


def layer(module: str) -> str | None:
    for prefix, name in LAYER_OF:
        if module == prefix or module.startswith(prefix + "."):
            return name
    return None


def imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every golmud_cli module this one imports, with the line."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith(PACKAGE):
                    yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            for a in node.names:
                # `from golmud_cli.core import model` imports the module core.model
                yield f"{target}.{a.name}", node.lineno
            yield target, node.lineno


def printers(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in {"print", "pprint"}:
            yield f.id, node.lineno
        elif isinstance(f, ast.Attribute):
            if f.attr in PRINTERS and not (
                isinstance(f.value, ast.Name) and f.value.id in {"self", "cls"} and f.attr == "echo"
            ):
                yield f"{ast.unparse(f)}", node.lineno
            elif f.attr in {"write", "flush"} and isinstance(f.value, ast.Attribute):
                v = f.value
                if isinstance(v.value, ast.Name) and (v.value.id, v.attr) in STREAM_WRITES:
                    yield ast.unparse(f), node.lineno


def _spawn_names(tree: ast.AST) -> tuple[dict[str, str], dict[str, str]]:
    """Names bound to a module that starts programs (`import subprocess as sp`) and
    names bound to one of its calls (`from os import execvp`): name -> module / call."""
    modules: dict[str, str] = {}
    calls: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ("subprocess", "os", *OTHER_CALLS):
                    modules[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for a in node.names:
                if _starts_program(node.module, a.name):
                    calls[a.asname or a.name] = f"{node.module}.{a.name}"
    return modules, calls


def _starts_program(module: str, name: str) -> bool:
    if module == "subprocess":
        return name in SUBPROCESS_CALLS
    if module == "os":
        return bool(OS_CALLS.match(name))
    return name in OTHER_CALLS.get(module, set())


def _strings(node: ast.AST, assigned: dict[str, list[ast.AST]], seen: set[str]) -> Iterator[str]:
    """Every string constant in `node`, following names to what the module assigns
    them (`argv = ["git", ...]; subprocess.run(argv)`)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value
        elif isinstance(sub, ast.Name) and sub.id not in seen:
            seen.add(sub.id)
            for value in assigned.get(sub.id, ()):
                yield from _strings(value, assigned, seen)


def git_runs(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Calls that start git: a program-starting call whose arguments name git."""
    modules, calls = _spawn_names(tree)
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        for target, value in pairs:
            if isinstance(target, ast.Name):
                assigned.setdefault(target.id, []).append(value)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        starts = False
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            module = modules.get(f.value.id)
            starts = module is not None and _starts_program(module, f.attr)
        elif isinstance(f, ast.Name):
            starts = f.id in calls
        if not starts:
            continue
        args: list[ast.AST] = [*node.args, *(k.value for k in node.keywords)]
        if any(GIT_WORD.match(s) for a in args for s in _strings(a, assigned, set())):
            yield ast.unparse(f), node.lineno


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the folder holding golmud_cli/")
    root = parser.parse_args(argv).root.resolve()
    files = sorted((root / PACKAGE).rglob("*.py"))
    modules = {module_name(p, root): p for p in files}
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        rel = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(rel))
        mine = layer(mod)
        if mine is None:
            problems.append(f"{rel}: module {mod} is in no layer (docs/architecture.md)")
            continue
        for target, line in imports(tree, mod, path.name == "__init__.py"):
            if target not in modules or target == mod:
                continue  # a name imported from a package, not a module
            graph[mod].add(target)
            theirs = layer(target)
            if theirs is None or theirs == mine:
                continue
            if theirs not in ALLOWED[mine]:
                problems.append(
                    f"{rel}:{line}: {mine} imports {theirs} ({target}): the arrow points outward"
                )
        if mine != "reporters":
            for call, line in printers(tree):
                problems.append(f"{rel}:{line}: {call}(...) prints outside reporters/")
        if mod != GIT_MODULE:
            for call, line in git_runs(tree):
                problems.append(
                    f"{rel}:{line}: {call}(...) runs git outside edges/git.py "
                    "(its one environment and error: call edges/git.py)"
                )
        if mine == "commands" and path.name != "__init__.py":
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_COMMAND_LINES:
                problems.append(
                    f"{rel}: {n} lines; a command module is options -> service -> reporter "
                    f"-> exit code (at most {MAX_COMMAND_LINES})"
                )
    for comp in cycles(graph):
        problems.append("import cycle: " + " -> ".join(comp))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s)")
        return 1
    print(f"layers: {len(modules)} modules, every import points inward, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
