"""Security review fixes to the messages: return visits by visit number, signatures bound to method
and path, deliveries that never follow a redirect, and a given-up delivery someone hears about."""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from affairs.hotline import delivery as delivery_module
from affairs.hotline.apps import check_reply_url
from affairs.hotline.delivery import delivery_attempt, reply_url_problem
from affairs.hotline.models import HotlineDelivery, HotlineTicket
from affairs.hotline.signing import signature
from core.accounts.roles import Role
from core.notices.models import Notice
from tests.affairs.hotline.conftest import (
    PUSH,
    SECRET,
    VISITS,
    push,
    signed_post,
    ticket_body,
    ticket_url,
    transition,
)
from tests.helpers import client_for


def _replied(world, django_capture_on_commit_callbacks, ticket=None, text="已处理") -> HotlineTicket:
    ticket = ticket or HotlineTicket.objects.get(pk=push().json()["id"])
    ticket.refresh_from_db()
    if ticket.event.state == "reported":
        transition(world.lead, ticket.event_id, "accept")
    transition(world.lead, ticket.event_id, "assign", assignee=world.lead.pk)
    transition(world.lead, ticket.event_id, "start")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.lead).post(ticket_url(ticket.pk, "reply/"), {"text": text}, format="json")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    return ticket


def test_a_replayed_unsatisfied_visit_does_not_reopen_the_ticket_again(
    world, centre, django_capture_on_commit_callbacks
):
    ticket = _replied(world, django_capture_on_commit_callbacks)
    visit = {"ticket_no": ticket.ticket_no, "visit_no": "HF-1", "result": "unsatisfied", "comment": "没修好"}
    assert signed_post(VISITS, visit).status_code == 200
    ticket = _replied(world, django_capture_on_commit_callbacks, ticket, "已再次处理")
    assert (ticket.status, ticket.rehandled_count) == ("replied", 1)
    # The captured visit replayed within the signature's window, after the new reply: no effect.
    response = signed_post(VISITS, visit)
    assert response.status_code == 200 and response.json()["status"] == "replied"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rehandled_count, ticket.event.state) == ("replied", 1, "resolved")
    assert ticket.return_visits.count() == 1
    # The same visit number saying something else is a conflict; without one, a 400 naming it.
    changed = signed_post(VISITS, {**visit, "result": "satisfied"})
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "visit_conflict"
    missing = signed_post(VISITS, {"ticket_no": ticket.ticket_no, "result": "satisfied"})
    assert missing.status_code == 400 and "visit_no" in missing.json()["error"]["fields"]
    # A new visit number is a new visit.
    assert signed_post(VISITS, {**visit, "visit_no": "HF-2", "result": "satisfied"}).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def _post_signed_as(path: str, *, method: str, signed_path: str, body: bytes):
    stamp = str(int(time.time()))
    return APIClient().post(
        path,
        data=body,
        content_type="application/json",
        HTTP_X_HOTLINE_TIMESTAMP=stamp,
        HTTP_X_HOTLINE_SIGNATURE=signature(SECRET, method, signed_path, stamp, body),
    )


def test_a_signature_holds_only_for_its_method_and_path(world, centre, django_capture_on_commit_callbacks):
    body = b'{"ticket_no": "GD-1", "visit_no": "V1", "result": "satisfied"}'
    for method, signed_path in (("POST", PUSH), ("GET", VISITS), ("POST", "/reply")):
        response = _post_signed_as(VISITS, method=method, signed_path=signed_path, body=body)
        assert response.status_code == 401 and response.json()["error"]["code"] == "bad_signature"
    assert _post_signed_as(VISITS, method="POST", signed_path=VISITS, body=body).status_code == 400

    # A message we sent the centre, posted back to us with its own headers, is refused.
    _replied(world, django_capture_on_commit_callbacks)
    sent = centre.received[0]
    assert sent["signature_valid"]
    import json

    raw = json.dumps(sent["body"], ensure_ascii=False, separators=(",", ":")).encode()
    response = APIClient().post(
        PUSH,
        data=raw,
        content_type="application/json",
        HTTP_X_HOTLINE_TIMESTAMP=sent["headers"]["X-Hotline-Timestamp"],
        HTTP_X_HOTLINE_SIGNATURE=sent["headers"]["X-Hotline-Signature"],
    )
    assert response.status_code == 401


