"""Start-of-session bookkeeping."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.accounts.middleware import mark_session_start


@receiver(user_logged_in, dispatch_uid="accounts-session-start")
def start_session_clock(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        mark_session_start(request)


@receiver(user_locked_out, dispatch_uid="accounts-tell-the-locked-out-owner")
def tell_the_locked_out_owner(sender, request, username, **kwargs) -> None:
    from core.accounts.lockout import tell_the_owner

    if not username:
        return
    try:
        tell_the_owner(username)
    except Exception:  # the refusal stands; telling the owner is best effort
        logging.getLogger("smartcommunity.accounts").exception("Could not tell the owner of a locked account")
