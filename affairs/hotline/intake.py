"""A ticket comes in (push or import) and finds its community: by address, by point, or by hand.

Routing opens the ticket's event (type hotline_ticket, source hotline, the ticket's own deadline)
at the house's grid or the grid chosen; until then the ticket sits at the region the centre
serves, where street and district staff with hotline.route see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from affairs.hotline.contributions import HOTLINE_TICKET
from affairs.hotline.models import HotlineTicket
from core.api.errors import ApplicationError, Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record
from core.regions.geometry import grid_for_point
from core.regions.models import Region
from core.regions.paths import under_any
from core.regions.scoping import scope_for
from core.registry.addresses import house_at
from core.registry.models import House


def centre_region() -> Region:
    """The region the hotline centre serves: HOTLINE_REGION_CODE, else the tree's only root."""
    code = settings.HOTLINE_REGION_CODE
    if code:
        region = Region.objects.filter(code=code).order_by("level", "id").first()
    else:
        roots = list(Region.objects.filter(parent__isnull=True)[:2])
        region = roots[0] if len(roots) == 1 else None
    if region is None:
        raise ApplicationError(
            _("The hotline connection is not configured."), code="hotline_not_configured", status_code=503
        )
    return region


def ticket_receive(*, data: dict, request=None) -> tuple[HotlineTicket, bool]:
    """Record a ticket the centre pushed and route it if its place resolves. A repeat of the
    ticket number with the same fields returns the ticket as it is now, changing nothing; with
    other fields, see affairs.hotline.origin.push_repeat (the push wins over an import nobody
    has worked on, anything else is a 409)."""
    from affairs.hotline.origin import intake_digest, push_repeat

    digest = intake_digest(data)
    if HotlineTicket.objects.filter(ticket_no=data["ticket_no"]).exists():
        return push_repeat(data=data, digest=digest, request=request), False
    centre = centre_region()
    house, grid = _place(data, centre, within_paths=None)
    try:
        return _create(data, digest, anchor=centre, house=house, grid=grid, request=request), True
    except IntegrityError:
        # The same ticket number arrived at the same moment through another request.
        return push_repeat(data=data, digest=digest, request=request), False


def _place(data: dict, centre: Region, *, within_paths) -> tuple[House | None, Region | None]:
    """The house the address names, else the grid the point falls in, inside the centre's region
    and, for an import, inside the importer's own subtrees (within_paths); else neither."""

    def allowed(path: str) -> bool:
        return within_paths is None or under_any(path, within_paths)

    house = house_at(data.get("address", ""), [centre.path])
    if house is not None and allowed(house.region_path):
        return house, None
    if data.get("longitude") is not None:
        grid = grid_for_point(data["longitude"], data["latitude"], within=centre)
        if grid is not None and allowed(grid.path):
            return None, grid
    return None, None


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
    from affairs.hotline.origin import import_repeat, intake_digest

    digest = intake_digest(data)
    existing = HotlineTicket.objects.filter(ticket_no=data["ticket_no"]).first()
    if existing is not None:
        return import_repeat(existing, digest), False
    centre = centre_region()
    house, grid = _place(data, centre, within_paths=area.paths)
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
        raise Conflict(_("This ticket has already been routed."), code="already_routed")
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
            raise Conflict(_("This ticket has already been routed."), code="already_routed")
        if ticket.bounces.filter(state="pending").exists():
            raise Conflict(_("A bounce of this ticket is waiting for a decision."), code="bounce_pending")
        open_event(ticket, house=house, grid=grid, actor=actor, request=request)
    return ticket


def open_event(ticket: HotlineTicket, *, house, grid, actor, request) -> None:
    from core.workflow.models import Event
    from core.workflow.services import event_report

    title = f"12345 {ticket.category}: {ticket.content}"[:200]
    event, _merged = event_report(
        reporter=None,  # the platform, on the centre's behalf
        type_key=HOTLINE_TICKET.key,
        source=Event.Source.HOTLINE,
        title=title,
        description=ticket.content,
        house=house,
        grid=grid,
        point=(float(ticket.longitude), float(ticket.latitude)) if ticket.longitude is not None else None,
        external_ref=ticket.ticket_no,
        deadline=ticket.deadline,
        request=request,
    )
    ticket.event = event
    ticket.region, ticket.region_path = event.region, event.region_path
    ticket.status = HotlineTicket.Status.HANDLING
    ticket.save(update_fields=["event", "region", "region_path", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="hotline.ticket.route",
        target=ticket,
        request=request,
        extra={"event": event.pk, "by": "house" if house else "grid"},
    )
