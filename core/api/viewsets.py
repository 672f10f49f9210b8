"""The base of every API resource: the queryset is restricted to the caller's scope once, here.

Out of scope is 404 (the object is simply not in the queryset); an action the caller's role does
not grant on something it can see is 403. Each view declares which permission each action needs
(`action_permissions`); roles grant permissions in core/accounts/roles.py.
"""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.permissions import BasePermission

from core.regions.scoping import scope_for

READ_ACTIONS = frozenset({"list", "retrieve", "metadata"})


class RolePermission(BasePermission):
    """The caller holds the action's permission somewhere, and over the object's subtree."""

    def has_permission(self, request, view) -> bool:
        needed = view.permission_for(view.action)
        if needed is None:
            return False
        scope = scope_for(request.user)
        return any(scope.has(permission) for permission in needed)

    def has_object_permission(self, request, view, obj) -> bool:
        needed = view.permission_for(view.action)
        scope = scope_for(request.user)
        path = getattr(obj, view.region_path_attribute, "")
        if any(path and scope.covers(path, permission) for permission in needed):
            return True
        # A resident's own records: only actions granted by a *_own permission.
        return any(p.endswith("_own") and scope.has(p) for p in needed) and view.is_own(obj, scope)


class ScopedViewSet(viewsets.GenericViewSet):
    """Subclasses set `queryset` (a RegionScopedQuerySet) and `action_permissions`."""

    permission_classes = [RolePermission]
    # action → permissions, any of which allows it; "*" is the fallback for unlisted actions.
    action_permissions: dict[str, tuple[str, ...]] = {}
    region_path_attribute = "region_path"

    def permission_for(self, action: str | None) -> tuple[str, ...] | None:
        if action in self.action_permissions:
            return self.action_permissions[action]
        return self.action_permissions.get("*")

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def is_own(self, obj, scope) -> bool:
        """Whether a resident may act on this object as their own; resources override."""
        return False

    @property
    def scope(self):
        return scope_for(self.request.user)
