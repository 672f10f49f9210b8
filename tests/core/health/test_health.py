from __future__ import annotations

import asyncio
import time

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.health import heartbeat


def test_healthz_answers_without_touching_services(client):
    # No django_db mark: pytest-django fails the test if the view touches the database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_service(client, settings):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not_configured")


@pytest.mark.django_db
def test_readyz_is_503_naming_redis_when_it_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["down"] == ["redis"]
    assert body["checks"]["redis"].startswith("down")


@pytest.mark.django_db
def test_readyz_reports_the_worker_from_its_heartbeat_without_failing(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_STALE_AFTER_SECONDS = 60
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["worker"] == {"status": "unknown", "last_seen_seconds_ago": None}

    heartbeat.record()
    assert response.status_code == 200
    assert client.get("/readyz").json()["worker"]["status"] == "ok"

    beat = heartbeat.cache.get(heartbeat.HEARTBEAT_KEY)
    heartbeat.cache.set(heartbeat.HEARTBEAT_KEY, {**beat, "at": time.time() - 3600})
    worker = client.get("/readyz").json()["worker"]
    assert worker["status"] == "stale" and worker["last_seen_seconds_ago"] >= 3600


@pytest.mark.django_db
def test_embedded_mode_reports_tasks_in_process(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/readyz").json()["worker"] == {"status": "in_process"}


def test_websocket_ping_answers_pong():
    asyncio.run(_ping_pong())


async def _ping_pong() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://testserver")]
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from()) == {"type": "error", "code": "unknown_message"}
    await communicator.disconnect()
