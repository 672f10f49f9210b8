"""The hotline adapter's task: one attempt to send a reply or a bounce to the centre."""

from __future__ import annotations

from affairs.hotline.delivery import TASK_NAME, delivery_attempt
from core.outbox.tasks import idempotent_task


@idempotent_task(name=TASK_NAME, time_limit=60, soft_time_limit=45)
def deliver(delivery_id: int) -> str:
    # A failure does not raise: the attempt is recorded and the next one enqueued with a countdown
    # (raising would roll the record back with the task's transaction).
    return delivery_attempt(delivery_id)
