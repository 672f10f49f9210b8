"""退单: a handler asks, a supervisor (not the requester) decides; approved bounces go back and count."""

from __future__ import annotations

from affairs.hotline.models import HotlineBounce, HotlineTicket
from tests.affairs.hotline.conftest import push, ticket_body, ticket_url
from tests.helpers import client_for


def _bounce(user, ticket_id, reason="不属于本社区辖区"):
    return client_for(user).post(ticket_url(ticket_id, "bounce/"), {"reason": reason}, format="json")


def _decide(user, ticket_id, approve, note=""):
    return client_for(user).post(
        ticket_url(ticket_id, "bounce/decide/"), {"approve": approve, "note": note}, format="json"
    )


def test_a_bounce_refused_then_approved(world, centre, django_capture_on_commit_callbacks):
    ticket = HotlineTicket.objects.get(pk=push().json()["id"])
    assert _bounce(world.worker_b, ticket.pk).status_code == 404  # another community
    assert _bounce(world.lead, ticket.pk, reason="").status_code == 400
    response = _bounce(world.lead, ticket.pk)
    assert response.status_code == 201, response.content
    assert response.json()["bounces"][0]["state"] == "pending"
    # One pending request at a time.
    second = _bounce(world.grid_worker, ticket.pk)
    assert second.status_code == 409 and second.json()["error"]["code"] == "bounce_pending"

    # A grid worker lacks the permission; the secretary refuses, and must say why.
    assert _decide(world.grid_worker, ticket.pk, True).status_code == 403
    assert _decide(world.secretary, ticket.pk, False).status_code == 400
    assert _decide(world.secretary, ticket.pk, False, "属于本社区，请继续办理").status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "handling" and ticket.bounce_count == 0
    assert _decide(world.secretary, ticket.pk, True).status_code == 409  # nothing pending now

    # The secretary asks herself: she cannot approve her own request; the street can.
    assert _bounce(world.secretary, ticket.pk).status_code == 201
    own = _decide(world.secretary, ticket.pk, True)
    assert own.status_code == 403
    assert HotlineBounce.objects.filter(state="pending").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(world.street_staff, ticket.pk, True, "同意退回")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    ticket.event.refresh_from_db()
    assert (ticket.status, ticket.bounce_count, ticket.event.state) == ("bounced", 1, "rejected")
    assert [m["body"]["type"] for m in centre.received] == ["bounce"]
    assert (
        centre.received[0]["body"]["reason"] == "不属于本社区辖区" and centre.received[0]["signature_valid"]
    )
    stats = client_for(world.street_staff).get("/api/v1/hotline/statistics/").json()
    assert stats["bounced"] == 1
    # A bounced ticket is done: no more bounces or replies.
    assert _bounce(world.lead, ticket.pk).status_code == 409


def test_an_unrouted_ticket_is_bounced_by_street_staff(world, centre, django_capture_on_commit_callbacks):
    ticket = HotlineTicket.objects.get(pk=push(ticket_body(address="外省某地")).json()["id"])
    assert ticket.status == "unrouted"
    assert _bounce(world.secretary, ticket.pk).status_code == 404  # not in the community's scope
    assert _bounce(world.street_staff, ticket.pk).status_code == 201
    assert _decide(world.street_staff, ticket.pk, True).status_code == 403  # the requester
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(world.district_staff, ticket.pk, True)
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert (ticket.status, ticket.bounce_count) == ("bounced", 1)
    assert len(centre.received) == 1
