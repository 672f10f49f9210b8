"""The hotline ticket's own steps on its event: reply, the centre's return visit (回访) with
re-handling (重办), and the bounce back to the centre (退单) a supervisor approves.

Each step checks the ticket's stage holding the ticket's row lock, then records itself in the
event's history through core.workflow.services.event_step; messages to the centre go out through
affairs.hotline.delivery after the transaction commits.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.hotline import selectors
from affairs.hotline.contributions import HOTLINE_TICKET
from affairs.hotline.delivery import delivery_enqueue
from affairs.hotline.errors import HotlineError
from affairs.hotline.models import HotlineBounce, HotlineDelivery, HotlineReturnVisit, HotlineTicket
from core.accounts.roles import Role
from core.api.errors import (
    ApplicationError,
    Conflict,
    Forbidden,
    field_error,
    not_found_in_payload,
)
from core.audit.services import audit_record
from core.workflow.actors import relations
from core.workflow.services import event_step
from core.workflow.states import Actor, State

Status = HotlineTicket.Status


def _forbidden() -> ApplicationError:
    return Forbidden(_("Your role may not take this action on this ticket."))


def _text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, _("This field may not be blank."))
    if len(value) > limit:
        raise field_error(
            field, _("Ensure this field has no more than %(limit)d characters.") % {"limit": limit}
        )
    return value


def _locked(ticket: HotlineTicket) -> HotlineTicket:
    return HotlineTicket.objects.select_for_update(of=("self",)).select_related("event").get(pk=ticket.pk)


def _has_pending_bounce(ticket: HotlineTicket) -> bool:
    return ticket.bounces.filter(state=HotlineBounce.State.PENDING).exists()


# reply -------------------------------------------------------------------------------------------


def ticket_reply(*, ticket: HotlineTicket, actor, text: str, request=None) -> HotlineTicket:
    """The worker's answer to the caller, sent to the centre; the event is resolved."""
    text = _text("text", text, 2000)
    with transaction.atomic():
        ticket = _locked(ticket)
        event = ticket.event
        if ticket.status != Status.HANDLING or event is None or event.state != State.IN_PROGRESS:
            raise Conflict(
                _("A ticket is replied to while its event is in progress."), code=HotlineError.NOT_IN_PROGRESS
            )
        if not relations(actor, event) & {Actor.ASSIGNEE, Actor.HANDLER}:
            raise _forbidden()
        if _has_pending_bounce(ticket):
            raise Conflict(
                _("A bounce of this ticket is waiting for a decision."), code=HotlineError.BOUNCE_PENDING
            )
        event_step(
            event=event,
            action="reply",
            actor=actor,
            to_state=State.RESOLVED,
            note=text[:1000],
            request=request,
        )
        ticket.reply, ticket.replied_at, ticket.status = text, timezone.now(), Status.REPLIED
        ticket.replied_on_time = ticket.replied_at <= ticket.deadline
        ticket.save(update_fields=["reply", "replied_at", "replied_on_time", "status", "updated_at"])
        delivery_enqueue(
            ticket=ticket,
            kind=HotlineDelivery.Kind.REPLY,
            payload={
                "reply": text,
                "replied_at": ticket.replied_at.isoformat(),
                "rehandled": ticket.rehandled_count,
            },
        )
    return ticket


# return visit (回访) -----------------------------------------------------------------------------


def ticket_return_visit(*, data: dict, request=None) -> HotlineTicket:
    """The centre called the caller back. Satisfied or unreachable closes the ticket; unsatisfied
    reopens it for re-handling (重办) with the centre's new deadline or a fresh period. A visit
    number already recorded for the ticket changes nothing (409 if it now says something else)."""
    result, comment, new_deadline = data["result"], data.get("comment", ""), data.get("deadline")
    now = timezone.now()
    with transaction.atomic():
        ticket = (
            HotlineTicket.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(ticket_no=data["ticket_no"])
            .first()
        )
        if ticket is None:
            raise not_found_in_payload("ticket_no")
        seen = ticket.return_visits.filter(visit_no=data["visit_no"]).first()
        if seen is not None:
            if seen.result != result:
                raise Conflict(
                    _("This visit number was already reported with another result."),
                    code=HotlineError.VISIT_CONFLICT,
                )
            return ticket  # the centre sent the same visit again, or someone replayed it
        if new_deadline is not None and new_deadline <= now:
            raise field_error("deadline", _("The new deadline must be in the future."))
        if ticket.status != Status.REPLIED:
            raise Conflict(_("A return visit follows a reply."), code=HotlineError.NOT_REPLIED)
        event = ticket.event
        note = comment[:1000]
        if result == HotlineTicket.ReturnVisit.UNSATISFIED:
            event = event_step(
                event=event,
                action="reopen",
                actor=None,
                to_state=State.REOPENED,
                note=note or _("Unsatisfied at the hotline's return visit."),
                data={"return_visit": result},
                deadline=new_deadline,
                request=request,
            )
            ticket.status, ticket.deadline = Status.HANDLING, event.deadline
            ticket.rehandled_count += 1
            _tell_rehandle(ticket, event)
        else:
            event_step(
                event=event,
                action="close",
                actor=None,
                to_state=State.CLOSED,
                note=note,
                data={"return_visit": result},
                request=request,
            )
            ticket.status = Status.CLOSED
        ticket.return_visit, ticket.return_visit_comment, ticket.return_visit_at = result, note, now
        ticket.save()
        HotlineReturnVisit.objects.create(
            ticket=ticket, visit_no=data["visit_no"], result=result, comment=note, deadline=new_deadline
        )
    return ticket


