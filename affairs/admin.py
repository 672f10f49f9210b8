"""Admin pages of government affairs. The catalogue and the platform's default standards are the
bureau's configuration: superusers only (districts enter their own standards through the API).
Applications and benefits are read here within scope and changed only through their steps (the
API)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from affairs import standards
from affairs.api.serializers_standards import clean_parameters
from affairs.models import Application, AssistanceStandard, Benefit, RequiredMaterial, ServiceItem
from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.api.errors import ApplicationError
from core.regions.models import Region
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


class StandardAddForm(forms.ModelForm):
    """A new standard, checked as the service checks it (its kind's parameters, a free start)."""

    class Meta:
        model = AssistanceStandard
        fields = (
            "kind",
            "region",
            "area",
            "amount",
            "parameters",
            "effective_from",
            "effective_to",
            "source",
        )

    def clean(self):
        cleaned = super().clean()
        region, kind = cleaned.get("region"), cleaned.get("kind")
        if region is not None and region.level != Region.Level.DISTRICT:
            self.add_error("region", _("Choose a district or county."))
        if kind and "parameters" in cleaned:
            try:
                cleaned["parameters"] = clean_parameters(kind, cleaned["parameters"] or {})
            except serializers.ValidationError as error:
                self.add_error("parameters", [str(m) for ms in error.detail.values() for m in ms])
        if kind and cleaned.get("area") and cleaned.get("effective_from"):
            try:
                standards.check_start_free(
                    region, kind=kind, area=cleaned["area"], effective_from=cleaned["effective_from"]
                )
            except ApplicationError as error:
                self.add_error("effective_from", str(error))
        return cleaned


@admin.register(AssistanceStandard)
class AssistanceStandardAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """Decisions were made with each standard (an application records the one it was checked
    against), so a standard is never changed here: a new amount is a new dated row, added through
    `standard_add` (audited); a standard is ended through the API (affairs/standards.py)."""

    form = StandardAddForm
    list_display = ("kind", "region", "area", "amount", "effective_from", "effective_to", "source")
    list_filter = ("kind", "area")
    raw_id_fields = ("region",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A standard that applied once stays: decisions were made with it (end it instead).
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = standards.standard_add(
            actor=request.user,
            request=request,
            region=data["region"].pk if data.get("region") else None,
            kind=data["kind"],
            area=data["area"],
            amount=data["amount"],
            parameters=data.get("parameters") or {},
            effective_from=data["effective_from"],
            effective_to=data.get("effective_to"),
            source=data.get("source", ""),
        )
        form.instance = saved
        obj.pk = saved.pk


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
