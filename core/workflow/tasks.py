from celery import shared_task

from core.workflow.escalation import escalate_overdue


@shared_task(name="workflow.escalate_overdue", ignore_result=True)
def escalate_overdue_task() -> int:
    return len(escalate_overdue())
