"""A retrofit's stages as data: each step leaves one stage for the next, with the days the next
stage may take before its event is overdue (and escalates: core.workflow.escalation).

    assessment → plan → works → acceptance → subsidy → done     (cancel from any open stage)

The defaults follow the usual rhythm of 适老化改造 programmes (assessment and plan within two
weeks each, works within two months, acceptance and subsidy within a month); a district may
differ, which would make them dated rules like the re-subsidy rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.workflow.states import State
from services.models.retrofits import RetrofitStageName as S

OPEN_STAGES = (S.ASSESSMENT, S.PLAN, S.WORKS, S.ACCEPTANCE, S.SUBSIDY)
STAGE_DAYS = {S.ASSESSMENT: 10, S.PLAN: 14, S.WORKS: 60, S.ACCEPTANCE: 14, S.SUBSIDY: 30}


@dataclass(frozen=True)
class Step:
    action: str
    source: str | None  # None: any open stage
    target: str
    event_state: str


STEPS = {
    step.action: step
    for step in (
        Step("assess", S.ASSESSMENT, S.PLAN, State.IN_PROGRESS),
        Step("plan", S.PLAN, S.WORKS, State.IN_PROGRESS),
        Step("works", S.WORKS, S.ACCEPTANCE, State.IN_PROGRESS),
        Step("accept", S.ACCEPTANCE, S.SUBSIDY, State.IN_PROGRESS),
        Step("subsidize", S.SUBSIDY, S.DONE, State.CLOSED),
        Step("cancel", None, S.CANCELLED, State.CLOSED),
    )
}


def allowed_steps(stage: str) -> list[str]:
    if stage not in OPEN_STAGES:
        return []
    return [a for a, step in STEPS.items() if step.source in (stage, None)]
