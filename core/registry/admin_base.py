"""Admin shared pieces: querysets scoped like the API, permissions from roles, no hard deletes,
filters by region subtree and tag, and forms and admins that write through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.models import ResidentTag
from core.registry.services_housing import GRID_ONLY, region_in_scope
from core.registry.tags import derived_tag_q, tag_kinds


def role_allows(request, permission: str) -> bool:
    """Admin rights come from the roles (core/accounts/roles.py), not from Django's model permissions."""
    user = request.user
    return user.is_active and (user.is_superuser or (user.is_staff and scope_for(user).has(permission)))


class ReadOnlyInline(admin.TabularInline):
    """Rows shown for reference to whoever may view the register; they change through their own
    services (the API), never here."""

    extra = 0
    can_delete = False
    view_permission = "registry.view"

    def has_view_permission(self, request, obj=None) -> bool:
        return role_allows(request, self.view_permission)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScopedAdmin(admin.ModelAdmin):
    """A community worker sees and edits what the API would let them; nothing is deleted."""

    view_permission = "registry.view"
    change_permission = "registry.change"

    def _allowed(self, request, permission: str) -> bool:
        return role_allows(request, permission)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, self.view_permission)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.view_permission)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.change_permission)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request, self.change_permission)

    def has_delete_permission(self, request, obj=None) -> bool:
        # History matters (一户一档): records end with dates, they are never deleted here.
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope_queryset(queryset, request.user)

    def scope_queryset(self, queryset, user):
        return queryset.visible_to(user, self.view_permission)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Rows shown within scope, by role, and changed only through their own steps (the API)."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


def add_errors(form, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields (or on the form when it has no such field)."""
    renames = renames or {}
    for field, messages in error.message_dict.items():
        name = renames.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class RegionListFilter(admin.SimpleListFilter):
    """Filter by any node the worker can see (street, community or grid): its whole subtree."""

    title = _("region")
    parameter_name = "region"
    path_field = "region_path"

    def lookups(self, request, model_admin):
        nodes = Region.objects.filter(level__gte=Region.Level.STREET, merged_into__isnull=True)
        if not request.user.is_superuser:
            nodes = nodes.visible_to(request.user)
        return [
            (n.pk, f"{'　' * (n.level - Region.Level.STREET)}{n.name}") for n in nodes.order_by("path")[:300]
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = Region.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        return queryset.filter(**{f"{self.path_field}__startswith": path}) if path else queryset.none()


class RegionLevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Region.Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(region__level=self.value()) if self.value() else queryset


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


class ServiceAdmin(ScopedAdmin):
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
