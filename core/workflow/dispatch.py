"""Who gets a new event: its type's handling role at its place. For grid workers that is the
grid's lead (the grid's other workers see it too); for a role held higher up (a community worker,
say) every holder at that level is told and one of them accepts it. An event type may name its
own `handler_finder` (a domain whose handler is found another way: a child's director, a
provider's staff on duty)."""

from __future__ import annotations

from django.utils.module_loading import import_string

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role, role_levels
from core.extensions.contributions import EventType
from core.regions.models import Region
from core.regions.paths import ancestor_ids


def lead_worker(grid):
    assignment = (
        RoleAssignment.objects.current()
        .filter(region=grid, role=Role.GRID_WORKER, user__is_active=True)
        .order_by("-is_lead", "starts_on", "id")
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else None


def first_handler(kind: EventType, grid):
    """The person a new event is assigned to at once: whom the type's `handler_finder` names, if it
    declares one; otherwise the grid's lead, for a type handled by grid workers."""
    if kind.handler_finder:
        return import_string(kind.handler_finder)(kind, grid)
    return lead_worker(grid) if kind.handler_role == Role.GRID_WORKER else None


def handling_region(kind: EventType, grid: Region) -> Region:
    """The node where the type's handling role is held: the grid itself, or its nearest ancestor
    at a level where that role is held (the community for community workers)."""
    levels = role_levels(kind.handler_role)
    if grid.level in levels:
        return grid
    ancestors = Region.objects.filter(pk__in=ancestor_ids(grid.path), level__in=levels).order_by("-level")
    return ancestors.first() or grid
