"""The kept runs' own parts (golmud_cli/edges/cache/runs.py): the date arithmetic it does
without datetime, the key of a command line, and a damaged or foreign memo file."""

from __future__ import annotations

import datetime as dt
import marshal
import os
from pathlib import Path

import pytest

from golmud_cli.edges.cache import runs


@pytest.mark.parametrize(
    "day",
    [
        dt.date(1, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(2000, 2, 29),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 1),
        dt.date(2026, 12, 31),
        dt.date(9999, 12, 31),
    ],
    ids=lambda d: d.isoformat(),
)
def test_ordinal_is_datetimes(day: dt.date) -> None:
    assert runs.ordinal(day.year, day.month, day.day) == day.toordinal()
    assert runs.iso_ordinal(day.isoformat()) == day.toordinal()


def test_every_day_of_four_years_and_the_days_that_do_not_exist() -> None:
    d = dt.date(2023, 1, 1)
    while d.year < 2027:
        assert runs.ordinal(d.year, d.month, d.day) == d.toordinal()
        d += dt.timedelta(days=1)
    for y, m, day in (
        (2026, 2, 29),
        (1900, 2, 29),
        (2026, 4, 31),
        (2026, 13, 1),
        (2026, 0, 1),
        (0, 1, 1),
    ):
        assert runs.ordinal(y, m, day) is None
    assert (runs.MIN_DAY, runs.MAX_DAY) == (dt.date.min.toordinal(), dt.date.max.toordinal())
    assert runs.today_ordinal() == dt.date.today().toordinal()


@pytest.mark.parametrize(
    "text",
    ["2026-1-01", "20261201", "2026-12-01T00:00", "２０２６-12-01", "2026/12/01", "2026-11-31", ""],
)
def test_only_a_plain_existing_date_is_read(text: str) -> None:
    assert runs.iso_ordinal(text) is None


def test_the_key_leaves_the_date_out_but_not_the_rest() -> None:
    a = runs.call_of(["validate", "--as-of", "2026-11-30"])
    b = runs.call_of(["validate", "--as-of=2026-12-01"])
    c = runs.call_of(["validate"])
    assert a is not None and b is not None and c is not None
    assert a.key == b.key != c.key  # the option stays in the key, its date does not
    assert (a.day, b.day, c.day) == (
        dt.date(2026, 11, 30).toordinal(),
        dt.date(2026, 12, 1).toordinal(),
        None,
    )
    assert c.today() == dt.date.today().toordinal()
    for other in (["validate", "--format", "json"], ["deadlines"], ["validate", "x"]):
        o = runs.call_of(other)
        assert o is not None and o.key != a.key
    # a date given twice, or one gtx would read another way, keeps nothing
    assert runs.call_of(["validate", "--as-of", "2026-11-30", "--as-of", "2026-11-30"]) is None
    assert runs.call_of(["validate", "--as-of", "20261130"]) is None
    assert runs.call_of(["validate", "--as-of"]) is None
    assert runs.call_of(["validate", "--repo", "/x"]).repo == "/x"  # type: ignore[union-attr]
    # "--as-of" as the value of --repo: not the same line as --repo with no value
    odd = runs.call_of(["validate", "--repo", "--as-of", "2026-11-30"])
    plain = runs.call_of(["validate", "--repo"])
    assert odd is not None and plain is not None and odd.key != plain.key


def test_the_environment_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = runs.call_of(["validate"])
    monkeypatch.setenv("GTX_LANG", "en")
    after = runs.call_of(["validate"])
    assert before is not None and after is not None and before.key != after.key


def _repository_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, runs.Call]:
    """An empty dossier repository inside git, as the current folder, and the key of
    `gtx validate` there."""
    repo = tmp_path / "repo"
    (repo / "dossiers").mkdir(parents=True)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    call = runs.call_of(["validate"])
    assert call is not None
    return repo, call


