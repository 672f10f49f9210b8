from __future__ import annotations

from celery import shared_task

from core.audit import partitions


@shared_task(name="audit.maintain_partitions")
def maintain_partitions() -> dict:
    """Idempotent: creates missing partitions ahead and drops the expired ones."""
    report = partitions.maintain()
    return {
        "created": list(report.created),
        "dropped": list(report.dropped),
        "deleted_rows": report.deleted_rows,
    }
