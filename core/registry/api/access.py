"""Who may use the register's resources: the permissions of each action, and a resident's own
records (themselves and their household)."""

from __future__ import annotations

from core.registry.models import Resident

VIEW = ("registry.view",)
VIEW_OR_OWN = ("registry.view", "registry.view_own")
CHANGE = ("registry.change",)
APPROVE_PLACE_NAMES = ("registry.approve_place_names",)
CRUD_PERMISSIONS = {"list": VIEW, "retrieve": VIEW, "create": CHANGE, "partial_update": CHANGE}


def own_household_ids(scope) -> set[int]:
    """The households of the residents a resident user is bound to."""
    return set(
        Resident.objects.filter(id__in=scope.resident_ids, household__isnull=False).values_list(
            "household_id", flat=True
        )
    )


def owns_resident(resident, scope) -> bool:
    """Whether a resident user may see this person as their own: themselves or their household."""
    return resident.pk in scope.resident_ids or (
        resident.household_id is not None and resident.household_id in own_household_ids(scope)
    )
