"""An import of a resident register workbook, run by a Celery task and followed through the API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


def upload_path(job: ImportJob, filename: str) -> str:
    # Never the uploaded name: it may carry personal data or path tricks.
    return f"imports/{timezone.now():%Y/%m}/{job.token}.xlsx"


def report_path(job: ImportJob, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{job.token}-report.xlsx"


class ImportJob(models.Model):
    class Mode(models.TextChoices):
        VALID_ROWS = "valid_rows", _("Import the valid rows, report the others")
        STRICT = "strict", _("Import nothing unless every row is valid")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        REJECTED = "rejected", _("Rejected: some rows are not valid")
        FAILED = "failed", _("Failed")

    FINISHED = frozenset({Status.SUCCEEDED, Status.REJECTED, Status.FAILED})

    token = models.CharField(max_length=32, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("import into"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.VALID_ROWS)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Runs started: a second one means its worker died mid-run and the job was queued again.
    attempts = models.PositiveSmallIntegerField(_("runs started"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_count = models.PositiveIntegerField(_("residents created"), default=0)
    created_ids = models.JSONField(_("residents created (ids)"), default=list, blank=True)
    error_preview = models.JSONField(_("first errors"), default=list, blank=True)
    failure = models.CharField(_("why it failed"), max_length=255, blank=True)
    report = models.FileField(_("error report"), upload_to=report_path, max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=16, default=settings.LANGUAGE_CODE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    # A job still to run follows its node; a finished one is a record of what was imported where.
    on_region_move = FollowsRegion(current=~Q(status__in=sorted(FINISHED)))

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            path_index("importjob", name="importjob_path_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
