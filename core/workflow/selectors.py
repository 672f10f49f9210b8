"""Reads for the dispatch engine: where a report happens, who may be assigned."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.accounts.roles import staff_roles
from core.api.errors import field_error, not_found_in_payload
from core.regions.geometry import grid_for_point, nearest_grid
from core.regions.models import Region
from core.regions.paths import community_path, under_any
from core.regions.scoping import scope_for
from core.workflow.errors import WorkflowError
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


def may_report_at(user, region: Region) -> bool:
    return under_any(region.path, _reporting_paths(user))


@dataclass(frozen=True)
class ReportPlace:
    """Where an Open311 request lands: a house, a grid, or (when nothing places it) the client's
    community; with the point and the address as the client gave them."""

    house: object = None
    grid: Region | None = None
    community: Region | None = None
    point: tuple[float, float] | None = None
    address: str = ""

    def describe(self, description: str) -> str:
        """The description with the address the client gave, unless a house was found by it."""
        if not self.address or self.house is not None:
            return description
        line = _("Address given: %(address)s") % {"address": self.address}
        return f"{description}\n\n{line}" if description else line


def grid_near(user, point: tuple[float, float]) -> Region | None:
    """The grid covering the point, where the user may report; for a point no grid covers, the
    nearest such grid within OPEN311_NEAREST_GRID_METRES; else None. A point inside a grid the
    user may not report in is refused with the same 400 as grid_at."""
    covering = grid_for_point(point[0], point[1])
    if covering is not None:
        if not may_report_at(user, covering):
            raise field_error("point", _("No grid covers this point; choose the grid or the house."))
        return covering
    return nearest_grid(
        point[0],
        point[1],
        max_metres=settings.OPEN311_NEAREST_GRID_METRES,
        within_paths=_reporting_paths(user),
    )


def client_community(client) -> Region | None:
    """The community that receives a client's requests it cannot place: the one set on the client,
    else the one community its service account reports in (a role at a community or one of its
    grids); None if neither (the account spans several communities and none is set)."""
    if client.community_id is not None:
        community = client.community
        return community if may_report_at(client.service_user, community) else None
    paths = {community_path(path) for path in _reporting_paths(client.service_user)}
    if len(paths) != 1 or None in paths:
        return None
    return Region.objects.filter(path=paths.pop(), level=Region.Level.COMMUNITY).first()


def _placed_by_name(user, address: str) -> tuple[Region | None, Region | None]:
    """(grid, community) of the standard place name the address is, where the user may report."""
    from core.registry.addresses import standard_place_named

    place = standard_place_named(address, _reporting_paths(user))
    if place is None:
        return None, None
    if place.region.level == Region.Level.GRID:
        return place.region, None
    if place.region.level == Region.Level.COMMUNITY:
        return None, place.region
    return None, None  # a road across a street or a district: too wide to route by


def open311_place(client, *, address_id: int | None, point, address: str = "") -> ReportPlace:
    """Where an Open311 request goes, in this order: the house named by address_id; the one house
    whose address matches address_string; the grid at (or near) the point; the standard place name
    the address is; else the client's community, with the address kept in the description.
    Never refused for want of a boundary; refused (400) for a house or grid outside the client's
    area, and when nothing places it and the client has no community."""
    from core.registry.addresses import house_at

    user = client.service_user
    address = address.strip()[:255]
    if address_id is not None:
        house, _grid = report_location(user, house_id=address_id, grid_id=None)
        return ReportPlace(house=house, point=point, address=address)
    if address:
        house = house_at(address, _reporting_paths(user))
        if house is not None:
            return ReportPlace(house=house, point=point, address=address)
    if point is not None:
        grid = grid_near(user, point)
        if grid is not None:
            return ReportPlace(grid=grid, point=point, address=address)
    if address:
        grid, community = _placed_by_name(user, address)
        if grid is not None or community is not None:
            return ReportPlace(grid=grid, community=community, point=point, address=address)
    community = client_community(client)
    if community is None:
        message = _(
            "Nothing places this request, and the client has no community for such requests; "
            "give lat/long inside a grid or the address of a house."
        )
        raise field_error("address_string", message, code=WorkflowError.LOCATION_REQUIRED)
    return ReportPlace(community=community, point=point, address=address)


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
