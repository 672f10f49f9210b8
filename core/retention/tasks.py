from __future__ import annotations

from celery import shared_task

from core.retention import services


@shared_task(name="retention.apply", ignore_result=True, time_limit=3600, soft_time_limit=3300)
def apply_retention() -> dict:
    """Delete or anonymize what every retention rule says has expired (safe to run twice)."""
    return {applied.rule: applied.count for applied in services.apply_all()}
