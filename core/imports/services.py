"""Importing a resident register workbook: accept the upload, then run it (in a Celery task).

The run is one transaction: every valid row of the file, the households it starts, the job's
outcome and the one audit row commit together, or nothing does. So a row is never half
written, a strict import that meets a bad row leaves nothing behind, and a task delivered twice
finds its job finished and does nothing (the job row is locked while it runs). Live progress
cannot be read from inside that transaction, so it goes to the cache, batch by batch, with a
heartbeat: a job whose worker died (killed, the machine lost) is found by the heartbeat gone
silent and the row no longer locked, and queued again (import_jobs_requeue_orphans, each minute);
its transaction died with the worker, so the second run writes everything once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.api.errors import ApplicationError
from core.audit.services import audit_record
from core.dashboards.changes import mark_changed
from core.imports import columns, reader, workbook
from core.imports.bulk import insert_rows
from core.imports.errors import ImportsError
from core.imports.limits import limit
from core.imports.models import ImportJob
from core.imports.rows import PERMISSION, RowError, RowValidator
from core.outbox.services import enqueue_task
from core.pii.masking import mask_free_text, mask_id_number, mask_phone
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.models import Household, MembershipChange, Resident

logger = logging.getLogger(__name__)
ERROR_PREVIEW_ROWS = 50
_PROGRESS_KEY = "imports:progress:{}"
_HEARTBEAT_KEY = "imports:heartbeat:{}"


def import_target(*, user, region_id) -> Region:
    """The community or grid to import into; one the user may not import into reads as unknown."""
    region = Region.objects.filter(
        pk=region_id, level__in=(Region.Level.COMMUNITY, Region.Level.GRID)
    ).first()
    if region is None or not scope_for(user).covers(region.path, PERMISSION):
        raise ApplicationError(
            _("There is no such community or grid."),
            code=ImportsError.UNKNOWN_REGION,
            fields={"region": [_("There is no such community or grid.")]},
        )
    return region


def import_job_create(*, user, region_id: int, upload, mode: str, language: str = "") -> ImportJob:
    """Check the upload against the limits, store it privately and queue its import."""
    region = import_target(user=user, region_id=region_id)
    workbook.check_size(upload.size)
    facts = workbook.inspect_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        token=uuid.uuid4().hex,
        region=region,
        region_path=region.path,
        file_name=os.path.basename(upload.name or "")[:255] or "upload.xlsx",
        file_size=upload.size,
        sha256=digest.hexdigest(),
        mode=mode,
        total_rows=facts.data_rows,
        language=language or translation.get_language() or "zh-hans",
        created_by=user,
    )
    with transaction.atomic():
        job.file.save("upload.xlsx", File(upload), save=False)
        job.save()
        # Published after commit by the outbox, by name: a broker outage delays the import
        # instead of losing it, and this module does not import the task that imports it.
        enqueue_task("imports.run_import", args=[job.pk], idempotency_key=f"imports.run_import:{job.pk}")
    return job


def _heartbeat(job_id: int) -> None:
    try:
        cache.set(_HEARTBEAT_KEY.format(job_id), time.time(), timeout=6 * 3600)
    except Exception:  # a courtesy like the progress; without it the job only looks stale sooner
        logger.warning("Could not record the heartbeat of import job %s", job_id)


def import_job_stale(job: ImportJob, *, now: float | None = None) -> bool:
    """Whether a running import's worker has been silent for IMPORT_STALE_SECONDS (its progress
    is frozen; it is queued again within a minute, unless a worker still holds it)."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    now = time.time() if now is None else now
    try:
        last = cache.get(_HEARTBEAT_KEY.format(job.pk))
    except Exception:
        last = None
    if last is None:
        last = job.started_at.timestamp() if job.started_at else 0
    return now - float(last) > limit("IMPORT_STALE_SECONDS")


def import_jobs_requeue_orphans(*, now: float | None = None) -> list[int]:
    """Queue again the running imports whose worker died: heartbeat silent and, on PostgreSQL,
    the job row not locked (a live run holds its lock to the end; a dead worker's connection
    took the lock with it). A job run IMPORT_MAX_ATTEMPTS times already fails instead."""
    from django.db import connection

    requeued: list[int] = []
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING).order_by("pk")
    candidates = [job.pk for job in running if import_job_stale(job, now=now)]
    for job_id in candidates:
        with transaction.atomic():
            rows = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            job = rows.first()
            if job is None:  # finished meanwhile, or a live worker holds it
                continue
            if job.attempts >= limit("IMPORT_MAX_ATTEMPTS"):
                job.status, job.progress, job.finished_at = ImportJob.Status.FAILED, 100, timezone.now()
                job.failure = _("The import stopped several times without finishing. Upload the file again.")
                job.save(update_fields=["status", "progress", "finished_at", "failure"])
                logger.error("Import job %s failed after %s runs that did not finish", job.pk, job.attempts)
                continue
            job.status = ImportJob.Status.QUEUED
            job.save(update_fields=["status"])
            enqueue_task(
                "imports.run_import",
                args=[job.pk],
                idempotency_key=f"imports.run_import:{job.pk}:run{job.attempts + 1}",
            )
            logger.warning("Import job %s lost its worker (run %s): queued again", job.pk, job.attempts)
            requeued.append(job.pk)
        cache.delete(_PROGRESS_KEY.format(job_id))
    return requeued


