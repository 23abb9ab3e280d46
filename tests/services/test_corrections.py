"""Issue 14: a recorded act's wrong date is corrected by a signed, append-only correction
(`gtx correct`), which validate, show, deadlines and verify understand.

Real repositories and real ssh-keygen keys (tests/support/git.py). The story of every
test: the approval was recorded without --date, so history says it happened on the day
the clerk entered it (AS_OF) instead of the reply's date, 2023-08-30.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.yamledit import Correction, correction_text
from tests.conftest import ROOT
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    Life,
    add_documents,
    branch,
    commit,
    git,
    head,
    make_repo,
    project_file,
    status,
    use_key,
)

runner = CliRunner()
REPLY_DATE = "2023-08-30"  # the approval reply's own date (gitfixtures.DOCS)
REASON = "批复日期误录为登记日期"


def gtx(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--repo", str(repo), "--lang", lang])


def approved_on_entry_day(tmp_path: Path, keys: dict[str, Key]) -> Path:
    """proposed on its date; approved recorded without --date (on AS_OF), on a branch."""
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    for s in Life.STEPS[:2]:
        add_documents(repo, s.docs)
        use_key(repo, keys[s.key])
        date = ["--date", s.date] if s.stage == "proposed" else []
        refs = [a for r in s.refs for a in ("--ref", r)]
        r = gtx(repo, "advance", PROJECT, s.stage, *date, *refs, "--as-of", AS_OF, "--include-changes")
        assert r.exit_code == 0, r.output
    return repo


def correct(repo: Path, key: Key, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    use_key(repo, key)
    return gtx(repo, "correct", PROJECT, *args, "--as-of", AS_OF, lang=lang)


def snapshot(repo: Path) -> tuple[str, str, bytes]:
    return head(repo), status(repo), project_file(repo).read_bytes()


def verify_json(repo: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(gtx(repo, "verify", "main..HEAD", "--format", "json").stdout)


def codes(data: dict) -> list[str]:  # type: ignore[type-arg]
    return [c for t in data["transitions"] for c in t["codes"]]


def test_the_signing_role_corrects_a_date_and_everything_reads_it(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    before = project_file(repo).read_text("utf-8")
    warned = gtx(repo, "validate", PROJECT, "--as-of", AS_OF)
    assert "A011" in warned.output  # the reply is dated three years before the recorded act

    r = correct(repo, keys["ndrc"], "2", "--date", REPLY_DATE, "--reason", REASON)
    assert r.exit_code == 0, r.output
    assert f"history entry 2 (approved) corrected {AS_OF} → {REPLY_DATE}" in r.output
    assert "signed by ndrc" in r.output
    # one signed commit, nothing left over; history untouched, the correction appended
    assert status(repo) == ""
    assert "\ngpgsig -----BEGIN SSH SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")
    assert "Gtx-Correction: 2 2026-11-30 -> 2023-08-30" in git(repo, "log", "-1", "--format=%B")
    after = project_file(repo).read_text("utf-8")
    assert after.startswith(before.rstrip("\n").split("\nextensions:")[0])  # every line above kept
    assert after.count(f"    date: {AS_OF}\n    role: ndrc") == 1  # history keeps the date it recorded
    assert f"    date: {REPLY_DATE}\n    corrected: {AS_OF}\n    role: ndrc\n    reason: {REASON}\n" in after
    assert "# 延期验收，三（六）" in after  # comments below kept too

    # validate reads the corrected date: the reply now matches its act
    v = gtx(repo, "validate", PROJECT, "--as-of", AS_OF, "--format", "json")
    assert v.exit_code == 0 and "A011" not in {f["code"] for f in json.loads(v.stdout)["findings"]}
    # the filing deadline runs from the corrected approval: 30 days after 2023-08-30, overdue
    d = json.loads(gtx(repo, "deadlines", "--as-of", AS_OF, "--format", "json").stdout)
    [filing] = [x for x in d["deadlines"] if x["kind"] == "filing"]
    assert filing["starts"] == REPLY_DATE and filing["state"] == "overdue"
    # show marks the corrected date, the recorded one beside it
    shown = json.loads(gtx(repo, "show", PROJECT, "--format", "json").stdout)
    approved = shown["timeline"][1]
    assert approved["date"] == REPLY_DATE and approved["recorded_date"] == AS_OF
    assert approved["correction"]["reason"] == REASON and approved["correction"]["role"] == "ndrc"
    # ... and who signed the correction, as for a transition
    fix_commit = head(repo)
    assert {k: approved["correction"][k] for k in ("signer", "signature", "commit")} == {
        "signer": "ndrc", "signature": "good", "commit": fix_commit
    }
    assert approved["commit"] != fix_commit  # the act itself was signed earlier
    text = gtx(repo, "show", PROJECT, lang="zh").output
    assert f"  {REPLY_DATE}  proposed → approved  ndrc" in text
    assert f"      更正：原记录 {AS_OF}，{AS_OF} 由 ndrc 更正：{REASON}\n" in text
    assert f"\n        更正签署：ndrc  {fix_commit[:10]}  签名有效\n" in text
    text = gtx(repo, "show", PROJECT, lang="en").output
    assert f"\n        correction signed: ndrc  {fix_commit[:10]}  signed\n" in text
    # the HTML report tells the same as show: both dates, the role, the signer
    out = tmp_path / "报告"
    assert gtx(repo, "report", "-o", str(out), "--as-of", AS_OF, lang="zh").exit_code == 0
    page = (out / "projects" / f"{PROJECT}.html").read_text("utf-8")
    assert (
        f"<td>{REPLY_DATE}<br><small class=\"corrected\">更正：原记录 {AS_OF}，{AS_OF} 由 市发改委更正"
        f"（签署人 ndrc，签名有效）：{REASON}</small></td>"
    ) in page
    assert gtx(repo, "report", "-o", str(out), "--as-of", AS_OF, lang="en").exit_code == 0
    page = (out / "projects" / f"{PROJECT}.html").read_text("utf-8")
    assert f"corrected from {AS_OF}, {AS_OF} by " in page and " (signer ndrc, signed): " in page
    # verify: the transitions and the correction are signed acts of their roles
    data = verify_json(repo)
    assert data["ok"] is True, data
    fixes = [t for t in data["transitions"] if t["correction"]]
    assert [(f["correction"], f["role"], f["signer"]) for f in fixes] == [
        (f"2: {AS_OF} -> {REPLY_DATE}", "ndrc", "ndrc")
    ]
    text = gtx(repo, "verify", "main..HEAD").output
    assert f"✓ {PROJECT}  correction #2: {AS_OF} → {REPLY_DATE}  ndrc  ndrc" in text


def test_a_unit_act_is_corrected_by_a_signer_of_the_unit(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    other = correct(repo, keys["other_unit"], "1", "--date", "2023-07-24", "--reason", "误录")
    assert other.exit_code == 2 and "must be signed by a signer of the unit" in other.output
    r = correct(repo, keys["unit"], "1", "--date", "2023-07-24", "--reason", "误录")
    assert r.exit_code == 0, r.output
    assert verify_json(repo)["ok"] is True


def test_a_dry_run_shows_the_edit_and_who_may_sign_and_writes_nothing(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    was = snapshot(repo)
    r = correct(repo, keys["unit"], "2", "--date", REPLY_DATE, "--reason", REASON, "--dry-run", lang="zh")
    assert r.exit_code == 0, r.output
    assert f"+    date: {REPLY_DATE}\n+    corrected: {AS_OF}\n+    role: ndrc\n" in r.output
    assert f"第 2 项流转记录（approved）：{AS_OF} → {REPLY_DATE}，由 ndrc（市发改委）签署" in r.output
    assert "可签署人：ndrc" in r.output and "试运行：未写入任何内容。" in r.output
    assert snapshot(repo) == was
    refused = correct(repo, keys["ndrc"], "2", "--date", "2023-07-01", "--reason", REASON, "--dry-run")
    assert refused.exit_code == 1 and "H006" in refused.output  # as the real run would say


def test_a_key_of_another_role_is_refused_and_nothing_changes(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    was = snapshot(repo)
    r = correct(repo, keys["gov_office"], "2", "--date", REPLY_DATE, "--reason", REASON)
    assert r.exit_code == 2, r.output
    flat = " ".join(r.output.split())
    assert "correcting the date of history entry 2 (approved) must be signed by a signer of the role ndrc" in flat
    assert "gov_office" in flat
    zh = correct(repo, keys["gov_office"], "2", "--date", REPLY_DATE, "--reason", REASON, lang="zh")
    assert zh.exit_code == 2 and "须由ndrc（市发改委）的签署人签名" in zh.output
    assert snapshot(repo) == was
    assert not list((repo / ".git").glob("gtx-*"))  # no lock, journal or index copy left


def test_a_correction_that_breaks_a_rule_is_refused(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    was = snapshot(repo)
    early = correct(repo, keys["ndrc"], "2", "--date", "2023-07-01", "--reason", REASON)
    assert early.exit_code == 1, early.output
    assert "H006" in early.output and "before the previous entry's 2023-07-25" in early.output
    assert "Nothing was changed" in early.output
    future = correct(repo, keys["ndrc"], "2", "--date", "2026-12-05", "--reason", REASON)
    assert future.exit_code == 1 and "H007" in future.output
    missing = correct(repo, keys["ndrc"], "3", "--date", REPLY_DATE, "--reason", REASON)
    assert missing.exit_code == 2 and "has 2 history entries (1–2), so there is no entry 3" in missing.output
    blank = correct(repo, keys["ndrc"], "2", "--date", REPLY_DATE, "--reason", "  ")
    assert blank.exit_code == 2 and "--reason" in blank.output
    same = correct(repo, keys["ndrc"], "2", "--date", AS_OF, "--reason", REASON)
    assert same.exit_code == 2 and "nothing to correct" in same.output
    bad_date = correct(repo, keys["ndrc"], "2", "--date", "2023-02-30", "--reason", REASON)
    assert bad_date.exit_code == 2 and "2023-02-30" in bad_date.output
    assert snapshot(repo) == was


def _hand_correction(repo: Path, entry: int, date: str, role: str) -> None:
    path = project_file(repo)
    path.write_text(correction_text(path.read_text("utf-8"), Correction(entry, date, AS_OF, role, REASON)))


def test_verify_refuses_a_correction_signed_by_another_role_or_unsigned(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    _hand_correction(repo, 2, REPLY_DATE, "ndrc")
    commit(repo, "correct the approval date", key=keys["unit"])
    data = verify_json(repo)
    assert codes(data) == ["G007"]
    [p] = [p for t in data["transitions"] for p in t["problems"]]
    assert "but this correction is an act of ndrc" in p
    assert shown_fix(repo)["signature"] == "wrong_role"  # show says so too

    git(repo, "reset", "-q", "--hard", "HEAD~1")
    _hand_correction(repo, 2, REPLY_DATE, "ndrc")
    commit(repo, "correct the approval date")  # unsigned
    assert codes(verify_json(repo)) == ["G007"]
    assert shown_fix(repo)["signature"] == "unsigned"
    assert "        correction signed: -  " in gtx(repo, "show", PROJECT, lang="en").output


def shown_fix(repo: Path) -> dict:  # type: ignore[type-arg]
    shown = json.loads(gtx(repo, "show", PROJECT, "--format", "json").stdout)
    fix: dict = shown["timeline"][1]["correction"]  # type: ignore[type-arg]
    return fix


def test_verify_refuses_a_correction_naming_another_role(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    # signed by the right key, but the entry claims the unit corrected the NDRC's act (H005)
    repo = approved_on_entry_day(tmp_path, keys)
    _hand_correction(repo, 2, REPLY_DATE, "unit")
    commit(repo, "correct the approval date", key=keys["ndrc"])
    data = verify_json(repo)
    assert codes(data) == ["G013"]
    assert "H005" in data["transitions"][-1]["problems"][0]


def test_verify_refuses_a_correction_edited_later(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    assert correct(repo, keys["ndrc"], "2", "--date", REPLY_DATE, "--reason", REASON).exit_code == 0
    path = project_file(repo)
    path.write_text(path.read_text("utf-8").replace(f"date: {REPLY_DATE}\n    corrected", "date: 2023-08-29\n    corrected"))
    commit(repo, "fix the correction", key=keys["ndrc"])
    data = verify_json(repo)
    assert "G005" in codes(data)
    assert any("rewrites past corrections (1" in p for t in data["transitions"] for p in t["problems"])


def test_verify_refuses_a_merge_that_drops_a_correction(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    git(repo, "switch", "-q", "-c", "old")  # a branch from before the correction
    (repo / "README.md").write_text("档案仓库\n", "utf-8")
    commit(repo, "readme")
    git(repo, "switch", "-q", "feature")
    assert correct(repo, keys["ndrc"], "2", "--date", REPLY_DATE, "--reason", REASON).exit_code == 0
    # a merge that takes the older file over the corrected one
    git(repo, "-c", "commit.gpgsign=false", "merge", "-q", "--no-commit", "old")
    git(repo, "checkout", "old", "--", f"dossiers/{PROJECT}/project.yaml")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "merge old")
    data = verify_json(repo)
    assert data["ok"] is False and "G005" in codes(data)


def test_verify_refuses_a_correction_made_in_a_merge(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    git(repo, "switch", "-q", "-c", "side")
    (repo / "README.md").write_text("档案仓库\n", "utf-8")
    commit(repo, "readme")
    git(repo, "switch", "-q", "feature")
    git(repo, "-c", "commit.gpgsign=false", "merge", "-q", "--no-commit", "--no-ff", "side")
    _hand_correction(repo, 2, REPLY_DATE, "ndrc")
    git(repo, "add", "-A")
    use_key(repo, keys["ndrc"])
    git(repo, "commit", "-S", "-q", "-m", "merge side")
    assert "G006" in codes(verify_json(repo))


# --- the edit itself: every other byte kept; the dumper only where the text edit cannot go


DOSSIER = """\
stage: approved   # 审批通过
history:          # 只追加
  - stage: proposed
    date: 2023-07-25
    role: unit
  - stage: approved
    date: 2026-11-30
    role: ndrc
