from celery.schedules import crontab

from core.extensions import PeriodicTask

CONTRIBUTIONS = [
    PeriodicTask(
        key="imports.purge_old_files",
        task="imports.purge_old_files",
        schedule=crontab(hour=2, minute=41),
        expires_seconds=6 * 3600,
    ),
]
