"""The hotline centre's signature, both ways: HMAC-SHA256 over "<timestamp>." + the raw body.

    X-Hotline-Timestamp: 1700000000
    X-Hotline-Signature: hex(HMAC-SHA256(HOTLINE_SECRET, b"1700000000." + body))

A request outside ±300 s of our clock is refused, so a captured request cannot be replayed later;
within the window a replay is harmless because every write is idempotent by ticket number.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.utils.translation import gettext as _

from core.api.errors import ApplicationError

TIMESTAMP_HEADER = "X-Hotline-Timestamp"
SIGNATURE_HEADER = "X-Hotline-Signature"
WINDOW_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, *, now: float | None = None) -> dict[str, str]:
    """Headers for a message we send to the centre."""
    timestamp = str(int(now if now is not None else time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(settings.HOTLINE_SECRET, timestamp, body),
        "Content-Type": "application/json; charset=utf-8",
    }


def verify(headers, body: bytes, *, now: float | None = None) -> None:
    """Refuse a request that is not signed with the shared secret, now. Raises ApplicationError."""
    secret = settings.HOTLINE_SECRET
    if not secret:
        raise ApplicationError(
            _("The hotline connection is not configured."), code="hotline_not_configured", status_code=503
        )
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise _refused()
    now = now if now is not None else time.time()
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise _refused()
    expected = signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("ascii", "replace")):
        raise _refused()


def _refused() -> ApplicationError:
    # One answer for a missing, stale or wrong signature: nothing to learn from the difference.
    return ApplicationError(
        _("The request is not signed, or the signature or its time is not valid."),
        code="bad_signature",
        status_code=401,
    )
