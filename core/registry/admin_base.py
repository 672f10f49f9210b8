"""Admin shared pieces: querysets scoped like the API, permissions from roles, no hard deletes."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from core.regions.scoping import scope_for


class ScopedAdmin(admin.ModelAdmin):
    """A community worker sees and edits what the API would let them; nothing is deleted."""

    view_permission = "registry.view"
    change_permission = "registry.change"

    def _allowed(self, request, permission: str) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (user.is_staff and scope_for(user).has(permission)))

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


def add_errors(form, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields (or on the form when it has no such field)."""
    renames = renames or {}
    for field, messages in error.message_dict.items():
        name = renames.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
