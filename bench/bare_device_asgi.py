"""The baseline of bench/bench_safety_ingest.py: a bare ASGI handler that only reads the body,
verifies the device's HMAC-SHA256 over timestamp and body (the same function the platform uses,
safety.signing, which imports no Django at module level beyond the cache) and answers 202.

    BARE_DEVICE_SECRET=… uvicorn bench.bare_device_asgi:app
"""

from __future__ import annotations

import hashlib
import hmac
import os

SECRET = os.environ.get("BARE_DEVICE_SECRET", "").encode()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = dict(scope["headers"])
    timestamp = headers.get(b"x-device-timestamp", b"")
    given = headers.get(b"x-device-signature", b"")
    expected = hmac.new(SECRET, timestamp + b"\n" + body, hashlib.sha256).hexdigest().encode()
    status = 202 if hmac.compare_digest(expected, given) else 401
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": b"{}"})
