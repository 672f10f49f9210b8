"""Who may take an application's step: staff holding, at the item's configured level, a role
over the application's place; or the applicant's side (the resident, their household, or the
worker who filed it for them)."""

from __future__ import annotations

from core.accounts.roles import permissions_of, require_permission
from core.regions.paths import path_at
from core.regions.scoping import scope_for


def acts_at_level(user, region_path: str, level: int, permission: str = "affairs.handle") -> bool:
    """A role granting `permission`, held at the node of `level` above (or at) the place."""
    scope = scope_for(user)
    require_permission(permission)
    return any(
        permission in permissions_of(role) and path == path_at(region_path, level)
        for role, paths in scope.paths_by_role.items()
        for path in paths
    )


def is_applicant_side(user, application) -> bool:
    """Who filed it, or an account bound to someone living in the household (a member who moved
    out or died no longer speaks for it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if application.applied_by_id == user.pk:
        return True
    return is_household_member(user, application.household_id)


def is_household_member(user, household_id: int) -> bool:
    """Bound to someone living in the household (through any account binding: a worker may be
    bound to their own record without holding the resident role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from core.registry.models import Resident

    return Resident.objects.filter(
        pk__in=user.resident_links.values("resident_id"),
        household_id=household_id,
        status=Resident.Status.ACTIVE,
    ).exists()
