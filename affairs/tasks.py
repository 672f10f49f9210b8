"""Celery tasks of government affairs; each loads what it needs and calls a service."""

from celery import shared_task

from affairs.benefits import open_due_rechecks


@shared_task(name="affairs.open_due_rechecks", ignore_result=True)
def open_due_rechecks_task() -> int:
    return open_due_rechecks()
