"""Where a hotline ticket goes: the region the centre serves, the house its address names or the
grid its point falls in, and the event that routing opens there.

Routing opens the ticket's event (type hotline.ticket, source external, the ticket's own deadline)
at the house's grid or the grid chosen; until then the ticket sits at the region the centre
serves, where street and district staff with hotline.route see it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from affairs.hotline.contributions import HOTLINE_TICKET
from affairs.hotline.errors import HotlineError
from affairs.hotline.models import HotlineTicket
from core.api.errors import ApplicationError
from core.audit.services import audit_record
from core.pii.masking import mask_free_text
from core.regions.geometry import grid_for_point
from core.regions.models import Region
from core.regions.paths import under_any
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
            _("The hotline connection is not configured."),
            code=HotlineError.HOTLINE_NOT_CONFIGURED,
            status_code=503,
        )
    return region


def place_of(data: dict, centre: Region, *, within_paths) -> tuple[House | None, Region | None]:
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


def open_event(ticket: HotlineTicket, *, house, grid, actor, request) -> None:
    from core.workflow.models import Event
    from core.workflow.services import event_report

    # The event's title is a copy: masked before it is cut, so no cut number escapes the mask.
    title = mask_free_text(f"12345 {ticket.category}: {ticket.content}")[:200]
    event, _merged = event_report(
        reporter=None,  # the platform, on the centre's behalf
        type_key=HOTLINE_TICKET.key,
        source=Event.Source.EXTERNAL,
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
