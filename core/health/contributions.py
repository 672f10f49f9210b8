from django.conf import settings

from core.extensions import PeriodicTask

CONTRIBUTIONS = [
    PeriodicTask(
        key="health.worker_heartbeat",
        task="health.record_worker_heartbeat",
        schedule=float(settings.WORKER_HEARTBEAT_SECONDS),
        expires_seconds=float(settings.WORKER_HEARTBEAT_SECONDS),
    ),
]
