"""The register's admin bases: pages scoped by the register's permissions, forms and admins that
write through the register's services, and the filter by tag. The scoping itself is the
platform's (core/scoped_admin.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry.models import ResidentTag
from core.registry.services_housing import GRID_ONLY, region_in_scope
from core.registry.tags import derived_tag_q, tag_kinds
from core.scoped_admin import ReadOnlyInline, ReadOnlyScopedAdmin, ScopedAdmin

VIEW = "registry.view"
CHANGE = "registry.change"


class RegisterInline(ReadOnlyInline):
    view_permission = VIEW


class RegisterAdmin(ScopedAdmin):
    view_permission = VIEW
    change_permission = CHANGE


class RegisterReadOnlyAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW


def add_errors(form, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields (or on the form when it has no such field)."""
    renames = renames or {}
    for field, messages in error.message_dict.items():
        name = renames.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class TagListFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(key, kind.name) for key, kind in sorted(tag_kinds().items())]

    def queryset(self, request, queryset):
        kind = tag_kinds().get(self.value() or "")
        if kind is None:
            return queryset
        today = timezone.localdate()
        if kind.derived:
            return queryset.filter(derived_tag_q(kind, today))
        return queryset.filter(
            pk__in=ResidentTag.objects.current(today).filter(tag=kind.key).values("resident_id")
        )


class ServiceForm(forms.ModelForm):
    """A ModelForm whose region is checked like the service checks it (level and scope)."""

    actor = None
    region_levels = GRID_ONLY

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if region is not None:
            try:
                region_in_scope(region.pk, actor=self.actor, levels=self.region_levels)
            except ValidationError as error:
                add_errors(self, error)
        return cleaned


class ServiceAdmin(RegisterAdmin):
    """Create and change through `create_service` / `update_service`."""

    create_service = None
    update_service = None
    instance_kwarg = ""
    region_levels = GRID_ONLY

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", type("Form", (ServiceForm,), {"region_levels": self.region_levels}))
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        names = form.changed_data if change else [f for f in form.fields if f in form.cleaned_data]
        data = {n: form.cleaned_data[n] for n in names if n in form.cleaned_data}
        data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
        if change:
            saved = self.update_service(
                actor=request.user, data=data, request=request, **{self.instance_kwarg: obj}
            )
        else:
            saved = self.create_service(actor=request.user, request=request, **data)
        obj.pk = saved.pk
        form.instance = saved
