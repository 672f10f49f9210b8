"""Each sign-in endpoint counts requests per address in its own bucket: residents binding their
record or signing in through WeChat behind one shared address (a housing estate's NAT, a
community centre's Wi-Fi) cannot use up the allowance of a staff member signing in there."""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver

from core.accounts.api.auth_views import AuthView
from tests.world import PASSWORD, make_user

ADDRESS = "10.7.0.1"


def test_residents_binding_and_wechat_do_not_lock_staff_out(db, api_client, settings):
    settings.WECHAT_APP_ID = ""  # WeChat answers 404, but every attempt still counts in its bucket
    staff = make_user(username="staff-behind-nat")
    for _ in range(30):
        api_client.post("/api/v1/accounts/binding/", {"id_number": "x", "code": "1"}, REMOTE_ADDR=ADDRESS)
        api_client.post("/api/v1/accounts/wechat/login/", {"code": "x"}, REMOTE_ADDR=ADDRESS)
    # The residents' own buckets are spent...
    assert api_client.post("/api/v1/accounts/binding/", {}, REMOTE_ADDR=ADDRESS).status_code == 429
    # ...and the staff member's sign-in from the same address is untouched.
    response = api_client.post(
        "/api/v1/accounts/token/", {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200, response.content


def test_every_sign_in_endpoint_has_a_bucket_of_its_own():
    views = {
        pattern.callback.view_class
        for pattern in _patterns(get_resolver())
        if issubclass(getattr(pattern.callback, "view_class", object), AuthView)
    }
    scoped = {view: view.throttle_scope for view in views if view.throttle_classes}
    assert len(scoped) >= 7
    assert len(set(scoped.values())) == len(scoped), scoped
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert all(scope in rates for scope in scoped.values())


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern)
        else:
            yield pattern
