"""A device's signature on what it posts, the same over HTTP and MQTT:

    timestamp: 1700000000 (unix seconds)
    signature: hex(HMAC-SHA256(device secret, b"1700000000\\n" + body))

A message outside ±300 s of our clock is stale; a signature seen before (kept in the cache for
the whole window and a margin) is a replay. Both are refused before the body is parsed, and
nothing is written for a refused message but a rate-limited log line.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger("smartcommunity.safety.ingestion")

WINDOW_SECONDS = 300
# A seen signature is remembered past the window on both sides, so it cannot come back in time.
REPLAY_MEMORY_SECONDS = 2 * WINDOW_SECONDS + 60
# At most one log line per reason each LOG_EVERY_SECONDS: a flood of bad posts is not a flood
# of log lines (nor of cache writes beyond this one key).
LOG_EVERY_SECONDS = 60


class Refused(Exception):
    """A message that is not accepted; `reason` for the log, `status` for HTTP (401 or 400)."""

    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def signed_text(timestamp: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + body


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), signed_text(timestamp, body), hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, now: float | None = None) -> tuple[str, str]:
    """(timestamp, signature) for a message a device sends (tests, the demo, the bench)."""
    timestamp = str(int(now if now is not None else time.time()))
    return timestamp, signature(secret, timestamp, body)


def check_timestamp(timestamp: str, *, now: float | None = None) -> None:
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise Refused("unsigned")
    now = now if now is not None else time.time()
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise Refused("stale")


def signature_holds(secret: str, timestamp: str, body: bytes, given: str) -> bool:
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode("ascii", "replace"))


def check_signature(secret: str, timestamp: str, body: bytes, given: str) -> None:
    if not signature_holds(secret, timestamp, body, given):
        raise Refused("bad_signature")


_store = None
_store_config = None


def store():
    """The process's one client of the default cache, where seen signatures and the refusal log
    are kept. `django.core.cache.cache` is one object per async context: under ASGI each request
    made a RedisCache of its own, and with it a new Redis connection (core/notices/tickets.py)."""
    global _store, _store_config
    config = settings.CACHES["default"]
    if _store is None or _store_config is not config:
        _store, _store_config = caches.create_connection("default"), config
    return _store


def seen_key(serial: str, given: str) -> str:
    return f"safety:seen:{serial}:{given.strip().lower()}"


def remember(serial: str, given: str) -> None:
    """Refuse a signature seen before; remember it otherwise (atomic in Redis: SET NX)."""
    if not store().add(seen_key(serial, given), 1, timeout=REPLAY_MEMORY_SECONDS):
        raise Refused("replayed")


def log_refusal(reason: str, serial: str, channel: str) -> None:
    bucket = int(time.time()) // LOG_EVERY_SECONDS
    if store().add(f"safety:refused-log:{channel}:{reason}:{bucket}", 1, timeout=LOG_EVERY_SECONDS * 2):
        logger.warning(
            "device message refused (%s) on %s, device %r; further ones this minute not logged",
            reason,
            channel,
            serial[:64],
        )
