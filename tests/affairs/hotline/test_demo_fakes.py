"""`make demo` lets a newcomer try the 12345 hotline and WeChat sign-in with nothing outside
(DEMO_FAKES): a demo secret, replies written as signed files they can read, a fake WeChat
provider. Production refuses all of it."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from affairs.hotline import signing
from affairs.hotline.delivery import reply_url_problem
from affairs.hotline.models import HotlineDelivery, HotlineTicket
from core.accounts.models import ExternalIdentity
from tests.affairs.hotline.conftest import push, ticket_body, ticket_url, transition
from tests.config.test_settings import PRODUCTION_ENV, run_manage
from tests.helpers import assert_error, client_for

WECHAT_URL = "/api/v1/accounts/wechat/login/"


def test_production_refuses_the_demo_fakes():
    result = run_manage("check", DEMO_FAKES="true", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "smartcommunity: configuration error: DEMO_FAKES is refused when DJANGO_ENV=production"
    ]
    assert reply_url_problem("file:///srv/replies", production=True)
    assert reply_url_problem("file:///srv/replies", production=False) is None


def test_the_fake_wechat_signs_the_same_demo_resident_in_again(db, api_client, settings):
    settings.WECHAT_FAKE = True
    settings.WECHAT_APP_ID = ""
    first = api_client.post(WECHAT_URL, {"code": "alice"})
    assert first.status_code == 201, first.content
    again = api_client.post(WECHAT_URL, {"code": "alice"})
    assert again.status_code == 200
    assert list(ExternalIdentity.objects.values_list("provider", "subject")) == [("wechat", "demo-alice")]
    assert_error(api_client.post(WECHAT_URL, {"code": "no spaces"}), 400, "invalid_code", ["code"])


def test_replies_go_to_a_folder_signed_as_sent(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.HOTLINE_REPLY_URL = (tmp_path / "deliveries").as_uri()
    body = ticket_body()
    assert push(body).status_code == 201
    ticket = HotlineTicket.objects.get(ticket_no=body["ticket_no"])
    for action, extra in (("accept", {}), ("assign", {"assignee": world.lead.pk}), ("start", {})):
        transition(world.lead, ticket.event_id, action, **extra)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client_for(world.lead).post(
            ticket_url(ticket.pk, "reply/"), {"text": "已处理"}, format="json"
        )
    assert reply.status_code == 200, reply.content
    delivery = HotlineDelivery.objects.get()
    assert delivery.state == "sent"
    written = json.loads((tmp_path / "deliveries" / f"{delivery.pk}-reply.json").read_text(encoding="utf-8"))
    assert written["body"]["reply"] == "已处理" and written["body"]["ticket_no"] == body["ticket_no"]
    raw = json.dumps(written["body"], ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = written["headers"][signing.TIMESTAMP_HEADER]
    path = urlsplit(settings.HOTLINE_REPLY_URL).path
    expected = signing.signature(settings.HOTLINE_SECRET, "POST", path, timestamp, raw)
    assert written["headers"][signing.SIGNATURE_HEADER] == expected


def test_hotline_send_posts_signed_like_the_centre(settings):
    settings.HOTLINE_SECRET = "demo-hotline-secret"
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received["path"] = self.path
            received["headers"] = dict(self.headers)
            received["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(201)
            self.end_headers()
            self.wfile.write(b'{"id": 1}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.handle_request, daemon=True).start()
    out = io.StringIO()
    call_command(
        "hotline_send",
        "push",
        json.dumps(ticket_body()),
        url=f"http://127.0.0.1:{server.server_port}",
        stdout=out,
    )
    server.server_close()
    assert out.getvalue().startswith("201 ")
    assert received["path"] == "/api/v1/hotline/push/"
    timestamp = received["headers"][signing.TIMESTAMP_HEADER]
    expected = signing.signature("demo-hotline-secret", "POST", received["path"], timestamp, received["body"])
    assert received["headers"][signing.SIGNATURE_HEADER] == expected


def test_hotline_send_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("hotline_send", "push", "{}")
