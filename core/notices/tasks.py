"""Notice tasks. They take primary keys and have their effect once (core.outbox.idempotent_task)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from core.accounts.models import RoleAssignment
from core.notices import services
from core.notices.backends import backend_for, record_backend
from core.notices.models import Notice
from core.outbox.tasks import current_idempotency_key, idempotent_task

logger = logging.getLogger("smartcommunity.notices")


@idempotent_task(name="notices.fan_out", time_limit=600, soft_time_limit=540)
def fan_out(notice_id: int) -> int:
    """A notice to a region and role: enqueue the SMS/WeChat deliveries of everyone holding it.
    (The in-app push already went to the region's group.) Returns how many were enqueued."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    # Holders at the notice's region or any region below it.
    user_ids = list(
        RoleAssignment.objects.current()
        .filter(role=notice.role, region_path__startswith=notice.region_path, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    enqueued = 0
    for user_id, channels in services.delivery_channels(notice, user_ids=user_ids).items():
        for channel in channels:
            services.enqueue_delivery(notice, user_id=user_id, channel=channel)
            enqueued += 1
    return enqueued


@idempotent_task(
    name="notices.deliver",
    time_limit=120,
    soft_time_limit=100,
    # A provider that fails is tried again later with the same key (its countdowns stay far
    # below the broker's visibility timeout).
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def deliver(notice_id: int, user_id: int, channel: str) -> bool:
    notice = Notice.objects.filter(pk=notice_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if notice is None or user is None:
        return False
    backend_for(channel).send(user=user, notice=notice, idempotency_key=current_idempotency_key() or "")
    return True


@idempotent_task(
    name="notices.deliver_to_record",
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def deliver_to_record(notice_id: int) -> bool:
    """A notice to a resident record without an account: the SMS to the record's mobile, looked
    up here (never passed through the broker)."""
    notice = Notice.objects.select_related("resident").filter(pk=notice_id, resident__isnull=False).first()
    if notice is None:
        return False
    record_backend().send_to_record(
        resident=notice.resident, notice=notice, idempotency_key=current_idempotency_key() or ""
    )
    return True


@shared_task(name="notices.assign_cursors", ignore_result=True, time_limit=60, soft_time_limit=50)
def assign_cursors() -> int:
    return services.assign_cursors()
