"""Residents bind their record by ID number and a one-time code, and sign in with WeChat."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from core.accounts.models import ExternalIdentity, OneTimeCode, ResidentBinding, RoleAssignment
from core.accounts.roles import Role
from core.accounts.sms import MemorySmsBackend
from core.regions.scoping import scope_for
from tests.helpers import assert_error
from tests.world import id_number, make_resident_record, make_user

CODE_URL = "/api/v1/accounts/binding/code/"
BIND_URL = "/api/v1/accounts/binding/"
WECHAT_URL = "/api/v1/accounts/wechat/login/"


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox = []
    return MemorySmsBackend.outbox


@pytest.fixture
def record(world):
    number = id_number()
    resident = make_resident_record(world.grid_a1, number=number, phone="13912345678")
    resident.plain_id_number = number
    return resident


def last_code(outbox) -> str:
    return "".join(ch for ch in outbox[-1].text.split("验证码")[1][:8] if ch.isdigit())


def test_a_code_binds_the_record_to_a_new_account_that_signs_in(
    record, api_client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(CODE_URL, {"id_number": record.plain_id_number}, REMOTE_ADDR="10.5.0.1")
    assert response.status_code == 202
    assert outbox[-1].phone == "13912345678"
    code = last_code(outbox)
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    bound = api_client.post(BIND_URL, {"id_number": record.plain_id_number, "code": code})
    assert bound.status_code == 201, bound.content
    binding = ResidentBinding.objects.get(resident=record)
    assert RoleAssignment.objects.current().filter(user=binding.user, role=Role.RESIDENT).exists()
    assert scope_for(binding.user).resident_ids == (record.pk,)
    # The code works once.
    assert_error(
        api_client.post(BIND_URL, {"id_number": record.plain_id_number, "code": code}), 400, "invalid_code"
    )


def test_an_unknown_id_number_gets_the_same_answer_and_no_sms(world, api_client, outbox):
    response = api_client.post(CODE_URL, {"id_number": id_number()})
    assert response.status_code == 202 and outbox == []


def test_a_wrong_or_expired_code_is_refused(record, api_client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(CODE_URL, {"id_number": record.plain_id_number})
    code = last_code(outbox)
    assert_error(
        api_client.post(
            BIND_URL,
            {"id_number": record.plain_id_number, "code": "000000" if code != "000000" else "111111"},
        ),
        400,
        "invalid_code",
    )
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(
        api_client.post(BIND_URL, {"id_number": record.plain_id_number, "code": code}), 400, "invalid_code"
    )
    assert not ResidentBinding.objects.filter(resident=record).exists()


def test_one_code_a_minute_and_a_daily_cap_per_phone(record, api_client, settings):
    assert api_client.post(CODE_URL, {"id_number": record.plain_id_number}).status_code == 202
    assert_error(api_client.post(CODE_URL, {"id_number": record.plain_id_number}), 429, "throttled")
    settings.ONE_TIME_CODE_DAILY_LIMIT_PER_PHONE = 2
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert api_client.post(CODE_URL, {"id_number": record.plain_id_number}).status_code == 202
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert_error(api_client.post(CODE_URL, {"id_number": record.plain_id_number}), 429, "throttled")


def test_a_daily_cap_per_address(world, api_client, settings):
    settings.ONE_TIME_CODE_DAILY_LIMIT_PER_IP = 3
    for _ in range(3):
        api_client.post(CODE_URL, {"id_number": id_number()}, REMOTE_ADDR="10.6.0.1")
    assert_error(
        api_client.post(CODE_URL, {"id_number": id_number()}, REMOTE_ADDR="10.6.0.1"), 429, "throttled"
    )
    assert api_client.post(CODE_URL, {"id_number": id_number()}, REMOTE_ADDR="10.6.0.2").status_code == 202


def test_a_record_binds_to_one_account_only(record, api_client, outbox, django_capture_on_commit_callbacks):
    other = make_user(region=None, is_staff=False)
    ResidentBinding.objects.create(user=other, resident=record)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(CODE_URL, {"id_number": record.plain_id_number})
    mine = make_user(region=None, is_staff=False)
    api_client.force_authenticate(mine)
    response = api_client.post(BIND_URL, {"id_number": record.plain_id_number, "code": last_code(outbox)})
    assert_error(response, 409, "already_bound")


# WeChat ---------------------------------------------------------------------------------------


class FakeWeChat(BaseHTTPRequestHandler):
    """code2session: "good-<openid>" codes succeed, anything else gets WeChat's error."""

    requests: list[dict] = []

    def do_GET(self):
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        FakeWeChat.requests.append({"path": urlsplit(self.path).path, **query})
        code = query.get("js_code", "")
        if query.get("appid") == "wx-test" and query.get("secret") == "s3cret" and code.startswith("good-"):
            body = {"openid": code[5:], "session_key": "sk"}
        else:
            body = {"errcode": 40029, "errmsg": "invalid code"}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def wechat(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WECHAT_APP_ID = "wx-test"
    settings.WECHAT_APP_SECRET = "s3cret"
    settings.WECHAT_API_BASE = f"http://127.0.0.1:{server.server_port}"
    FakeWeChat.requests = []
    yield FakeWeChat
    server.shutdown()


def test_wechat_login_creates_one_account_per_openid(db, api_client, wechat):
    first = api_client.post(WECHAT_URL, {"code": "good-openid-1"})
    assert first.status_code == 201, first.content
    assert first.json()["bound"] is False
    again = api_client.post(WECHAT_URL, {"code": "good-openid-1"})
    assert again.status_code == 200
    assert ExternalIdentity.objects.filter(provider="wechat", subject="openid-1").count() == 1
    assert wechat.requests[0]["path"] == "/sns/jscode2session"
    assert wechat.requests[0]["grant_type"] == "authorization_code"


def test_wechat_refusal_and_outage(db, api_client, wechat, settings):
    assert_error(api_client.post(WECHAT_URL, {"code": "bad"}), 400, "invalid_code", ["code"])
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    assert_error(api_client.post(WECHAT_URL, {"code": "good-x"}), 502, "identity_provider_unavailable")
    assert not ExternalIdentity.objects.exists()


def test_wechat_binds_once_to_a_signed_in_account(world, api_client, wechat):
    resident_account = make_user(region=world.grid_a1, is_staff=False)
    api_client.force_authenticate(resident_account)
    assert api_client.post(WECHAT_URL, {"code": "good-openid-2"}).status_code == 200
    assert ExternalIdentity.objects.get(subject="openid-2").user == resident_account
    someone_else = make_user(region=world.grid_a1, is_staff=False)
    api_client.force_authenticate(someone_else)
    assert_error(api_client.post(WECHAT_URL, {"code": "good-openid-2"}), 409, "already_bound")
    api_client.force_authenticate(resident_account)
    assert_error(api_client.post(WECHAT_URL, {"code": "good-openid-3"}), 409, "already_bound")


def test_wechat_is_off_without_credentials(db, api_client, settings):
    settings.WECHAT_APP_ID = ""
    assert_error(api_client.post(WECHAT_URL, {"code": "good-x"}), 404, "provider_disabled")


def test_password_reset_by_code(world, api_client, outbox, django_capture_on_commit_callbacks):
    user = make_user(region=world.community_a, mobile_encrypted="13900001111")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api_client.post("/api/v1/accounts/password/reset/code/", {"username": user.username}).status_code
            == 202
        )
    code = outbox[-1].text.split("验证码 ")[1][:6]
    response = api_client.post(
        "/api/v1/accounts/password/reset/",
        {"username": user.username, "code": code, "new_password": "Fresh-start-Pass7!"},
    )
    assert response.status_code == 204, response.content
    user.refresh_from_db()
    assert user.check_password("Fresh-start-Pass7!")
    # Unknown accounts get the same answer and no SMS.
    count = len(outbox)
    assert api_client.post("/api/v1/accounts/password/reset/code/", {"username": "nobody"}).status_code == 202
    assert len(outbox) == count
