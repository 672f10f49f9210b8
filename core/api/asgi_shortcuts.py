"""Public routes answered ahead of Django's handler (PublicRoute(asgi="...")).

A signed device post arrives many times a second and needs nothing the middleware chain gives
(no session, user, locale, CSRF, messages): the chain, the URL resolver and Django's thread per
request cost more than the post's own work (bench/bench_safety_ingest.py). Such a route names an
ASGI callable; this wrapper hands it the requests it is declared for and everything else to
Django. It takes a request only where the middleware would have let it through unchanged: the
declared method and exact path, a host in ALLOWED_HOSTS, HTTPS where SECURE_SSL_REDIRECT asks
for it, a Content-Length within DATA_UPLOAD_MAX_MEMORY_SIZE; any other request goes to Django,
which answers it as before (redirect, 400, 413). The callable answers in the one error shape and
adds the security headers of `security_headers()`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils.module_loading import import_string


def security_headers() -> list[tuple[bytes, bytes]]:
    """What SecurityMiddleware and XFrameOptionsMiddleware add to an HTTPS answer."""
    headers = [(b"x-frame-options", getattr(settings, "X_FRAME_OPTIONS", "DENY").encode())]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        value += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        value += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append((b"strict-transport-security", value.encode()))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        policy = policy if isinstance(policy, str) else ",".join(policy)
        headers.append((b"referrer-policy", policy.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append((b"cross-origin-opener-policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()))
    return headers


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def passes_middleware(scope: dict) -> bool:
    """Whether Django's middleware would let this request through unchanged (see the module)."""
    headers = scope.get("headers") or []
    secure = scope.get("scheme") == "https"
    if settings.SECURE_PROXY_SSL_HEADER:
        name, expected = settings.SECURE_PROXY_SSL_HEADER
        forwarded = _header(headers, name.removeprefix("HTTP_").replace("_", "-").lower().encode())
        secure = forwarded is not None and forwarded.split(",")[0].strip() == expected
    if settings.SECURE_SSL_REDIRECT and not secure:
        return False
    host = (settings.USE_X_FORWARDED_HOST and _header(headers, b"x-forwarded-host")) or _header(
        headers, b"host"
    )
    domain, _port = split_domain_port(host or "")
    allowed = settings.ALLOWED_HOSTS or (
        ["localhost", ".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    if not domain or not validate_host(domain, allowed):
        return False
    length = _header(headers, b"content-length")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return length is not None and length.isdigit() and (limit is None or int(length) <= limit)


class PublicRouteShortcuts:
    def __init__(self, app, routes: dict[tuple[str, str], Callable]) -> None:
        self.app = app
        self.routes = routes

    @classmethod
    def declared(cls, app) -> PublicRouteShortcuts:
        from core.extensions.contributions import PublicRoute
        from core.extensions.registry import registry

        routes = {}
        for route in registry.items(PublicRoute.kind):
            if route.asgi:
                answer, path = import_string(route.asgi), reverse(route.url_name)
                for method in route.methods:
                    routes[(method, path)] = answer
        return cls(app, routes)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            answer = self.routes.get((scope["method"], scope["path"]))
            if answer is not None and passes_middleware(scope):
                return await answer(scope, receive, send)
        return await self.app(scope, receive, send)
