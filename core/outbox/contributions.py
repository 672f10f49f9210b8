from celery.schedules import crontab
from django.conf import settings

from core.extensions import PeriodicTask

CONTRIBUTIONS = [
    PeriodicTask(
        key="outbox.relay",
        task="outbox.relay",
        schedule=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
        queue="outbox",
        # A relay tick that waited longer than one interval is superseded by the next one.
        expires_seconds=float(settings.OUTBOX_RELAY_INTERVAL_SECONDS),
    ),
    PeriodicTask(
        key="outbox.purge",
        task="outbox.purge",
        schedule=crontab(hour=3, minute=17),
        queue="outbox",
        expires_seconds=3600.0,
    ),
]

# Hand-offs between domains still pending (no consumer was installed yet, a receiver failed):
# delivered as soon as someone takes them (core.extensions.handoffs).
CONTRIBUTIONS.append(
    PeriodicTask(
        key="outbox.redeliver_handoffs",
        task="outbox.redeliver_handoffs",
        schedule=crontab(minute="*/10"),
        queue="default",
        expires_seconds=600.0,
    )
)
