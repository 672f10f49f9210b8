"""Admin pages of government affairs. The catalogue and the platform's default standards are the
bureau's configuration: superusers only (districts enter their own standards through the API).
Applications and benefits are read here within scope and changed only through their steps (the
API)."""

from __future__ import annotations

from django.contrib import admin

from affairs.models import Application, AssistanceStandard, Benefit, RequiredMaterial, ServiceItem
from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.scoped_admin import ReadOnlyScopedAdmin


class MaterialInline(admin.TabularInline):
    model = RequiredMaterial
    extra = 1
    fields = ("order", "code", "name", "mandatory")


@admin.register(ServiceItem)
class ServiceItemAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "category",
        "receive_level",
        "review_level",
        "confirm_level",
        "time_limit_working_days",
        "channels",
        "reach",
        "proxy_allowed",
        "publicity_days",
        "is_active",
    )
    list_filter = ("category", "is_active", "channels", "reach")
    search_fields = ("code", "name")
    readonly_fields = ("built_in",)
    inlines = [MaterialInline]

    def get_readonly_fields(self, request, obj=None):
        # A built-in item keeps its code: the eligibility rules and the demo refer to it.
        return ("built_in", "code") if obj is not None and obj.built_in else ("built_in",)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Items are switched off (is_active), never deleted: applications refer to them.
        return False


@admin.register(AssistanceStandard)
class AssistanceStandardAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "region", "area", "amount", "effective_from", "effective_to", "source")
    list_filter = ("kind", "area")
    raw_id_fields = ("region",)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A standard that applied once stays: decisions were made with it (end it instead).
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyScopedAdmin):
    view_permission = "affairs.view"
    list_display = ("id", "item", "stage", "applied_on", "channel", "on_behalf", "decided_at", "on_time")
    list_filter = ("stage", "item", "channel", "on_behalf")
    exclude = ("details", "eligibility")


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyScopedAdmin):
    view_permission = "affairs.view"
    list_display = ("id", "item", "monthly_amount", "started_on", "ended_on", "end_reason", "next_check_on")
    list_filter = ("item", "end_reason")
