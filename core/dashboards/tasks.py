from __future__ import annotations

from celery import shared_task
from django.db import transaction

from core.dashboards import live, summaries
from core.dashboards import metrics as declared_metrics
from core.outbox.tasks import idempotent_task


@idempotent_task(name="dashboards.refresh_node", ignore_result=True, time_limit=600, soft_time_limit=540)
def refresh_node(region_id: int) -> int:
    """Refresh one node's summary (coalesced per community by core.dashboards.changes)."""
    outcome = summaries.refresh_node(region_id)
    live.push_after_commit(outcome.changed)
    return len(outcome.changed)


@shared_task(name="dashboards.sweep", ignore_result=True, time_limit=3600, soft_time_limit=3300)
def sweep() -> int:
    """Recompute the metrics whose values change with time alone (overdue, age bands, in force
    today) and those declared before the contract (computed per node)."""
    metrics = [m for m in declared_metrics.declared() if m.changes_with_time or not m.per_node]
    with transaction.atomic():
        outcome = summaries.rebuild(metrics)
        live.push_after_commit(outcome.changed)
    return len(outcome.changed)


@shared_task(name="dashboards.snapshot", ignore_result=True, time_limit=3600, soft_time_limit=3300)
def snapshot() -> int:
    """Keep today's values for the time series (late in the evening, so the day is complete)."""
    return summaries.snapshot()
