"""Test-wide fixtures and the rule for tests that need real services.

A test marked `postgres`, `redis` or `mqtt` runs only when that service is configured and answering.
Elsewhere it is skipped, except in CI (CI=true), where a missing service fails the test: CI
must never go green by skipping what it exists to check.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing_service(marker: str) -> str | None:
    if marker == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        if not engine.endswith("postgresql"):
            return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if marker == "redis":
        if not settings.REDIS_URL:
            return "needs Redis: set REDIS_URL=redis://…"
        from core.health import checks

        if checks.redis() != "ok":
            return f"Redis at REDIS_URL does not answer ({checks.redis()})"
    if marker == "mqtt":
        return _mqtt_missing()
    return None


def _mqtt_missing() -> str | None:
    """The MQTT broker of the device bridge (SAFETY_MQTT_URL, Mosquitto at 127.0.0.1:1883)."""
    import socket

    url = settings.SAFETY_MQTT_URL
    host, _, port = url.split("://", 1)[-1].rpartition("@")[2].partition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 1883)), timeout=2).close()
    except OSError as exc:
        return f"needs an MQTT broker at {url} ({exc})"
    return None


def pytest_configure(config: pytest.Config) -> None:
    """Every log line written during the run is checked for full ID numbers and phones."""
    from tests import log_leaks

    log_leaks.start(config)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop the run when a view, admin or role names a permission nobody declared, as start-up
    does (core/accounts/checks.py)."""
    from core.accounts.checks import raise_on_declaration_problems

    raise_on_declaration_problems()


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "redis", "mqtt"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason:
            if IN_CI:
                pytest.fail(f"CI=true and this test {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, heartbeats)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path_factory):
    """Uploads and attachments written by any test go to a temporary folder, never var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))},
        },
    }


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Passwords hashed cheaply: the world signs in many sample users (tests/world.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """The one test world (tests/world.py); domain packages extend it in their conftest."""
    from tests.world import build_world

    return build_world()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def in_process_tasks():
    """Run Celery tasks in-process, in both modes: unit tests see a task's effect without a
    worker (the e2e tests start a real one). Folders whose tests all need it use it autouse."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
