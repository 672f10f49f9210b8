"""Short-lived, single-use websocket tickets: a client that holds a JWT gets a ticket over REST and
sends it as the first websocket message, so no token ever appears in a URL or a proxy's log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache

_PREFIX = "notices:ws-ticket:"


def _cache_key(ticket: str) -> str:
    # Only a hash of the ticket is stored: a cache dump reveals no usable ticket.
    return _PREFIX + hashlib.sha256(ticket.encode()).hexdigest()


def ticket_issue(*, user) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_cache_key(ticket), user.pk, timeout=settings.NOTICE_WS_TICKET_TTL_SECONDS)
    return ticket


def ticket_redeem(ticket: str) -> int | None:
    """The user id the ticket was issued to, once; None when unknown, expired or already used."""
    if not isinstance(ticket, str) or not 20 <= len(ticket) <= 100:
        return None
    key = _cache_key(ticket)
    user_id = cache.get(key)
    # delete() answers whether this call removed it: of two racing redemptions only one wins.
    if user_id is None or not cache.delete(key):
        return None
    return user_id
