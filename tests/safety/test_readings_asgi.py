"""The device route under ASGI, answered ahead of Django's handler (PublicRoute.asgi,
core/api/asgi_shortcuts.py): the same answers as the view, and every request the middleware
would not have let through unchanged left to Django."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from core.api.asgi_shortcuts import PublicRouteShortcuts
from safety.models import Alarm, Device
from tests.safety.factories import HEARTBEAT, alarms, body, device, signed_headers

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/safety/readings/"


class Django:
    """Stands for Django's handler: answers 299 and counts what it was given."""

    def __init__(self):
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _request(
    app,
    payload: bytes,
    headers: dict[str, str],
    *,
    method="POST",
    chunks=None,
    length=True,
    host="testserver",
):
    scope_headers = [(b"host", host.encode()), (b"x-forwarded-proto", b"https")]
    if length:
        scope_headers.append((b"content-length", str(len(payload)).encode()))
    scope_headers += [
        (name.removeprefix("HTTP_").replace("_", "-").lower().encode(), v.encode())
        for name, v in headers.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": scope_headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }

    async def run():
        communicator = ApplicationCommunicator(app, scope)
        parts = chunks or [payload]
        for index, part in enumerate(parts):
            await communicator.send_input(
                {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
            )
        start = await communicator.receive_output(timeout=30)
        content = await communicator.receive_output(timeout=30)
        await communicator.wait(timeout=5)
        return start["status"], dict(start["headers"]), content.get("body", b"")

    return async_to_sync(run)()


@pytest.fixture
def shortcut(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    django = Django()
    return PublicRouteShortcuts.declared(django), django


def test_a_signed_post_is_answered_ahead_of_django_as_the_view_answers_it(world, shortcut):
    app, django = shortcut
    smoke = device(world.house_a)
    payload = body(HEARTBEAT, HEARTBEAT)
    status, headers, content = _request(app, payload, signed_headers(smoke, payload))
    assert (status, json.loads(content)) == (202, {"readings": 2, "alarms": 0, "alarm": None})
    assert (
        headers[b"content-type"] == b"application/json" and headers[b"x-content-type-options"] == b"nosniff"
    )
    assert django.calls == 0
    smoke.refresh_from_db()
    assert smoke.last_seen_at is not None

    payload = alarms(3)
    status, _headers, content = _request(app, payload, signed_headers(smoke, payload))
    assert status == 202 and Alarm.objects.get().count == 3 == json.loads(content)["alarms"]
    # Sent in parts: read whole.
    payload = alarms(2)
    status, _headers, _content = _request(
        app, payload, signed_headers(smoke, payload), chunks=[payload[:7], payload[7:]]
    )
    assert status == 202 and Alarm.objects.get().count == 5


def test_refusals_are_the_view_s_and_write_nothing(world, shortcut):
    app, django = shortcut
    smoke = device(world.house_a)
    payload = alarms(1)
    forged = {**signed_headers(smoke, payload), "HTTP_X_DEVICE_SIGNATURE": "0" * 64}
    status, _headers, content = _request(app, payload, forged)
    assert status == 401 and json.loads(content)["error"]["code"] == "bad_signature"
    signed = signed_headers(smoke, payload)
    assert _request(app, payload, signed)[0] == 202
    assert _request(app, payload, signed)[0] == 401  # replayed
    malformed = b'{"readings": []}'
    status, _headers, content = _request(app, malformed, signed_headers(smoke, malformed))
    assert status == 400 and json.loads(content)["error"]["code"] == "malformed_readings"
    longer = body(HEARTBEAT)
    status, _headers, _content = _request(
        app, longer[:5], signed_headers(smoke, longer), chunks=[longer[:5], longer[5:]]
    )
    assert status == 400  # more than its Content-Length said
    assert Alarm.objects.get().count == 1 and django.calls == 0
    assert Device.objects.get(pk=smoke.pk).offline_since is None


def test_what_the_middleware_would_not_let_through_unchanged_goes_to_django(world, shortcut, settings):
    app, django = shortcut
    smoke = device(world.house_a)
    payload = body(HEARTBEAT)
    signed = signed_headers(smoke, payload)
    assert _request(app, payload, signed, method="GET")[0] == 299
    assert _request(app, payload, signed, length=False)[0] == 299  # no Content-Length (chunked)
    assert _request(app, payload, signed, host="elsewhere.example")[0] == 299
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(payload) - 1
    assert _request(app, payload, signed)[0] == 299
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_SCHEME", "https")  # not what the proxy sent
    assert _request(app, payload, signed)[0] == 299  # Django redirects to HTTPS
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert django.calls == 5
    smoke.refresh_from_db()
    assert smoke.last_seen_at is None
    assert _request(app, payload, signed)[0] == 202
