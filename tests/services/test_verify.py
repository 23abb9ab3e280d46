"""gtx verify: a clean signed life passes; every attack fails with its own message."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golmud_cli.cli import app
from golmud_cli.edges.yamledit import NewHistoryEntry as Entry
from golmud_cli.edges.yamledit import advance_text
from tests.support.git import (
    AS_OF,
    OTHER_UNIT,
    PROJECT,
    UNIT,
    Key,
    Life,
    PgpKey,
    add_documents,
    branch,
    commit,
    git,
    make_repo,
    project_file,
    settings_yaml,
    use_key,
    write_draft,
)

runner = CliRunner()


def verify(repo: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["verify", *args, "--repo", str(repo), "--lang", lang])


def advance_to(repo: Path, keys: dict[str, Key], last: str) -> None:
    """Advance the fixture dossier with gtx advance, each step signed by its role."""
    for s in Life.STEPS:
        add_documents(repo, s.docs)
        use_key(repo, keys[s.key])
        args = ["advance", PROJECT, s.stage, "--date", s.date, "--repo", str(repo), "--as-of", AS_OF,
                "--include-changes",
                *[a for r in s.refs for a in ("--ref", r)]]
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
        if s.stage == last:
            return


def forge(repo: Path, key: Key | None, stage: str, role: str, date: str, project: str = PROJECT) -> str:
    """A hand-made transition (the edit gtx advance would make), signed with `key`."""
    path = project_file(repo, project)
    path.write_text(advance_text(path.read_text("utf-8"), Entry(stage, date, role)), "utf-8")
    return commit(repo, f"{project}: {stage}", key=key)


def problems(repo: Path) -> list[str]:
    r = verify(repo, "--format", "json")
    assert r.exit_code == 1, r.output
    data = json.loads(r.stdout)
    assert data["ok"] is False
    return [p for t in data["transitions"] for p in t["problems"]]


def test_whole_life_verifies_clean(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    advance_to(repo, keys, "post_evaluated")
    r = verify(repo)
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())  # the summary wraps at 80 columns
    assert "12 transition(s)" in flat and "all good" in flat
    assert f"✓ {PROJECT}  draft → proposed  unit  unit" in r.output
    assert f"✓ {PROJECT}  procuring → under_construction  unit  unit" in r.output
    assert f"✓ {PROJECT}  self_evaluated → post_evaluated  ndrc  ndrc" in r.output
    data = json.loads(verify(repo, "--format", "json").stdout)
    assert data["ok"] is True
    moves = [(t["from"], t["to"], t["role"], t["signer"]) for t in data["transitions"]]
    stages = ["draft", *[s.stage for s in Life.STEPS]]
    assert moves == [(a, b, s.key, s.key) for a, b, s in zip(stages[:-1], stages[1:], Life.STEPS, strict=True)]
    assert all(t["ok"] and t["problems"] == [] and len(t["commit"]) == 40 for t in data["transitions"])
    zh = verify(repo, lang="zh")
    assert zh.exit_code == 0 and "全部通过" in zh.output
    # an explicit range says the same; an empty range checked nothing, and says so
    assert verify(repo, "main..HEAD").exit_code == 0
    empty = verify(repo, "HEAD")
    assert empty.exit_code == 2 and "nothing checked (0 commits)" in empty.output


def test_unsigned_stage_edit(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    forge(repo, None, "proposed", "unit", "2023-07-25")
    assert problems(repo) == ["the commit is not signed: a transition must be a commit signed by a "
                              "signer of its role (gtx advance)."]
    r = verify(repo, lang="zh")
    assert r.exit_code == 1 and "提交没有签名" in r.output and "✗" in r.output


def test_key_gtx_yaml_does_not_list(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    forge(repo, keys["stranger"], "proposed", "unit", "2023-07-25")
    [p] = problems(repo)
    assert "is not listed in gtx.yaml (at the base)" in p and p.split()[3].startswith("SHA256:")


def test_listed_key_of_the_wrong_role(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    forge(repo, keys["finance"], "proposed", "unit", "2023-07-25")
    assert problems(repo) == [f"finance is listed for role:finance, but this transition is an act of unit:{UNIT}."]


def test_a_unit_signing_another_units_project(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    forge(repo, keys["other_unit"], "proposed", "unit", "2023-07-25")
    assert problems(repo) == [f"other_unit signs for the unit {OTHER_UNIT}, but this project's unit is {UNIT}: "
                              "a unit signs for its own projects only."]


def test_branch_adding_its_own_key_to_gtx_yaml(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    (repo / "gtx.yaml").write_text(settings_yaml(keys, {UNIT: [keys["stranger"]]}), "utf-8")
    commit(repo, "add a signer", "gtx.yaml", key=keys["stranger"])
    forge(repo, keys["stranger"], "proposed", "unit", "2023-07-25")
    [p] = problems(repo)
    assert "was added to gtx.yaml by the commits under review" in p
    # once that gtx.yaml is on the base branch, the same key counts
    assert verify(repo, "HEAD~1..HEAD").exit_code == 0


def test_a_skipped_stage(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    add_documents(repo, ("approval_reply",))
    forge(repo, keys["ndrc"], "approved", "ndrc", "2023-08-30")
    ps = problems(repo)
    assert "illegal transition: draft cannot skip ahead to approved: no stage may be skipped." in ps


def test_a_stage_moved_back(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    advance_to(repo, keys, "approved")
    branch(repo)
    forge(repo, keys["unit"], "proposed", "unit", "2023-09-01")
    ps = problems(repo)
    assert ("illegal transition: approved cannot go back to proposed: stages never go back; a correction "
            "is a new commit that edits documents, not a stage rewind.") in ps


def test_two_dossiers_in_one_transition_commit(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    second = "2023-second-project"
    write_draft(repo, second)
    commit(repo, "a second draft")
    branch(repo)
    for pid in (PROJECT, second):
        path = project_file(repo, pid)
        path.write_text(advance_text(path.read_text("utf-8"), Entry("proposed", "2023-07-25", "unit")), "utf-8")
    commit(repo, "two at once", key=keys["unit"])
    ps = problems(repo)
    assert f"the same commit also changes {second}: a transition touches one project only." in ps
    assert f"the same commit also changes {PROJECT}: a transition touches one project only." in ps


def test_a_hand_edit_of_past_history(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    advance_to(repo, keys, "approved")
    branch(repo)
    path = project_file(repo)
    path.write_text(path.read_text("utf-8").replace("date: 2023-07-25", "date: 2023-07-20"), "utf-8")
    commit(repo, "fix a date", key=keys["unit"])
    assert problems(repo) == ["rewrites past history entries (1): history is append-only; entries are never "
                              "edited or removed."]


def test_gate_must_hold_at_the_commit(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    advance_to(repo, keys, "proposed")
    branch(repo)
    # approved without an approval reply, signed by the right role
    forge(repo, keys["ndrc"], "approved", "ndrc", "2023-08-30")
    ps = problems(repo)
    assert ps and all(p.startswith("the gate did not hold at this commit:") for p in ps)
    assert any(" A007 " in p for p in ps)


def test_attachments_are_judged_in_the_commit_tree(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    advance_to(repo, keys, "proposed")
    branch(repo)
    add_documents(repo, ("approval_reply",))
    path = project_file(repo)
    path.write_text(advance_text(path.read_text("utf-8"), Entry("approved", "2023-08-30", "ndrc")), "utf-8")
    commit(repo, "approved, but the reply is left out", f"dossiers/{PROJECT}/project.yaml", key=keys["ndrc"])
    ps = problems(repo)
    assert any(" F001 " in p and "approval-reply.pdf" in p for p in ps), ps


def test_stage_changed_without_an_entry(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    path = project_file(repo)
    path.write_text(path.read_text("utf-8").replace("stage: draft ", "stage: filed "), "utf-8")
    commit(repo, "just the stage", key=keys["unit"])
    ps = problems(repo)
    assert ps == ["stage changes from draft to filed without a history entry: change the stage with gtx advance only."]


def test_non_transition_commits_are_not_judged(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo)
    add_documents(repo, ("approval_reply",))
    (repo / "README").write_text("notes\n")
    commit(repo, "documents and notes, unsigned")
    r = verify(repo)
    assert r.exit_code == 0 and "0 transition(s)" in " ".join(r.output.split())


def test_usage_errors(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    r = verify(repo, "nope..HEAD")
    assert r.exit_code == 2 and "no such revision nope" in r.output
    r = verify(repo, "--format", "xml")
    assert r.exit_code == 2
    git(repo, "branch", "-m", "main", "trunk")
    r = verify(repo)
    assert r.exit_code == 2 and "name a range" in r.output


def test_openpgp_signer_listed_by_fingerprint(tmp_path: Path, git_env: Path, keys: dict[str, Key],
                                              pgp_key: PgpKey) -> None:
    repo = make_repo(tmp_path / "r", keys)
    settings = (repo / "gtx.yaml").read_text("utf-8").replace(keys["finance"].line, pgp_key.fingerprint)
    (repo / "gtx.yaml").write_text(settings, "utf-8")
    commit(repo, "finance signs with OpenPGP")
    branch(repo)
    advance_to(repo, keys, "filed")
    add_documents(repo, Life.step("procuring").docs)
    git(repo, "config", "gpg.format", "openpgp")
    git(repo, "config", "user.signingkey", pgp_key.fingerprint)
    r = runner.invoke(app, ["advance", PROJECT, "procuring", "--date", "2023-10-09", "--repo", str(repo),
                            "--as-of", AS_OF, "--lang", "en", "--include-changes"])
    assert r.exit_code == 0, r.output
    assert "-----BEGIN PGP SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")
    r = verify(repo)
    assert r.exit_code == 0, r.output
    assert f"✓ {PROJECT}  filed → procuring  finance  finance" in r.output
    # the same OpenPGP key is no good for an act of the unit
    add_documents(repo, Life.step("under_construction").docs)
    forge_pgp = project_file(repo)
    forge_pgp.write_text(advance_text(forge_pgp.read_text("utf-8"),
                                      Entry("under_construction", "2023-11-20", "unit")), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-S", "-m", "finance signs a unit act")
    assert problems(repo) == [f"finance is listed for role:finance, but this transition is an act of unit:{UNIT}."]


def test_a_transition_hidden_in_a_merge(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    repo = make_repo(tmp_path / "r", keys)
    branch(repo, "side")
    (repo / "README").write_text("side\n")
    commit(repo, "side work")
    git(repo, "switch", "-q", "main")
    branch(repo, "feature")
    git(repo, "-c", "commit.gpgsign=false", "merge", "-q", "--no-commit", "--no-ff", "side")
    path = project_file(repo)
    path.write_text(advance_text(path.read_text("utf-8"), Entry("proposed", "2023-07-25", "unit")), "utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", f"user.signingkey={keys['unit'].public}", "commit", "-q", "-S", "-m", "merge side")
    ps = problems(repo)
    assert ps == ["a merge commit changes the stage or history: every transition must be its own signed "
                  "commit (gtx advance), never made in a merge."]
    # a clean merge of reviewed work is no transition at all
    git(repo, "switch", "-q", "main")
    branch(repo, "clean")
    git(repo, "-c", "commit.gpgsign=false", "merge", "-q", "--no-ff", "-m", "merge side", "side")
    assert verify(repo).exit_code == 0


def test_a_dossier_repository_in_a_subfolder_of_git(tmp_path: Path, git_env: Path, keys: dict[str, Key]) -> None:
    top = tmp_path / "top"
    archive = top / "archive"
    archive.mkdir(parents=True)
    git(top, "init", "-q", "-b", "main")
    (archive / "gtx.yaml").write_text(settings_yaml(keys), "utf-8")
    write_draft(archive)
    commit(top, "archive inside a bigger repository")
    branch(top)
    advance_to(archive, keys, "approved")
    assert git(top, "show", "--name-only", "--format=", "HEAD").splitlines() == [
        f"archive/dossiers/{PROJECT}/attachments/approval-reply.pdf", f"archive/dossiers/{PROJECT}/project.yaml"]
    r = verify(archive)
    assert r.exit_code == 0 and "2 transition(s)" in " ".join(r.output.split()), r.output
    forge(archive, None, "filed", "gov_office", "2023-09-12")
    assert "the commit is not signed" in " ".join(problems(archive))
