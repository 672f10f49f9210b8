"""The admin sign-in with a second factor, as a person does it in a browser: accounts above the
community (and superusers) type the authenticator code on the sign-in page itself."""

from __future__ import annotations

import pytest

from core.accounts import two_factor
from core.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Root-Passw0rd-2026"


@pytest.fixture
def root():
    user = User.objects.create(username="root", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, *, code: str):
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", code)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_the_sign_in_page_asks_for_the_authenticator_code(page, root, tmp_path):
    """Shot kept in the test's temporary folder: open it to see what a person sees."""
    page.goto("/admin/login/")
    field = page.locator("input[name=otp_token]")
    assert field.is_visible()
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert "身份验证器动态码" in page.locator("label[for=id_otp_token]").inner_text()
    page.screenshot(path=str(tmp_path / "admin-login.png"))


def test_a_superuser_signs_in_with_password_and_code(page, root):
    code = two_factor.demo_second_factor(root).current_code
    sign_in(page, code=code)
    assert page.url.endswith("/admin/"), page.url
    assert page.locator("#site-name").is_visible()
    assert page.locator("#login-form").count() == 0


def test_a_wrong_code_keeps_the_admin_closed(page, root):
    right = two_factor.demo_second_factor(root).current_code
    sign_in(page, code="000000" if right != "000000" else "111111")
    assert "/admin/login/" in page.url
    assert page.locator(".errornote").is_visible()
    page.goto("/admin/")
    assert "/admin/login/" in page.url
