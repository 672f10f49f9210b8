"""A ticket comes in (push or import) and finds its community: by address, by point, or by hand
(affairs.hotline.routing says where; affairs.hotline.origin settles a ticket number seen before).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from affairs.hotline.errors import HotlineError
from affairs.hotline.models import HotlineTicket
from affairs.hotline.origin import import_repeat, intake_digest, push_repeat
from affairs.hotline.routing import centre_region, open_event, place_of
from core.api.errors import Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.models import House


def ticket_receive(*, data: dict, request=None) -> tuple[HotlineTicket, bool]:
    """Record a ticket the centre pushed and route it if its place resolves. A repeat of the
    ticket number with the same fields returns the ticket as it is now, changing nothing; with
    other fields, see affairs.hotline.origin.push_repeat (the push wins over an import nobody
    has worked on, anything else is a 409)."""
    digest = intake_digest(data)
    if HotlineTicket.objects.filter(ticket_no=data["ticket_no"]).exists():
        return push_repeat(data=data, digest=digest, request=request), False
    centre = centre_region()
    house, grid = place_of(data, centre, within_paths=None)
    try:
        return _create(data, digest, anchor=centre, house=house, grid=grid, request=request), True
    except IntegrityError:
        # The same ticket number arrived at the same moment through another request.
        return push_repeat(data=data, digest=digest, request=request), False


def _create(data: dict, digest: str, *, anchor: Region, house, grid, request, importer=None) -> HotlineTicket:
    point = (data["longitude"], data["latitude"]) if data.get("longitude") is not None else None
    with transaction.atomic():
        ticket = HotlineTicket.objects.create(
            ticket_no=data["ticket_no"],
            origin=HotlineTicket.Origin.IMPORT if importer else HotlineTicket.Origin.PUSH,
            imported_by=importer,
            intake_digest=digest,
            region=anchor,
            region_path=anchor.path,
            received_at=data["received_at"],
            deadline=data["deadline"],
            category=data["category"],
            content=data["content"],
            address=data.get("address", ""),
            longitude=round(point[0], 6) if point else None,
            latitude=round(point[1], 6) if point else None,
            caller_name=data.get("caller_name", ""),
            caller_phone=data.get("caller_phone", ""),
        )
        audit_record(
            actor=importer,
            action="hotline.ticket.receive",
            target=ticket,
            request=request,
            extra={"origin": ticket.origin},
        )
        if house is not None or grid is not None:
            open_event(ticket, house=house, grid=grid, actor=None, request=request)
    return ticket


def ticket_import_row(*, data: dict, importer, area, request=None) -> tuple[HotlineTicket, bool]:
    """One imported row: routed only inside the importer's own hotline.import subtrees, otherwise
    left unrouted at area.home (see affairs.hotline.origin.import_area). A repeat of a known
    ticket number must match it field for field (a row error otherwise)."""

    digest = intake_digest(data)
    existing = HotlineTicket.objects.filter(ticket_no=data["ticket_no"]).first()
    if existing is not None:
        return import_repeat(existing, digest), False
    centre = centre_region()
    house, grid = place_of(data, centre, within_paths=area.paths)
    if house is None and grid is None and area.home is None:
        raise field_error(
            "address",
            _(
                "The address leads to no house in your area, and your area has several parts: "
                "import this ticket from an account whose area covers it."
            ),
        )
    try:
        # A routed row is moved to its grid in the same transaction: the anchor only matters unrouted.
        anchor = area.home or centre
        ticket = _create(
            data, digest, anchor=anchor, house=house, grid=grid, request=request, importer=importer
        )
    except IntegrityError:
        return import_repeat(HotlineTicket.objects.get(ticket_no=data["ticket_no"]), digest), False
    return ticket, True


def ticket_route(*, ticket: HotlineTicket, actor, house_id=None, grid_id=None, request=None) -> HotlineTicket:
    """A person routes a ticket whose address did not resolve: to a house or a grid in their scope
    (and in the ticket's region); anything else is the same 400 as an id that does not exist."""
    if (house_id is None) == (grid_id is None):
        raise field_error("house", _("Give the house or the grid, one of them."))
    if ticket.status != HotlineTicket.Status.UNROUTED:
        raise Conflict(_("This ticket has already been routed."), code=HotlineError.ALREADY_ROUTED)
    paths = scope_for(actor).paths_with("hotline.route")
    house = grid = None
    if house_id is not None:
        house = (
            House.objects.filter(pk=house_id, region_path__startswith=ticket.region_path)
            .under(*paths)
            .select_related("region")
            .first()
            if paths
            else None
        )
        if house is None:
            raise not_found_in_payload("house")
    else:
        grid = (
            Region.objects.filter(pk=grid_id, level=Region.Level.GRID, path__startswith=ticket.region_path)
            .under(*paths)
            .first()
            if paths
            else None
        )
        if grid is None:
            raise not_found_in_payload("grid")
    with transaction.atomic():
        ticket = HotlineTicket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status != HotlineTicket.Status.UNROUTED:
            raise Conflict(_("This ticket has already been routed."), code=HotlineError.ALREADY_ROUTED)
        if ticket.bounces.filter(state="pending").exists():
            raise Conflict(
                _("A bounce of this ticket is waiting for a decision."), code=HotlineError.BOUNCE_PENDING
            )
        open_event(ticket, house=house, grid=grid, actor=actor, request=request)
    return ticket
