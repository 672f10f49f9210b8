"""Start-of-session bookkeeping."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.accounts.middleware import mark_session_start


@receiver(user_logged_in, dispatch_uid="accounts-session-start")
def start_session_clock(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        mark_session_start(request)
