"""Session limits for staff: 30 minutes idle, 12 hours in all (settings SESSION_*_TIMEOUT_SECONDS)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

STARTED_KEY = "_auth_started_at"
LAST_SEEN_KEY = "_auth_last_seen_at"
# Write the last-seen time at most this often, so that every request is not a session write.
_TOUCH_EVERY_SECONDS = 30


def mark_session_start(request) -> None:
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Ends a signed-in session idle for too long or older than the absolute limit.

    After the logout the request continues as anonymous: the admin redirects to its login page
    and the API answers 401 in the one error shape.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            started = session.get(STARTED_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            if started is None or last_seen is None:
                mark_session_start(request)
            elif (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
            ):
                logout(request)
                request.session_timed_out = True
            elif now - last_seen >= _TOUCH_EVERY_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)
