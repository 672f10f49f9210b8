"""Escalate overdue events one level up the region tree: grid → community → street → district.

Idempotent: an escalated event's next escalation moves a full SLA period ahead in the same write,
so a second run (or a concurrent one, which skips locked rows) finds nothing to do.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit.services import audit_record
from core.extensions.contributions import EventType
from core.extensions.registry import registry
from core.regions.models import Region
from core.regions.paths import id_at
from core.workflow import announce, sla
from core.workflow.models import Event, EventTransition
from core.workflow.states import ESCALATABLE_STATES, State

# From a grid (level 5) up to the district (level 2).
MAX_ESCALATION_LEVEL = Region.Level.GRID - Region.Level.DISTRICT


def escalate_overdue(now=None) -> list[int]:
    now = now or timezone.now()
    with transaction.atomic():
        overdue = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(
                state__in=ESCALATABLE_STATES,
                next_escalation_at__lte=now,
                escalation_level__lt=MAX_ESCALATION_LEVEL,
            )
            .order_by("next_escalation_at")[:1000]
        )
        if not overdue:
            return []
        transitions = []
        calendar = sla.calendar_from(now)  # one load of the holiday table for the whole run
        for event in overdue:
            kind: EventType = registry.get(EventType.kind, event.type)
            event.escalation_level += 1
            event.escalated_to_id = id_at(event.region_path, Region.Level.GRID - event.escalation_level)
            event.next_escalation_at = sla.deadline_for(kind, now, calendar, event=event)
            event.updated_at = now
            from_state = event.state
            if not kind.fixed_level:
                event.state = State.ESCALATED
            transitions.append(
                EventTransition(
                    event=event,
                    action="escalate",
                    from_state=from_state,
                    to_state=event.state,
                    data={"level": event.escalation_level, "to_region": event.escalated_to_id},
                )
            )
        Event.objects.bulk_update(
            overdue, ["escalation_level", "escalated_to", "next_escalation_at", "state", "updated_at"]
        )
        EventTransition.objects.bulk_create(transitions)
        audit_record(
            actor=None,
            action="workflow.event.escalate",
            object_type="workflow.event",
            object_ids=[e.pk for e in overdue],
        )
        announce.escalated(overdue)
    return [event.pk for event in overdue]
