"""The hotline adapter's world (the affairs one, tests/affairs/conftest.py), a signed client for
the centre's requests, and a real local HTTP server standing in for the hotline centre's reply endpoint."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from affairs.hotline.signing import signature
from tests.helpers import client_for
from tests.world import World

SECRET = "test-hotline-secret"
CENTRE_CODE = "340202100"


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The tasks of this part run in-process in both modes (tests/conftest.py)."""


@dataclass
class CentreServer:
    """The hotline centre's reply endpoint: records what arrives and checks its signature."""

    url: str = ""
    received: list[dict] = field(default_factory=list)
    answer_status: int = 200


@pytest.fixture
def centre(settings):
    state = CentreServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Hotline-Timestamp", "")
            path = urlsplit(self.path).path
            valid = signature(SECRET, "POST", path, timestamp, body) == self.headers.get(
                "X-Hotline-Signature"
            )
            state.received.append(
                {"body": json.loads(body), "signature_valid": valid, "headers": dict(self.headers)}
            )
            self.send_response(state.answer_status if valid else 401)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/reply"
    settings.HOTLINE_REPLY_URL = state.url
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(world: World, settings) -> World:
    """The affairs world, its street being the hotline centre's region."""
    settings.HOTLINE_SECRET = SECRET
    settings.HOTLINE_REGION_CODE = CENTRE_CODE
    settings.HOTLINE_REPLY_URL = "http://127.0.0.1:9/unused"
    world.street.code = CENTRE_CODE
    world.street.save()
    return world


def ticket_body(ticket_no: str = "GD202401010001", **overrides) -> dict:
    received = timezone.now() - timedelta(hours=1)
    body = {
        "ticket_no": ticket_no,
        "category": "环境卫生",
        "content": "楼道堆放杂物，影响通行",
        "address": "滨江路１号　1栋101",  # full-width digit and space: normalised to match
        "caller_name": "王小明",
        "caller_phone": "13912345678",
        "received_at": received.isoformat(),
        "deadline": (received + timedelta(days=5)).isoformat(),
    }
    body.update(overrides)
    return body


def signed_post(
    path: str, body, *, secret: str = SECRET, timestamp: int | None = None, raw: bytes | None = None
):
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    headers = {
        "HTTP_X_HOTLINE_TIMESTAMP": stamp,
        "HTTP_X_HOTLINE_SIGNATURE": signature(secret, "POST", path, stamp, data),
    }
    return APIClient().post(path, data=data, content_type="application/json", **headers)


PUSH = "/api/v1/hotline/push/"
VISITS = "/api/v1/hotline/return-visits/"


def push(body=None, **kwargs):
    return signed_post(PUSH, body if body is not None else ticket_body(), **kwargs)


def ticket_url(ticket_id: int, suffix: str = "") -> str:
    return f"/api/v1/hotline/tickets/{ticket_id}/{suffix}"


def transition(user, event_id: int, action: str, **extra):
    response = client_for(user).post(
        f"/api/v1/events/{event_id}/transition/", {"action": action, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response