@pytest.fixture
def redirecting_centre(settings, centre):
    """A reply URL answering 302 to another host (the recording `centre`)."""

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(302)
            self.send_header("Location", centre.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.HOTLINE_REPLY_URL = f"http://127.0.0.1:{server.server_address[1]}/reply"
    yield centre
    server.shutdown()
    server.server_close()


def test_a_redirect_is_a_failed_attempt_and_the_signature_goes_nowhere_else(
    world, redirecting_centre, django_capture_on_commit_callbacks
):
    _replied(world, django_capture_on_commit_callbacks)
    delivery = HotlineDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("HTTP 302")
    assert redirecting_centre.received == []


def test_the_reply_url_must_be_https_in_production(
    world, settings, caplog, django_capture_on_commit_callbacks
):
    assert reply_url_problem("http://centre.example/reply", production=False) is None
    assert "https" in reply_url_problem("http://centre.example/reply", production=True)
    assert reply_url_problem("https://centre.example/reply", production=True) is None
    assert reply_url_problem("ftp://centre.example/reply", production=False)
    assert reply_url_problem("", production=True) is None  # unset: deliveries wait for it

    settings.PRODUCTION = True
    settings.HOTLINE_REPLY_URL = "http://centre.example/reply"
    with pytest.raises(SystemExit, match="configuration error: HOTLINE_REPLY_URL must be an https"):
        check_reply_url()
    # Changed under a running worker: the attempt fails with the reason logged, nothing is sent.
    with caplog.at_level(logging.ERROR, logger="smartcommunity.hotline"):
        _replied(world, django_capture_on_commit_callbacks)
    delivery = HotlineDelivery.objects.get()
    assert delivery.state == "pending" and "https" in delivery.last_error
    assert "https" in caplog.text
    settings.HOTLINE_REPLY_URL = "https://centre.example/reply"
    check_reply_url()


def test_a_given_up_delivery_tells_the_street_staff(world, centre, django_capture_on_commit_callbacks):
    centre.answer_status = 503
    ticket = _replied(world, django_capture_on_commit_callbacks)
    delivery = HotlineDelivery.objects.get()
    assert not Notice.objects.filter(kind="hotline.delivery_failed").exists()
    HotlineDelivery.objects.filter(pk=delivery.pk).update(attempts=delivery_module.MAX_ATTEMPTS - 1)
    assert delivery_attempt(delivery.pk) == "failed"
    notice = Notice.objects.get(kind="hotline.delivery_failed")
    assert (notice.region_id, notice.role) == (world.street.pk, Role.STREET_STAFF)
    assert ticket.ticket_no in notice.title and "HTTP 503" in notice.body
    assert notice.link_id == str(ticket.pk)


def test_a_given_up_delivery_of_an_unrouted_ticket_goes_to_the_centres_region(world, centre, settings):
    settings.HOTLINE_REGION_CODE = world.district.code
    ticket = HotlineTicket.objects.get(pk=push(ticket_body(address="外省某地")).json()["id"])
    assert ticket.region_id == world.district.pk
    delivery = HotlineDelivery.objects.create(
        ticket=ticket, kind="bounce", payload={}, attempts=delivery_module.MAX_ATTEMPTS - 1
    )
    centre.answer_status = 500
    assert delivery_attempt(delivery.pk) == "failed"
    notice = Notice.objects.get(kind="hotline.delivery_failed")
    assert (notice.region_id, notice.role) == (world.district.pk, Role.STREET_STAFF)
