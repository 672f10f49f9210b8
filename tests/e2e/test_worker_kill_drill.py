"""The drill: a Celery worker, main process and children, killed with SIGKILL in the middle of an
import. The job does not stay `running`: the API flags its progress stale once the heartbeat is
silent, beat's `imports.requeue_orphans` queues it again, a new worker runs it, and every row is
written once (the first run's transaction died with its worker).

Real processes: uvicorn (web), Celery worker and beat on a private redis-server; the database is
the test database. DRILL_IMPORT_ROWS sets the workbook's size (`make drills`: 50,000).
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
import uuid
from datetime import date, timedelta

import pytest

from core.accounts.roles import Role
from core.accounts.tokens import issue_tokens
from core.imports.models import ImportJob
from core.imports.services import import_job_stale
from core.notices.models import Notice
from core.registry.models import House, Resident
from tests.core.imports.conftest import valid_id, workbook_bytes
from tests.core.notices.e2e_stack import PrivateRedis, beat, http_json, stack_environment, web
from tests.core.notices.factories import make_region, make_user
from tests.e2e.processes import BIN, running, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROWS = int(os.environ.get("DRILL_IMPORT_ROWS", "5000"))
WORKER = [
    str(BIN / "celery"),
    "-A",
    "config",
    "worker",
    "--loglevel=INFO",
    "--queues=default,notices,outbox",
    "--concurrency=1",
    "--without-gossip",
    "--without-mingle",
]  # fmt: skip  (prefork: a main process and its child, both killed)


def _workbook(house: House) -> bytes:
    start = date(1940, 1, 1)
    rows = [
        {"name": f"居民{i}", "document_number": valid_id(start + timedelta(days=i)), "house": house.pk}
        for i in range(ROWS)
    ]
    return workbook_bytes(rows)


def _upload(port: int, token: str, region_id: int, content: bytes) -> int:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="region"\r\n\r\n{region_id}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nvalid_rows\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="register.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode(),
        content,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/registry/imports/",
        data=b"".join(parts),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["id"]


def test_an_import_whose_worker_is_killed_runs_again_and_writes_each_row_once(settings, tmp_path):
    community = make_region(
        4, "甲社区", make_region(3, "滨江街道", make_region(2, "镜湖区", make_region(1, "芜湖市")))
    )
    grid = make_region(5, "第1网格", community)
    user = make_user("drill_importer", Role.COMMUNITY_WORKER, community)
    house = House.objects.create(region=grid, region_path=grid.path, address="滨江路1号", number="1")
    token = issue_tokens(user, second_factor=True)["access"]
    private = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private)},
        },
    }
    redis = PrivateRedis(tmp_path)
    redis.start()
    env = {
        **stack_environment(settings, redis.url),
        "DJANGO_SETTINGS_MODULE": "tests.e2e.drill_settings",
        "DRILL_PRIVATE_DIR": str(private),
    }
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "first", "second", "beat")}
    try:
        with web(env, logs["web"]) as port, beat(env, logs["beat"], tmp_path / "beat-schedule"):
            # Uploaded through the web process, so its task goes to the drill's broker.
            job_id = _upload(port, token, community.pk, _workbook(house))
            url = f"http://127.0.0.1:{port}/api/v1/registry/imports/{job_id}/"

            def seen() -> dict:
                status, body = http_json("GET", url, token=token)
                assert status == 200, body
                return body

            # 1. The first worker takes the import; killed, main process and child, mid-run.
            with running(WORKER, env, logs["first"]) as first:
                wait_until(
                    lambda: seen()["status"] == "running" and 0 < seen()["progress"] < 90,
                    timeout=300,
                    what="the import running",
                    log=logs["first"],
                )
                os.killpg(first.pid, signal.SIGKILL)
                first.wait(timeout=10)
            killed_at = time.monotonic()
            frozen = seen()
            assert frozen["status"] == "running" and frozen["attempts"] == 1
            assert Resident.objects.count() == 0  # its transaction died with it

            # 2. No worker: the progress is flagged stale; nothing is lost.
            wait_until(lambda: seen()["progress_stale"], timeout=60, what="the progress flagged stale")

            # 3. A new worker: beat queues the orphan again, and it runs to the end.
            with running(WORKER, env, logs["second"]):
                wait_until(
                    lambda: seen()["status"] == "succeeded",
                    timeout=600,
                    what="the import run again",
                    log=logs["second"],
                )
            recovered_in = time.monotonic() - killed_at
    finally:
        redis.stop()

    job = ImportJob.objects.get(pk=job_id)
    assert (job.attempts, job.created_count, job.invalid_rows) == (2, ROWS, 0)
    assert Resident.objects.count() == ROWS  # each row once
    assert Notice.objects.filter(recipient=user, kind="imports.finished").count() == 1
    assert not import_job_stale(job)
    assert recovered_in < 600
    print(f"drill: {ROWS} rows; recovered {recovered_in:.0f} s after the kill")
