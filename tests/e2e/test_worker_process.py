"""Services mode: a task sent from the web process runs in a separate worker process."""

from __future__ import annotations

import os

import pytest

from core.health.tasks import ping
from tests.e2e.processes import BIN, environment, running, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.django_db]


def test_task_crosses_from_web_to_a_worker_process_and_readyz_sees_its_heartbeat(client, settings, tmp_path):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    log = tmp_path / "worker.log"
    command = [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        "--queues=default",
        "--concurrency=1",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
    ]
    env = environment(REDIS_URL=settings.REDIS_URL)
    with running(command, env, log):
        result = ping.delay()
        answer = result.get(timeout=60)
        assert answer["pong"] is True
        assert answer["pid"] != os.getpid()

        def worker_seen() -> bool:
            return client.get("/readyz").json()["worker"]["status"] == "ok"

        wait_until(worker_seen, timeout=30, what="the worker's heartbeat on /readyz", log=log)
