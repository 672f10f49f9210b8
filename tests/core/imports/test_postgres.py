"""The import through the Celery task on PostgreSQL: rows go in by COPY, ids come from the
sequence, and the task is enqueued on commit (Redis broker), taking the job's id only."""

from __future__ import annotations

import pytest
from django.db import connection

from core.audit.models import AuditEvent
from core.imports.models import ImportJob
from core.imports.services import import_job_create
from core.imports.tasks import run_import
from core.registry.models import Household, Resident
from tests.core.imports.conftest import make_resident, upload_file, valid_id, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]


def test_import_by_copy_through_the_task(
    register, private_storage, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_BATCH_ROWS = 7  # several batches, several COPY statements
    assert connection.vendor == "postgresql"
    registered = make_resident(register.a.grid, "已登记")
    numbers = [valid_id() for _ in range(20)]
    rows = [
        {
            "name": f"居民{i}",
            "document_number": n,
            "mobile": f"1391234{i:04d}",
            "house": register.a.house.pk,
            "household_number": f"H{i // 4}",
            "relation": "本人" if i % 4 == 0 else "子女",
        }
        for i, n in enumerate(numbers)
    ] + [
        {
            "name": "已在册",
            "document_number": registered.document_number_encrypted,
            "house": register.a.house.pk,
        }
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_job_create(
            user=register.importer,
            region_id=register.a.community.pk,
            upload=upload_file(workbook_bytes(rows)),
            mode=ImportJob.Mode.VALID_ROWS,
        )
    assert len(callbacks) == 1  # enqueued only once the upload is committed

    run_import.apply(args=[job.pk])  # the task itself, as a worker would run it
    job.refresh_from_db()
    assert (job.status, job.created_count, job.invalid_rows) == (ImportJob.Status.SUCCEEDED, 20, 1)
    created = Resident.objects.filter(pk__in=job.created_ids).order_by("pk")
    assert [r.document_number_encrypted for r in created] == numbers
    assert {r.region_path for r in created} == {register.a.grid.path}
    assert Household.objects.filter(number__startswith="H", householder__isnull=False).count() == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_resident")
        (highest,) = cursor.fetchone()
    # The sequence moved past the ids COPY used: the next ORM insert does not collide.
    assert make_resident(register.a.grid, "之后").pk > highest
    audit = AuditEvent.objects.get(action="registry.import")
    assert sorted(map(int, audit.object_ids)) == job.created_ids

    run_import.apply(args=[job.pk])  # delivered again: nothing more
    assert Resident.objects.filter(pk__in=job.created_ids).count() == 20
    assert Resident.objects.count() == 22
