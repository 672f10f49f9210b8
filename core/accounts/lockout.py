"""Login lockout (django-axes) with two rules at once.

Axes has one failure limit for every lockout parameter. We need 5 failures for one username from
one address, and 20 for one username from anywhere, both cooling off after 30 minutes. The
handler counts both and reports "at the limit" when either rule is reached.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(**filters) -> int:
    return AccessAttempt.objects.filter(**filters).aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        since = get_cool_off_threshold(request)
        from_here = _failures(username=username, ip_address=request.axes_ip_address, attempt_time__gte=since)
        if username is None:
            return from_here
        from_anywhere = _failures(username=username, attempt_time__gte=since)
        if from_anywhere >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(from_here, get_failure_limit(request, credentials))
        return from_here

    def user_logged_in(self, sender, request, user, **kwargs):
        """A success clears the failures of that username from that address only: a lock on the
        username elsewhere stays until it cools off (AXES_RESET_ON_SUCCESS would clear them all)."""
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=user.get_username(), ip_address=request.axes_ip_address
        ).delete()


# --- the owner's way out -------------------------------------------------------------------------
#
# The per-username rule lets anyone who knows a username lock it for 30 minutes. It stays, but the
# owner is told (a notice, by SMS where the account has a mobile) and can lift it: by signing in
# with the password and the authenticator code, or by resetting the password with the code sent
# to the account's mobile. The per-address rule is never lifted this way: an address that failed
# five times waits out its 30 minutes.


def _since():
    from django.utils import timezone

    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_at_this_address(request, username: str) -> bool:
    ip_address = getattr(request, "axes_ip_address", None) or client_ip_address(request)
    failures = _failures(username=username, ip_address=ip_address, attempt_time__gte=_since())
    return failures >= settings.AXES_FAILURE_LIMIT


def unlock_username(username: str) -> int:
    """Lift every lock on `username` (the owner proved who they are); the number of rows cleared."""
    deleted, _ = AccessAttempt.objects.filter(username=username).delete()
    return deleted


def unlock_with_second_factor(request, *, username: str, password: str, code: str | None):
    """The account, if a locked-out sign-in gave its password and a valid authenticator code and
    this address is not itself locked; the lock on the username is lifted then. Else None."""
    from core.accounts import two_factor
    from core.accounts.models import User

    if not code or locked_at_this_address(request, username):
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or two_factor.confirmed_device(user) is None or not user.check_password(password):
        return None
    if two_factor.verify_code(user, code) is None:
        return None
    unlock_username(username)
    return user


def client_ip_address(request) -> str | None:
    from core.audit.services import client_ip

    return client_ip(request)


def tell_the_owner(username: str) -> None:
    """A notice to the locked account's owner, once per lock (in-app, and SMS where it has a mobile)."""
    from django.core.cache import cache
    from django.utils.translation import gettext as _

    from core.accounts.models import User
    from core.notices.services import notify

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return
    if not cache.add(f"lockout-told:{user.pk}", 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds())):
        return
    notify(
        kind=LOCKED_OUT_NOTICE,
        title=_("Your account was locked after too many failed sign-ins"),
        body=_(
            "Sign-ins to %(username)s failed too often and are refused for 30 minutes. If this was "
            "not you, sign in with your password and your authenticator code, or reset your "
            "password with the code sent to your mobile: either lifts the lock."
        )
        % {"username": user.get_username()},
        user=user,
    )


LOCKED_OUT_NOTICE = "accounts.locked_out"
