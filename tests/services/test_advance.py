"""gtx advance: signed transitions, the gate, and every refusal changing nothing."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.yamledit import Labels, advance_text, scalar
from golmud_cli.edges.yamledit import NewHistoryEntry as Entry
from tests.conftest import ROOT
from tests.support.git import (
    AS_OF,
    PROJECT,
    Key,
    Life,
    add_documents,
    git,
    head,
    make_repo,
    project_file,
    status,
    use_key,
)

runner = CliRunner()


def advance(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["advance", PROJECT, *args, "--repo", str(repo), "--as-of", AS_OF,
                               "--lang", lang])


def step(repo: Path, keys: dict[str, Key], stage: str, *extra: str):  # type: ignore[no-untyped-def]
    s = Life.step(stage)
    add_documents(repo, s.docs)
    use_key(repo, keys[s.key])
    # the clerk's documents are uncommitted: the signer takes them in knowingly
    args = [stage, "--date", s.date, *[a for r in s.refs for a in ("--ref", r)], "--include-changes", *extra]
    return advance(repo, *args)


def test_first_step_commits_signed_with_trailers(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    before = head(repo)
    r = step(repo, keys, "proposed")
    assert r.exit_code == 0, r.output
    assert "proposed" in r.output and "unit" in r.output
    assert git(repo, "rev-parse", "HEAD~1") == before
    msg = git(repo, "log", "-1", "--format=%B")
    assert f"Gtx-Project: {PROJECT}" in msg
    assert "Gtx-Transition: draft -> proposed" in msg
    assert "Gtx-Role: unit" in msg
    files = git(repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert files == [f"dossiers/{PROJECT}/project.yaml"]
    assert status(repo) == ""
    raw = git(repo, "cat-file", "commit", "HEAD")
    assert "-----BEGIN SSH SIGNATURE-----" in raw


def test_draft_flow_history_becomes_block_list(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    old = project_file(repo).read_text("utf-8")
    assert step(repo, keys, "proposed").exit_code == 0
    new = project_file(repo).read_text("utf-8")
    diff = [d for d in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if d[:1] in "+-" and not d.startswith(("+++", "---"))]
    assert diff == [
        "-stage: draft                                  # 草拟",
        "-history: []                                   # 流转记录（只追加）",
        "+stage: proposed                               # 已申报（审批中）",
        "+history:                                      # 流转记录（只追加）",
        "+  - stage: proposed",
        "+    date: 2023-07-25",
        "+    role: unit",
        "+    refs: [feasibility_study]",
    ]


def test_round_trip_diff_is_stage_line_plus_entry(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    for s in ("proposed", "approved"):
        assert step(repo, keys, s).exit_code == 0
    s = Life.step("filed")
    add_documents(repo, s.docs)
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "record the filing form")
    old = project_file(repo).read_text("utf-8")
    use_key(repo, keys["gov_office"])
    r = advance(repo, "filed", "--date", s.date, "--ref", "filing_form", "--note", "备案: 已完成 #1")
    assert r.exit_code == 0, r.output
    new = project_file(repo).read_text("utf-8")
    changed = [d for d in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
               if d[:1] in "+-" and not d.startswith(("+++", "---"))]
    assert changed == [
        "-stage: approved                               # 审批通过（已立项）",
        "+stage: filed                                  # 已备案",
        "+  - stage: filed",
        "+    date: 2023-09-12",
        "+    role: gov_office",
        "+    refs: [filing_form]",
        '+    note: "备案: 已完成 #1"',
    ]
    # every other line, comment, quote and blank line is untouched
    assert "credential: '工程咨询单位乙级资信'          # 资信（单引号保留）" in new
    assert new.endswith("rectifications: []                            # 整改，三（五）\n")


def test_whole_life_is_signed_by_the_right_roles(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    for s in Life.STEPS:
        r = step(repo, keys, s.stage)
        assert r.exit_code == 0, (s.stage, r.output)
    roles = git(repo, "log", "--format=%(trailers:key=Gtx-Role,valueonly)", "-12").split()
    assert roles[::-1] == [{"unit": "unit"}.get(s.key, s.key) for s in Life.STEPS]
    assert "stage: post_evaluated" in project_file(repo).read_text("utf-8")
    assert status(repo) == ""


def test_dry_run_shows_diff_and_writes_nothing(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    before, text = head(repo), project_file(repo).read_text("utf-8")
    r = advance(repo, "proposed", "--date", "2023-07-25", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "+  - stage: proposed" in r.output and "gate: holds" in r.output
    assert "nothing written" in r.output
    assert head(repo) == before and project_file(repo).read_text("utf-8") == text and status(repo) == ""
    r = advance(repo, "proposed", "--date", "2023-07-25", "--dry-run", lang="zh")
    assert "准入条件：满足" in r.output and "试运行" in r.output


def assert_unchanged(repo: Path, before: str, state: str, text: str) -> None:
    assert head(repo) == before
    assert status(repo) == state
    assert project_file(repo).read_text("utf-8") == text


def snapshot(repo: Path) -> tuple[str, str, str]:
    return head(repo), status(repo), project_file(repo).read_text("utf-8")


def test_failed_gate_lists_every_rule_and_changes_nothing(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    assert step(repo, keys, "proposed").exit_code == 0
    use_key(repo, keys["ndrc"])
    snap = snapshot(repo)
    r = advance(repo, "approved", "--date", "2023-08-30")  # no approval reply recorded
    assert r.exit_code == 1, r.output
    assert "A007" in r.output and f"dossiers/{PROJECT}/project.yaml:" in r.output
    assert "Nothing was changed" in r.output
    assert_unchanged(repo, *snap)
    r = advance(repo, "approved", "--date", "2023-08-30", lang="zh")
    assert r.exit_code == 1 and "未满足" in r.output and "A007" in r.output


def test_illegal_transitions_are_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    snap = snapshot(repo)
    r = advance(repo, "approved", "--date", "2023-08-30")
    assert r.exit_code == 1 and "skip" in r.output and "proposed" in r.output
    assert_unchanged(repo, *snap)
    r = advance(repo, "resume")
    assert r.exit_code == 1 and "nothing to resume" in r.output
    r = advance(repo, "nonsense")
    assert r.exit_code == 2 and "unknown stage" in r.output
    r = advance(repo, "proposed", "--ref", "not_a_kind")
    assert r.exit_code == 2 and "not a document kind" in r.output
    assert_unchanged(repo, *snap)


def test_suspend_resume_terminate(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    for s in ("proposed", "approved"):
        assert step(repo, keys, s).exit_code == 0
    use_key(repo, keys["ndrc"])
    r = advance(repo, "suspend", "--date", "2023-09-01", "--note", "整改期间暂停")
    assert r.exit_code == 0, r.output
    r = advance(repo, "filed", "--date", "2023-09-02")
    assert r.exit_code == 1 and "resumes only to" in r.output and "approved" in r.output
    r = advance(repo, "resume", "--date", "2023-09-03")
    assert r.exit_code == 0, r.output
    assert "Gtx-Transition: suspended -> approved" in git(repo, "log", "-1", "--format=%B")
    r = advance(repo, "terminate", "--date", "2023-09-04")
    assert r.exit_code == 0, r.output
    r = advance(repo, "filed", "--date", "2023-09-05")
    assert r.exit_code == 1 and "final" in r.output


def test_changes_outside_the_folder_are_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    (repo / "gtx.yaml").write_text((repo / "gtx.yaml").read_text("utf-8") + "# edited\n", "utf-8")
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2 and "outside" in r.output and "gtx.yaml" in r.output
    assert_unchanged(repo, *snap)
    git(repo, "add", "gtx.yaml")  # staged too
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25", lang="zh")
    assert r.exit_code == 2 and "之外有未提交的修改" in r.output
    assert_unchanged(repo, *snap)


def test_changes_inside_the_folder_are_committed(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    assert step(repo, keys, "proposed").exit_code == 0
    r = step(repo, keys, "approved")  # adds approval_reply and its new attachment
    assert r.exit_code == 0, r.output
    files = set(git(repo, "show", "--name-only", "--format=", "HEAD").splitlines())
    assert files == {f"dossiers/{PROJECT}/project.yaml", f"dossiers/{PROJECT}/attachments/approval-reply.pdf"}
    assert status(repo) == ""


def test_merge_in_progress_is_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    git(repo, "switch", "-q", "-c", "side")
    (repo / "README").write_text("side\n")
    git(repo, "add", "README")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "side")
    git(repo, "switch", "-q", "main")
    (repo / "README").write_text("main\n")
    git(repo, "add", "README")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "main")
    git(repo, "merge", "side", check=False)
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2 and "merge is in progress" in r.output
    assert_unchanged(repo, *snap)


def test_rebase_in_progress_is_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    git(repo, "switch", "-q", "-c", "side")
    (repo / "README").write_text("side\n")
    git(repo, "add", "README")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "side")
    git(repo, "switch", "-q", "main")
    (repo / "README").write_text("main\n")
    git(repo, "add", "README")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "main")
    git(repo, "switch", "-q", "side")
    git(repo, "-c", "commit.gpgsign=false", "rebase", "main", check=False)
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2 and "rebase is in progress" in r.output
    assert_unchanged(repo, *snap)


def test_detached_head_is_refused(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    git(repo, "switch", "-q", "--detach", "HEAD")
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2 and "detached" in r.output
    assert_unchanged(repo, *snap)
    r = advance(repo, "proposed", "--date", "2023-07-25", lang="zh")
    assert r.exit_code == 2 and "分离的 HEAD" in r.output


def test_a_second_advance_is_locked_out(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    lock = repo / ".git" / "gtx-advance.lock"
    lock.write_text("12345\n")
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2 and "another gtx advance is running" in r.output
    assert_unchanged(repo, *snap)
    assert lock.read_text() == "12345\n"  # not ours to remove
    lock.unlink()
    assert advance(repo, "proposed", "--date", "2023-07-25").exit_code == 0
    assert not lock.exists()


def test_concurrent_advances_make_one_commit(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    import os
    import subprocess
    import sys

    repo = make_repo(tmp_path / "r", keys)
    before = head(repo)
    cmd = [sys.executable, "-m", "golmud_cli", "advance", PROJECT, "proposed", "--date", "2023-07-25",
           "--repo", str(repo), "--as-of", AS_OF, "--lang", "en"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy(),
                              cwd=ROOT) for _ in range(2)]
    outs = [(p.wait(), p.stdout.read().decode() if p.stdout else "") for p in procs]
    codes = sorted(c for c, _ in outs)
    assert codes[0] == 0 and codes[1] != 0, outs
    loser = next(o for c, o in outs if c != 0)
    assert "another gtx advance is running" in loser or "already proposed" in loser, loser
    assert git(repo, "rev-list", "--count", f"{before}..HEAD") == "1"
    assert status(repo) == ""
    assert project_file(repo).read_text("utf-8").count("- stage: proposed") == 1


def test_no_signing_key_configured(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    git(repo, "config", "--unset", "user.signingkey")
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2
    for must in ("no signing key is configured", "ssh-keygen -t ed25519", "git config gpg.format ssh",
                 "git config user.signingkey", "units:", "Nothing was changed"):
        assert must in r.output, (must, r.output)
    assert_unchanged(repo, *snap)
    r = advance(repo, "proposed", "--date", "2023-07-25", lang="zh")
    assert "没有配置签名密钥" in r.output and "未做任何修改" in r.output


def test_key_not_listed_for_the_role(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    # a key gtx.yaml lists nowhere: told where and how to register it
    use_key(repo, keys["stranger"])
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2, r.output
    assert "is not listed in gtx.yaml under units → 格尔木市人力资源和社会保障局 → signers" in r.output
    assert keys["stranger"].line.split()[1] in r.output  # the line to add, ready to copy
    assert_unchanged(repo, *snap)
    # a key registered for another role or unit: told whose it is and what this act needs,
    # not invited to add itself (issue 12)
    for who, holder in (("finance", "finance (finance, "), ("other_unit", "other_unit (unit 格尔木市教育局)")):
        use_key(repo, keys[who])
        r = advance(repo, "proposed", "--date", "2023-07-25")
        assert r.exit_code == 2, r.output
        assert "must be signed by a signer of the unit 格尔木市人力资源和社会保障局" in r.output
        assert f"registered in gtx.yaml as: {holder}" in r.output, r.output
        assert "ssh-keygen" not in r.output and "not listed" not in r.output
        assert_unchanged(repo, *snap)
        dry = advance(repo, "proposed", "--date", "2023-07-25", "--dry-run")
        assert dry.exit_code == 2 and f"registered in gtx.yaml as: {holder}" in dry.output
        assert_unchanged(repo, *snap)
    r = advance(repo, "proposed", "--date", "2023-07-25", lang="zh")
    assert "须由建设单位 格尔木市人力资源和社会保障局 的签署人签名" in r.output
    assert "登记为：other_unit（建设单位 格尔木市教育局）" in r.output


def test_signing_tool_failure_rolls_back(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    # the public key is listed, but the private half is not where git looks for it
    lonely = tmp_path / "lonely.pub"
    lonely.write_text(keys["unit"].line + "\n")
    git(repo, "config", "user.signingkey", str(lonely))
    snap = snapshot(repo)
    r = advance(repo, "proposed", "--date", "2023-07-25")
    assert r.exit_code == 2, r.output
    assert "signing failed" in r.output and "Nothing was changed" in r.output
    assert_unchanged(repo, *snap)
    assert not list((repo / ".git").glob("gtx-index.*"))


def test_unknown_project_is_a_usage_error(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    r = runner.invoke(app, ["advance", "no-such-project", "proposed", "--repo", str(repo), "--lang", "en"])
    assert r.exit_code == 2 and "no project no-such-project" in r.output


def test_dry_run_of_a_failing_gate(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    assert step(repo, keys, "proposed").exit_code == 0
    snap = snapshot(repo)
    r = advance(repo, "approved", "--date", "2023-08-30", "--dry-run")
    assert r.exit_code == 1 and "gate: FAILS" in r.output and "A007" in r.output
    assert_unchanged(repo, *snap)


# --- the text edit itself (pure) ------------------------------------------------------------


@pytest.mark.parametrize("text", ["备案完成", "a: b", "x #y", "yes", "No", "123", "0979-8421170", "2024-01-01",
                                  "- item", "'quoted'", "trailing ", "line\nbreak", "[1]", "null", "~"])
def test_scalar_reads_back_as_the_same_string(text: str) -> None:
    from golmud_cli.edges import loader

    assert loader.load(f"k: {scalar(text)}\n".encode(), "-", None).data == {"k": text}


def test_edit_keeps_crlf_quotes_and_a_missing_final_newline() -> None:
    src = ('stage: "proposed"   # 已申报（审批中）\r\nhistory:\r\n- stage: proposed\r\n  date: 2024-01-01\r\n'
           "  role: unit\r\n  note: |\r\n    two\r\n\r\n    paragraphs\r\n\r\n# a closing comment\r\nextensions: []")
    out = advance_text(src, Entry("approved", "2024-02-01", "ndrc", ("approval_reply",), "批复: 同意"),
                       Labels("已申报（审批中）", "审批通过（已立项）", "市发改委"))
    assert out == ('stage: "approved"   # 审批通过（已立项）\r\nhistory:\r\n- stage: proposed\r\n  date: 2024-01-01\r\n'
                   "  role: unit\r\n  note: |\r\n    two\r\n\r\n    paragraphs\r\n- stage: approved\r\n"
                   "  date: 2024-02-01\r\n  role: ndrc\r\n  refs: [approval_reply]\r\n"
                   '  note: "批复: 同意"\r\n\r\n# a closing comment\r\nextensions: []')


def test_edit_of_a_flow_history_falls_back_to_the_round_trip_dumper() -> None:
    src = "stage: proposed\nhistory: [{stage: proposed, date: 2024-01-01, role: unit}]\n"
    out = advance_text(src, Entry("approved", "2024-02-01", "ndrc"))
    from golmud_cli.edges import loader

    assert loader.load(out.encode(), "-", None).data == {
        "stage": "approved",
        "history": [{"stage": "proposed", "date": "2024-01-01", "role": "unit"},
                    {"stage": "approved", "date": "2024-02-01", "role": "ndrc"}],
    }
