"""The import starts after commit through the outbox, like every other task of the platform: a
broker outage delays it instead of losing it, and a rolled-back upload starts nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.imports.models import ImportJob
from core.imports.services import import_job_create
from core.outbox.models import OutboxMessage
from core.registry.models import Resident
from tests.core.imports.conftest import upload_file, valid_id, workbook_bytes

pytestmark = pytest.mark.django_db


def imports_pending():
    """The import's own outbox messages (the world's changes also leave the dashboards' refreshes)."""
    return OutboxMessage.objects.pending().filter(task_name__startswith="imports.")


def _workbook(register) -> bytes:
    return workbook_bytes([{"name": "居民甲", "document_number": valid_id(), "house": register.a.house.pk}])


def _create(register):
    return import_job_create(
        user=register.importer,
        region_id=register.a.community.pk,
        upload=upload_file(_workbook(register)),
        mode=ImportJob.Mode.VALID_ROWS,
    )


def test_the_import_is_an_outbox_message_run_once_after_commit(
    register, private_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _create(register)
        message = imports_pending().get()
        assert (message.task_name, message.args) == ("imports.run_import", [job.pk])
        job.refresh_from_db()
        assert job.status == ImportJob.Status.QUEUED  # nothing runs before the commit
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.SUCCEEDED, 1)
    assert not imports_pending().exists()


def test_a_rolled_back_upload_starts_no_import(register, private_storage, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _create(register)
        raise RuntimeError("the caller's transaction fails")
    assert not OutboxMessage.objects.filter(task_name__startswith="imports.").exists()
    assert not ImportJob.objects.exists() and not Resident.objects.exists()


def test_an_import_whose_broker_was_down_runs_when_the_relay_publishes_it(
    register, private_storage, django_capture_on_commit_callbacks
):
    from core.outbox.relay import relay_all_pending

    with django_capture_on_commit_callbacks(execute=False):  # the after-commit try never ran
        job = _create(register)
    assert imports_pending().count() == 1
    relay_all_pending()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED


def test_an_import_tells_the_dashboards_of_the_places_it_wrote(
    register, private_storage, django_capture_on_commit_callbacks, settings
):
    """Rows written by COPY send no signals: the import marks each place it wrote once."""
    settings.DASHBOARD_REFRESH_WINDOW_SECONDS = 0  # each marking its own message (none coalesced)
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        job = _create(register)
    job.refresh_from_db()
    assert job.created_count == 1
    refreshes = OutboxMessage.objects.filter(pk__gt=before, task_name="dashboards.refresh_node")
    assert [message.args for message in refreshes] == [[register.a.community.pk]]
