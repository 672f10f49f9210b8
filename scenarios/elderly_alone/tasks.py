from celery import shared_task

from scenarios.elderly_alone.services import escalate_overdue


@shared_task(name="elderly_alone.escalate")
def escalate_task() -> int:
    """Every minute, day and night: the next step for each case whose step is overdue."""
    return escalate_overdue()
