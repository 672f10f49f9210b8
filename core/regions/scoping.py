"""Who may see what: the one scoping call every queryset that leaves an app goes through.

A user's scope is the set of region subtrees where they hold a current staff role, plus, for a
resident, the resident record they are bound to. Models that belong to a place carry their
node's path in `region_path`; `RegionScopedQuerySet.visible_to(user)` keeps the rows under the
user's subtrees. An object outside scope is then simply not found (404), so its existence
does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

_CACHE_ATTRIBUTE = "_region_scope"


@dataclass(frozen=True)
class Scope:
    # Subtrees (region paths) per role, e.g. {"accounts.community_worker": ("/1/2/3/4/",)}.
    paths_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    permissions: frozenset[str] = frozenset()
    resident_ids: tuple[int, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        """Every subtree the user reaches through any staff or admin role, without nesting."""
        from core.accounts.roles import reaches_subtree

        all_paths = sorted(
            {p for role, paths in self.paths_by_role.items() if reaches_subtree(role) for p in paths}
        )
        # Drop a path already covered by a shorter one (a street covers its communities).
        return tuple(p for p in all_paths if not any(p != q and p.startswith(q) for q in all_paths))

    def paths_with(self, permission: str) -> tuple[str, ...]:
        """Subtrees where the user holds a staff or admin role granting this permission. The
        resident role is held at a community but reaches only the resident's own records
        (`resident_ids`), never the subtree: it is left out, like in `paths`. A permission no app
        declares raises ImproperlyConfigured rather than silently denying."""
        from core.accounts.roles import permissions_of, reaches_subtree, require_permission

        require_permission(permission)
        return tuple(
            sorted(
                {
                    p
                    for role, paths in self.paths_by_role.items()
                    if reaches_subtree(role) and permission in permissions_of(role)
                    for p in paths
                }
            )
        )

    def covers(self, path: str, permission: str | None = None) -> bool:
        paths = self.paths_with(permission) if permission else self.paths
        return any(path.startswith(p) for p in paths)

    def has(self, permission: str) -> bool:
        from core.accounts.roles import require_permission

        return require_permission(permission) in self.permissions


EMPTY_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from core.accounts.models import RoleAssignment
    from core.accounts.roles import Role, permissions_of

    paths_by_role: dict[str, set[str]] = {}
    for role, path in RoleAssignment.objects.current().filter(user=user).values_list("role", "region_path"):
        paths_by_role.setdefault(role, set()).add(path)
    permissions = frozenset(p for role in paths_by_role for p in permissions_of(role))
    resident_ids: tuple[int, ...] = ()
    if Role.RESIDENT in paths_by_role:
        resident_ids = tuple(user.resident_links.values_list("resident_id", flat=True))
    scope = Scope(
        paths_by_role={role: tuple(sorted(paths)) for role, paths in paths_by_role.items()},
        permissions=permissions,
        resident_ids=resident_ids,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def under(paths: tuple[str, ...] | list[str], field_name: str = "region_path") -> Q:
    """Rows whose path lies in any of these subtrees (an indexed prefix match per path)."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field_name}__startswith": path}) for path in paths))


class RegionScopedQuerySet(models.QuerySet):
    """Base queryset of every model that belongs to a place."""

    region_path_field = "region_path"

    def under(self, *paths: str):
        return self.filter(under(paths, self.region_path_field))

    def visible_to(self, user, permission: str | None = None):
        """Rows the user may see: under their subtrees (optionally, only where a role grants
        `permission`), or for a resident, what `visible_to_resident` allows."""
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths  # checks it is declared
        staff_rows = self.filter(under(paths, self.region_path_field)) if paths else self.none()
        if scope.resident_ids and (permission is None or permission.endswith("view_own")):
            return staff_rows | self.visible_to_resident(scope.resident_ids)
        return staff_rows

    def visible_to_resident(self, resident_ids: tuple[int, ...]):
        """What a resident bound to these records may see; models override. Nothing by default."""
        return self.none()