# 以下为延期
extensions: []
"""
FIX = Correction(2, REPLY_DATE, AS_OF, "ndrc", "误录: 见批复 #52")


def test_a_correction_is_appended_after_history_and_nothing_else_moves() -> None:
    first = correction_text(DOSSIER, FIX)
    assert first == DOSSIER.replace("# 以下为延期", (
        "corrections:\n  - entry: 2\n    date: 2023-08-30\n    corrected: 2026-11-30\n"
        '    role: ndrc\n    reason: "误录: 见批复 #52"\n# 以下为延期'))
    second = correction_text(first, Correction(1, "2023-07-24", AS_OF, "unit", "误录"))
    assert second == first.replace("# 以下为延期", (
        "  - entry: 1\n    date: 2023-07-24\n    corrected: 2026-11-30\n    role: unit\n"
        "    reason: 误录\n# 以下为延期"))
    empty = DOSSIER.replace("extensions: []", "corrections: []   # 更正\nextensions: []")
    assert correction_text(empty, FIX).count("corrections:      # 更正\n  - entry: 2\n") == 1


def test_a_flow_style_list_falls_back_to_the_round_trip_dumper() -> None:
    flow = DOSSIER.replace("extensions: []", "corrections: [{entry: 1, date: 2023-07-24, corrected: "
                           "2026-11-29, role: unit, reason: 误录}]\nextensions: []")
    out = correction_text(flow, FIX)
    from golmud_cli.edges.loader import load

    data = load(out.encode(), "-", None).data
    assert [c["entry"] for c in data["corrections"]] == [1, 2]
    assert data["corrections"][1] == {"entry": 2, "date": REPLY_DATE, "corrected": AS_OF,
                                      "role": "ndrc", "reason": "误录: 见批复 #52"}
    assert "# 审批通过" in out and "# 只追加" in out  # the dumper keeps comments too


def test_a_correction_killed_after_its_commit_is_finished_by_the_next_run(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    """The journal and lock are advance's: a kill (GTX_TEST_CRASH_AT) after the signed commit
    leaves a journal that names the correction, and the next run finishes the bookkeeping."""
    import os
    import subprocess
    import sys

    repo = approved_on_entry_day(tmp_path, keys)
    before = head(repo)
    use_key(repo, keys["ndrc"])
    args = ["correct", PROJECT, "2", "--date", REPLY_DATE, "--reason", REASON, "--as-of", AS_OF]
    proc = subprocess.run([sys.executable, "-m", "golmud_cli", *args, "--repo", str(repo), "--lang", "en"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "GTX_TEST_CRASH_AT": "committed"})
    assert proc.returncode == -9, proc.stderr
    assert head(repo) != before and (repo / ".git" / "gtx-advance.json").exists()
    note = gtx(repo, "validate", "--as-of", AS_OF, "--no-cache")
    assert "the last gtx correct" in note.stderr and "The signed commit was made" in note.stderr
    assert "The next gtx correct finishes it" in note.stderr  # the verb the clerk was running
    again = gtx(repo, *args)
    assert "its bookkeeping is now finished" in again.stderr, again.output
    assert again.exit_code == 2 and "nothing to correct" in again.output  # it is in force already
    assert status(repo) == "" and not (repo / ".git" / "gtx-advance.json").exists()
    assert git(repo, "rev-list", "--count", f"{before}..HEAD") == "1"


def test_the_next_advance_is_judged_on_the_corrected_date(
    tmp_path: Path, git_env: Path, keys: dict[str, Key]
) -> None:
    repo = approved_on_entry_day(tmp_path, keys)
    filed = Life.step("filed")
    add_documents(repo, filed.docs)
    commit(repo, "备案表")
    use_key(repo, keys["gov_office"])
    args = ["advance", PROJECT, "filed", "--date", filed.date, "--ref", "filing_form", "--as-of", AS_OF]
    early = gtx(repo, *args)
    assert early.exit_code == 1 and "H003" in early.output  # filed "before" the recorded approval
    assert correct(repo, keys["ndrc"], "2", "--date", REPLY_DATE, "--reason", REASON).exit_code == 0
    use_key(repo, keys["gov_office"])
    r = gtx(repo, *args)
    assert r.exit_code == 0, r.output
    assert verify_json(repo)["ok"] is True
