"""The lifecycle as a user reads it in docs/lifecycle.md, against the code that enforces it.

docs/lifecycle.md's stage table says, for every stage, its name, who enters it and
which stages may follow; `gtx advance`, `validate` (H002) and `verify` all decide with
core/lifecycle.py. These tests read the committed table (not regenerated here) and ask
the lifecycle the same questions, every pair of stages, so a changed comparison, role or
label in the code is seen (written for `make mutate`, docs/testing.md; quick: no git).
"""

from __future__ import annotations

import re

import pytest

from golmud_cli.core.lifecycle import (
    MAIN_LINE,
    Role,
    Stage,
    next_stages,
    position,
    reached,
    transition,
)
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "lifecycle.md").read_text("utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text("utf-8")


def _table(heading: str) -> list[list[str]]:
    """The rows (cells, stripped) of the first table under `## heading`."""
    lines = DOC.split(f"## {heading}\n", 1)[1].strip().splitlines()
    rows = lines[: next((i for i, x in enumerate(lines) if not x.startswith("|")), len(lines))]
    return [[c.strip() for c in r.strip("|").split("|")] for r in rows[2:]]


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([a-z_]+)`", cell)


STAGES = {Stage(_codes(r[0])[0]): r for r in _table("阶段")}
ROLES = {Role(_codes(r[0])[0]): r[1] for r in _table("角色")}


def test_the_documents_list_every_stage_and_role() -> None:
    assert set(STAGES) == set(Stage)
    assert set(ROLES) == set(Role)


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_a_stage_is_named_as_the_lifecycle_document_names_it(stage: Stage) -> None:
    assert stage.label_in("zh") == STAGES[stage][1]
    assert stage.label == STAGES[stage][1]


def test_a_stage_has_its_english_name_in_english() -> None:
    # docs/cli.md, `gtx advance --help` in English: "proposed (proposed (under review))"
    help_en = " ".join(CLI_DOC.split("stage    the stage to enter", 1)[1].split("\n\n")[0].split())
    for stage in Stage:
        if stage is Stage.draft:
            continue  # never a target of advance
        en = stage.label_in("en")
        assert en != stage.label_in("zh")
        assert f"{stage.value} ({en})" in help_en, stage


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_a_role_is_named_as_the_lifecycle_document_names_it(role: Role) -> None:
    assert role.label_in("zh") == ROLES[role]
    assert role.label == ROLES[role]
    en = role.label_in("en")
    assert en.startswith("the city ") or en == "the building unit"


def _documented_next(stage: Stage) -> set[Stage]:
    return {Stage(c) for c in _codes(STAGES[stage][3])}


@pytest.mark.parametrize("source", list(Stage), ids=str)
def test_the_legal_next_stages_are_those_of_the_document(source: Stage) -> None:
    # a suspended project also resumes to where it was (the `resume` note under the
    # table); without a stage to resume to, only terminate is left
    assert set(next_stages(source)) == _documented_next(source)
    for target in Stage:
        legal = transition(source, target)
        assert (legal is not None) == (target in _documented_next(source)), (source, target)


@pytest.mark.parametrize("target", [s for s in Stage if s is not Stage.draft], ids=str)
def test_each_move_is_signed_by_the_role_the_document_names(target: Stage) -> None:
    signer = Role(_codes(STAGES[target][2])[0])
    sources = [s for s in Stage if target in _documented_next(s)]
    assert sources
    for source in sources:
        move = transition(source, target)
        assert move is not None and move.role is signer, (source, target)
        assert (move.source, move.target) == (source, target)


def test_each_move_says_what_kind_of_act_it_is() -> None:
    kinds = {
        (Stage.filed, Stage.procuring): "advance",
        (Stage.proposed, Stage.rejected): "reject",
        (Stage.operating, Stage.suspended): "suspend",
        (Stage.draft, Stage.terminated): "terminate",
        (Stage.suspended, Stage.terminated): "terminate",
    }
    for (source, target), kind in kinds.items():
        move = transition(source, target)
        assert move is not None and move.kind == kind, (source, target)
    resumed = transition(Stage.suspended, Stage.filed, Stage.filed)
    assert resumed is not None
    assert (resumed.kind, resumed.role) == ("resume", Role.ndrc)
    assert (resumed.source, resumed.target) == (Stage.suspended, Stage.filed)


@pytest.mark.parametrize(
    "was", [s for s in MAIN_LINE if Stage.suspended in next_stages(s)], ids=str
)
def test_a_suspended_project_resumes_only_to_where_it_was(was: Stage) -> None:
    assert set(next_stages(Stage.suspended, was)) == {was, Stage.terminated}
    for target in Stage:
        move = transition(Stage.suspended, target, was)
        assert (move is not None) == (target in (was, Stage.terminated)), target


def test_a_final_stage_has_no_move_at_all() -> None:
    for final in (Stage.rejected, Stage.terminated, Stage.post_evaluated):
        for resume_to in (None, Stage.approved):
            assert next_stages(final, resume_to) == []


def _history(*stages: Stage) -> list[Stage]:
    return list(stages)


def test_where_a_history_leaves_the_project() -> None:
    upto_filed = _history(Stage.draft, Stage.proposed, Stage.approved, Stage.filed)
    assert position([]) == (Stage.draft, None)
    assert position(upto_filed) == (Stage.filed, None)
    assert position([*upto_filed, Stage.suspended]) == (Stage.suspended, Stage.filed)
    assert position([*upto_filed, Stage.suspended, Stage.filed]) == (Stage.filed, None)
    # resumed, then suspended again later: it resumes to the later stage
    again = [*upto_filed, Stage.suspended, Stage.filed, Stage.procuring, Stage.suspended]
    assert position(again) == (Stage.suspended, Stage.procuring)
    assert position([*upto_filed, Stage.suspended, Stage.terminated]) == (Stage.terminated, None)
    # histories H002 refuses still have a place: suspended at once resumes to draft,
    # suspended twice to the first suspension
    assert position([Stage.suspended]) == (Stage.suspended, Stage.draft)
    assert position([Stage.proposed, Stage.suspended]) == (Stage.suspended, Stage.proposed)
    twice = [*upto_filed, Stage.suspended, Stage.suspended]
    assert position(twice) == (Stage.suspended, Stage.suspended)


def test_what_a_history_has_reached() -> None:
    upto_approved = _history(Stage.draft, Stage.proposed, Stage.approved)
    assert reached([], Stage.draft)
    assert not reached([], Stage.proposed)
    assert reached(upto_approved, Stage.approved)  # the stage itself
    assert reached(upto_approved, Stage.proposed)  # and every one before it
    assert not reached(upto_approved, Stage.filed)
    # a later stage counts for a stage the history skipped (H002 says so; the gates
    # of docs/lifecycle.md still apply from it)
    assert reached([Stage.draft, Stage.proposed, Stage.filed], Stage.approved)
    assert not reached([Stage.draft, Stage.proposed, Stage.filed], Stage.procuring)
    # off the main line: reached only when it is in the history itself
    assert not reached(upto_approved, Stage.suspended)
    assert reached([*upto_approved, Stage.suspended], Stage.suspended)
    assert reached([*upto_approved, Stage.suspended], Stage.approved)
    assert not reached([*upto_approved, Stage.suspended], Stage.filed)
    # a history of only off-line stages reaches no main-line stage but draft
    assert not reached([Stage.terminated], Stage.proposed)
    assert reached([Stage.terminated], Stage.draft)
    assert reached([Stage.proposed, Stage.rejected], Stage.proposed)
    assert not reached([Stage.proposed, Stage.rejected], Stage.approved)
