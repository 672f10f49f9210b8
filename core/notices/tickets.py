"""Short-lived, single-use websocket tickets: a client that holds a JWT gets a ticket over REST and
sends it as the first websocket message, so no token ever appears in a URL or a proxy's log.

The ticket also carries what the websocket needs to know of its holder (their id and current
role assignments, read by the request that issued it), so that connecting reads only the cache:
a reconnect storm of thousands of clients does not queue for database connections.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

_PREFIX = "notices:ws-ticket:"


@dataclass(frozen=True)
class TicketClaim:
    user_id: int
    # (role, region path, region id, starts on), as core.notices.selectors.current_assignments
    assignments: tuple[tuple, ...]


_store = None
_store_config = None


def _cache():
    """One cache client for the whole process. `django.core.cache.cache` is one object per async
    context: under ASGI each websocket connection would keep its own Redis connection pool (5,000
    clients held 3,000 Redis connections, each left open by its ticket check)."""
    global _store, _store_config
    config = settings.CACHES["default"]
    if _store is None or _store_config is not config:
        _store, _store_config = caches.create_connection("default"), config
    return _store


def _cache_key(ticket: str) -> str:
    # Only a hash of the ticket is stored: a cache dump reveals no usable ticket.
    return _PREFIX + hashlib.sha256(ticket.encode()).hexdigest()


def ticket_issue(*, user) -> str:
    from core.notices.selectors import current_assignments

    ticket = secrets.token_urlsafe(32)
    value = {"user": user.pk, "assignments": [tuple(a) for a in current_assignments(user)]}
    _cache().set(_cache_key(ticket), value, timeout=settings.NOTICE_WS_TICKET_TTL_SECONDS)
    return ticket


def ticket_claim(ticket: str) -> TicketClaim | None:
    """What the ticket was issued for, once; None when unknown, expired or already used."""
    if not isinstance(ticket, str) or not 20 <= len(ticket) <= 100:
        return None
    key = _cache_key(ticket)
    store = _cache()
    value = store.get(key)
    # delete() answers whether this call removed it: of two racing redemptions only one wins.
    if not isinstance(value, dict) or not store.delete(key):
        return None
    return TicketClaim(user_id=value["user"], assignments=tuple(tuple(a) for a in value["assignments"]))


def ticket_redeem(ticket: str) -> int | None:
    """The user id the ticket was issued to, once; None when unknown, expired or already used."""
    claim = ticket_claim(ticket)
    return claim.user_id if claim is not None else None
