"""The device route under ASGI, answered ahead of Django's handler (PublicRoute.asgi,
core/api/asgi_shortcuts.py): the same answers as the view, and every request the middleware
would not have let through unchanged left to Django."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.utils import timezone

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


def _left_to_threads(monkeypatch) -> list[str]:
    """The posts the route leaves to a worker thread (`ingest`, safety/api/readings.py), and the
    messages the event loop hands on to one (`apply_checked`), in order."""
    from safety import ingestion_loop
    from safety.api import readings

    calls: list[str] = []
    ingest, apply_checked = readings.ingest, ingestion_loop.apply_checked

    def ingested(**kwargs):
        calls.append("ingest")
        return ingest(**kwargs)

    def applied(*args, **kwargs):
        calls.append("changed" if kwargs.get("changed") else "apply")
        return apply_checked(*args, **kwargs)

    monkeypatch.setattr(readings, "ingest", ingested)
    monkeypatch.setattr(ingestion_loop, "apply_checked", applied)
    return calls


@pytest.mark.postgres
def test_heartbeats_of_a_known_device_are_applied_on_the_event_loop_with_every_check(
    world, shortcut, monkeypatch
):
    from safety import ingestion_loop

    app, django = shortcut
    threads = _left_to_threads(monkeypatch)
    came_back = []
    monkeypatch.setattr(ingestion_loop, "mark_changed", came_back.extend)
    smoke = device(world.house_a)
    payload = body(HEARTBEAT)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 202
    assert threads == ["ingest"]  # its key read (and kept) in a thread

    # Back from offline, on the loop: online again and its place's summaries marked.
    Device.objects.filter(pk=smoke.pk).update(offline_since=timezone.now(), last_seen_at=None)
    payload = body(HEARTBEAT, HEARTBEAT)
    signed = signed_headers(smoke, payload)
    status, headers, content = _request(app, payload, signed)
    assert (status, json.loads(content)) == (202, {"readings": 2, "alarms": 0, "alarm": None})
    assert headers[b"content-type"] == b"application/json" and headers[b"x-frame-options"] == b"DENY"
    assert threads == ["ingest"] and came_back == [smoke.region_path]
    smoke.refresh_from_db()
    assert smoke.offline_since is None and smoke.last_seen_at is not None

    # The same message again: refused, nothing written.
    Device.objects.filter(pk=smoke.pk).update(last_seen_at=None)
    status, _headers, content = _request(app, payload, signed)
    assert status == 401 and json.loads(content)["error"]["code"] == "bad_signature"
    assert Device.objects.get(pk=smoke.pk).last_seen_at is None

    # Alarms keep their transaction, in a thread; a forged post is checked there too.
    payload = alarms(2)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 202
    forged = {**signed_headers(smoke, body(HEARTBEAT)), "HTTP_X_DEVICE_SIGNATURE": "0" * 64}
    assert _request(app, body(HEARTBEAT), forged)[0] == 401
    assert threads == ["ingest"] * 3 and Alarm.objects.get().count == 2 and django.calls == 0


@pytest.mark.postgres
def test_a_kept_key_on_the_event_loop_never_outlives_a_new_secret_or_the_device_s_retirement(
    world, shortcut, monkeypatch
):
    app, _django = shortcut
    threads = _left_to_threads(monkeypatch)
    smoke = device(world.house_a)
    payload = body(HEARTBEAT)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 202
    seen = Device.objects.get(pk=smoke.pk).last_seen_at

    Device.objects.filter(pk=smoke.pk).update(secret="a-new-secret", last_seen_at=seen)
    payload = body(HEARTBEAT)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 401  # the old secret
    assert threads == ["ingest", "changed"]  # the loop's guarded statement matched nothing
    assert Device.objects.get(pk=smoke.pk).last_seen_at == seen
    smoke.secret = "a-new-secret"
    payload = body(HEARTBEAT)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 202

    Device.objects.filter(pk=smoke.pk).update(retired_at=timezone.now(), last_seen_at=seen)
    payload = body(HEARTBEAT)
    assert _request(app, payload, signed_headers(smoke, payload))[0] == 401
    assert Device.objects.get(pk=smoke.pk).last_seen_at == seen


@pytest.mark.postgres
def test_a_connection_lost_on_the_event_loop_loses_no_heartbeat_and_is_made_again(world, monkeypatch):
    from django.db import connection

    from safety import ingestion_loop

    threads = _left_to_threads(monkeypatch)
    smoke = device(world.house_a)

    async def heartbeat():
        payload = body(HEARTBEAT)
        signed = signed_headers(smoke, payload)
        timestamp, signature = signed["HTTP_X_DEVICE_TIMESTAMP"], signed["HTTP_X_DEVICE_SIGNATURE"]
        return await ingestion_loop.ingest_on_loop(
            serial=smoke.serial, timestamp=timestamp, given_signature=signature, body=payload
        )

    def lose_connection():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [ingestion_loop._current.database.info.backend_pid]
            )
        Device.objects.filter(pk=smoke.pk).update(last_seen_at=None)

    from safety import ingestion

    async def run():
        assert await heartbeat() is None  # its key is not kept yet: left to a thread
        await sync_to_async(ingestion.device_key)(smoke.serial)
        assert (await heartbeat()).readings == 1
        await sync_to_async(lose_connection)()
        assert (await heartbeat()).readings == 1  # applied in a thread
        assert (await heartbeat()).readings == 1  # on the loop, connected again
        return threads

    assert async_to_sync(run)() == ["apply"]
    assert Device.objects.get(pk=smoke.pk).last_seen_at is not None
