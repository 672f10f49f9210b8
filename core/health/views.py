from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.extensions.registry import registry
from core.health import checks, heartbeat


@never_cache
@require_GET
def healthz(request):
    """The process is alive; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Database and Redis answer. The worker's heartbeat and the scenarios disabled at start-up
    (each with its reason) are reported but never fail the probe: the platform serves without them."""
    results = {"database": checks.database(), "redis": checks.redis()}
    ready = all(value in ("ok", "not_configured") for value in results.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": results,
        "worker": heartbeat.status(),
        "disabled_scenarios": [
            {"app": label, "reason": reason}
            for label, reason in sorted(registry.disabled_scenarios().items())
        ],
    }
    if not ready:
        body["down"] = [name for name, value in results.items() if value.startswith("down")]
    return JsonResponse(body, status=200 if ready else 503)
