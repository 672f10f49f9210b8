"""Escalate overdue events one level up the region tree: grid → community → street → district.

Idempotent: an escalated event's next escalation moves a full SLA period ahead in the same write,
so a second run (or a concurrent one, which skips locked rows) finds nothing to do.

A round-the-clock type (EventType.clock) escalated to a community or a street goes to whoever is
on duty there at that moment (core.workflow.roster), at any hour: the roster says who answers
when. With nobody on duty, the level's supervisors are told as for any event, and the history
row says that nobody was on duty.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.services import audit_record
from core.extensions.contributions import EventType
from core.extensions.registry import registry
from core.regions.models import Region
from core.regions.paths import id_at
from core.workflow import announce, roster, sla
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
        calendar = sla.calendar_from(now)  # one load of the holiday table for the whole run
        kinds: dict[int, EventType] = {}
        from_states: dict[int, str] = {}
        for event in overdue:
            kind = kinds[event.pk] = registry.get(EventType.kind, event.type)
            event.escalation_level += 1
            event.escalated_to_id = id_at(event.region_path, Region.Level.GRID - event.escalation_level)
            event.next_escalation_at = sla.deadline_for(kind, now, calendar, event=event)
            event.updated_at = now
            from_states[event.pk] = event.state
            if not kind.fixed_level:
                event.state = State.ESCALATED
        regions = Region.objects.in_bulk({event.escalated_to_id for event in overdue})
        on_duty = _on_duty(overdue, kinds, regions, now)
        transitions = [
            _history(event, from_states[event.pk], regions[event.escalated_to_id], on_duty)
            for event in overdue
        ]
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
        announce.escalated(overdue, regions=regions, on_duty=on_duty)
    return [event.pk for event in overdue]


def _on_duty(overdue, kinds, regions, now) -> dict[int, list]:
    """Round-the-clock events escalated to a node that keeps a roster → who is on duty there
    (an empty list: nobody is). Other events are not in the answer."""
    rostered = [
        event
        for event in overdue
        if sla.runs_round_the_clock(kinds[event.pk])
        and regions[event.escalated_to_id].level in roster.ROSTER_LEVELS
    ]
    if not rostered:
        return {}
    people = roster.on_duty_at({event.escalated_to_id for event in rostered}, now)
    return {event.pk: people.get(event.escalated_to_id, []) for event in rostered}


def _history(event: Event, from_state: str, region: Region, on_duty: dict[int, list]) -> EventTransition:
    data = {"level": event.escalation_level, "to_region": event.escalated_to_id}
    note = ""
    if event.pk in on_duty:
        people = on_duty[event.pk]
        data["on_duty"] = [person.pk for person in people]
        if people:
            names = ", ".join(person.display_name or person.username for person in people)
            note = _("Sent to %(names)s, on duty at %(region)s.") % {"names": names, "region": region.name}
        else:
            note = _("Nobody on duty at %(region)s: its supervisors were notified instead.") % {
                "region": region.name
            }
    return EventTransition(
        event=event,
        action="escalate",
        from_state=from_state,
        to_state=event.state,
        note=note,
        data=data,
    )
