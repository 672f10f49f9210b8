"""The retention task, and the retention of the platform's own hand-off records."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.extensions import AuditAction, PeriodicTask, RetentionRule

CONTRIBUTIONS = [
    AuditAction(key="retention.delete", name=_("Expired personal data deleted")),
    AuditAction(key="retention.anonymize", name=_("Expired personal data anonymized")),
    PeriodicTask(
        key="retention.apply",
        task="retention.apply",
        # At night, when nobody works on the rows it may touch.
        schedule=crontab(hour=2, minute=43),
        expires_seconds=6 * 3600.0,
    ),
    RetentionRule(
        key="retention.delivered_handoffs",
        model="extensions.Handoff",
        starts="delivered_at",
        keep_days=90,
        action="delete",
        where={"status": "delivered"},
        rule="PIPL art. 19: a delivered hand-off has served its purpose; its consumer keeps its own "
        "record. 90 days leave time to trace a delivery.",
    ),
]
