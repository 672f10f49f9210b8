from django.conf import settings

from core.extensions import PeriodicTask, PublicRoute

CONTRIBUTIONS = [
    PeriodicTask(
        key="health.worker_heartbeat",
        task="health.record_worker_heartbeat",
        schedule=float(settings.WORKER_HEARTBEAT_SECONDS),
        expires_seconds=float(settings.WORKER_HEARTBEAT_SECONDS),
    ),
]

# Probes, and the API's own description: answered without signing in.
_GET = frozenset({"GET"})
CONTRIBUTIONS += [
    PublicRoute(key="health.healthz", url_name="healthz", methods=_GET),
    PublicRoute(key="health.readyz", url_name="readyz", methods=_GET),
    PublicRoute(key="health.schema", url_name="schema", methods=_GET),
    PublicRoute(key="health.api_docs", url_name="api-docs", methods=_GET),
    PublicRoute(key="health.api_redoc", url_name="api-redoc", methods=_GET),
    PublicRoute(key="health.api_root", url_name="api-root", methods=_GET),
]
