"""The response to a care signal: a call task for the grid worker, then a visit, then the
emergency contact and the community, each an event with its own short deadline on a clock that
runs around the clock; closing it with a reason (a false alarm is counted for its device)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record
from core.extensions.scenario_api import require_enabled
from core.extensions.scenarios import scenario_enabled_at, scenario_settings_at
from core.regions.models import Region
from core.regions.scoping import under
from core.registry.minors import resident_shown_name
from core.registry.models import Resident
from core.workflow.models import Event
from core.workflow.services import event_report, event_step
from core.workflow.states import State
from scenarios.elderly_alone.errors import ElderlyAloneError
from scenarios.elderly_alone.models import CareCase, CareStep

SCENARIO = "elderly_alone"
STEPS = (CareCase.Step.CALL, CareCase.Step.VISIT, CareCase.Step.CONTACT)
MINUTES = {
    CareCase.Step.CALL: "call_minutes",
    CareCase.Step.VISIT: "visit_minutes",
    CareCase.Step.CONTACT: "contact_minutes",
}
ESCALATE_BATCH = 200


def receive_care_signal(payload, *, key: str) -> CareCase | None:
    """The hand-off receiver (HandoffConsumer with where_enabled): the safety domain's signal,
    taken over here; once per hand-off."""
    if not scenario_enabled_at(SCENARIO, payload.region_path):
        raise RuntimeError("elderly_alone is not enabled at the signal's place")  # kept pending, retried
    existing = CareCase.objects.filter(handoff_key=key).first()
    if existing is not None:
        return existing
    resident = Resident.objects.select_related("house").get(pk=payload.resident_id)
    region = Region.objects.get(path=payload.region_path)
    settings = scenario_settings_at(SCENARIO, payload.region_path)
    now = timezone.now()
    case = CareCase.objects.create(
        handoff_key=key,
        resident=resident,
        signal=payload.signal,
        detail=(payload.detail or "")[:200],
        source=payload.source[:200],
        device=(getattr(payload, "device", "") or "")[:200],
        occurred_at=payload.occurred_at,
        step=CareCase.Step.CALL,
        step_due_at=now + timedelta(minutes=settings["call_minutes"]),
        settings_versions=list(settings.versions),
        region=region,
        region_path=region.path,
    )
    _open_step(case, CareCase.Step.CALL, case.step_due_at)
    audit_record(actor=None, action="elderly_alone.case.open", target=case, extra={"signal": case.signal})
    return case


def _open_step(case: CareCase, step: str, due_at) -> CareStep:
    resident = case.resident
    grid = case.region if case.region.level == Region.Level.GRID else None
    event, _merged = event_report(
        reporter=None,
        type_key=f"elderly_alone.{step}",
        source=Event.Source.SCENARIO,
        title=_("%(step)s: %(name)s living alone")
        % {"step": CareCase.Step(step).label, "name": resident_shown_name(resident)},
        description=_("Signal %(signal)s at %(time)s from %(source)s. %(detail)s")
        % {
            "signal": case.signal,
            "time": timezone.localtime(case.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "source": case.source,
            "detail": case.detail,
        },
        house=resident.house if resident.house_id else None,
        grid=grid if not resident.house_id else None,
        community=case.region if not resident.house_id and grid is None else None,
        priority="urgent",
        deadline=due_at,
        external_ref=f"elderly_alone:{case.pk}:{step}",
    )
    return CareStep.objects.create(case=case, step=step, event=event, due_at=due_at)


def escalate_overdue(now=None) -> int:
    """Each open case whose step is overdue moves to the next step (a new event); the clock runs
    at night and on holidays too. Safe to run any number of times."""
    now = now or timezone.now()
    moved = 0
    while True:
        with transaction.atomic():
            due = list(
                CareCase.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=CareCase.State.OPEN, step_due_at__lte=now)
                .exclude(step=CareCase.Step.CONTACT)
                .select_related("resident", "region")
                .order_by("step_due_at", "id")[:ESCALATE_BATCH]
            )
            due = [case for case in due if scenario_enabled_at(SCENARIO, case.region_path)]
            if not due:
                return moved
            for case in due:
                following = STEPS[STEPS.index(case.step) + 1]
                settings = scenario_settings_at(SCENARIO, case.region_path)
                case.step = following
                case.step_due_at = now + timedelta(minutes=settings[MINUTES[following]])
                case.save(update_fields=["step", "step_due_at", "updated_at"])
                _open_step(case, following, case.step_due_at)
                audit_record(
                    actor=None, action="elderly_alone.case.escalate", target=case, extra={"step": following}
                )
                moved += 1


def case_close(*, actor, case: CareCase, outcome: str, reason: str, request=None) -> CareCase:
    """Close a case with its outcome and a reason; its open step events close with it. A false
    alarm changes no setting: it is counted for its device (false_alarms_per_device)."""
    if outcome not in CareCase.Outcome.values:
        raise field_error("outcome", _("Not an outcome."))
    if not (reason or "").strip():
        raise field_error("reason", _("Say why."))
    require_enabled(SCENARIO, case.region_path)
    with transaction.atomic():
        case = CareCase.objects.select_for_update().get(pk=case.pk)
        if case.state != CareCase.State.OPEN:
            raise Conflict(_("This case is closed already."), code=ElderlyAloneError.CASE_CLOSED)
        case.state, case.outcome, case.reason = CareCase.State.CLOSED, outcome, reason.strip()[:200]
        case.save(update_fields=["state", "outcome", "reason", "updated_at"])
        for step in case.steps.select_related("event"):
            if step.event.state not in (State.CLOSED, State.RESOLVED, State.REJECTED):
                event_step(
                    event=step.event,
                    action="elderly_alone.close",
                    actor=actor,
                    to_state=State.CLOSED,
                    note=reason,
                )
        audit_record(
            actor=actor,
            action="elderly_alone.case.close",
            target=case,
            changes={"state": {"old": "open", "new": "closed"}, "outcome": {"old": "", "new": outcome}},
            request=request,
        )
    return case


def false_alarms_per_device(region_path: str) -> dict[str, int]:
    rows = (
        CareCase.objects.filter(under((region_path,)), outcome=CareCase.Outcome.FALSE_ALARM)
        .exclude(device="")
        .values("device")
        .annotate(count=Count("id"))
    )
    return {row["device"]: row["count"] for row in rows}
