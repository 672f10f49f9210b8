from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import checks, heartbeat


@never_cache
@require_GET
def healthz(request):
    """The process is alive; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Database and Redis answer; the worker's heartbeat is reported but never fails the probe."""
    results = {"database": checks.database(), "redis": checks.redis()}
    ready = all(value in ("ok", "not_configured") for value in results.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": results,
        "worker": heartbeat.status(),
    }
    if not ready:
        body["down"] = [name for name, value in results.items() if value.startswith("down")]
    return JsonResponse(body, status=200 if ready else 503)