def _tell_rehandle(ticket: HotlineTicket, event) -> None:
    from core.notices.services import notify

    title = _("12345 ticket %(no)s to handle again") % {"no": ticket.ticket_no}
    link = {"type": "workflow.event", "id": event.pk, "url": f"/api/v1/events/{event.pk}/"}
    if event.assignee_id:
        notify(kind="hotline.rehandle", title=title, user=event.assignee, link=link)
    else:
        notify(kind="hotline.rehandle", title=title, region=event.region, role=Role.GRID_WORKER, link=link)


# bounce (退单) -----------------------------------------------------------------------------------


def bounce_request(*, ticket: HotlineTicket, actor, reason: str, request=None) -> HotlineBounce:
    """A handler asks to send the ticket back as not ours; one request waits at a time."""
    reason = _text("reason", reason, 1000)
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status not in (Status.UNROUTED, Status.HANDLING):
            raise Conflict(
                _("Only a ticket being handled or not yet routed can be bounced."),
                code=HotlineError.NOT_BOUNCEABLE,
            )
        if ticket.event is not None:
            allowed = bool(relations(actor, ticket.event) & {Actor.ASSIGNEE, Actor.HANDLER})
        else:
            allowed = selectors.reaches(actor, ticket, "hotline.route")
        if not allowed:
            raise _forbidden()
        if _has_pending_bounce(ticket):
            raise Conflict(
                _("A bounce of this ticket is waiting for a decision."), code=HotlineError.BOUNCE_PENDING
            )
        bounce = HotlineBounce.objects.create(ticket=ticket, requested_by=actor, reason=reason)
        if ticket.event is not None:
            event_step(event=ticket.event, action="bounce_request", actor=actor, note=reason, request=request)
        else:
            audit_record(actor=actor, action="hotline.bounce.request", target=ticket, request=request)
        _tell_approvers(ticket)
    return bounce


def _tell_approvers(ticket: HotlineTicket) -> None:
    from core.notices.services import notify
    from core.workflow.announce import SUPERVISOR_ROLES

    # A routed ticket's community approves; an unrouted one's region (the centre's) does, and
    # above the districts (the city, where nobody holds a role) the district staff under it.
    region = ticket.region.parent if ticket.event_id else ticket.region
    title = _("12345 ticket %(no)s: bounce to approve") % {"no": ticket.ticket_no}
    roles = SUPERVISOR_ROLES.get(region.level, (Role.DISTRICT_STAFF,)) if region else ()
    for role in roles:
        notify(kind="hotline.bounce", title=title, region=region, role=role, link=ticket)


def bounce_decide(
    *, ticket: HotlineTicket, actor, approve: bool, note: str = "", request=None
) -> HotlineBounce:
    """A supervisor of the ticket's place, not the requester, approves or refuses (with a note).
    Approved: the event is rejected, the bounce goes back to the centre and is counted."""
    note = (note or "").strip()
    if len(note) > 1000:
        raise field_error(
            "note", _("Ensure this field has no more than %(limit)d characters.") % {"limit": 1000}
        )
    if not approve and not note:
        raise field_error("note", _("Say why in the note."))
    with transaction.atomic():
        ticket = _locked(ticket)
        bounce = ticket.bounces.select_for_update().filter(state=HotlineBounce.State.PENDING).first()
        if bounce is None:
            raise Conflict(
                _("No bounce of this ticket is waiting for a decision."), code=HotlineError.NO_PENDING_BOUNCE
            )
        may = selectors.reaches(actor, ticket, "hotline.approve_bounce")
        if ticket.event is not None:
            may = may and Actor.SUPERVISOR in relations(actor, ticket.event)
        if not may or bounce.requested_by_id == getattr(actor, "pk", None):
            raise _forbidden()
        bounce.decided_by, bounce.decided_at, bounce.note = actor, timezone.now(), note
        bounce.state = HotlineBounce.State.APPROVED if approve else HotlineBounce.State.REFUSED
        bounce.save(update_fields=["decided_by", "decided_at", "note", "state"])
        if not approve:
            _step_or_audit(ticket, actor, "bounce_refused", note, request)
            return bounce
        if ticket.event is not None:
            event_step(
                event=ticket.event,
                action="bounce",
                actor=actor,
                to_state=State.REJECTED,
                note=bounce.reason,
                request=request,
            )
        else:
            audit_record(actor=actor, action="hotline.bounce.approve", target=ticket, request=request)
        ticket.status, ticket.bounce_count = Status.BOUNCED, ticket.bounce_count + 1
        ticket.save(update_fields=["status", "bounce_count", "updated_at"])
        delivery_enqueue(
            ticket=ticket,
            kind=HotlineDelivery.Kind.BOUNCE,
            payload={"reason": bounce.reason, "bounced_at": bounce.decided_at.isoformat()},
        )
    return bounce


def _step_or_audit(ticket: HotlineTicket, actor, action: str, note: str, request) -> None:
    if ticket.event is not None:
        event_step(event=ticket.event, action=action, actor=actor, note=note, request=request)
    else:
        audit_record(actor=actor, action=f"{HOTLINE_TICKET.key}.{action}", target=ticket, request=request)
