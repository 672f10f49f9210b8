"""Hotline tickets in the admin: read-only, scoped like the API, without the caller's name and
phone (encrypted; the API shows them masked). Deliveries show their state and last error."""

from __future__ import annotations

from django.contrib import admin

from affairs.hotline.models import HotlineBounce, HotlineDelivery, HotlineTicket
from core.scoped_admin import ReadOnlyInline, ReadOnlyScopedAdmin


class HotlineInline(ReadOnlyInline):
    view_permission = "hotline.view"


class BounceInline(HotlineInline):
    model = HotlineBounce
    fields = ("state", "reason", "requested_by", "decided_by", "decided_at", "note")


class DeliveryInline(HotlineInline):
    model = HotlineDelivery
    fields = ("kind", "state", "attempts", "last_error")


@admin.register(HotlineTicket)
class HotlineTicketAdmin(ReadOnlyScopedAdmin):
    view_permission = "hotline.view"
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
