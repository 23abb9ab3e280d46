"""What `gtx advance`, `correct` and `verify` say about a move, from core/transitions.py.

The words a clerk reads when a move is refused, the signers gtx.yaml allows for an act,
what a commit did to a history and how advance lists findings and uncommitted files:
each asked of the public functions with the inputs that tell their branches apart
(written for `make mutate`, docs/testing.md; quick: no git, no CLI).
"""

from __future__ import annotations

import datetime as dt

import pytest

from golmud_cli.core.findings import Finding, Severity
from golmud_cli.core.lifecycle import Role, Stage
from golmud_cli.core.model import RoleEntry, Settings, Signer, UnitEntry
from golmud_cli.core.transitions import (
    Holder,
    allowed_signers,
    change_line,
    compare_history,
    entry_stage,
    finding_lines,
    holders,
    illegal_message,
    legal,
    resolve_target,
    validity_span,
)

KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"


def test_the_word_typed_on_the_command_line_names_the_stage() -> None:
    assert resolve_target("filed", Stage.approved, None) is Stage.filed
    assert resolve_target("  Procuring ", Stage.filed, None) is Stage.procuring
    assert resolve_target("Suspend", Stage.filed, None) is Stage.suspended
    assert resolve_target("terminate", Stage.filed, None) is Stage.terminated
    assert resolve_target("no-such-stage", Stage.filed, None) is None
    # resume: back to where a suspended project was, and nothing for one not suspended
    assert resolve_target(" RESUME", Stage.suspended, Stage.filed) is Stage.filed
    assert resolve_target("resume", Stage.filed, Stage.approved) is None


@pytest.mark.parametrize(
    ("source", "target", "resume_to", "en", "zh"),
    [
        (Stage.terminated, Stage.terminated, None, "terminated is final: no move leaves it",
         "terminated 是终局阶段，不能再流转"),
        (Stage.post_evaluated, Stage.operating, None, "post_evaluated is final: no move leaves it",
         "post_evaluated 是终局阶段，不能再流转"),
        (Stage.filed, Stage.filed, None, "the project is already filed", "项目已处于 filed"),
        (Stage.suspended, Stage.suspended, Stage.filed, "the project is already suspended",
         "项目已处于 suspended"),
        (Stage.suspended, Stage.procuring, Stage.filed,
         "a suspended project resumes only to the stage it was suspended from, filed",
         "暂停的项目只能恢复到暂停前的阶段 filed"),
        (Stage.suspended, Stage.procuring, None,
         "a suspended project resumes only to the stage it was suspended from, -",
         "暂停的项目只能恢复到暂停前的阶段 -"),
        (Stage.filed, Stage.approved, None,
         "filed cannot go back to approved: stages never go back; a correction is a new "
         "commit that edits documents, not a stage rewind",
         "不能从 filed 退回 approved：阶段不能倒退，更正材料请另行提交修改，而不是退回阶段"),
        (Stage.approved, Stage.procuring, None,
         "approved cannot skip ahead to procuring: no stage may be skipped",
         "不能从 approved 跳到 procuring：不能跳过阶段"),
        (Stage.approved, Stage.rejected, None, "approved cannot move to rejected",
         "不能从 approved 进入 rejected"),
        (Stage.draft, Stage.suspended, None, "draft cannot move to suspended",
         "不能从 draft 进入 suspended"),
    ],
)  # fmt: skip
def test_a_refused_move_says_why_in_both_languages(
    source: Stage, target: Stage, resume_to: Stage | None, en: str, zh: str
) -> None:
    assert illegal_message(source, target, resume_to, "en") == en
    assert illegal_message(source, target, resume_to, "zh") == zh


def test_the_next_stage_is_only_one_step_ahead() -> None:
    # one step back and one step ahead of the next are both refused, as skip or back
    assert "skip ahead" in illegal_message(Stage.draft, Stage.approved, None, "en")
    assert "go back" in illegal_message(Stage.approved, Stage.proposed, None, "en")
    move = legal(Stage.suspended, Stage.filed, Stage.filed)
    assert move is not None and (move.kind, move.role) == ("resume", Role.ndrc)
    assert legal(Stage.suspended, Stage.filed, Stage.approved) is None
    assert legal(Stage.approved, Stage.filed, None) is not None


def _h(stage: str, day: int) -> dict[str, object]:
    return {"stage": stage, "date": f"2025-03-{day:02d}", "role": "unit"}


def test_a_commit_that_appends_an_entry_rewrites_nothing() -> None:
    before = [_h("proposed", 1), _h("approved", 2)]
    after = [*before, _h("filed", 3)]
    change = compare_history(before, after)
    assert change.rewritten == []
    assert change.appended == [_h("filed", 3)]
    assert (change.source, change.resume_to) == (Stage.approved, None)


