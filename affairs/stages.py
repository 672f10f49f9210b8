"""An application's steps as data: from which stages each leaves, where it goes, at which of the
item's levels its actor must hold a role, and what state the application's event enters.

    submitted → investigation → review → [publicity] → confirmation → approved
    with return (补正, once: the clock pauses until the materials come), reject and withdraw

A step out of order answers 409 with the steps allowed now; a step by someone without a role at
the configured level over the application's place answers 403 (404 if they cannot see it).
"""

from __future__ import annotations

from dataclasses import dataclass

from affairs.models.applications import Stage
from core.workflow.states import State

OPEN_STAGES = frozenset(
    {Stage.SUBMITTED, Stage.INVESTIGATION, Stage.REVIEW, Stage.PUBLICITY, Stage.CONFIRMATION}
)
FINAL_STAGES = frozenset({Stage.APPROVED, Stage.REJECTED, Stage.WITHDRAWN})
# The level (an attribute of ServiceItem) whose staff act at each open stage.
STAGE_LEVEL = {
    Stage.SUBMITTED: "receive_level",
    Stage.INVESTIGATION: "receive_level",
    Stage.REVIEW: "review_level",
    Stage.PUBLICITY: "review_level",
    Stage.CONFIRMATION: "confirm_level",
}
APPLICANT = "applicant"  # the step belongs to the applicant (or who filed it for them)
# The applicant's side, or staff at the stage's level (who confirm what was described in words).
APPLICANT_OR_STAGE = "applicant_or_stage"


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    # The stage reached; None: decided by the service (review goes to publicity or confirmation,
    # return and supplement stay at the stage).
    target: str | None
    # Who acts: "stage" (staff at the current stage's level), APPLICANT or APPLICANT_OR_STAGE.
    actor: str
    event_state: str | None  # the state the event enters; None: unchanged
    note_required: bool = False


def _s(action, sources, target, actor, event_state, note_required=False) -> Step:
    return Step(action, frozenset(sources), target, actor, event_state, note_required)


_WORKING = {Stage.SUBMITTED, Stage.INVESTIGATION, Stage.REVIEW}
STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        # 受理: the receiving level accepts a complete application; the item's clock starts.
        _s("intake", {Stage.SUBMITTED}, Stage.INVESTIGATION, "stage", State.IN_PROGRESS),
        # 入户调查: findings (and photos, as attachments labelled "investigation").
        _s("investigate", {Stage.INVESTIGATION}, Stage.REVIEW, "stage", None, note_required=True),
        _s("review", {Stage.REVIEW}, None, "stage", None),
        _s("end_publicity", {Stage.PUBLICITY}, Stage.CONFIRMATION, "stage", None),
        _s("confirm", {Stage.CONFIRMATION}, Stage.APPROVED, "stage", State.CLOSED),
        _s("reject", OPEN_STAGES, Stage.REJECTED, "stage", State.REJECTED, note_required=True),
        # 补正: everything missing at once, once per application; the clock pauses (before intake
        # it has not started). The supplement ends the wait: the listed materials uploaded, and
        # each item described in words confirmed received by the staff of the stage.
        _s("return", _WORKING, None, "stage", None, note_required=True),
        _s("supplement", _WORKING, None, APPLICANT_OR_STAGE, None),
        _s("withdraw", OPEN_STAGES, Stage.WITHDRAWN, APPLICANT, State.CLOSED),
    )
}


def allowed_steps(stage: str, *, awaiting_materials: bool) -> list[str]:
    found = [action for action, step in STEPS.items() if stage in step.sources]
    if awaiting_materials:
        # While materials are awaited only the applicant's answer, a rejection or a withdrawal moves it.
        return sorted(a for a in found if a in {"supplement", "reject", "withdraw"})
    return sorted(a for a in found if a != "supplement")
