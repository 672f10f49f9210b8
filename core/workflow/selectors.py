"""Reads for the dispatch engine: where a report happens, who may be assigned."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.accounts.roles import staff_roles
from core.api.errors import field_error, not_found_in_payload
from core.regions.geometry import grid_for_point
from core.regions.models import Region
from core.regions.paths import under_any
from core.regions.scoping import scope_for
from core.workflow.models import Event


def _own_houses(user):
    from core.registry.models import House

    scope = scope_for(user)
    if not scope.resident_ids:
        return House.objects.none()
    return House.objects.filter(residents__id__in=scope.resident_ids)


def _reporting_paths(user) -> list[str]:
    """Where the user may report by naming a grid: their staff subtrees and, for a resident, the
    community or grid where they hold the resident role."""
    from core.accounts.roles import Role

    scope = scope_for(user)
    return [*scope.paths, *scope.paths_by_role.get(Role.RESIDENT, ())]


def report_location(user, *, house_id: int | None, grid_id: int | None):
    """The house and grid a report names, as the caller may see them; else 400 "not found"."""
    from core.registry.models import House

    house = grid = None
    if house_id is not None:
        visible = House.objects.visible_to(user) | _own_houses(user)
        house = visible.select_related("region").filter(pk=house_id).first()
        if house is None:
            raise not_found_in_payload("house")
    if grid_id is not None:
        grid = Region.objects.filter(pk=grid_id, level=Region.Level.GRID).first()
        if grid is None or not under_any(grid.path, _reporting_paths(user)):
            raise not_found_in_payload("grid")
    if house is None and grid is None and not scope_for(user).paths:
        house = _own_houses(user).select_related("region").first()
    return house, grid


def grid_at(user, point: tuple[float, float]) -> Region:
    """The grid covering a point, where the caller may report (else the same 400 as no grid)."""
    grid = grid_for_point(point[0], point[1])
    if grid is not None and not under_any(grid.path, _reporting_paths(user)):
        grid = None
    if grid is None:
        message = _("No grid covers this point; choose the grid or the house.")
        raise field_error("point", message)
    return grid


def default_source(user) -> str:
    return Event.Source.PATROL if scope_for(user).paths else Event.Source.RESIDENT


def staff_user_or_400(caller, user_id: int):
    """A staff member within the caller's subtrees; anyone else is "not found"."""
    from core.accounts.models import RoleAssignment

    scope = scope_for(caller)
    assignments = RoleAssignment.objects.current().filter(
        user_id=user_id, role__in=sorted(staff_roles()), user__is_active=True
    )
    if not any(scope.covers(path) for path in assignments.values_list("region_path", flat=True)):
        raise not_found_in_payload("assignee")
    return get_user_model().objects.get(pk=user_id)


def open_events_of(assignment):
    """Open work of a role that ends: the open events assigned to that person in its subtree."""
    from core.accounts.open_work import OpenWorkItem

    events = (
        Event.objects.open()
        .filter(assignee_id=assignment.user_id, region_path__startswith=assignment.region_path)
        .order_by("id")
    )
    for event in events:
        yield OpenWorkItem(
            kind="workflow.event",
            object_id=str(event.pk),
            region_path=event.region_path,
            description=_("Open event #%(id)s: %(title)s") % {"id": event.pk, "title": event.title},
        )
