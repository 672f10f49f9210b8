"""The admin site's sign-in asks for the TOTP code of accounts that need a second factor, and the
admin refuses a session that skipped it. Lockout applies there too (django-axes middleware)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.accounts import two_factor


class AdminLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=12,
        help_text=_("Needed for accounts with two-factor sign-in."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        self.confirm_second_factor(user)

    def confirm_second_factor(self, user) -> None:
        """The code of an account that needs a second factor (also the dashboard's sign-in)."""
        if not two_factor.requires_two_factor(user):
            return
        if two_factor.confirmed_device(user) is None:
            raise forms.ValidationError(
                _("Set up two-factor sign-in through the API (me/totp/) before using the administration."),
                code="two_factor_not_enrolled",
            )
        device = two_factor.verify_code(user, self.cleaned_data.get("otp_token"))
        if device is None:
            raise forms.ValidationError(_("The authenticator code is wrong or missing."), code="invalid_otp")
        # django_otp persists the verified device in the session at login.
        user.otp_device = device


def _admin_has_permission(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if two_factor.requires_two_factor(user):
        verified = getattr(user, "is_verified", None)
        return bool(verified and verified())
    return True


def install_admin_login() -> None:
    admin.site.login_form = AdminLoginForm
    admin.site.has_permission = _admin_has_permission
