"""Push → routed by address → handled as an event → reply delivered to the centre → 重办 → closed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from affairs.hotline.models import HotlineDelivery, HotlineTicket
from core.notices.models import Notice
from core.outbox.relay import relay_all_pending
from core.workflow.models import Event
from tests.affairs.hotline.conftest import VISITS, push, signed_post, ticket_body, ticket_url, transition
from tests.helpers import client_for


def _reply(user, ticket_id: int, text: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(ticket_url(ticket_id, "reply/"), {"text": text}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_hotline_round_trip(world, centre, django_capture_on_commit_callbacks):
    body = ticket_body()
    response = push(body)
    assert response.status_code == 201, response.content
    ticket = HotlineTicket.objects.get(pk=response.json()["id"])
    # Routed by the normalised address to the house's grid; the event keeps the ticket's deadline.
    assert ticket.status == "handling"
    assert ticket.region_id == world.grid_a1.pk
    event = ticket.event
    assert (event.type, event.source, event.external_ref) == ("hotline.ticket", "external", body["ticket_no"])
    assert event.house_id == world.house_a.pk and event.reporter_id is None
    assert event.assignee_id == world.lead.pk
    assert event.deadline == ticket.deadline

    # A repeat of the push answers 200 with the same ticket and changes nothing.
    again = push(body)
    assert again.status_code == 200 and again.json()["id"] == ticket.pk
    assert HotlineTicket.objects.count() == 1 and Event.objects.count() == 1

    # Handled through the engine's generic actions.
    transition(world.lead, event.pk, "accept")
    transition(world.lead, event.pk, "assign", assignee=world.lead.pk)
    transition(world.lead, event.pk, "start")
    event.refresh_from_db()
    assert event.deadline == ticket.deadline  # acceptance kept the outside deadline

    detail = _reply(world.lead, ticket.pk, "已清理楼道杂物", django_capture_on_commit_callbacks)
    assert detail["status"] == "replied" and detail["event_state"] == "resolved"
    assert detail["caller_name"] == "王**" and detail["caller_phone"] == "139****5678"
    # The centre received the signed reply.
    assert len(centre.received) == 1
    message = centre.received[0]
    assert message["signature_valid"]
    assert message["body"]["type"] == "reply"
    assert message["body"]["ticket_no"] == body["ticket_no"]
    assert message["body"]["reply"] == "已清理楼道杂物"
    assert HotlineDelivery.objects.get().state == "sent"

    # Unsatisfied at the return visit: reopened with the centre's new deadline (重办).
    new_deadline = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    visit = {
        "ticket_no": body["ticket_no"],
        "visit_no": "HF-1",
        "result": "unsatisfied",
        "comment": "仍有杂物",
        "deadline": new_deadline.isoformat(),
    }
    response = signed_post(VISITS, visit)
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    event.refresh_from_db()
    assert (ticket.status, ticket.rehandled_count, event.state) == ("handling", 1, "reopened")
    assert event.deadline == new_deadline == ticket.deadline
    assert Notice.objects.filter(kind="hotline.rehandle", recipient=world.lead).exists()
    # The centre sending the same visit again changes nothing.
    assert signed_post(VISITS, visit).status_code == 200
    ticket.refresh_from_db()
    assert ticket.rehandled_count == 1

    transition(world.lead, event.pk, "assign", assignee=world.lead.pk)
    transition(world.lead, event.pk, "start")
    _reply(world.lead, ticket.pk, "已再次清理并张贴告示", django_capture_on_commit_callbacks)
    assert len(centre.received) == 2 and centre.received[1]["body"]["rehandled"] == 1

    response = signed_post(
        VISITS, {"ticket_no": body["ticket_no"], "visit_no": "HF-2", "result": "satisfied"}
    )
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    event.refresh_from_db()
    assert (ticket.status, ticket.return_visit, event.state) == ("closed", "satisfied", "closed")
    actions = list(event.transitions.values_list("action", flat=True))
    assert actions == [
        "report",
        "accept",
        "assign",
        "start",
        "reply",
        "reopen",
        "assign",
        "start",
        "reply",
        "close",
    ]


def test_reply_only_in_progress_and_by_a_handler(world, centre):
    ticket = HotlineTicket.objects.get(pk=push().json()["id"])
    url = ticket_url(ticket.pk, "reply/")
    response = client_for(world.lead).post(url, {"text": "好了"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_in_progress"
    transition(world.lead, ticket.event_id, "accept")
    transition(world.lead, ticket.event_id, "assign", assignee=world.lead.pk)
    transition(world.lead, ticket.event_id, "start")
    # Another community's worker does not see the ticket at all.
    assert client_for(world.worker_b).post(url, {"text": "好了"}, format="json").status_code == 404
    assert client_for(world.worker_b).get(ticket_url(ticket.pk)).status_code == 404
    # Reply and close are the adapter's steps, not the engine's generic actions.
    response = client_for(world.lead).post(
        f"/api/v1/events/{ticket.event_id}/transition/", {"action": "resolve", "note": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "own_process"
    assert client_for(world.lead).post(url, {"text": ""}, format="json").status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == "handling" and not ticket.deliveries.exists()


def test_a_failed_delivery_is_recorded_and_retried_later(world, centre, django_capture_on_commit_callbacks):
    ticket = HotlineTicket.objects.get(pk=push().json()["id"])
    for action in ("accept", "assign", "start"):
        transition(
            world.lead, ticket.event_id, action, **({"assignee": world.lead.pk} if action == "assign" else {})
        )
    centre.answer_status = 503
    _reply(world.lead, ticket.pk, "已处理", django_capture_on_commit_callbacks)
    delivery = HotlineDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 503")
    # The next attempt waits in the outbox with its countdown; when due, the relay sends it.
    from core.outbox.models import OutboxMessage

    retry = OutboxMessage.objects.get(idempotency_key=f"hotline:delivery:{delivery.pk}:2")
    assert retry.available_at > timezone.now() + timedelta(seconds=30)
    centre.answer_status = 200
    OutboxMessage.objects.filter(pk=retry.pk).update(available_at=timezone.now())
    relay_all_pending()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert len(centre.received) == 2


def test_an_overdue_ticket_escalates_on_its_own_deadline(world):
    from core.workflow.escalation import escalate_overdue

    received = timezone.now() - timedelta(days=3)
    ticket = HotlineTicket.objects.get(
        pk=push(
            ticket_body(received_at=received.isoformat(), deadline=(received + timedelta(days=1)).isoformat())
        ).json()["id"]
    )
    transition(world.lead, ticket.event_id, "accept")
    assert escalate_overdue() == [ticket.event_id]
    ticket.event.refresh_from_db()
    assert ticket.event.state == "escalated" and ticket.event.escalated_to_id == world.community_a.pk
    listed = client_for(world.secretary).get("/api/v1/hotline/tickets/?overdue=true").json()
    assert [row["id"] for row in listed["results"]] == [ticket.pk]
