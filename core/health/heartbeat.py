"""The worker's heartbeat, kept in the cache so /readyz reads it instead of pinging workers."""

from __future__ import annotations

import os
import socket
import time

from django.conf import settings
from django.core.cache import cache

HEARTBEAT_KEY = "health:worker_heartbeat"


def record() -> dict:
    beat = {"at": time.time(), "host": socket.gethostname(), "pid": os.getpid()}
    cache.set(HEARTBEAT_KEY, beat, timeout=settings.WORKER_STALE_AFTER_SECONDS * 10)
    return beat


def status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "in_process"}
    beat = cache.get(HEARTBEAT_KEY)
    if not beat:
        return {"status": "unknown", "last_seen_seconds_ago": None}
    age = max(0.0, time.time() - beat["at"])
    fresh = age <= settings.WORKER_STALE_AFTER_SECONDS
    return {"status": "ok" if fresh else "stale", "last_seen_seconds_ago": round(age, 1)}
