"""Hotline tickets in the admin: read-only, scoped like the API, without the caller's name and
phone (encrypted; the API shows them masked). Deliveries show their state and last error."""

from __future__ import annotations

from django.contrib import admin

from affairs.hotline.models import HotlineBounce, HotlineDelivery, HotlineTicket
from core.registry.admin_base import role_allows


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class BounceInline(ReadOnlyInline):
    model = HotlineBounce
    fields = ("state", "reason", "requested_by", "decided_by", "decided_at", "note")


class DeliveryInline(ReadOnlyInline):
    model = HotlineDelivery
    fields = ("kind", "state", "attempts", "last_error")


@admin.register(HotlineTicket)
class HotlineTicketAdmin(admin.ModelAdmin):
    list_display = ("ticket_no", "category", "status", "received_at", "deadline", "replied_on_time")
    list_filter = ("status", "origin", "return_visit")
    search_fields = ("ticket_no",)
    fields = (
        "ticket_no",
        "origin",
        "status",
        "category",
        "content",
        "address",
        "received_at",
        "deadline",
        "event",
        "reply",
        "replied_at",
        "replied_on_time",
        "return_visit",
        "rehandled_count",
        "bounce_count",
    )
    readonly_fields = fields
    inlines = [BounceInline, DeliveryInline]

    def has_module_permission(self, request) -> bool:
        return role_allows(request, "hotline.view")

    def has_view_permission(self, request, obj=None) -> bool:
        return role_allows(request, "hotline.view")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user, "hotline.view")
