"""Who is told what when an event moves; the notices themselves go through core.notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.pii.masking import mask_free_text
from core.regions.models import Region

# Who supervises at each level an event can be escalated to.
SUPERVISOR_ROLES = {
    Region.Level.COMMUNITY: (Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER),
    Region.Level.STREET: (Role.STREET_STAFF,),
    Region.Level.DISTRICT: (Role.DISTRICT_STAFF,),
}
# Actions a reporter hears about.
REPORTER_ACTIONS = frozenset({"accept", "reject", "resolve", "close", "reopen", "wait"})


def _notify(*, title, **kwargs):
    from core.notices.services import notify

    # Masked before it is cut to length: a cut ID number would no longer look like one.
    return notify(title=mask_free_text(str(title))[:200], **kwargs)


def link(event) -> dict:
    return {"type": "workflow.event", "id": event.pk, "url": f"/api/v1/events/{event.pk}/"}


def reported(event, kind) -> None:
    from core.workflow.dispatch import handling_region

    title = _("New event: %(title)s") % {"title": event.title}
    body = mask_free_text(event.description)[:200]
    if event.assignee_id:
        _notify(kind="workflow.event_assigned", title=title, body=body, user=event.assignee, link=link(event))
    else:
        _notify(
            kind="workflow.event_assigned",
            title=title,
            body=body,
            region=handling_region(kind, event.region),
            role=kind.handler_role,
            link=link(event),
        )


def changed(event, *, action: str, actor) -> None:
    actor_id = getattr(actor, "pk", None)
    if action in {"assign", "take_over"} and event.assignee_id and event.assignee_id != actor_id:
        _notify(
            kind="workflow.event_assigned",
            title=_("Assigned to you: %(title)s") % {"title": event.title},
            body="",
            user=event.assignee,
            link=link(event),
        )
    if action in REPORTER_ACTIONS:
        title = _("%(title)s: %(state)s") % {"title": event.title, "state": event.get_state_display()}
        for follower in event.followers.exclude(user_id=actor_id).select_related("user"):
            _notify(
                kind="workflow.event_state_changed",
                title=title,
                body="",
                user=follower.user,
                link=link(event),
            )


def escalated(events, *, regions: dict, on_duty: dict[int, list] | None = None) -> None:
    """Tell the level each event was escalated to: the people on duty there for a round-the-clock
    event (`on_duty`, by event id), else that level's supervisors."""
    on_duty = on_duty or {}
    for event in events:
        region = regions[event.escalated_to_id]
        title = _("Overdue, escalated to you: %(title)s") % {"title": event.title}
        people = on_duty.get(event.pk)
        if people:
            for person in people:
                _notify(kind="workflow.event_escalated", title=title, body="", user=person, link=link(event))
            continue
        for role in SUPERVISOR_ROLES.get(region.level, ()):
            _notify(
                kind="workflow.event_escalated",
                title=title,
                body="",
                region=region,
                role=role,
                link=link(event),
            )