def test_a_commit_that_changes_or_drops_an_entry_rewrites_it() -> None:
    before = [_h("proposed", 1), _h("approved", 2), _h("filed", 3)]
    changed = compare_history(before, [_h("proposed", 1), _h("approved", 9), _h("filed", 3)])
    assert (changed.rewritten, changed.appended) == ([1], [])
    dropped = compare_history(before, before[:1])
    assert (dropped.rewritten, dropped.appended) == ([1, 2], [])
    same = compare_history(before, list(before))
    assert (same.rewritten, same.appended) == ([], [])
    # the first entry changed and one appended: both are seen
    both = compare_history(before, [_h("proposed", 5), *before[1:], _h("procuring", 4)])
    assert (both.rewritten, both.appended) == ([0], [_h("procuring", 4)])


def test_where_the_project_stood_before_the_commit() -> None:
    suspended = [_h("proposed", 1), _h("approved", 2), _h("suspended", 3)]
    change = compare_history(suspended, [*suspended, _h("approved", 4)])
    assert (change.source, change.resume_to) == (Stage.suspended, Stage.approved)
    # an entry that is no stage ends what is read of the history
    broken = [_h("proposed", 1), _h("no-such", 2), _h("approved", 3)]
    assert compare_history(broken, broken).source is Stage.proposed
    # an entry that is not a mapping counts as draft
    odd: list[object] = [_h("proposed", 1), "approved"]
    assert compare_history(odd, odd).source is Stage.draft
    assert compare_history([], [_h("proposed", 1)]).source is Stage.draft


def test_the_stage_an_appended_entry_enters() -> None:
    assert entry_stage(_h("filed", 1)) is Stage.filed
    assert entry_stage(_h("no-such", 1)) is None
    assert entry_stage({"date": "2025-03-01"}) is None
    assert entry_stage("filed") is None


SETTINGS = Settings(
    roles={Role.ndrc: RoleEntry(signers=[Signer(name="王五", key=KEY_A)])},
    units={
        "市大数据中心": UnitEntry(signers=[Signer(name="张三", key=KEY_B)]),
        "市交通局": UnitEntry(signers=[Signer(name="李四", key=KEY_A)]),
    },
)


def test_a_unit_signs_for_its_own_projects_only() -> None:
    assert [s.name for s in allowed_signers(SETTINGS, Role.unit, "市大数据中心")] == ["张三"]
    assert [s.name for s in allowed_signers(SETTINGS, Role.unit, "市交通局")] == ["李四"]
    assert allowed_signers(SETTINGS, Role.unit, "市财政局") == []
    assert allowed_signers(SETTINGS, Role.unit, None) == []


def test_a_role_signs_with_the_signers_listed_for_it() -> None:
    assert [s.name for s in allowed_signers(SETTINGS, Role.ndrc, "市大数据中心")] == ["王五"]
    assert allowed_signers(SETTINGS, Role.finance, None) == []


def test_every_listing_of_a_key_is_found_and_named() -> None:
    found = holders(SETTINGS, lambda key: key == KEY_A)
    assert found == [Holder("role", "ndrc", "王五"), Holder("unit", "市交通局", "李四")]
    assert [h.describe("zh") for h in found] == [
        "王五（ndrc 市发改委）",
        "李四（建设单位 市交通局）",
    ]
    assert [h.describe("en") for h in found] == [
        "王五 (ndrc, the city NDRC)",
        "李四 (unit 市交通局)",
    ]
    assert holders(SETTINGS, lambda key: False) == []
    assert holders(SETTINGS, lambda key: key == KEY_B) == [Holder("unit", "市大数据中心", "张三")]


def test_a_signers_validity_is_shown_with_open_ends() -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    assert validity_span(None, end) == "… – 2025-06-30"
    assert validity_span(start, None) == "2025-01-01 – …"
    assert validity_span(start, end) == "2025-01-01 – 2025-06-30"


def _finding(line: int | None) -> Finding:
    return Finding(
        "B003", Severity.error, "p", "dossiers/p/project.yaml", ("filing",), "备案",
        "未备案", "not filed", "三（三）", line=line, column=5 if line else None,
    )  # fmt: skip


def test_advance_lists_a_finding_with_its_place() -> None:
    shown = finding_lines([_finding(12), _finding(None)], "en")
    assert (
        shown
        == "  dossiers/p/project.yaml:12:5  B003  not filed\n  dossiers/p/project.yaml  B003  not filed"
    )
    assert finding_lines([_finding(3)], "zh") == "  dossiers/p/project.yaml:3:5  B003  未备案"
    assert finding_lines([], "en") == ""


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("??", "新文件", "new"),
        ("A ", "新增", "added"),
        (" M", "修改", "modified"),
        ("MM", "修改", "modified"),
        (" D", "删除", "deleted"),
        ("T ", "类型改变", "type changed"),
        ("  ", "修改", "modified"),
        ("R ", "R ", "R "),
    ],
)
def test_advance_lists_an_uncommitted_change_by_its_kind(code: str, zh: str, en: str) -> None:
    assert change_line(code, "dossiers/p/project.yaml", "en") == f"  {en}: dossiers/p/project.yaml"
    assert change_line(code, "dossiers/p/project.yaml", "zh") == f"  {zh}: dossiers/p/project.yaml"
