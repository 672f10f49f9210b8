"""Scenarios per place in the admin: switches and settings versions are added through their
services (audited) and never changed or deleted here (a settings version decided flags and tasks)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.api.errors import ApplicationError
from core.extensions.models import ScenarioEnablement, ScenarioSettings
from core.extensions.scenarios import scenario_set_enabled, scenario_settings_add


def _scenario_choices():
    from core.extensions.registry import registry

    return [
        (config.label, f"{config.label} · {config.names.get('zh-hans', '')}")
        for config in registry.scenarios()
    ]


class ScenarioEnablementForm(forms.ModelForm):
    scenario_key = forms.ChoiceField(label=_("scenario"), choices=_scenario_choices)

    class Meta:
        model = ScenarioEnablement
        fields = ("scenario_key", "region", "enabled")


@admin.register(ScenarioEnablement)
class ScenarioEnablementAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    form = ScenarioEnablementForm
    list_display = ("scenario_key", "region", "region_path", "enabled", "changed_by", "changed_at")
    list_filter = ("scenario_key", "enabled")
    raw_id_fields = ("region",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a place is switched off, not forgotten (the audit log tells the history)

    def get_readonly_fields(self, request, obj=None):
        return ("scenario_key", "region") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = scenario_set_enabled(
            actor=request.user,
            scenario_key=obj.scenario_key,
            region=obj.region,
            enabled=form.cleaned_data["enabled"],
            request=request,
        )
        obj.pk = saved.pk


class ScenarioSettingsForm(forms.ModelForm):
    scenario_key = forms.ChoiceField(label=_("scenario"), choices=_scenario_choices)

    class Meta:
        model = ScenarioSettings
        fields = ("scenario_key", "region", "values", "valid_from")

    def clean(self):
        cleaned = super().clean()
        self.saved = None
        return cleaned


@admin.register(ScenarioSettings)
class ScenarioSettingsAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """A change of settings is a new dated version; versions are never edited or deleted."""

    form = ScenarioSettingsForm
    list_display = ("scenario_key", "region", "valid_from", "values", "created_by", "created_at")
    list_filter = ("scenario_key",)
    raw_id_fields = ("region",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = scenario_settings_add(
                actor=request.user,
                scenario_key=obj.scenario_key,
                region=obj.region,
                values=obj.values,
                valid_from=obj.valid_from,
                request=request,
            )
        except ApplicationError as error:
            raise forms.ValidationError(str(error)) from error
        obj.pk = saved.pk
