from django.contrib import admin

from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: operators watch what is pending or given up; the relay does the sending."""

    list_display = (
        "id",
        "kind",
        "idempotency_key",
        "task_name",
        "group",
        "created_at",
        "sent_at",
        "dead_at",
        "attempts",
    )
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter), ("dead_at", admin.EmptyFieldListFilter))
    search_fields = ("idempotency_key", "task_name", "group")
    ordering = ("-id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
