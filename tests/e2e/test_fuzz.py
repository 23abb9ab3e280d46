"""Fuzzing the commands end to end: whatever a person or a broken editor puts in
project.yaml or gtx.yaml, or on the command line, `validate`, `deadlines`, `status`,
`show` and `form` answer with findings or a clear usage error and exit 0, 1 or 2:
never a traceback (exit 3 or an exception: GTX_DEBUG=1 makes an internal fault
raise here), never a hang (a watchdog alarm per command, which interrupts a loop as
well as a blocked read), never a YAML tag run as code.

Inputs: random bytes; random text; a valid dossier mutated line by line (values
swapped for hostile scalars: template syntax, YAML tags, anchors, huge numbers,
impossible dates, control and bidi characters, 100 KB strings, deep nesting; lines
dropped, doubled, re-indented, cut; non-UTF-8 bytes, BOMs, CRLF); generated YAML
over the model's own keys; mutated gtx.yaml; hostile project arguments. Plus fixed
cases: project.yaml or gtx.yaml as a pipe, a link to /dev/zero, a folder, a 9 MB and a
2 GB sparse file.

`make test` runs FUZZ_EXAMPLES (default 50) examples per target; `make fuzz` runs a
long campaign (FUZZ_EXAMPLES=20000) and, with FUZZ_REPORT=path, writes how many
inputs each target took (docs/robustness.md records a run).
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.core.model import Settings
from tests.support.filed import FILED, PID, write_filed
from tests.support.git import commit, git, isolate
from tests.support.hostile import VALUES, big_or_deep, generated, mutated

AS_OF = "2026-11-02"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
WATCHDOG_S = 60  # a command still running after this long is hung (they take ~15 ms)
FUZZ = settings(
    max_examples=EXAMPLES,
    # no per-example time limit: the watchdog (WATCHDOG_S) is the hang check, and a
    # 20 s limit tripped on a machine loaded by other work (load 6-8 on 2 cores)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
SETTINGS_YAML = """\
# gtx 仓库设置
city: 格尔木市
roles:
  ndrc:
    name: 格尔木市发展和改革委员会
    signers:
      - name: 李四
        key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx9x0wQ0f6nPp2xM9r0b1o8uQ2cR0kS3Qm2w8m1n6tA li.si@fgw"
units:
  格尔木市公安局交通警察大队:
    signers: [{name: 张三, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx9x0wQ0f6nPp2xM9r0b1o8uQ2cR0kS3Qm2w8m1n6tA z@x"}]
policy:
  filing_days: 30
  due_soon_days: 30
  holiday_shift: true
"""

# inputs tried per target, for the campaign's report
TRIED: collections.Counter[str] = collections.Counter()
STARTED = time.monotonic()


def _report() -> None:
    path = os.environ.get("FUZZ_REPORT")
    if path and TRIED:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps({
            "examples_per_test": EXAMPLES, "seconds": round(time.monotonic() - STARTED),
            "inputs_per_target": dict(sorted(TRIED.items())), "total": sum(TRIED.values()),
        }, indent=2) + "\n")


atexit.register(_report)


# --- the repository and the oracle ---------------------------------------------------------


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"a command ran longer than {WATCHDOG_S} s")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One dossier repository under an isolated git: a committed filed dossier and
    gtx.yaml; each example overwrites the files in the working tree."""
    base = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, base / "home")
        mp.chdir(base)  # a stray relative write would land here, not in the source tree
        root = base / "repo"
        write_filed(root)
        (root / "gtx.yaml").write_text(SETTINGS_YAML, "utf-8")
        git(root, "init", "-q", "-b", "main")
        commit(root, "a filed dossier")
        yield root


def reset(path: Path, text: str) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()
    path.write_text(text, "utf-8")


def restore(repo: Path) -> None:
    reset(repo / "dossiers" / PID / "project.yaml", FILED)
    reset(repo / "gtx.yaml", SETTINGS_YAML)


def gtx(target: str, args: list[str], lang: str = "en") -> Any:
    """One command, in-process, under the watchdog; the result must be deliberate."""
    TRIED[target] += 1
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_S)
    try:
        res = CliRunner().invoke(app, [*args, "--lang", lang],
                                 env={"GTX_DEBUG": "1", "GTX_LANG": None, "NO_COLOR": "1"})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    exc = res.exception
    if exc is not None and not isinstance(exc, SystemExit):
        raise AssertionError(f"gtx {' '.join(args)} raised {type(exc).__name__}: {exc}") from exc
    out = res.stdout + res.stderr
    assert res.exit_code in (0, 1, 2), (args, res.exit_code, out[-2000:])
    assert "Traceback" not in out and "internal error" not in out and "内部错误" not in out, out[-2000:]
    if res.exit_code == 2:
        assert res.stderr.strip(), "a usage error says what is wrong"
    return res


