"""Two-factor sign-in with TOTP (django-otp) for staff roles above the community.

`demo_second_factor(user)` is what the demo dataset calls to print each demo account's secret and
current code next to its login.
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.accounts.roles import admin_roles, reaches_subtree, two_factor_roles

DEVICE_NAME = "authenticator"


def requires_two_factor(user, roles: frozenset[str] | set[str] | None = None) -> bool:
    """Roles above the community always; every staff role when SECURITY_TOTP_FOR_ALL_STAFF is set.
    `roles`: the user's current roles when the caller has read them already (its scope)."""
    from core.accounts.models import RoleAssignment

    if user.is_superuser:
        return True
    if roles is None:
        roles = set(RoleAssignment.objects.current().filter(user=user).values_list("role", flat=True))
    if roles & two_factor_roles():
        return True
    return bool(settings.SECURITY_TOTP_FOR_ALL_STAFF and any(reaches_subtree(role) for role in roles))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def verify_code(user, code: str | None) -> TOTPDevice | None:
    """The device that accepts this code (each code works once), or None."""
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(str(code).strip()):
            return device
    return None


def start_enrolment(user) -> TOTPDevice:
    """A fresh unconfirmed device; confirmed by the first code it accepts (replacing older devices)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(user, code: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None or not device.verify_token(str(code).strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():0{device.digits}d}"


@dataclass(frozen=True)
class SecondFactor:
    secret: str  # base32, for an authenticator app
    current_code: str  # valid for the current 30-second step
    provisioning_uri: str  # otpauth://… (a QR code of it sets up the app)


def demo_second_factor(user) -> SecondFactor:
    """The demo account's TOTP (created and confirmed if missing), for `seed_demo` to print."""
    device = confirmed_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    return SecondFactor(
        secret=secret_base32(device), current_code=current_code(device), provisioning_uri=device.config_url
    )


def is_admin_role(role: str) -> bool:
    return role in admin_roles()
