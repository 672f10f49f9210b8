"""Who gets a new event: the lead grid worker of its grid (the grid's other workers see it too)."""

from __future__ import annotations

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role


def lead_worker(grid):
    assignment = (
        RoleAssignment.objects.current()
        .filter(region=grid, role=Role.GRID_WORKER, user__is_active=True)
        .order_by("-is_lead", "starts_on", "id")
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else None
