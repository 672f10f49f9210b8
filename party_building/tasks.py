"""Celery tasks of party building; each calls a service."""

from celery import shared_task

from party_building.life import check_meetings


@shared_task(name="party_building.check_meetings", ignore_result=True)
def check_meetings_task() -> dict:
    """Every morning: remind of meetings falling due, and open an event for each one missed."""
    return check_meetings()
