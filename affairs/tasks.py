"""Celery tasks of government affairs; each loads what it needs and calls a service."""

from celery import shared_task

from affairs.benefits import lapse_at_adult_age, open_due_rechecks


@shared_task(name="affairs.open_due_rechecks", ignore_result=True)
def open_due_rechecks_task() -> int:
    """Every morning: childhood benefits of those who turned 18 lapse, then re-checks fall due."""
    from django.utils import timezone

    lapse_at_adult_age(timezone.localdate())
    return open_due_rechecks()
