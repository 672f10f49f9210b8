from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.extensions import NoticeKind, PeriodicTask

CONTRIBUTIONS = [
    NoticeKind(key="imports.finished", name=_("Import finished")),
    # Within a minute or two of its worker dying, an import runs again (IMPORT_STALE_SECONDS).
    PeriodicTask(
        key="imports.requeue_orphans", task="imports.requeue_orphans", schedule=60.0, expires_seconds=50
    ),
    PeriodicTask(
        key="imports.purge_old_files",
        task="imports.purge_old_files",
        schedule=crontab(hour=2, minute=41),
        expires_seconds=6 * 3600,
    ),
]
