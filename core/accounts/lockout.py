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
