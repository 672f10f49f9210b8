"""Messages to the hotline centre (replies and bounces): a HotlineDelivery row per message, sent
by an idempotent task through the outbox, signed like the centre's own requests.

A failed attempt is written down (attempts, last error) and the next one is enqueued through the
outbox with a growing countdown, so every attempt's outcome is committed, survives a restart and
is visible with the ticket; after MAX_ATTEMPTS the delivery is given up (state failed, logged).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from affairs.hotline import signing
from affairs.hotline.models import HotlineDelivery, HotlineTicket
from core.outbox.services import enqueue_task

logger = logging.getLogger("smartcommunity.hotline")

TASK_NAME = "hotline.deliver"
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600


class DeliveryFailed(Exception):
    pass


def delivery_enqueue(*, ticket: HotlineTicket, kind: str, payload: dict) -> HotlineDelivery:
    """Call inside the transaction of the change: the message goes out after it commits."""
    delivery = HotlineDelivery.objects.create(ticket=ticket, kind=kind, payload=payload)
    _schedule(delivery, attempt=1, countdown=None)
    return delivery


def _schedule(delivery: HotlineDelivery, *, attempt: int, countdown: float | None) -> None:
    enqueue_task(
        TASK_NAME,
        args=[delivery.pk],
        idempotency_key=f"hotline:delivery:{delivery.pk}:{attempt}",
        countdown=countdown,
    )


def retry_delay(attempts: int) -> float:
    return float(min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS))


def delivery_attempt(delivery_id: int) -> str:
    """One attempt; returns the delivery's state after it."""
    with transaction.atomic():
        delivery = (
            HotlineDelivery.objects.select_for_update(of=("self",))
            .select_related("ticket")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != HotlineDelivery.State.PENDING:
            return delivery.state if delivery else "missing"
        delivery.attempts += 1
        try:
            _post(delivery)
        except DeliveryFailed as exc:
            delivery.last_error = str(exc)[:500]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = HotlineDelivery.State.FAILED
                logger.error(
                    "hotline: delivery %s given up after %s attempts", delivery.pk, delivery.attempts
                )
            else:
                _schedule(delivery, attempt=delivery.attempts + 1, countdown=retry_delay(delivery.attempts))
        else:
            delivery.state, delivery.sent_at, delivery.last_error = (
                HotlineDelivery.State.SENT,
                timezone.now(),
                "",
            )
        delivery.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    return delivery.state


def message_body(delivery: HotlineDelivery) -> bytes:
    body = {
        "delivery_id": delivery.pk,
        "type": delivery.kind,
        "ticket_no": delivery.ticket.ticket_no,
        **delivery.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _post(delivery: HotlineDelivery) -> None:
    url = settings.HOTLINE_REPLY_URL
    if not url or not settings.HOTLINE_SECRET:
        raise DeliveryFailed("HOTLINE_REPLY_URL or HOTLINE_SECRET is not set")
    if not url.startswith(("https://", "http://")):
        raise DeliveryFailed("HOTLINE_REPLY_URL must be an http(s) URL")
    body = message_body(delivery)
    # The scheme was checked above (http or https only).
    request = urllib.request.Request(url, data=body, method="POST", headers=signing.signed_headers(body))  # noqa: S310
    request.add_header("X-Hotline-Delivery", str(delivery.pk))  # the centre may dedupe by it
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")
