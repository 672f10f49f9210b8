"""`make stack`'s processes (the Procfile under honcho): web, worker and beat against real services."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.e2e.processes import BIN, environment, free_port, get_json, running, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]


def test_stack_serves_readyz_with_a_live_worker(settings, tmp_path):
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    port = free_port()
    env = environment(
        DATABASE_URL=database_url, REDIS_URL=settings.REDIS_URL, WEB_CONCURRENCY="1", WORKER_CONCURRENCY="1"
    )
    log = tmp_path / "stack.log"
    with running([str(BIN / "honcho"), "start", "-f", "Procfile", "-p", str(port)], env, log):

        def ready_with_worker() -> bool:
            status, body = get_json(f"http://127.0.0.1:{port}/readyz")
            return status == 200 and body["worker"]["status"] == "ok"

        wait_until(ready_with_worker, timeout=90, what="web, worker and beat", log=log)
    output = log.read_text()
    assert "web.1" in output and "worker.1" in output and "beat.1" in output and "bridge.1" in output
