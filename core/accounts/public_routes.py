"""The one list of routes that answer without signing in. Everything else requires
authentication (DEFAULT_PERMISSION_CLASSES, ScopedViewSet), and the scope matrix
(tests/scope_matrix) fails for a route that is neither public here nor scoped.

Entries are URL names (as in config/urls.py and each part's api/urls.py) with the methods
that are public; "*" means every method the view serves.
"""

from __future__ import annotations

PUBLIC_ROUTES: dict[str, frozenset[str]] = {
    # health probes, schema and docs, the API root
    "healthz": frozenset({"GET"}),
    "readyz": frozenset({"GET"}),
    "schema": frozenset({"GET"}),
    "api-docs": frozenset({"GET"}),
    "api-redoc": frozenset({"GET"}),
    "api-root": frozenset({"GET"}),
    # signing in, binding a resident record, resetting a forgotten password
    "accounts-token": frozenset({"POST"}),
    "accounts-token-refresh": frozenset({"POST"}),
    "accounts-binding-code": frozenset({"POST"}),
    "accounts-binding": frozenset({"POST"}),
    "accounts-wechat-login": frozenset({"POST"}),
    "accounts-password-reset-code": frozenset({"POST"}),
    "accounts-password-reset": frozenset({"POST"}),
    # Open311 GeoReport v2 (core.workflow.open311): reads carry no personal data; creating a
    # request needs the client's API key instead of a session or token.
    "open311-discovery": frozenset({"GET"}),
    "open311-services": frozenset({"GET"}),
    "open311-service": frozenset({"GET"}),
    "open311-requests": frozenset({"GET", "POST"}),
    "open311-request": frozenset({"GET"}),
    # Signed webhooks are added here by the parts that serve them.
    # The 12345 hotline centre (affairs.hotline): no account, each request carries an HMAC
    # signature over its body and a timestamp (HOTLINE_SECRET), checked before anything is read.
    "hotline-push": frozenset({"POST"}),
    "hotline-return-visits": frozenset({"POST"}),
}


def is_public(url_name: str | None, method: str = "GET") -> bool:
    methods = PUBLIC_ROUTES.get(url_name or "")
    return bool(methods) and ("*" in methods or method.upper() in methods)
