"""Admin pages scoped like the API: a staff member sees the rows of the subtrees where a role
grants the page's permission (core/accounts/roles.py), never more; nothing is deleted here.

Every app's admin builds on these: `ScopedAdmin` (rows written through the app's services),
`ReadOnlyScopedAdmin` and `ReadOnlyInline` (rows changed only through their own steps, the API),
and the list filters by region (`RegionListFilter`, `RegionLevelFilter`). Each subclass names its
permissions (`view_permission`, and `change_permission` where it writes).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.pii.masking import mask_free_text, mask_free_text_in
from core.regions.models import Region
from core.regions.scoping import scope_for


def role_allows(request, permission: str) -> bool:
    """Admin rights come from the roles (core/accounts/roles.py), not from Django's model permissions."""
    user = request.user
    return user.is_active and (user.is_superuser or (user.is_staff and scope_for(user).has(permission)))


# --- free text, masked on every admin page ------------------------------------------------------

MASKED_PREFIX = "masked_"


def free_text_fields(model) -> list:
    """The model's fields a person types freely (text, JSON), which admin pages show masked."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and not isinstance(f, EncryptedTextField)
    ]


def _masked_display(field):
    def show(obj):
        value = getattr(obj, field.attname)
        return (
            mask_free_text_in(value) if isinstance(field, models.JSONField) else mask_free_text(value)
        ) or None

    show.short_description = field.verbose_name
    show.admin_order_field = field.name
    show.__name__ = MASKED_PREFIX + field.name
    return show


class _MaskedInitialForm:
    """Editable free text is shown masked; left as shown, the stored text is kept (a masked copy
    never overwrites it); typed over, the new text is saved."""

    masked_free_text: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._typed = {}
        for name in self.masked_free_text:
            value = self.initial.get(name)
            if isinstance(value, str) and mask_free_text(value) != value:
                self._typed[name] = value
                self.initial[name] = mask_free_text(value)

    def _clean_fields(self):
        super()._clean_fields()
        for name, typed in self._typed.items():
            if name in self.cleaned_data and self.cleaned_data[name] == self.initial[name]:
                self.cleaned_data[name] = typed


class MaskedFreeTextAdmin:
    """Admin pages show ID numbers and phones typed into free text masked (core.pii.masking's one
    rule): list columns and read-only fields go through a masked display of the field, editable
    text fields start masked. Mixed into every admin class of the platform (ScopedAdmin,
    ReadOnlyInline and the admin-only pages)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._masked_names = {}
        self._free_text_strings = []
        for field in free_text_fields(self.model):
            name = MASKED_PREFIX + field.name
            if not hasattr(self, name):
                setattr(self, name, _masked_display(field))
            self._masked_names[field.name] = name
            if not isinstance(field, models.JSONField):
                self._free_text_strings.append(field.name)

    def _mask_names(self, names, only=None):
        mapped = []
        for name in names:
            if isinstance(name, list | tuple):
                mapped.append(type(name)(self._mask_names(name, only)))
            elif isinstance(name, str) and name in self._masked_names and (only is None or name in only):
                mapped.append(self._masked_names[name])
            else:
                mapped.append(name)
        return mapped

    def get_list_display(self, request):
        return self._mask_names(super().get_list_display(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return self._mask_names(links) if links else links

    def get_readonly_fields(self, request, obj=None):
        return self._mask_names(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            shown_read_only = None  # Django shows every field read-only
        else:
            readonly = set(self.get_readonly_fields(request, obj))
            shown_read_only = {name for name, masked in self._masked_names.items() if masked in readonly}
        return [
            (title, {**options, "fields": self._mask_names(options["fields"], shown_read_only)})
            for title, options in fieldsets
        ]

    def _without_masked(self, fields):
        masked = set(self._masked_names.values())
        return [f for f in fields if f not in masked] if fields else fields

    def get_form(self, request, obj=None, *args, **kwargs):
        if kwargs.get("fields"):
            kwargs["fields"] = self._without_masked(kwargs["fields"])
        form = super().get_form(request, obj, *args, **kwargs)
        return self._masked_form(form)

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = self._without_masked(kwargs["fields"])
        return super().get_formset(request, obj, **kwargs)

    def get_exclude(self, request, obj=None):
        """A free-text field shown read-only (masked) is never a form field as well."""
        excluded = list(super().get_exclude(request, obj) or ())
        readonly = set(self.get_readonly_fields(request, obj))
        excluded += [name for name, masked in self._masked_names.items() if masked in readonly]
        return excluded or None

    def _masked_form(self, form):
        editable = tuple(name for name in self._free_text_strings if name in form.base_fields)
        if not editable:
            return form
        return type(form.__name__, (_MaskedInitialForm, form), {"masked_free_text": editable})


class ReadOnlyInline(MaskedFreeTextAdmin, admin.TabularInline):
    """Rows shown for reference to whoever may view the parent; they change through their own
    services (the API), never here."""

    extra = 0
    can_delete = False
    view_permission: str

    def has_view_permission(self, request, obj=None) -> bool:
        return role_allows(request, self.view_permission)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScopedAdmin(MaskedFreeTextAdmin, admin.ModelAdmin):
    """A staff member sees and edits what the API would let them; nothing is deleted."""

    view_permission: str
    change_permission: str

    def has_module_permission(self, request) -> bool:
        return role_allows(request, self.view_permission)

    def has_view_permission(self, request, obj=None) -> bool:
        return role_allows(request, self.view_permission)

    def has_change_permission(self, request, obj=None) -> bool:
        return role_allows(request, self.change_permission)

    def has_add_permission(self, request) -> bool:
        return role_allows(request, self.change_permission)

    def has_delete_permission(self, request, obj=None) -> bool:
        # History matters (一户一档): records end with dates, they are never deleted here.
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user, self.view_permission)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Rows shown within scope, by role, and changed only through their own steps (the API)."""

    change_permission = ""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


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
