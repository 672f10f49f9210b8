"""Celery tasks of government affairs; each loads what it needs and calls a service."""

import logging

from celery import shared_task

from affairs.benefits import open_due_rechecks
from core.outbox.tasks import idempotent_task

logger = logging.getLogger("smartcommunity.affairs")


@shared_task(name="affairs.open_due_rechecks", ignore_result=True)
def open_due_rechecks_task() -> int:
    """Every morning: childhood benefits of those who turned 18 lapse, then re-checks fall due."""
    from django.utils import timezone

    from affairs.adulthood import lapse_at_adult_age

    lapse_at_adult_age(timezone.localdate())
    return open_due_rechecks()


@idempotent_task(
    name="affairs.sms_applicant",
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def sms_applicant(application_id: int, transition_id: int) -> bool:
    """An applicant without an account, filed for by a worker, who chose SMS: the step's notice
    goes to the mobile in their record (looked up here, never passed through the broker)."""
    from affairs.announce import step_title
    from affairs.models import Application
    from core.accounts.sms import send_sms
    from core.workflow.models import EventTransition

    application = Application.objects.select_related("item", "applicant").filter(pk=application_id).first()
    transition = EventTransition.objects.filter(pk=transition_id).first()
    if application is None or transition is None:
        return False
    mobile = application.applicant.mobile_encrypted
    if not mobile:
        logger.info("affairs SMS: applicant of application %s has no mobile; not sent", application_id)
        return False
    send_sms(mobile, step_title(application, transition.action.removeprefix("affairs."))[:70])
    return True
