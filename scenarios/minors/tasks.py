from celery import shared_task

from scenarios.minors.services import close_adults, escalate_reports, open_due_visits


@shared_task(name="minors.escalate")
def escalate_task() -> int:
    return escalate_reports()


@shared_task(name="minors.daily")
def daily_task() -> dict:
    return {"closed": close_adults(), "visits": open_due_visits()}
