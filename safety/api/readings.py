"""Signed device posts: POST /api/v1/safety/readings/ (a PublicRoute; no account).

    X-Device-Serial: SD-0001
    X-Device-Timestamp: 1700000000
    X-Device-Signature: hex(HMAC-SHA256(device secret, b"1700000000\\n" + body))

Served two ways, one answer (`answer`): under ASGI ahead of Django's handler (`asgi_readings`,
declared with the PublicRoute: core/api/asgi_shortcuts.py says when it takes a request), and by
the plain Django view (tests, WSGI, and whatever the shortcut leaves to Django). Neither runs a
session, parsers or authentication classes for a post whose only authentication is its
signature; the answers keep the one error shape.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.api.asgi_shortcuts import security_headers
from core.api.errors import (
    CommonError,
    database_unavailable,
    database_unavailable_response,
    json_error,
    log_database_unavailable,
)
from safety.errors import SafetyError
from safety.ingestion import Accepted, ingest
from safety.ingestion_loop import ingest_on_loop
from safety.signing import Refused, log_refusal

logger = logging.getLogger("smartcommunity.safety.ingestion")


def answer(*, serial: str, timestamp: str, signature: str, body: bytes) -> JsonResponse:
    try:
        accepted = ingest(
            serial=serial, timestamp=timestamp, given_signature=signature, body=body, channel="http"
        )
    except Refused as refused:
        return refusal(refused)
    return accepted_response(accepted)


def accepted_response(accepted: Accepted) -> JsonResponse:
    return JsonResponse(
        {"readings": accepted.readings, "alarms": accepted.alarms, "alarm": accepted.alarm_id}, status=202
    )


@csrf_exempt
@require_POST
def device_readings(request: HttpRequest) -> JsonResponse:
    headers = request.headers
    return answer(
        serial=headers.get("X-Device-Serial", ""),
        timestamp=headers.get("X-Device-Timestamp", ""),
        signature=headers.get("X-Device-Signature", ""),
        body=request.body,
    )


def refusal(refused: Refused) -> JsonResponse:
    if refused.status == 400:
        response = json_error(400, SafetyError.MALFORMED_READINGS, _("The readings are not valid."))
    else:
        # One answer for missing, stale, replayed or wrong: nothing to learn from the difference.
        response = json_error(
            401,
            SafetyError.BAD_SIGNATURE,
            _("The message is not signed, or its signature or time is not valid."),
        )
    # Logged once a minute by safety.signing, not once per request by django.request: a flood of
    # forged posts is not a flood of log lines.
    response._has_been_logged = True
    return response


def _failed(error: Exception, serial: str) -> JsonResponse:
    """A database outage as a 503, any other error logged and answered as the one-shape 500."""
    if database_unavailable(error):
        log_database_unavailable(error, "safety.device_readings")
        return database_unavailable_response()
    logger.error("device post from %r could not be applied", serial[:64], exc_info=error)
    with translation.override(settings.LANGUAGE_CODE):
        return json_error(500, CommonError.SERVER_ERROR, _("Something went wrong on our side."))


def _answer_in_thread(serial: str, timestamp: str, signature: str, body: bytes | None) -> JsonResponse:
    """`answer` as a request would get it from Django: connections checked before and given back
    after (request_started/finished), the site's language, errors as `_failed` answers them."""
    close_old_connections()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if body is None:  # longer than its Content-Length said
                log_refusal("malformed", serial, "http")
                return refusal(Refused("malformed", status=400))
            return answer(serial=serial, timestamp=timestamp, signature=signature, body=body)
    except Exception as error:
        return _failed(error, serial)
    finally:
        close_old_connections()


async def _answer_on_loop(serial: str, timestamp: str, signature: str, body: bytes) -> JsonResponse | None:
    """`answer` of a post of heartbeats on the event loop (safety.ingestion_loop), or None when
    it leaves the post to `_answer_in_thread`."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            try:
                accepted = await ingest_on_loop(
                    serial=serial, timestamp=timestamp, given_signature=signature, body=body
                )
            except Refused as refused:
                return refusal(refused)
            return None if accepted is None else accepted_response(accepted)
    except Exception as error:
        return await sync_to_async(_failed, thread_sensitive=False)(error, serial)


async def asgi_readings(scope, receive, send) -> None:
    """The route under ASGI ahead of Django's handler (core/api/asgi_shortcuts.py has checked
    the method, path, host, HTTPS and the Content-Length)."""
    headers = dict(scope["headers"])
    declared = int(headers[b"content-length"])
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= declared:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    serial = headers.get(b"x-device-serial", b"").decode("latin-1")
    timestamp = headers.get(b"x-device-timestamp", b"").decode("latin-1")
    signature = headers.get(b"x-device-signature", b"").decode("latin-1")
    body = b"".join(chunks) if size <= declared else None
    response = None if body is None else await _answer_on_loop(serial, timestamp, signature, body)
    if response is None:
        response = await sync_to_async(_answer_in_thread, thread_sensitive=False)(
            serial, timestamp, signature, body
        )
    content = response.content
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                *[
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.items()
                    if name.lower() not in ("content-type", "content-length")
                ],
                *security_headers(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})
