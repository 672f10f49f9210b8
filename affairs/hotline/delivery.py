"""Messages to the hotline centre (replies and bounces): a HotlineDelivery row per message, sent
by an idempotent task through the outbox, signed like the centre's own requests.

A failed attempt is written down (attempts, last error) and the next one is enqueued through the
outbox with a growing countdown, so every attempt's outcome is committed, survives a restart and
is visible with the ticket; after MAX_ATTEMPTS the delivery is given up (state failed, logged,
and the street staff over the ticket told, since the centre never heard the answer).

Redirects are not followed: the signature header would go to whatever host the answer names.
A 3xx answer is a failed attempt like any other.
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.hotline import signing
from affairs.hotline.models import HotlineDelivery, HotlineTicket
from core.api.errors import ApplicationError
from core.outbox.services import enqueue_task

logger = logging.getLogger("smartcommunity.hotline")

TASK_NAME = "hotline.deliver"
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600


class DeliveryFailed(Exception):
    pass


def reply_url_problem(url: str, *, production: bool) -> str | None:
    """What is wrong with HOTLINE_REPLY_URL, if anything: it must be http(s), and https in
    production (the replies carry the callers' matters). Unset is allowed: deliveries wait. A
    file:// folder (the demo's, DEMO_FAKES) is refused in production."""
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return (
            "HOTLINE_REPLY_URL may not be a file:// folder when DJANGO_ENV=production" if production else None
        )
    if scheme not in ("http", "https") or not urlsplit(url).hostname:
        return "HOTLINE_REPLY_URL must be an http(s) URL"
    if production and scheme != "https":
        return "HOTLINE_REPLY_URL must be an https:// URL when DJANGO_ENV=production"
    return None


def _opener() -> urllib.request.OpenerDirector:
    # urlopen's default opener follows 301/302/303/307 with our headers, signature included, to
    # any host; this one has no redirect handler, so a 3xx ends as an HTTPError.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


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
                    "hotline: delivery %s given up after %s attempts: %s",
                    delivery.pk,
                    delivery.attempts,
                    delivery.last_error,
                )
                _tell_given_up(delivery)
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
    # Checked at start-up too (apps.py); again here, since settings can change under a running worker.
    problem = reply_url_problem(url, production=getattr(settings, "PRODUCTION", False))
    if problem:
        logger.error("hotline: delivery %s not sent: %s", delivery.pk, problem)
        raise DeliveryFailed(problem)
    body = message_body(delivery)
    headers = signing.signed_headers("POST", urlsplit(url).path or "/", body)
    if urlsplit(url).scheme.lower() == "file":
        _write_to_folder(delivery, url, headers, body)
        return
    # The scheme was checked above (http or https only).
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    request.add_header("X-Hotline-Delivery", str(delivery.pk))  # the centre may dedupe by it
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        redirect = " (redirects are not followed)" if 300 <= exc.code < 400 else ""
        raise DeliveryFailed(f"HTTP {exc.code}{redirect}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")


def _write_to_folder(delivery: HotlineDelivery, url: str, headers: dict, body: bytes) -> None:
    """The demo's centre (DEMO_FAKES): each message, signed as it would be sent, in a file a
    newcomer can open: var/hotline-deliveries/<delivery id>-<kind>.json."""
    folder = Path(urllib.request.url2pathname(urlsplit(url).path))
    folder.mkdir(parents=True, exist_ok=True)
    message = {"headers": headers, "body": json.loads(body)}
    (folder / f"{delivery.pk}-{delivery.kind}.json").write_text(
        json.dumps(message, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def _tell_given_up(delivery: HotlineDelivery) -> None:
    """The street staff over the ticket (or of the centre's region) hear that the centre never
    received the reply or bounce: someone must pass it on by other means."""
    from affairs.hotline.contributions import DELIVERY_FAILED
    from affairs.hotline.routing import centre_region
    from core.accounts.roles import Role
    from core.notices.services import notify
    from core.regions.models import Region
    from core.regions.paths import street_id

    ticket = delivery.ticket
    region = Region.objects.filter(pk=street_id(ticket.region_path), level=Region.Level.STREET).first()
    if region is None:
        try:
            region = centre_region()
        except ApplicationError:  # an unconfigured centre: the log line is all there is
            return
    title = _("12345 ticket %(no)s: not delivered to the hotline centre") % {"no": ticket.ticket_no}
    notify(
        kind=DELIVERY_FAILED.key,
        title=title[:200],
        body=_("%(kind)s given up after %(attempts)d attempts; last error: %(error)s")
        % {"kind": delivery.get_kind_display(), "attempts": delivery.attempts, "error": delivery.last_error},
        region=region,
        role=Role.STREET_STAFF,
        link=ticket,
    )