Pick = Callable[[list[Any]], Any]  # chooses one of the options (hypothesis draws it)

COMMANDS: dict[str, Callable[[Path, Pick], list[str]]] = {
    "validate": lambda r, pick: [
        "validate", "--repo", str(r), "--as-of", AS_OF, "--format", pick(["text", "json", "github"]),
        *pick([[], ["--no-cache"], ["--strict"], [PID]])],
    "deadlines": lambda r, pick: [
        "deadlines", "--repo", str(r), "--as-of", AS_OF, "--format", pick(["text", "json", "csv", "ics"]),
        *pick([[], ["--all"], ["--within", "30"], ["--fail-on", "overdue"]])],
    "status": lambda r, pick: [
        "status", "--repo", str(r), "--as-of", AS_OF, "--format", pick(["text", "json", "csv"])],
    "show": lambda r, pick: [
        "show", PID, "--repo", str(r), "--as-of", AS_OF, "--format", pick(["text", "json"])],
    "form": lambda r, pick: [
        "form", PID, "--repo", str(r), "-o", str(r.parent / "out" / "form.docx"), *pick([[], ["--draft"]])],
}


def drawn(data: st.DataObject) -> Pick:
    return lambda options: data.draw(st.sampled_from(options))


def first(options: list[Any]) -> Any:
    return options[0]


def check_outcome(target: str, args: list[str], res: Any) -> None:
    """What each command promises beyond its exit code."""
    if "--format" in args and res.exit_code in (0, 1):
        fmt = args[args.index("--format") + 1]
        if fmt == "json":
            json.loads(res.stdout)
        if fmt == "github":
            # one workflow command per finding, then the summary: no text of the file can
            # start a line of its own (and so a workflow command of its own)
            lines = res.stdout.rstrip("\n").split("\n")
            assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines[:-1]), lines
    if target == "validate" and res.exit_code == 0:
        assert "json" not in args or json.loads(res.stdout)["ok"] is True


def run_target(repo: Path, target: str, data: st.DataObject) -> None:
    args = COMMANDS[target](repo, drawn(data))
    lang = data.draw(st.sampled_from(["zh", "en"]), label="lang")
    res = gtx(target, args, lang)
    check_outcome(target, args, res)
    assert not (repo / "PWNED").exists() and not (repo.parent / "PWNED").exists(), "a YAML tag ran"


# --- the inputs ----------------------------------------------------------------------------











PROJECT_INPUT = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda s: s.encode("utf-8", "surrogatepass")),
    mutated(),
    mutated(),
    mutated(),
    generated(),
    big_or_deep(),
)


def write_project(repo: Path, raw: bytes) -> None:
    (repo / "dossiers" / PID / "project.yaml").write_bytes(raw)


@pytest.mark.parametrize("target", list(COMMANDS))
@FUZZ
@given(raw=PROJECT_INPUT, data=st.data())
def test_any_project_file(repo: Path, target: str, raw: bytes, data: st.DataObject) -> None:
    restore(repo)
    write_project(repo, raw)
    run_target(repo, target, data)


