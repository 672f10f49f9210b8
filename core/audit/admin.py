from django.contrib import admin

from core.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, in the admin as everywhere."""

    list_display = ("created_at", "actor_label", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_id")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
