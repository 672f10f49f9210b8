"""Uploaded registers and error reports hold personal data in plaintext: keep them only as long
as a worker needs them to correct and re-upload (IMPORT_FILE_RETENTION_DAYS), then delete them.
The job row (counts, hash, ids created) and its audit row stay."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from core.imports.limits import limit
from core.imports.models import ImportJob


def purge_old_files(*, now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=limit("IMPORT_FILE_RETENTION_DAYS"))
    purged = 0
    old = ImportJob.objects.filter(finished_at__lt=cutoff).exclude(Q(file="") & Q(report=""))
    for job in old.iterator():
        for field in (job.file, job.report):
            if field:
                field.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="", report="")
        purged += 1
    return purged