SETTINGS_INPUT = st.one_of(
    st.binary(max_size=300),
    mutated(SETTINGS_YAML),
    mutated(SETTINGS_YAML),
    st.dictionaries(st.sampled_from(sorted(Settings.model_fields)) | st.text(max_size=6), VALUES,
                    max_size=5).map(lambda d: json.dumps(d, ensure_ascii=False, default=str)
                                    .encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(raw=SETTINGS_INPUT, data=st.data())
def test_any_settings_file(repo: Path, raw: bytes, data: st.DataObject) -> None:
    restore(repo)
    (repo / "gtx.yaml").write_bytes(raw)
    target = data.draw(st.sampled_from(list(COMMANDS)), label="target")
    args = COMMANDS[target](repo, drawn(data))
    res = gtx("settings", args, data.draw(st.sampled_from(["zh", "en"])))
    check_outcome(target, args, res)


# Command-line arguments as argv can carry them: no NUL, and only the surrogates
# Python uses for undecodable bytes (surrogateescape).
ARG = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40) | \
    st.binary(min_size=1, max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape").replace("\x00", ""))


@FUZZ
@given(arg=ARG, data=st.data())
def test_any_project_argument(repo: Path, arg: str, data: st.DataObject) -> None:
    restore(repo)
    cmd = data.draw(st.sampled_from(["show", "form", "validate", "deadlines"]))
    args = [cmd, arg, "--repo", str(repo)]
    if cmd == "form":
        args += ["-o", str(repo.parent / "out" / "form.docx")]
    else:
        args += ["--as-of", data.draw(st.sampled_from([AS_OF, arg]))]
    gtx("arguments", args, data.draw(st.sampled_from(["zh", "en"])))


# --- fixed cases: files that are not files, or too big ---------------------------------------

BIG = 2 * 1024**3


def pipe(p: Path) -> None:
    os.mkfifo(p)  # reading it would block for ever


def dev_zero(p: Path) -> None:
    p.symlink_to("/dev/zero")  # reading it would never end


def a_folder(p: Path) -> None:
    p.mkdir()


def nine_mb(p: Path) -> None:
    p.write_bytes(FILED.encode() + b"# " + b"x" * (9 * 1024**2) + b"\n")


def sparse_2gb(p: Path) -> None:
    with p.open("wb") as f:
        f.truncate(BIG)


def dangling(p: Path) -> None:
    p.symlink_to("nowhere.yaml")


SPECIAL = {"pipe": pipe, "link to /dev/zero": dev_zero, "folder": a_folder, "9 MB": nine_mb,
           "2 GB sparse": sparse_2gb, "dangling link": dangling}
WORDS = {"pipe": ("pipe", "管道"), "link to /dev/zero": ("symbolic link", "符号链接"), "folder": ("folder", "文件夹"),
         "9 MB": ("too large", "过大"), "2 GB sparse": ("too large", "过大"),
         "dangling link": ("", "")}


@pytest.mark.parametrize("which", ["project.yaml", "gtx.yaml"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_not_a_file_or_too_big(repo: Path, which: str, kind: str) -> None:
    restore(repo)
    path = repo / "dossiers" / PID / "project.yaml" if which == "project.yaml" else repo / "gtx.yaml"
    path.unlink()
    SPECIAL[kind](path)
    for lang in ("zh", "en"):
        for target in COMMANDS:
            args = COMMANDS[target](repo, first)
            res = gtx("special files", args, lang)
            words = WORDS[kind][0 if lang == "en" else 1]
            if target == "validate":
                assert res.exit_code == 1, res.stdout
                assert words in res.stdout, res.stdout
            if target in ("show", "form") and which == "project.yaml":
                assert res.exit_code in (1, 2)
                assert words in res.stdout + res.stderr or target == "show"
    restore(repo)


@pytest.mark.parametrize("where", ["project.yaml", "gtx.yaml"])
def test_python_tags_never_run(repo: Path, where: str, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.call [['touch', '{marker}']]",
        f"!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        f"!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ]
    for payload in payloads:
        restore(repo)
        if where == "project.yaml":
            write_project(repo, FILED.replace("name: 格尔木市智慧停车管理平台", f"name: {payload}").encode())
        else:
            (repo / "gtx.yaml").write_text(SETTINGS_YAML.replace("city: 格尔木市", f"city: {payload}"), "utf-8")
        for target in COMMANDS:
            for lang, words in (("en", "tag is not allowed"), ("zh", "不允许的 YAML 标签")):
                res = gtx("tags", COMMANDS[target](repo, first), lang)
                if target == "validate":
                    assert res.exit_code == 1 and words in res.stdout, res.stdout
        assert not marker.exists()
    restore(repo)
