"""Writes of the dispatch engine: report, transition, reassign, rate. Each validates, then writes
in one transaction with its history row, its audit row and its notices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error
from core.audit.services import audit_record
from core.extensions.contributions import EventType
from core.extensions.registry import registry
from core.pii.masking import mask_free_text
from core.regions.models import Region
from core.workflow import announce, dispatch, forms, sla
from core.workflow.actors import is_handler, relations, staff_paths
from core.workflow.errors import WorkflowError
from core.workflow.models import Event, EventFollower, EventTransition
from core.workflow.states import TRANSITIONS, Actor, State, allowed_actions


def event_type(key: str) -> EventType:
    try:
        return registry.get(EventType.kind, key)
    except KeyError:
        raise field_error("type", _("Unknown event type."), code=WorkflowError.UNKNOWN_EVENT_TYPE) from None


def _record(
    event: Event,
    *,
    action: str,
    from_state: str,
    actor,
    note: str = "",
    data: dict | None = None,
    request=None,
    audit_action: str | None = None,
) -> EventTransition:
    row = EventTransition.objects.create(
        event=event,
        action=action,
        from_state=from_state,
        to_state=event.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=audit_action or f"workflow.event.{action}",
        target=event,
        request=request,
        changes={"state": {"old": from_state, "new": event.state}},
        extra={"note": mask_free_text(note)[:200]} if note else None,
    )
    return row


def event_report(
    *,
    reporter,
    type_key: str,
    source: str,
    title: str,
    description: str = "",
    form_data: dict | None = None,
    house=None,
    grid: Region | None = None,
    community: Region | None = None,
    point: tuple[float, float] | None = None,
    priority: str | None = None,
    reporter_name: str = "",
    external_ref: str = "",
    deadline=None,
    sla_working_days: int | None = None,
    request=None,
) -> tuple[Event, bool]:
    """Open an event, or merge it into an open duplicate. Returns (event, merged).

    `deadline` is a deadline given from outside (a hotline ticket's own), kept by acceptance;
    `sla_working_days` the event's own limit in place of its type's (an application item's).
    `community`, with neither house nor grid, opens an event nobody has placed yet at that
    community (an Open311 request whose address matches nothing), for its staff to handle."""
    kind = event_type(type_key)
    cleaned = forms.clean_form_data(kind, form_data or {})
    if house is not None:
        grid = house.region
    if grid is None and community is None:
        raise field_error(
            "house", _("Give the house or the grid where it happens."), code=WorkflowError.LOCATION_REQUIRED
        )
    if grid is not None and grid.level != Region.Level.GRID:
        raise field_error("grid", _("The place must be a grid."))
    if grid is None and community.level != Region.Level.COMMUNITY:
        raise field_error("community", _("The place must be a community."))
    place = grid or community
    now = timezone.now()
    with transaction.atomic():
        if house is not None and kind.duplicate_window_hours:
            duplicate = _open_duplicate(kind, house, now)
            if duplicate is not None:
                if getattr(reporter, "is_authenticated", False):
                    EventFollower.objects.get_or_create(event=duplicate, user=reporter)
                _record(
                    duplicate,
                    action="merge",
                    from_state=duplicate.state,
                    actor=reporter,
                    request=request,
                    note=mask_free_text(title)[:200],
                    data={"source": source},
                )
                return duplicate, True
        event = Event(
            type=kind.key,
            domain=kind.domain,
            source=source,
            priority=priority or kind.default_priority,
            title=title,
            description=description,
            form_data=cleaned,
            house=house,
            region=place,
            region_path=place.path,
            reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
            reporter_name=reporter_name,
            external_ref=external_ref,
            deadline=deadline,
            # An outside deadline runs from now: it escalates even before anyone accepts.
            next_escalation_at=deadline,
            sla_working_days=sla_working_days,
            longitude=point[0] if point else None,
            latitude=point[1] if point else None,
            assignee=dispatch.first_handler(kind, grid) if grid is not None else None,
        )
        if deadline is None and sla.runs_round_the_clock(kind):
            # An emergency's clock runs from the report: nobody accepting it at night is what
            # escalation is for.
            event.deadline = event.next_escalation_at = sla.deadline_for(kind, now, event=event)
        event.save(force_insert=True)
        if event.reporter_id:
            EventFollower.objects.create(event=event, user=event.reporter)
        _record(event, action="report", from_state="", actor=reporter, request=request)
        announce.reported(event, kind)
    return event, False


def _open_duplicate(kind: EventType, house, now) -> Event | None:
    # Lock the house row so two reports of the same thing at once cannot both open an event.
    type(house).objects.select_for_update().filter(pk=house.pk).first()
    since = now - timedelta(hours=kind.duplicate_window_hours)
    return (
        Event.objects.open()
        .filter(type=kind.key, house=house, created_at__gte=since)
        .order_by("created_at")
        .first()
    )


def event_transition(
    *,
    event: Event,
    action: str,
    actor,
    note: str = "",
    assignee=None,
    data: dict | None = None,
    request=None,
) -> Event:
    transition = TRANSITIONS.get(action)
    if transition is None or (Actor.SYSTEM in transition.actors and not (transition.actors - {Actor.SYSTEM})):
        raise field_error("action", _("Unknown action."), code=WorkflowError.UNKNOWN_ACTION)
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("escalated_to").get(pk=event.pk)
        if action not in generic_actions(event_type(event.type)):
            raise Conflict(
                _("This event follows its own process; this action is taken there."),
                code=WorkflowError.OWN_PROCESS,
                fields={
                    "action": sorted(
                        generic_actions(event_type(event.type)) & set(allowed_actions(event.state))
                    )
                },
            )
        if event.state not in transition.sources:
            allowed = allowed_actions(event.state)
            raise Conflict(
                _("This event is %(state)s; allowed now: %(allowed)s.")
                % {"state": State(event.state).label, "allowed": ", ".join(allowed) or "—"},
                code=WorkflowError.TRANSITION_NOT_ALLOWED,
                fields={"action": allowed},
            )
        if not relations(actor, event) & transition.actors:
            raise Forbidden(_("Your role may not take this action on this event."))
        if transition.note_required and not note.strip():
            raise field_error("note", _("Say why in the note."))
        from_state = event.state
        clock = _apply(event, action, actor=actor, assignee=assignee)
        event.state = transition.target
        event.save()
        _record(
            event,
            action=action,
            from_state=from_state,
            actor=actor,
            note=note,
            data={**(data or {}), **clock},
            request=request,
        )
        announce.changed(event, action=action, actor=actor)
    return event


def _apply(event: Event, action: str, *, actor, assignee) -> dict:
    if action == "accept":
        event.assignee = event.assignee or actor
    elif action == "assign":
        target = assignee or actor
        if not is_handler(target, event.region_path):
            raise field_error("assignee", _("That worker does not work at this event's place."))
        event.assignee = target
    elif action == "take_over":
        event.assignee = actor
    return _run_clock(event, event.state, TRANSITIONS[action].target)


def _counted_deadline(event: Event, kind: EventType, start) -> tuple:
    """A deadline counted from `start` on the type's clock, and the years it was counted across
    whose holidays are only estimated (no official schedule yet)."""
    calendar = None if sla.runs_round_the_clock(kind) else sla.calendar_from(start)
    deadline = sla.deadline_for(kind, start, calendar, event=event)
    return deadline, sla.estimated_years(kind, start, deadline, calendar)


def _run_clock(event: Event, from_state: str, to_state: str, deadline=None) -> dict:
    """What entering a state does to the SLA clock, whichever action or step enters it. Returns
    what the history row should say about the deadline (that it is estimated, when it is)."""
    now = timezone.now()
    kind = event_type(event.type)
    estimated: list[int] | None = None  # None: the deadline was not counted here
    if from_state == State.REPORTED and to_state not in {State.REJECTED, State.CLOSED}:
        # Acceptance starts the period; a deadline given from outside (a hotline's), or already
        # running from the report (a round-the-clock type's), stands.
        event.accepted_at = now
        if event.deadline is None:
            event.deadline, estimated = _counted_deadline(event, kind, now)
            event.deadline_estimated = bool(estimated)
        # An event already escalated while waiting for acceptance keeps its next escalation.
        event.next_escalation_at = event.next_escalation_at or event.deadline
    if to_state == State.WAITING:
        event.paused_at = now
    elif from_state == State.WAITING and event.paused_at:
        calendar = sla.calendar_from(event.paused_at)
        event.waited_working_days += calendar.working_days_between(
            timezone.localtime(event.paused_at).date(), timezone.localtime(now).date()
        )
        if event.deadline:
            event.deadline = sla.shift_for_pause(
                kind, event.deadline, event.paused_at, now, calendar, event=event
            )
            shifted_over = sla.estimated_years(kind, event.paused_at, event.deadline, calendar)
            if shifted_over:  # a deadline once estimated stays so
                estimated, event.deadline_estimated = shifted_over, True
            if event.next_escalation_at:
                event.next_escalation_at = sla.shift_for_pause(
                    kind, event.next_escalation_at, event.paused_at, now, calendar, event=event
                )
        event.paused_at = None
    if to_state == State.RESOLVED:
        event.resolved_at = now
    elif to_state == State.CLOSED:
        event.resolved_at = event.resolved_at or now
        event.closed_at = now
    elif to_state == State.REOPENED:
        # Re-handling (重办) gets a fresh period and starts again at the bottom of the ladder
        # (the history rows keep the earlier escalations).
        event.resolved_at = event.closed_at = None
        if deadline is None:
            deadline, estimated = _counted_deadline(event, kind, now)
        event.deadline_estimated = bool(estimated)
        event.deadline = event.next_escalation_at = deadline
        event.escalation_level, event.escalated_to = 0, None
    elif deadline is not None:
        event.deadline = event.next_escalation_at = deadline
        event.deadline_estimated = False
    if not estimated:
        return {}
    return {"deadline_estimated": True, "estimated_years": estimated}


def event_step(
    *,
    event: Event,
    action: str,
    actor,
    to_state: str | None = None,
    note: str = "",
    data: dict | None = None,
    deadline=None,
    request=None,
) -> Event:
    """A step of a domain's own process on its event (an application's review, a hotline
    ticket's reply): recorded in the event's history like any transition, with the clock effects
    of the state it enters. Who may take it, and from which stage, the domain has checked
    (holding its own row's lock) before calling; `deadline` replaces the deadline (a hotline
    centre's new one for 重办)."""
    if to_state is not None and to_state not in State.values:
        raise ValueError(f"{to_state!r} is not a state")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        from_state = event.state
        target = to_state or from_state
        clock = {}
        if target != from_state or deadline is not None:
            clock = _run_clock(event, from_state, target, deadline)
            event.state = target
            event.save()
        _record(
            event,
            action=action,
            from_state=from_state,
            actor=actor,
            note=note,
            data={**(data or {}), **clock},
            request=request,
            audit_action=domain_step_audit_action(event, action),
        )
        announce.changed(event, action=action, actor=actor)
    return event


def domain_step_audit_action(event: Event, action: str) -> str:
    """A domain's own step is audited under its event type, which its app declared
    (`hotline.ticket.reply`, `affairs.application.intake` for the step `affairs.intake`)."""
    return f"{event.type}.{action.rpartition('.')[2]}"


def events_reassign(*, events: list[Event], assignee, actor, note: str = "", request=None) -> list[Event]:
    """Reassign many at once: all or none."""
    with transaction.atomic():
        return [
            event_transition(
                event=e, action="assign", actor=actor, assignee=assignee, note=note, request=request
            )
            for e in events
        ]


def event_rate(*, event: Event, actor, score: int, comment: str = "", request=None) -> Event:
    if not 1 <= score <= 5:
        raise field_error("satisfaction", _("Rate from 1 to 5."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.reporter_id != getattr(actor, "pk", None):
            raise Forbidden(_("Only the person who reported it may rate it."))
        if event.state != State.CLOSED:
            raise Conflict(_("An event can be rated once it is closed."), code=WorkflowError.NOT_CLOSED)
        if event.satisfaction is not None:
            raise Conflict(_("This event has already been rated."), code=WorkflowError.ALREADY_RATED)
        event.satisfaction, event.satisfaction_comment = score, comment[:500]
        event.save(update_fields=["satisfaction", "satisfaction_comment", "updated_at"])
        _record(
            event,
            action="rate",
            from_state=event.state,
            actor=actor,
            request=request,
            data={"satisfaction": score},
        )
    return event


def generic_actions(kind: EventType) -> frozenset[str]:
    """The engine's actions people may take on events of this type through the generic API."""
    return frozenset(TRANSITIONS) if kind.generic_actions is None else kind.generic_actions


def reporter_may_report(kind: EventType, user) -> bool:
    return kind.residents_may_report or bool(staff_paths(user))


def describe(kind: EventType) -> dict[str, Any]:
    return {
        "key": kind.key,
        "name": str(kind.name),
        "domain": kind.domain,
        "residents_may_report": kind.residents_may_report,
    }
