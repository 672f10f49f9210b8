"""Signed device posts: POST /api/v1/safety/readings/ (a PublicRoute; no account).

    X-Device-Serial: SD-0001
    X-Device-Timestamp: 1700000000
    X-Device-Signature: hex(HMAC-SHA256(device secret, b"1700000000\\n" + body))

A plain Django view, not DRF: no session, no parsers, no authentication classes to run for a
post whose only authentication is its signature; the answers keep the one error shape.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.api.errors import json_error
from safety.errors import SafetyError
from safety.ingestion import ingest
from safety.signing import Refused


@csrf_exempt
@require_POST
def device_readings(request: HttpRequest) -> JsonResponse:
    headers = request.headers
    try:
        accepted = ingest(
            serial=headers.get("X-Device-Serial", ""),
            timestamp=headers.get("X-Device-Timestamp", ""),
            given_signature=headers.get("X-Device-Signature", ""),
            body=request.body,
            channel="http",
        )
    except Refused as refused:
        return refusal(refused)
    return JsonResponse(
        {"readings": accepted.readings, "alarms": accepted.alarms, "alarm": accepted.alarm_id}, status=202
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
