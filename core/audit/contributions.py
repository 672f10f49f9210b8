from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import AuditAction, PeriodicTask, Permission

CONTRIBUTIONS = [
    AuditAction(key="audit.log.export", name=_("Audit log exported")),
    # Partitions for the coming months, and retention (drops whole months past AUDIT_RETENTION_DAYS).
    PeriodicTask(
        key="audit.maintain_partitions",
        task="audit.maintain_partitions",
        schedule=crontab(hour=3, minute=17),
        expires_seconds=6 * 3600,
    ),
]

CONTRIBUTIONS += [
    Permission(key="audit.view", label=_("Read the audit log"), roles=(Role.AUDIT_ADMIN,)),
    Permission(key="audit.export", label=_("Export the audit log"), roles=(Role.AUDIT_ADMIN,)),
]
