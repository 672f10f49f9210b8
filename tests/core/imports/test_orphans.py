"""An import whose worker died mid-run (SIGKILL, a lost machine) is not left `running`: its
progress shows as stale once the heartbeat is silent, it is queued again within a minute, the
second run writes each row once, and a file that keeps killing its worker fails after a few runs.
The drill on real processes is tests/e2e/test_worker_kill_drill.py."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from core.imports.limits import limit
from core.imports.models import ImportJob
from core.imports.services import (
    import_job_create,
    import_job_run,
    import_job_stale,
    import_jobs_requeue_orphans,
)
from core.outbox.models import OutboxMessage
from core.registry.models import Resident
from tests.core.imports.conftest import upload_file, valid_id, workbook_bytes
from tests.helpers import client_for

LATER = 10 * 60  # seconds: well past IMPORT_STALE_SECONDS


def _job(register) -> ImportJob:
    rows = [
        {"name": f"居民{i}", "document_number": valid_id(), "house": register.a.house.pk} for i in range(3)
    ]
    return import_job_create(
        user=register.importer,
        region_id=register.a.community.pk,
        upload=upload_file(workbook_bytes(rows)),
        mode=ImportJob.Mode.VALID_ROWS,
    )


def _died_running(job: ImportJob) -> ImportJob:
    """As the first run leaves it when its worker is killed: running, one attempt, nothing written."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, attempts=1, started_at=job.created_at
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_an_orphaned_import_shows_stale_then_runs_again_and_writes_once(register, private_storage):
    with transaction.atomic():  # the upload's own run is not triggered (its message waits)
        job = _job(register)
    OutboxMessage.objects.all().delete()
    job = _died_running(job)
    assert import_job_stale(job, now=time.time() + LATER)
    body = client_for(register.importer).get(f"/api/v1/registry/imports/{job.pk}/").json()
    assert body["status"] == "running" and body["attempts"] == 1

    assert import_jobs_requeue_orphans(now=time.time() - LATER) == []  # not silent long enough yet
    assert import_jobs_requeue_orphans(now=time.time() + LATER) == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("imports.run_import", [job.pk])
    assert message.idempotency_key == f"imports.run_import:{job.pk}:run2"  # not the first run's key

    import_job_run(job_id=job.pk)
    import_job_run(job_id=job.pk)  # delivered twice: the finished job is left as it is
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created_count) == (ImportJob.Status.SUCCEEDED, 2, 3)
    assert Resident.objects.count() == 3
    assert not import_job_stale(job, now=time.time() + LATER)


@pytest.mark.django_db
def test_a_file_that_keeps_killing_its_worker_fails(register, private_storage):
    with transaction.atomic():
        job = _job(register)
    job = _died_running(job)
    ImportJob.objects.filter(pk=job.pk).update(attempts=limit("IMPORT_MAX_ATTEMPTS"))
    assert import_jobs_requeue_orphans(now=time.time() + LATER) == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.failure


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_import_whose_worker_lives_is_left_alone(register, private_storage):
    job = _died_running(_job(register))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    locked, release = threading.Event(), threading.Event()

    def live_worker():  # holds the job row as a running import does, for its whole transaction
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=live_worker)
    worker.start()
    try:
        assert locked.wait(10)
        assert connection.vendor == "postgresql"
        assert import_jobs_requeue_orphans(now=time.time() + LATER) == []
        job.refresh_from_db()
        assert job.status == ImportJob.Status.RUNNING
    finally:
        release.set()
        worker.join(10)
    assert import_jobs_requeue_orphans(now=time.time() + LATER) == [job.pk]  # its worker is gone
