"""The signed push: refused requests answer in the one error shape and write nothing."""

from __future__ import annotations

import time

import pytest

from affairs.hotline.models import HotlineTicket
from core.audit.models import AuditEvent
from core.workflow.models import Event
from tests.affairs.hotline.conftest import PUSH, VISITS, push, signed_post, ticket_body, ticket_url
from tests.helpers import client_for


def _nothing_written():
    assert not HotlineTicket.objects.exists()
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="hotline.").exists()


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "wrong-secret"},
        {"clock_offset": -301},
        {"clock_offset": 400},
    ],
    ids=["bad signature", "stale timestamp", "future timestamp"],
)
def test_a_badly_signed_push_is_refused(world, kwargs):
    # The timestamp is taken when the test runs, not when the module is collected: a long run
    # would otherwise bring a "future" timestamp inside the window.
    if "clock_offset" in kwargs:
        kwargs = {"timestamp": int(time.time()) + kwargs.pop("clock_offset")}
    _error(push(**kwargs), 401, "bad_signature")
    _nothing_written()


def test_unsigned_and_tampered_pushes_are_refused(world):
    from rest_framework.test import APIClient

    _error(APIClient().post(PUSH, ticket_body(), format="json"), 401, "bad_signature")
    # Signed over one body, sent with another.
    import json

    from affairs.hotline.signing import signature
    from tests.affairs.hotline.conftest import SECRET

    stamp = str(int(time.time()))
    signed = signature(SECRET, "POST", PUSH, stamp, json.dumps(ticket_body()).encode())
    tampered = json.dumps(ticket_body(content="改过的内容")).encode()
    response = APIClient().post(
        PUSH,
        data=tampered,
        content_type="application/json",
        HTTP_X_HOTLINE_TIMESTAMP=stamp,
        HTTP_X_HOTLINE_SIGNATURE=signed,
    )
    _error(response, 401, "bad_signature")
    _nothing_written()


def test_without_a_secret_the_push_answers_503(world, settings):
    settings.HOTLINE_SECRET = ""
    _error(push(secret=""), 503, "hotline_not_configured")
    _error(signed_post(VISITS, {"ticket_no": "X1", "visit_no": "V1", "result": "satisfied"}, secret=""), 503)
    _nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"content": "长" * 5001}, "content"),
        ({"category": ["环境"]}, "category"),
        ({"ticket_no": 12345}, "ticket_no"),
        ({"ticket_no": "GD 1/../x"}, "ticket_no"),
        ({"ticket_no": "A" * 65}, "ticket_no"),
        ({"caller_phone": "call me maybe"}, "caller_phone"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"deadline": 20240101}, "deadline"),
        ({"deadline": "2020-01-01T00:00:00+08:00"}, "deadline"),
        ({"longitude": "east", "latitude": 31.3}, "longitude"),
        ({"longitude": 118.4}, "latitude"),
        ({"address": "路" * 256}, "address"),
    ],
)
def test_malformed_fields_are_named(world, overrides, field):
    error = _error(push(ticket_body(**overrides)), 400)
    assert field in error["fields"], error
    _nothing_written()


def test_missing_fields_and_bodies_that_are_not_objects(world):
    body = ticket_body()
    del body["deadline"]
    assert "deadline" in _error(push(body), 400)["fields"]
    _error(push(raw=b"[1, 2, 3]"), 400)
    _error(push(raw=b"{not json"), 400, "malformed_request")
    _error(push(raw="\u00ff".encode("latin-1")), 400, "malformed_request")
    _error(push(raw=b"[" * 100_000 + b"]" * 100_000), 400, "malformed_request")
    _nothing_written()


def test_a_body_over_the_upload_limit_is_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    _error(push(ticket_body(content="长" * 600)), 413, "payload_too_large")
    _nothing_written()


def test_an_unresolved_address_is_routed_by_street_staff(world):
    response = push(ticket_body(address="不存在的路99号"))
    assert response.status_code == 201
    ticket = HotlineTicket.objects.get(pk=response.json()["id"])
    assert (ticket.status, ticket.region_id, ticket.event_id) == ("unrouted", world.street.pk, None)
    # Community and grid workers do not see it; the street does.
    assert client_for(world.lead).get(ticket_url(ticket.pk)).status_code == 404
    assert client_for(world.secretary).get(ticket_url(ticket.pk)).status_code == 404
    listed = client_for(world.street_staff).get("/api/v1/hotline/tickets/?status=unrouted").json()["results"]
    assert [row["id"] for row in listed] == [ticket.pk]

    route = ticket_url(ticket.pk, "route/")
    # A community's secretary may not route; an unknown or out-of-scope target is the not-found 400.
    assert (
        client_for(world.secretary).post(route, {"grid": world.grid_a2.pk}, format="json").status_code == 403
    )
    for payload, field in (
        ({"grid": 999999}, "grid"),
        ({"house": 999999}, "house"),
        ({"grid": world.community_a.pk}, "grid"),
    ):
        error = _error(client_for(world.street_staff).post(route, payload, format="json"), 400)
        assert error["fields"][field] == ["未找到该编号对应的记录。"]
    _error(client_for(world.street_staff).post(route, {}, format="json"), 400)
    ticket.refresh_from_db()
    assert ticket.status == "unrouted"

    response = client_for(world.street_staff).post(route, {"grid": world.grid_a2.pk}, format="json")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert (ticket.status, ticket.region_id) == ("handling", world.grid_a2.pk)
    assert ticket.event.region_id == world.grid_a2.pk
    assert ticket.event.deadline == ticket.deadline
    assert client_for(world.secretary).get(ticket_url(ticket.pk)).status_code == 200
    _error(
        client_for(world.street_staff).post(route, {"grid": world.grid_a1.pk}, format="json"),
        409,
        "already_routed",
    )


def test_a_ticket_is_routed_by_its_point_when_the_address_does_not_resolve(world):
    world.grid_b1.boundary = {
        "type": "Polygon",
        "coordinates": [[[118.0, 31.0], [118.1, 31.0], [118.1, 31.1], [118.0, 31.1], [118.0, 31.0]]],
    }
    world.grid_b1.save()
    response = push(ticket_body(address="", longitude=118.05, latitude=31.05))
    ticket = HotlineTicket.objects.get(pk=response.json()["id"])
    assert (ticket.status, ticket.region_id) == ("handling", world.grid_b1.pk)


def test_a_return_visit_for_an_unknown_or_unreplied_ticket(world):
    error = _error(signed_post(VISITS, {"ticket_no": "NOPE1", "visit_no": "V1", "result": "satisfied"}), 400)
    assert "ticket_no" in error["fields"]
    push()
    visit = {"ticket_no": "GD202401010001", "visit_no": "V1", "result": "satisfied"}
    _error(signed_post(VISITS, visit), 409, "not_replied")
    _error(signed_post(VISITS, {**visit, "result": "great"}), 400)
    assert HotlineTicket.objects.get().status == "handling"
