"""The dispatch engine's part of a person's "today" list (core.accounts.today): open events
assigned to them that fall due today or are overdue, and events waiting for them to act, that is
unassigned at a place where they hold the type's handling role, or escalated to their node."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import F, Q

from core.accounts.roles import permissions_of
from core.accounts.today import TodayItem, end_of_today, event_types_listed_elsewhere
from core.workflow.models import Event
from core.workflow.states import State

HANDLE = "workflow.handle"


def _waiting_for(user) -> Q | None:
    from core.accounts.models import RoleAssignment
    from core.extensions import EventType
    from core.extensions.registry import registry

    types_by_role: dict[str, list[str]] = {}
    for kind in registry.items(EventType.kind):
        types_by_role.setdefault(kind.handler_role, []).append(kind.key)
    conditions = []
    held = RoleAssignment.objects.current().filter(user=user).values_list("role", "region_id", "region_path")
    for role, region_id, path in held:
        if HANDLE not in permissions_of(role):
            continue
        conditions.append(Q(state=State.ESCALATED, escalated_to_id=region_id))
        if types_by_role.get(role):
            conditions.append(
                Q(
                    assignee__isnull=True,
                    state__in=[State.REPORTED, State.REOPENED],
                    type__in=types_by_role[role],
                    region_path__startswith=path,
                )
            )
    return reduce(or_, conditions) if conditions else None


def events_due(user, *, limit: int) -> Iterable[TodayItem]:
    due_by_me = Q(assignee=user, deadline__lt=end_of_today()) & ~Q(state=State.WAITING)
    waiting = _waiting_for(user)
    wanted = due_by_me | waiting if waiting is not None else due_by_me
    events = (
        Event.objects.visible_to(user)
        .open()
        .filter(wanted)
        .exclude(type__in=event_types_listed_elsewhere())
        .order_by(F("deadline").asc(nulls_last=True), "id")
        .only("id", "title", "region_path", "deadline")[:limit]
    )
    for event in events:
        yield TodayItem(
            kind="workflow.event",
            object_id=str(event.pk),
            region_path=event.region_path,
            title=event.title,
            due_at=event.deadline,
            url=f"/api/v1/events/{event.pk}/",
        )
