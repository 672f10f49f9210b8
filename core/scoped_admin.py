"""Admin pages scoped like the API: a staff member sees the rows of the subtrees where a role
grants the page's permission (core/accounts/roles.py), never more; nothing is deleted here.

Every app's admin builds on these: `ScopedAdmin` (rows written through the app's services),
`ReadOnlyScopedAdmin` and `ReadOnlyInline` (rows changed only through their own steps, the API),
and the list filters by region (`RegionListFilter`, `RegionLevelFilter`). Each subclass names its
permissions (`view_permission`, and `change_permission` where it writes).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.regions.models import Region
from core.regions.scoping import scope_for


def role_allows(request, permission: str) -> bool:
    """Admin rights come from the roles (core/accounts/roles.py), not from Django's model permissions."""
    user = request.user
    return user.is_active and (user.is_superuser or (user.is_staff and scope_for(user).has(permission)))


class ReadOnlyInline(admin.TabularInline):
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


class ScopedAdmin(admin.ModelAdmin):
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
