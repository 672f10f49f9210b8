from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.imports.models import ImportJob
from core.imports.services import import_job_progress, import_job_stale


class ImportUploadInput(serializers.Serializer):
    file = serializers.FileField(label=_("Workbook (.xlsx)"), allow_empty_file=False)
    region = serializers.IntegerField(label=_("Community or grid to import into"))
    mode = serializers.ChoiceField(
        choices=ImportJob.Mode.choices, default=ImportJob.Mode.VALID_ROWS, label=_("Mode")
    )


class ImportErrorOutput(serializers.Serializer):
    row = serializers.IntegerField()
    messages = serializers.ListField(child=MaskedTextField())


class ImportJobOutput(serializers.ModelSerializer):
    file_name = MaskedTextField(allow_blank=True)
    failure = MaskedTextField(allow_blank=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField()
    # True while a running import's worker is silent (the progress is frozen; it runs again soon).
    progress_stale = serializers.SerializerMethodField()
    has_report = serializers.SerializerMethodField()
    error_preview = ImportErrorOutput(many=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "region",
            "region_name",
            "file_name",
            "file_size",
            "sha256",
            "mode",
            "status",
            "status_display",
            "progress",
            "progress_stale",
            "attempts",
            "total_rows",
            "valid_rows",
            "invalid_rows",
            "created_count",
            "error_preview",
            "has_report",
            "failure",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> int:
        return import_job_progress(job)

    def get_progress_stale(self, job: ImportJob) -> bool:
        return import_job_stale(job)

    def get_has_report(self, job: ImportJob) -> bool:
        return bool(job.report)


class ResidentExportQueryInput(serializers.Serializer):
    unmasked = serializers.BooleanField(default=False, label=_("Full ID numbers and phones"))
    purpose = serializers.CharField(
        required=False, allow_blank=True, max_length=255, label=_("Why the full values are needed")
    )
