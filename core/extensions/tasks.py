"""Delivering hand-offs: once after the producer's commit (through the outbox), and from beat for
what is still pending."""

from __future__ import annotations

from celery import shared_task

from core.extensions import handoffs
from core.outbox.tasks import idempotent_task


@idempotent_task(name="extensions.deliver_handoff", ignore_result=True)
def deliver_handoff(handoff_id: int) -> str:
    return handoffs.deliver(handoff_id)


# Declared by the outbox (core/outbox/contributions.py), which re-sends whatever is pending.
@shared_task(name="outbox.redeliver_handoffs", ignore_result=True, time_limit=600, soft_time_limit=540)
def redeliver_handoffs() -> dict:
    return handoffs.redeliver_pending()
