"""Enqueue work that must follow a commit: call these inside the transaction of the change.

    with transaction.atomic():
        event = ...
        enqueue_task("workflow.escalate", args=[event.pk], idempotency_key=f"escalate:{event.pk}:{level}")

The row commits (or rolls back) with the change; after commit the relay tries to publish it at
once, and the beat relay publishes whatever is still pending (Redis was down, the process died).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.outbox.models import OutboxMessage

# Task arguments are primary keys and plain flags: scalars only, so no record travels in a message.
_SCALARS = (int, str, bool, float, type(None))


def enqueue_task(
    task_name: str,
    *,
    args: Sequence[int | str | bool | float | None],
    idempotency_key: str,
    queue: str | None = None,
    countdown: float | None = None,
) -> OutboxMessage:
    """Run the Celery task `task_name(*args)` once after the current transaction commits.

    The task receives `idempotency_key` as its task id, so a task declared with
    `core.outbox.tasks.idempotent_task` has its effect once however often it is delivered.
    `countdown` (seconds) delays publishing; the outbox holds the message until it is due.
    """
    args = list(args)
    bad = [a for a in args if not isinstance(a, _SCALARS)]
    if bad:
        raise ValueError(f"Task arguments must be primary keys or plain values, not {bad!r}")
    if getattr(settings, "CELERY_REFUSE_PERSONAL_DATA", False):
        # Refused here, in the caller's transaction, rather than by the publish guard later.
        from core.accounts.celery_guard import check_task_arguments

        check_task_arguments(task_name, args, {})
    if countdown is not None and not 0 <= countdown <= settings.OUTBOX_MAX_COUNTDOWN_SECONDS:
        raise ValueError(f"countdown must be between 0 and {settings.OUTBOX_MAX_COUNTDOWN_SECONDS} seconds")
    available_at = timezone.now() + timedelta(seconds=countdown or 0)
    return _enqueue(
        OutboxMessage(
            kind=OutboxMessage.Kind.CELERY_TASK,
            idempotency_key=_checked_key(idempotency_key),
            task_name=task_name,
            args=args,
            queue=queue or "",
            available_at=available_at,
        )
    )


def enqueue_group_send(group: str, payload: dict, *, idempotency_key: str) -> OutboxMessage:
    """Send `payload` to a channel-layer group after commit. The payload names what changed (ids),
    never personal data: it passes through Redis; consumers load what they show from the database."""
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ValueError("A group message is a dict with a 'type' naming the consumer's handler")
    json.dumps(payload)  # refuses what the channel layer could not carry
    return _enqueue(
        OutboxMessage(
            kind=OutboxMessage.Kind.CHANNEL_GROUP_SEND,
            idempotency_key=_checked_key(idempotency_key),
            group=group,
            payload=payload,
        )
    )


def after_commit(func: Callable[[], object]) -> None:
    """Call `func` in this process once the current transaction commits, with no promise kept.

    Only for what needs none: a courtesy the beat also does (assigning notice cursors), or what
    must never be written down nor pass through the broker (the SMS carrying a one-time code).
    Work that must happen goes through `enqueue_task`, which keeps it until it is published.
    An exception in `func` is logged, never raised into the request that committed.
    """
    transaction.on_commit(func, robust=True)


def _checked_key(key: str) -> str:
    if not key or len(key) > 200:
        raise ValueError("An idempotency key is a non-empty string of at most 200 characters")
    return key


def _enqueue(message: OutboxMessage) -> OutboxMessage:
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Enqueued before with this key: the first message stands (that is what the key is for).
        message = OutboxMessage.objects.get(idempotency_key=message.idempotency_key)
    if message.sent_at is None:
        from core.outbox import relay

        transaction.on_commit(partial(relay.relay_after_commit, message.pk), robust=True)
    return message
