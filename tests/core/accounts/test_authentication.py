"""JWT with rotation, blacklist and revocation; lockout; second factor; session limits."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from rest_framework_simplejwt.tokens import AccessToken

from core.accounts import two_factor
from core.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from core.accounts.roles import Role
from core.audit.models import AuditEvent
from tests.helpers import assert_error
from tests.world import PASSWORD, make_staff

TOKEN = "/api/v1/accounts/token/"
REFRESH = "/api/v1/accounts/token/refresh/"
ME = "/api/v1/accounts/me/"
LOGOUT = "/api/v1/accounts/logout/"


def sign_in(client, user, password=PASSWORD, ip="10.0.0.1", **extra):
    return client.post(TOKEN, {"username": user.username, "password": password, **extra}, REMOTE_ADDR=ip)


def bearer(client, access):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def worker(world):
    return make_staff(Role.COMMUNITY_WORKER, world.community_a)


def test_sign_in_gives_a_short_access_token_and_a_refresh_token(worker, api_client):
    response = sign_in(api_client, worker)
    assert response.status_code == 200, response.content
    body = response.json()
    access = AccessToken(body["access"])
    assert access["exp"] - access["iat"] <= 15 * 60
    assert response["Cache-Control"].startswith("no-store")
    me = bearer(api_client, body["access"]).get(ME)
    assert me.status_code == 200 and me.json()["username"] == worker.username
    assert AuditEvent.objects.filter(action="accounts.login", actor=worker).count() == 1


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Token abc", "Bearer a.b.c"])
def test_wrong_tokens_are_401(worker, api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get(ME).status_code == 401


def test_an_expired_access_token_is_401(worker, api_client):
    token = AccessToken.for_user(worker)
    token["epoch"] = worker.token_epoch
    token.set_exp(lifetime=-timedelta(seconds=1))
    assert_error(bearer(api_client, str(token)).get(ME), 401, "authentication_failed")


def test_a_token_signed_with_another_key_is_401(worker, api_client):
    import jwt

    forged = jwt.encode(
        {
            "token_type": "access",
            "user_id": str(worker.pk),
            "exp": int(time.time()) + 600,
            "jti": "x",
            "epoch": 0,
        },
        "another-key-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    assert_error(bearer(api_client, forged).get(ME), 401, "authentication_failed")


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(worker, api_client):
    first = sign_in(api_client, worker).json()
    second = api_client.post(REFRESH, {"refresh": first["refresh"]})
    assert second.status_code == 200, second.content
    second = second.json()
    assert second["refresh"] != first["refresh"]
    # The first refresh token is used up; presenting it again is a replay.
    assert_error(api_client.post(REFRESH, {"refresh": first["refresh"]}), 401, "authentication_failed")
    # ...which revoked the whole family: the newest refresh and access tokens are dead too.
    assert_error(api_client.post(REFRESH, {"refresh": second["refresh"]}), 401, "authentication_failed")
    assert_error(bearer(api_client, second["access"]).get(ME), 401, "authentication_failed")
    assert AuditEvent.objects.filter(action="accounts.token.reuse_detected", actor=worker).exists()


def test_rotation_never_extends_the_first_expiry(worker, api_client):
    from rest_framework_simplejwt.tokens import RefreshToken

    first = sign_in(api_client, worker).json()
    second = api_client.post(REFRESH, {"refresh": first["refresh"]}).json()
    assert RefreshToken(second["refresh"])["exp"] == RefreshToken(first["refresh"], verify=False)["exp"]


def test_an_access_token_is_not_a_refresh_token(worker, api_client):
    pair = sign_in(api_client, worker).json()
    assert_error(api_client.post(REFRESH, {"refresh": pair["access"]}), 401, "authentication_failed")


def test_logout_revokes_every_token_of_the_account(worker, api_client):
    from rest_framework.test import APIClient

    phone = sign_in(api_client, worker).json()
    laptop = sign_in(APIClient(), worker).json()
    assert bearer(api_client, phone["access"]).post(LOGOUT).status_code == 204
    api_client.credentials()
    for pair in (phone, laptop):
        assert_error(bearer(APIClient(), pair["access"]).get(ME), 401, "authentication_failed")
        assert_error(api_client.post(REFRESH, {"refresh": pair["refresh"]}), 401, "authentication_failed")


def test_a_wrong_password_is_401_in_the_error_shape_and_audited(worker, api_client):
    assert_error(sign_in(api_client, worker, password="wrong"), 401, "authentication_failed")
    assert AuditEvent.objects.filter(
        action="accounts.login.failure", extra__username=worker.username
    ).exists()


# Lockout --------------------------------------------------------------------------------------


def test_five_failures_from_one_address_lock_the_username_there_for_30_minutes(worker, api_client):
    for attempt in range(4):
        assert_error(sign_in(api_client, worker, password=f"wrong{attempt}"), 401, "authentication_failed")
    assert_error(sign_in(api_client, worker, password="wrong5"), 429, "locked_out")
    # Even the right password is refused now, from that address...
    assert_error(sign_in(api_client, worker), 429, "locked_out")
    # ...but not from another address, and the lock lifts after 30 minutes.
    assert sign_in(api_client, worker, ip="10.0.0.2").status_code == 200
    assert_error(sign_in(api_client, worker), 429, "locked_out")
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=31)
    )
    assert sign_in(api_client, worker).status_code == 200


def test_twenty_failures_from_anywhere_lock_the_username_everywhere(worker, api_client):
    for attempt in range(19):
        response = sign_in(api_client, worker, password="wrong", ip=f"10.1.{attempt}.1")
        assert_error(response, 401, "authentication_failed")
    assert_error(sign_in(api_client, worker, password="wrong", ip="10.2.0.1"), 429, "locked_out")
    assert_error(sign_in(api_client, worker, ip="10.3.0.1"), 429, "locked_out")


def test_the_admin_login_is_locked_out_too(worker, client):
    for attempt in range(5):
        client.post(
            "/admin/login/",
            {"username": worker.username, "password": f"wrong{attempt}"},
            REMOTE_ADDR="10.9.0.1",
        )
    response = client.post(
        "/admin/login/", {"username": worker.username, "password": PASSWORD}, REMOTE_ADDR="10.9.0.1"
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


# Second factor --------------------------------------------------------------------------------


def test_street_staff_need_a_second_factor(world, api_client):
    street = make_staff(Role.STREET_STAFF, world.street)
    # Not enrolled yet: signed in, but only to set the second factor up.
    pair = sign_in(api_client, street).json()
    assert pair["second_factor"] is False
    bearer(api_client, pair["access"])
    assert_error(api_client.get("/api/v1/accounts/users/"), 403, "two_factor_required")
    setup = api_client.post("/api/v1/accounts/me/totp/")
    assert setup.status_code == 201 and setup["Cache-Control"].startswith("no-store")
    device = two_factor.TOTPDevice.objects.get(user=street)
    confirmed = api_client.post(
        "/api/v1/accounts/me/totp/confirm/", {"code": two_factor.current_code(device)}
    )
    assert confirmed.status_code == 200, confirmed.content
    assert bearer(api_client, confirmed.json()["access"]).get("/api/v1/accounts/users/").status_code == 200
    api_client.credentials()
    # From now on a sign-in needs the code; a wrong one fails.
    assert_error(sign_in(api_client, street), 401, "two_factor_required", ["otp_code"])
    assert_error(sign_in(api_client, street, otp_code="000000"), 401, "invalid_otp", ["otp_code"])
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    good = sign_in(api_client, street, otp_code=two_factor.current_code(device))
    assert good.status_code == 200 and good.json()["second_factor"] is True


def test_community_staff_need_no_second_factor_unless_configured(world, settings):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    assert not two_factor.requires_two_factor(worker)
    settings.SECURITY_TOTP_FOR_ALL_STAFF = True
    assert two_factor.requires_two_factor(worker)


def test_demo_second_factor_gives_a_code_that_signs_in(world, api_client):
    admin = make_staff(Role.SYSTEM_ADMIN, world.city)
    factor = two_factor.demo_second_factor(admin)
    assert factor.provisioning_uri.startswith("otpauth://totp/") and len(factor.secret) >= 16
    assert sign_in(api_client, admin, otp_code=factor.current_code).status_code == 200
    assert two_factor.demo_second_factor(admin).secret == factor.secret  # stable across calls


def test_admin_login_asks_for_the_code(world, client):
    admin = make_staff(Role.SYSTEM_ADMIN, world.city)
    factor = two_factor.demo_second_factor(admin)
    client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    client.post(
        "/admin/login/", {"username": admin.username, "password": PASSWORD, "otp_token": factor.current_code}
    )
    assert client.session[SESSION_KEY] == str(admin.pk)
    assert client.get("/admin/").status_code == 200


# Sessions -------------------------------------------------------------------------------------


def _session_user(client, world):
    user = make_staff(Role.COMMUNITY_WORKER, world.community_a, is_superuser=False)
    client.force_login(user)
    return user


def test_a_session_idle_for_30_minutes_ends(world, client):
    _session_user(client, world)
    assert client.get(ME).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(ME)
    assert response.status_code in (401, 403) and response.json()["error"]["code"] == "not_authenticated"
    assert SESSION_KEY not in client.session


def test_a_session_ends_after_12_hours_however_active(world, client):
    _session_user(client, world)
    session = client.session
    session[STARTED_KEY] = int(time.time()) - 12 * 3600 - 1
    session[LAST_SEEN_KEY] = int(time.time())
    session.save()
    response = client.get(ME)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_active_session_continues(world, client):
    _session_user(client, world)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(ME).status_code == 200
