"""The beat relay, the clean-up, and `idempotent_task`: a task whose effect happens once.

Celery delivers at least once (late acks, redelivery after a lost worker or the visibility
timeout); the outbox may publish a message twice. A task declared with `idempotent_task` records
its delivery key in the same transaction as its effect, so a second delivery finds the key and
does nothing.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.outbox import relay
from core.outbox.models import OutboxMessage, ProcessedTask

_current_key: contextvars.ContextVar[str | None] = contextvars.ContextVar("idempotency_key", default=None)


def current_idempotency_key() -> str | None:
    """The key of the idempotent task running now (for a provider that dedupes by request id)."""
    return _current_key.get()


def idempotent_task(*, name: str, **options) -> Callable:
    """Declare a Celery task whose database effect happens once per idempotency key.

    The key is the task id: the outbox publishes with `task_id=<idempotency key>`, so every
    redelivery of one outbox message carries the same key. The function runs inside a
    transaction that also records the key; if it raises, neither is kept and a retry runs it.
    Effects outside the database (an SMS) should pass `current_idempotency_key()` to the
    provider, which then dedupes them too.
    """

    def decorator(func: Callable) -> Callable:
        @shared_task(name=name, bind=True, **options)
        @functools.wraps(func)
        def run(self, *args, **kwargs):
            key = self.request.id
            with transaction.atomic():
                _, created = ProcessedTask.objects.get_or_create(
                    idempotency_key=key, defaults={"task_name": name}
                )
                if not created:
                    return None
                token = _current_key.set(key)
                try:
                    return func(*args, **kwargs)
                finally:
                    _current_key.reset(token)

        return run

    return decorator


@shared_task(name="outbox.relay", ignore_result=True, time_limit=120, soft_time_limit=100)
def relay_outbox() -> dict:
    """Publish whatever is still pending (the broker was down, a process died after commit)."""
    result = relay.relay_all_pending()
    return {"sent": result.sent, "failed": result.failed, "unreachable": result.unreachable}


@shared_task(name="outbox.purge", ignore_result=True, time_limit=600, soft_time_limit=540)
def purge_outbox() -> dict:
    """Drop sent messages and processed keys older than the retention (well past any redelivery)."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    sent, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    processed, _ = ProcessedTask.objects.filter(processed_at__lt=cutoff).delete()
    return {"messages": sent, "processed": processed}
