"""The hotline centre's signature, both ways: HMAC-SHA256 over the request line, the timestamp and
the raw body.

    X-Hotline-Timestamp: 1700000000
    X-Hotline-Signature: hex(HMAC-SHA256(HOTLINE_SECRET,
                             b"POST /api/v1/hotline/push/\\n1700000000\\n" + body))

The method and path are signed so that one key can serve both directions and every endpoint: a
message we sent to the centre's reply URL cannot be turned round and posted to our push, nor a
push replayed as a return visit. A request outside ±300 s of our clock is refused, so a captured
request cannot be replayed later; within the window a replay is harmless because every write is
idempotent (by ticket number, by visit number).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.utils.translation import gettext as _

from affairs.hotline.errors import HotlineError
from core.api.errors import ApplicationError

TIMESTAMP_HEADER = "X-Hotline-Timestamp"
SIGNATURE_HEADER = "X-Hotline-Signature"
WINDOW_SECONDS = 300


def signed_text(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return f"{method.upper()} {path}\n{timestamp}\n".encode() + body


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), signed_text(method, path, timestamp, body), hashlib.sha256).hexdigest()


def signed_headers(method: str, path: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """Headers for a message we send to the centre (path: the reply URL's path)."""
    timestamp = str(int(now if now is not None else time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(settings.HOTLINE_SECRET, method, path, timestamp, body),
        "Content-Type": "application/json; charset=utf-8",
    }


def verify(request, body: bytes, *, now: float | None = None) -> None:
    """Refuse a request that is not signed with the shared secret, for this method and path, now.
    Raises ApplicationError."""
    secret = settings.HOTLINE_SECRET
    if not secret:
        raise ApplicationError(
            _("The hotline connection is not configured."),
            code=HotlineError.HOTLINE_NOT_CONFIGURED,
            status_code=503,
        )
    headers = request.headers
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise _refused()
    now = now if now is not None else time.time()
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise _refused()
    expected = signature(secret, request.method, request.path, timestamp, body)
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("ascii", "replace")):
        raise _refused()


def _refused() -> ApplicationError:
    # One answer for a missing, stale or wrong signature: nothing to learn from the difference.
    return ApplicationError(
        _("The request is not signed, or the signature or its time is not valid."),
        code=HotlineError.BAD_SIGNATURE,
        status_code=401,
    )
