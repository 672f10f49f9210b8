"""Routes that answer without signing in, as the apps declare them (PublicRoute contributions):
core's own in its apps' contributions.py (probes and the API's description in core.health,
signing in in core.accounts, Open311 in core.workflow), a domain's webhooks and signed device
posts in the domain's. Everything else requires authentication (DEFAULT_PERMISSION_CLASSES,
ScopedViewSet), and the scope matrix (tests/scope_matrix) fails for a route that is neither
public nor scoped.
"""

from __future__ import annotations

from core.extensions.contributions import PublicRoute
from core.extensions.registry import registry


def public_routes() -> dict[str, frozenset[str]]:
    """URL name → the methods answered without signing in ("*": every method the view serves)."""
    routes: dict[str, set[str]] = {}
    for route in registry.items(PublicRoute.kind):
        routes.setdefault(route.url_name, set()).update(route.methods)
    return {name: frozenset(methods) for name, methods in routes.items()}


def is_public(url_name: str | None, method: str = "GET") -> bool:
    methods = public_routes().get(url_name or "")
    return bool(methods) and ("*" in methods or method.upper() in methods)