def import_job_progress(job: ImportJob) -> int:
    if job.status == ImportJob.Status.RUNNING:
        return int(cache.get(_PROGRESS_KEY.format(job.pk)) or job.progress)
    return job.progress


@dataclass
class _Outcome:
    processed: int = 0
    valid: int = 0
    invalid: int = 0
    created_ids: list[int] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    too_many_rows: bool = False


class _Rejected(Exception):
    """Strict mode met a bad row: leave the transaction so that nothing stays written."""


def import_job_run(*, job_id: int) -> None:
    """Run a queued import. Safe to call again: a finished job is left as it is."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    _heartbeat(job_id)
    with translation.override(job.language), tempfile.TemporaryDirectory() as scratch:
        report_path = os.path.join(scratch, "report.xlsx")
        outcome = _Outcome()
        try:
            with transaction.atomic():
                job = ImportJob.objects.select_for_update().get(pk=job_id)
                if job.is_finished:
                    return
                _run(job, outcome, report_path)
                if outcome.too_many_rows:
                    raise _Rejected
                if outcome.invalid and job.mode == ImportJob.Mode.STRICT:
                    raise _Rejected
                _finish(job, outcome, report_path, ImportJob.Status.SUCCEEDED)
                audit_record(
                    actor=job.created_by,
                    action="registry.import",
                    object_type="registry.resident",
                    object_ids=outcome.created_ids,
                    region_path=job.region_path,
                    extra={
                        "job": job.pk,
                        "file_name": job.file_name,
                        "sha256": job.sha256,
                        "mode": job.mode,
                        "rows": outcome.processed,
                        "valid": outcome.valid,
                        "invalid": outcome.invalid,
                        "created": len(outcome.created_ids),
                    },
                )
        except _Rejected:
            job.refresh_from_db()
            outcome.created_ids = []
            if outcome.too_many_rows:
                job.failure = _("The workbook has more rows than can be imported at once.")
                _finish(job, outcome, report_path, ImportJob.Status.FAILED)
            else:
                _finish(job, outcome, report_path, ImportJob.Status.REJECTED)
        except IntegrityError:
            # Someone registered the same person between our check and our write.
            _fail(job_id, _("The register changed while the file was imported. Upload it again."))
        except Exception:
            logger.exception("Import job %s stopped on an unexpected error", job_id)
            _fail(job_id, _("The import stopped on an unexpected error. Upload the file again."))
        finally:
            cache.delete_many([_PROGRESS_KEY.format(job_id), _HEARTBEAT_KEY.format(job_id)])


def _run(job: ImportJob, outcome: _Outcome, report_path: str) -> None:
    validator = RowValidator(region=job.region, user=job.created_by, today=timezone.localdate())
    report = _Report(report_path)
    households: dict[str, int] = {}  # household number started by this file → id
    householders: dict[int, int] = {}  # household id → its householder's id
    with job.file.open("rb") as source:
        content = source.read()  # at most IMPORT_MAX_FILE_BYTES
    # Three stages at once: a second process parses a large workbook (core.imports.reader), a
    # thread checks each row of the next batch on its own, and this thread, the only one using
    # the database, resolves references and writes the batch before.
    with reader.records(content, job.total_rows) as records, ThreadPoolExecutor(1) as checker:
        checking = None
        for batch in _batches(records, outcome):
            upcoming = checker.submit(_check_rows, job.language, validator, batch)
            if checking is not None:
                _batch(job, validator, checking.result(), outcome, report, households, householders)
            checking = upcoming
        if outcome.too_many_rows:
            return
        if checking is not None:
            _batch(job, validator, checking.result(), outcome, report, households, householders)
    report.close()
    if householders and not (outcome.invalid and job.mode == ImportJob.Mode.STRICT):
        # The validator allowed a householder only where the household had none.
        Household.objects.bulk_update(
            [
                Household(pk=household, householder_id=resident)
                for household, resident in householders.items()
            ],
            ["householder"],
            batch_size=500,
        )


def _batches(records, outcome: _Outcome):
    """The records in batches of IMPORT_BATCH_ROWS, counted; stops past IMPORT_MAX_ROWS."""
    size, max_rows = limit("IMPORT_BATCH_ROWS"), limit("IMPORT_MAX_ROWS")
    batch: list = []
    for record in records:
        outcome.processed += 1
        if outcome.processed > max_rows:
            outcome.too_many_rows = True
            return
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_rows(language: str, validator: RowValidator, batch) -> list:
    with translation.override(language):  # the messages, in the uploader's language
        return validator.check_rows(batch)


def _batch(
    job, validator: RowValidator, rows, outcome: _Outcome, report: _Report, households, householders
) -> None:
    valid, errors = validator.resolve(rows)
    outcome.valid += len(valid)
    outcome.invalid += len(errors)
    for error in errors:
        report.add(error)
        if len(outcome.preview) < ERROR_PREVIEW_ROWS:
            outcome.preview.append({"row": error.row, "messages": error.messages})
    # Strict mode writes nothing more once a row fails; the transaction is rolled back anyway.
    if valid and not (outcome.invalid and job.mode == ImportJob.Mode.STRICT):
        outcome.created_ids.extend(_write(job, valid, validator, households, householders))
    percent = min(99, outcome.processed * 100 // max(job.total_rows, 1))
    try:
        cache.set(_PROGRESS_KEY.format(job.pk), percent, timeout=6 * 3600)
        _heartbeat(job.pk)
    except Exception:  # progress is a courtesy; the import goes on without the cache
        logger.warning("Could not record the progress of import job %s", job.pk)


def _write(
    job: ImportJob,
    valid: list[dict],
    validator: RowValidator,
    households: dict[str, int],
    householders: dict[int, int],
) -> list[int]:
    starting = sorted({row["_household"] for row in valid if "_household" in row} - set(households))
    if starting:
        new = [validator.new_households[number] for number in starting]
        ids = insert_rows(
            Household,
            [
                {
                    "number": h.number,
                    "house_id": h.house_id,
                    "region_id": h.region_id,
                    "region_path": h.region_path,
                }
                for h in new
            ],
        )
        households.update(zip(starting, ids, strict=True))
    for row in valid:
        if "_household" in row:
            row["household_id"] = households[row["_household"]]
    ids = insert_rows(Resident, valid)
    # COPY sends no signals: the dashboards of the places written are told here, once each.
    mark_changed({row["region_path"] for row in valid})
    for pk, row in zip(ids, valid, strict=True):
        if row["relation"] == Resident.Relation.SELF and row.get("household_id"):
            householders[row["household_id"]] = pk
    today = timezone.localdate()
    changes = [
        {
            "household_id": row["household_id"],
            "resident_id": pk,
            "kind": MembershipChange.Kind.JOINED,
            "happened_on": row.get("moved_in_on") or today,
            "note": _("Imported from %(file)s") % {"file": job.file_name[:200]},
            "actor_id": job.created_by_id,
        }
        for pk, row in zip(ids, valid, strict=True)
        if row.get("household_id")
    ]
    insert_rows(MembershipChange, changes)
    return ids


def _finish(job: ImportJob, outcome: _Outcome, report_path: str, status: str) -> None:
    job.status = status
    job.progress = 100
    job.total_rows = outcome.processed
    job.valid_rows = outcome.valid
    job.invalid_rows = outcome.invalid
    job.created_ids = outcome.created_ids
    job.created_count = len(outcome.created_ids)
    job.error_preview = outcome.preview
    job.finished_at = timezone.now()
    if outcome.invalid and os.path.exists(report_path):
        with open(report_path, "rb") as handle:
            job.report.save("report.xlsx", File(handle), save=False)
    job.save()
    _announce(job)


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, failure=message[:255], progress=100, finished_at=timezone.now()
    )
    _announce(ImportJob.objects.get(pk=job_id))


def _announce(job: ImportJob) -> None:
    """Tell the uploader, live, that the import is over (the notice follows the commit)."""
    from core.notices.services import notify

    title = _("Import of %(file)s: %(status)s, %(created)s created, %(invalid)s rows with errors") % {
        "file": job.file_name[:80],
        "status": job.get_status_display(),
        "created": job.created_count,
        "invalid": job.invalid_rows,
    }
    link = {"type": "imports.importjob", "id": job.pk, "url": f"/api/v1/registry/imports/{job.pk}/"}
    title = mask_free_text(title)[:200]  # masked before it is cut
    notify(kind="imports.finished", title=title, body=job.failure, user=job.created_by, link=link)


# The report echoes a rejected row so the worker can find and mend it, never its full numbers: the
# ID column keeps the first and last 4, phones the first 3 and last 4 (even when they are
# malformed, which is often why the row was rejected), and every other cell masks free text.
_REPORT_MASKS = {"document_number": mask_id_number, "mobile": mask_phone, "landline": mask_phone}


def report_cell(key: str, text: str) -> str:
    """A rejected row's cell as the error report shows it."""
    return _REPORT_MASKS.get(key, mask_free_text)(text)


class _Report:
    """The error report: each bad row as it was, its row number first and its errors last."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.book = None
        self.sheet = None

    def add(self, error: RowError) -> None:
        if self.book is None:
            headers = [columns.ROW_NUMBER_HEADER, *(c.header for c in columns.COLUMNS), columns.ERROR_HEADER]
            widths = [6, *(c.width for c in columns.COLUMNS), 60]
            self.book, self.sheet = workbook.new_sheet(columns.SHEET_TITLE, headers, widths)
        values = [report_cell(c.key, workbook.cell_text(error.values.get(c.key))) for c in columns.COLUMNS]
        workbook.append_row(self.sheet, [error.row, *values, mask_free_text("；".join(error.messages))])

    def close(self) -> None:
        if self.book is not None:
            self.book.save(self.path)
            self.book = None
