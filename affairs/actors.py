"""Who may take an application's step: staff holding, at the item's configured level, a role
over the application's place; or the applicant's side (the resident, their household, or the
worker who filed it for them)."""

from __future__ import annotations

from core.accounts.roles import PERMISSIONS
from core.regions.scoping import scope_for


def _depth(path: str) -> int:
    return path.strip("/").count("/") + 1


def acts_at_level(user, region_path: str, level: int, permission: str = "affairs.handle") -> bool:
    """A role granting `permission`, held at the node of `level` above (or at) the place."""
    scope = scope_for(user)
    return any(
        permission in PERMISSIONS[role] and _depth(path) == level and region_path.startswith(path)
        for role, paths in scope.paths_by_role.items()
        for path in paths
    )


def is_applicant_side(user, application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.applied_by_id == user.pk:
        return True
    own = scope_for(user).resident_ids
    if not own:
        return False
    from core.registry.models import Resident

    return Resident.objects.filter(pk__in=own, household_id=application.household_id).exists() or (
        application.applicant_id in own
    )


def staff_paths_with(user, permission: str) -> tuple[str, ...]:
    """Subtrees where the user holds a staff role granting `permission` (not their resident role,
    which is held at their community but reaches only their own household)."""
    from core.accounts.roles import Role

    return tuple(
        path
        for role, paths in scope_for(user).paths_by_role.items()
        if role != Role.RESIDENT and permission in PERMISSIONS[role]
        for path in paths
    )
