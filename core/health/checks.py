from __future__ import annotations

from django.conf import settings
from django.db import connections


def database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


def redis() -> str:
    if not settings.REDIS_URL:
        return "not_configured"
    import redis as redis_client

    try:
        client = redis_client.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
        client.close()
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"
