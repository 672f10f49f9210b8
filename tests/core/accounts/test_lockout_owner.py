"""The per-username lockout stays, but its owner is told and can lift it with the second factor
or a reset code; a forged X-Forwarded-For never changes the address the lockout counts (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory

from core.accounts import two_factor
from core.accounts.roles import Role
from core.accounts.sms import MemorySmsBackend
from core.audit.services import client_ip
from core.notices.models import Notice
from tests.helpers import assert_error
from tests.world import PASSWORD, make_staff

TOKEN = "/api/v1/accounts/token/"
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms(settings):
    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox = []
    return MemorySmsBackend.outbox


@pytest.fixture
def owner(world):
    user = make_staff(Role.COMMUNITY_WORKER, world.community_a, mobile_encrypted="13900002222")
    return user


def sign_in(client, user, password=PASSWORD, ip="10.0.0.1", **extra):
    return client.post(TOKEN, {"username": user.username, "password": password, **extra}, REMOTE_ADDR=ip)


def lock_from_everywhere(client, user):
    """Someone who knows the username fails 20 times from 20 addresses: locked everywhere."""
    for attempt in range(20):
        sign_in(client, user, password="wrong", ip=f"10.1.{attempt}.1")
    assert_error(sign_in(client, user, ip="10.3.0.1"), 429, "locked_out")


def enrol(user):
    device = two_factor.start_enrolment(user)
    assert two_factor.confirm_enrolment(user, two_factor.current_code(device))
    device.refresh_from_db()
    return device


def fresh_code(device) -> str:
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    return two_factor.current_code(device)


def test_the_owner_is_told_once(owner, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lock_from_everywhere(api_client, owner)
        sign_in(api_client, owner, password="wrong", ip="10.4.0.1")
    told = Notice.objects.filter(recipient=owner, kind="accounts.locked_out")
    assert told.count() == 1
    assert owner.username in told.get().body


def test_the_second_factor_lifts_a_lock_made_elsewhere(owner, api_client):
    device = enrol(owner)
    lock_from_everywhere(api_client, owner)
    assert_error(sign_in(api_client, owner, ip="10.5.0.1"), 429, "locked_out")  # password alone: no
    wrong = sign_in(api_client, owner, ip="10.5.0.1", otp_code="000000")
    assert_error(wrong, 429, "locked_out")
    response = sign_in(api_client, owner, ip="10.5.0.1", otp_code=fresh_code(device))
    assert response.status_code == 200, response.content
    assert response.json()["second_factor"] is True
    assert sign_in(api_client, owner, ip="10.6.0.1").status_code == 200  # the lock is gone


def test_the_second_factor_does_not_lift_the_lock_of_an_address_that_failed(owner, api_client):
    device = enrol(owner)
    for attempt in range(5):
        sign_in(api_client, owner, password=f"wrong{attempt}", ip="10.8.0.1")
    response = sign_in(api_client, owner, ip="10.8.0.1", otp_code=fresh_code(device))
    assert_error(response, 429, "locked_out")


def test_a_wrong_password_with_a_right_code_lifts_nothing(owner, api_client):
    device = enrol(owner)
    lock_from_everywhere(api_client, owner)
    response = sign_in(api_client, owner, password="guess", ip="10.5.0.2", otp_code=fresh_code(device))
    assert_error(response, 429, "locked_out")


def test_a_reset_code_lifts_the_lock(owner, api_client, sms, django_capture_on_commit_callbacks):
    lock_from_everywhere(api_client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api_client.post("/api/v1/accounts/password/reset/code/", {"username": owner.username}).status_code
            == 202
        )
    code = re.search(r"验证码 (\d{6})", sms[-1].text).group(1)
    new_password = "Fresh-start-Pass7!"
    reset = api_client.post(
        "/api/v1/accounts/password/reset/",
        {"username": owner.username, "code": code, "new_password": new_password},
    )
    assert reset.status_code == 204, reset.content
    assert sign_in(api_client, owner, password=new_password, ip="10.7.0.1").status_code == 200


# The client's address ----------------------------------------------------------------------------


def _request(peer: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_a_forwarded_header_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "10.9.9.9")) == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_ip(_request("127.0.0.1", "203.0.113.7, 10.0.0.5")) == "203.0.113.7"
    assert client_ip(_request("192.0.2.1", "203.0.113.7")) == "192.0.2.1"  # not a proxy of ours
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"


def test_a_forged_header_from_loopback_does_not_escape_the_lock(owner, api_client, settings):
    settings.TRUSTED_PROXIES = []
    for attempt in range(5):
        sign_in(api_client, owner, password=f"wrong{attempt}", ip="127.0.0.1")
    forged = api_client.post(
        TOKEN,
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.77.0.1",
    )
    assert_error(forged, 429, "locked_out")


@pytest.mark.parametrize("name", ["Procfile", "Procfile.demo", "Dockerfile", "docker-compose.yml"])
def test_uvicorn_trusts_forwarded_headers_only_from_the_configured_proxies(name):
    text = (ROOT / name).read_text()
    commands = [line for line in text.splitlines() if "uvicorn config.asgi:application" in line]
    assert commands
    for command in commands:
        assert "--forwarded-allow-ips=${TRUSTED_PROXIES:-}" in command, command
