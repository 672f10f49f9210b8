"""Signed pushes from other offices' systems into a scenario (a civil-affairs data exchange, a
weather service): HMAC-SHA256 over the method, the path, the timestamp and the raw body, with the
secret `SCENARIO_FEED_SECRET`, like the hotline's (affairs/hotline/signing.py).

    X-Feed-Timestamp: 1700000000
    X-Feed-Signature: hex(HMAC-SHA256(secret,
                          b"POST /api/v1/scenarios/low_income/push/\\n1700000000\\n" + body))

A request outside ±300 s of our clock is refused; within it a replay is harmless because every
write a push makes is idempotent (by the sender's record number).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.api.errors import ApplicationError
from core.extensions.errors import ScenarioError

TIMESTAMP_HEADER = "X-Feed-Timestamp"
SIGNATURE_HEADER = "X-Feed-Signature"
WINDOW_SECONDS = 300


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = f"{method.upper()} {path}\n{timestamp}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    method: str, path: str, body: bytes, *, secret: str | None = None, now: float | None = None
) -> dict:
    """The headers a sender adds (for tests and the demo)."""
    timestamp = str(int(now if now is not None else time.time()))
    secret = settings.SCENARIO_FEED_SECRET if secret is None else secret
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, method, path, timestamp, body)}


def verify(request, body: bytes, *, now: float | None = None) -> None:
    """Refuse a push that is not signed with the shared secret, for this method and path, now."""
    secret = getattr(settings, "SCENARIO_FEED_SECRET", "")
    if not secret:
        raise ApplicationError(
            _("Pushes to scenarios are not configured."),
            code=ScenarioError.FEED_NOT_CONFIGURED,
            status_code=503,
        )
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise _refused()
    if abs((now if now is not None else time.time()) - int(timestamp)) > WINDOW_SECONDS:
        raise _refused()
    expected = signature(secret, request.method, request.path, timestamp, body)
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("ascii", "replace")):
        raise _refused()


def _refused() -> ApplicationError:
    return ApplicationError(
        _("The request is not signed, or the signature or its time is not valid."),
        code=ScenarioError.BAD_SIGNATURE,
        status_code=401,
    )
