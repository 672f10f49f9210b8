"""Publish outbox messages: right after commit (one try, no retry) and from the beat relay
(everything pending, in order, with the broker's retry policy).

A row is claimed for a short lease, published, then marked sent. A process that dies between
publish and mark leaves the row to be published again when the lease ends: delivery is at least
once, and consumers dedupe by the idempotency key. While the broker is unreachable the relay
stops at the first failure (the rest would fail the same way) and the rows stay pending.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import async_to_sync
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.outbox.models import OutboxMessage

logger = logging.getLogger("smartcommunity.outbox")

# The broker or channel layer could not be reached: the message is fine, try again later.
UNREACHABLE = (OSError, TimeoutError, KombuOperationalError, RedisConnectionError, RedisTimeoutError)


@dataclass
class RelayResult:
    sent: int = 0
    failed: int = 0
    unreachable: bool = False


# After an on-commit try found Redis unreachable, later tries in this process are skipped for a
# while (the beat relay publishes those messages): a hanging Redis costs one request one socket
# timeout, not every request one timeout per message.
_skip_after_commit_until = 0.0


def relay_after_commit(message_id: int) -> None:
    """The on-commit try: one attempt with bounded timeouts, never an exception into the request."""
    global _skip_after_commit_until
    if time.monotonic() < _skip_after_commit_until:
        return
    try:
        result = relay_pending(ids=[message_id], retry=False)
    except Exception:  # the beat relay will publish it; a request must not fail for this
        logger.exception("outbox: publishing message %s after commit failed", message_id)
        return
    if result.unreachable:
        _skip_after_commit_until = time.monotonic() + settings.OUTBOX_RELAY_INTERVAL_SECONDS


def relay_pending(
    *, ids: list[int] | None = None, limit: int | None = None, retry: bool = True
) -> RelayResult:
    """Publish due, pending messages in id order (only `ids`, if given)."""
    claimed = _claim(ids=ids, limit=limit or settings.OUTBOX_RELAY_BATCH_SIZE)
    result = RelayResult()
    sent_ids: list[int] = []
    try:
        for message in claimed:
            try:
                publish(message, retry=retry)
            except UNREACHABLE as exc:
                result.unreachable = True
                _record_error(message, exc, counts=False)
                logger.warning(
                    "outbox: broker unreachable, %s message(s) stay pending (%s)",
                    len(claimed) - len(sent_ids),
                    exc,
                )
                break
            except Exception as exc:
                result.failed += 1
                _record_error(message, exc, counts=True)
                logger.exception("outbox: publishing %s failed", message.idempotency_key)
                continue
            sent_ids.append(message.pk)
    finally:
        now = timezone.now()
        if sent_ids:
            OutboxMessage.objects.filter(pk__in=sent_ids).update(sent_at=now, claimed_until=None)
        unsent = [m.pk for m in claimed if m.pk not in set(sent_ids)]
        if unsent:
            OutboxMessage.objects.filter(pk__in=unsent, sent_at__isnull=True).update(claimed_until=None)
    result.sent = len(sent_ids)
    return result


def relay_all_pending(*, max_batches: int | None = None) -> RelayResult:
    """The beat relay: batch after batch until nothing is due or the broker is unreachable."""
    total = RelayResult()
    for _ in range(max_batches or settings.OUTBOX_RELAY_MAX_BATCHES):
        result = relay_pending(retry=True)
        total.sent += result.sent
        total.failed += result.failed
        total.unreachable = total.unreachable or result.unreachable
        if result.unreachable or result.sent + result.failed == 0:
            break
    return total


def _claim(*, ids: list[int] | None, limit: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.due(now).order_by("id")
        if ids is not None:
            due = due.filter(pk__in=ids)
        # SKIP LOCKED: two relays (on-commit and beat) never take the same row at once.
        claimed = list(due.select_for_update(skip_locked=True)[:limit])
        if claimed:
            lease = now + timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)
            OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(claimed_until=lease)
    return claimed


def _record_error(message: OutboxMessage, exc: Exception, *, counts: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    updates: dict = {"last_error": error, "claimed_until": None}
    if counts:
        updates["attempts"] = F("attempts") + 1
        if message.attempts + 1 >= settings.OUTBOX_MAX_ATTEMPTS:
            updates["dead_at"] = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(**updates)


# publishing ------------------------------------------------------------------------------


def publish(message: OutboxMessage, *, retry: bool) -> None:
    if message.kind == OutboxMessage.Kind.CELERY_TASK:
        _publish_task(message, retry=retry)
    elif message.kind == OutboxMessage.Kind.CHANNEL_GROUP_SEND:
        async_to_sync(_group_send)(message.group, message.payload)
    else:
        raise ValueError(f"Unknown outbox message kind {message.kind!r}")


def _publish_task(message: OutboxMessage, *, retry: bool) -> None:
    app = current_app
    options: dict = {}
    if message.queue:
        options["queue"] = message.queue
    if app.conf.task_always_eager:
        # Embedded mode: run in-process now. A task that fails has failed, as it would in a
        # worker; the message has been delivered either way.
        result = _registered_task(app, message.task_name).apply(
            args=message.args, task_id=message.idempotency_key, throw=False
        )
        if result.failed():
            logger.error("outbox: task %s (%s) failed in-process", message.task_name, message.idempotency_key)
        return
    app.send_task(
        message.task_name,
        args=message.args,
        task_id=message.idempotency_key,
        # No result subscription: it would be one more Redis call that can hang while it is down.
        ignore_result=True,
        retry=retry,
        retry_policy=settings.OUTBOX_PUBLISH_RETRY_POLICY,
        **options,
    )


def _registered_task(app, name: str):
    if name not in app.tasks:
        # Task modules load lazily: importing them registers the task (once per process). Not
        # through app.loader.import_default_modules(), what a worker does at start: its Django
        # fixup calls django.setup() again, which re-applies settings.LOGGING in the middle of a
        # request or command (undoing any logger level set since) and runs every system check.
        app.autodiscover_tasks(force=True)
        for module in app.loader.default_modules:
            app.loader.import_task_module(module)
    return app.tasks[name]


async def _group_send(group: str, payload: dict) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    await asyncio.wait_for(layer.group_send(group, payload), timeout=settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS)
