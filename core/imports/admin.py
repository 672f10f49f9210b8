from django.contrib import admin

from core.imports.models import ImportJob
from core.scoped_admin import MaskedFreeTextAdmin


@admin.register(ImportJob)
class ImportJobAdmin(MaskedFreeTextAdmin, admin.ModelAdmin):
    """Imports are made through the API; the admin shows them, read-only, in the viewer's area.
    The file and its report hold personal data: they are downloaded through the API only."""

    list_display = (
        "file_name",
        "region",
        "mode",
        "status",
        "total_rows",
        "created_count",
        "invalid_rows",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "mode")
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"
    fields = (
        "file_name",
        "file_size",
        "sha256",
        "region",
        "mode",
        "status",
        "progress",
        "total_rows",
        "valid_rows",
        "invalid_rows",
        "created_count",
        "error_preview",
        "failure",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("region", "created_by")
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