def _memo_file(repo: Path, key: str) -> Path:
    d = repo / ".git" / "gtx-cache" / runs.RUNS_DIR
    d.mkdir(parents=True)
    return d / key


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GTXRUN01",
        b"GTXRUN01garbage",
        b"NOTMAGIC" + marshal.dumps(()),
        runs.MAGIC + marshal.dumps(("k",)),
        runs.MAGIC + marshal.dumps(("KEY", 0, 10**7, ("a",), b"short", (), ((1, b"x"),), 0)),
        runs.MAGIC + marshal.dumps(("KEY", 0, 10**7, (), b"", (), ((3, b"x"),), 0)),
        runs.MAGIC + marshal.dumps(("KEY", 0, 10**7, (), b"", (), ((1, "text"),), 0)),
        runs.MAGIC + marshal.dumps(("KEY", 0, 10**7, (), b"", (), ((1, b"x"),), 2)),
        runs.MAGIC + marshal.dumps(("other key", 0, 10**7, (), b"", (), ((1, b"x"),), 0)),
    ],
    ids=[
        "empty",
        "magic-only",
        "not-marshal",
        "foreign",
        "short-tuple",
        "stamps-cut",
        "bad-stream",
        "text-chunk",
        "exit-2",
        "other-key",
    ],
)
def test_a_damaged_or_foreign_memo_answers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    repo, call = _repository_here(tmp_path, monkeypatch)
    _memo_file(repo, call.key).write_bytes(data.replace(b"KEY", call.key.encode()))
    assert runs.lookup(["validate"]) is None


def test_a_whole_memo_answers_and_a_moved_stamp_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, call = _repository_here(tmp_path, monkeypatch)
    f = repo / "gtx.yaml"
    f.write_text("x")
    stamp = runs.sig(str(f))
    assert stamp is not None and stamp != runs.ABSENT
    gone = str(repo / "not-there")
    memo = (
        call.key,
        runs.MIN_DAY,
        runs.MAX_DAY,
        (str(f),),
        stamp,
        (gone,),
        ((1, b"out"), (2, b"err")),
        1,
    )
    path = _memo_file(repo, call.key)
    path.write_bytes(runs.MAGIC + marshal.dumps(memo))
    assert runs.lookup(["validate"]) == ([(1, b"out"), (2, b"err")], 1)
    # the same in the folder found upward from a subfolder
    (repo / "dossiers" / "p").mkdir()
    monkeypatch.chdir(repo / "dossiers" / "p")
    assert runs.lookup(["validate"]) is None  # another folder: another key
    monkeypatch.chdir(repo)
    # a path that was missing and now is there
    Path(gone).write_text("")
    assert runs.lookup(["validate"]) is None
    os.unlink(gone)
    assert runs.lookup(["validate"]) is not None
    # a day outside the memo's days
    path.write_bytes(runs.MAGIC + marshal.dumps((call.key, 1, 2, *memo[3:])))
    assert runs.lookup(["validate"]) is None
    path.write_bytes(runs.MAGIC + marshal.dumps(memo))
    f.write_text("y")  # same size, new mtime and ctime
    assert runs.lookup(["validate"]) is None
    monkeypatch.setenv("GTX_RUN_MEMO", "0")
    f.write_text("x")
    path.write_bytes(runs.MAGIC + marshal.dumps((*memo[:4], runs.sig(str(f)), *memo[5:])))
    assert runs.lookup(["validate"]) is None
    monkeypatch.delenv("GTX_RUN_MEMO")
    assert runs.lookup(["validate"]) is not None


def test_the_store_is_found_through_a_worktrees_git_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real.git"
    real.mkdir()
    repo = tmp_path / "wt"
    (repo / "dossiers").mkdir(parents=True)
    (repo / ".git").write_text(f"gitdir: {real}\n")
    monkeypatch.chdir(repo)
    call = runs.call_of(["validate"])
    assert call is not None
    assert runs._store_dir(call) == f"{os.path.realpath(real)}/gtx-cache/runs"
    (repo / ".git").write_text("not a gitdir line\n")
    assert runs._store_dir(call) is None


def test_only_the_most_recent_memos_are_kept(tmp_path: Path) -> None:
    for i in range(runs.KEEP + 3):
        p = tmp_path / f"{i:064x}"
        p.write_bytes(b"x")
        os.utime(p, ns=(i * 10**9, i * 10**9))
    runs._prune(str(tmp_path))
    left = sorted(int(p.name, 16) for p in tmp_path.iterdir())
    assert left == list(range(3, runs.KEEP + 3))


@pytest.mark.parametrize("kind", ["fifo", "link", "folder"])
def test_a_memo_that_is_no_regular_file_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    repo, call = _repository_here(tmp_path, monkeypatch)
    path = _memo_file(repo, call.key)
    good = runs.MAGIC + marshal.dumps(
        (call.key, runs.MIN_DAY, runs.MAX_DAY, (), b"", (), ((1, b"x"),), 0)
    )
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer for ever
    elif kind == "link":
        (tmp_path / "elsewhere").write_bytes(good)
        os.symlink(tmp_path / "elsewhere", path)
    else:
        path.mkdir()
    assert runs.lookup(["validate"]) is None
    if kind == "link":
        path.unlink()
        path.write_bytes(good)
        assert runs.lookup(["validate"]) == ([(1, b"x")], 0)  # the same bytes, not behind a link
