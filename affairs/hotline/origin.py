"""Where a ticket's content came from, and what a second arrival of its number may do.

A ticket is vouched for by the centre's signed push or by a member of staff's import. The ticket
number is the centre's, so an import must not squat it: when the signed push of a number arrives
with other fields than an imported ticket nobody has worked on yet (unrouted, or routed but not
accepted), the push's fields replace the import's (audited) and the ticket is routed afresh.
Any other difference is a conflict for a person to resolve; the same fields again are a
harmless repeat. The comparison is by a digest of the fields as received, so 重办 moving the
deadline later does not turn the centre's retry of the original push into a conflict.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.hotline.errors import HotlineError
from affairs.hotline.models import HotlineBounce, HotlineTicket
from affairs.hotline.routing import centre_region, open_event, place_of
from core.api.errors import Conflict, field_error
from core.audit.services import audit_record
from core.regions.models import Region
from core.regions.paths import is_under
from core.regions.scoping import scope_for
from core.workflow.services import event_step
from core.workflow.states import State

_DIGEST_FIELDS = (
    "ticket_no",
    "category",
    "content",
    "address",
    "caller_name",
    "caller_phone",
    "received_at",
    "deadline",
    "longitude",
    "latitude",
)


def _canonical(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):  # a Decimal from the row
        return f"{float(value):.6f}"
    return str(value)


def intake_digest(data: dict) -> str:
    """SHA-256 over the ticket's fields as received (validated values of the push's serializer)."""
    text = json.dumps([_canonical(data.get(name)) for name in _DIGEST_FIELDS], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored_digest(ticket: HotlineTicket) -> str:
    # Tickets from before the digest was kept: their fields as they are now.
    return ticket.intake_digest or intake_digest({name: getattr(ticket, name) for name in _DIGEST_FIELDS})


def _conflict() -> Conflict:
    return Conflict(
        _("A ticket with this number already exists with other details."), code=HotlineError.TICKET_CONFLICT
    )


def _replaceable(ticket: HotlineTicket) -> bool:
    """An imported ticket nobody has worked on beyond routing."""
    if ticket.origin != HotlineTicket.Origin.IMPORT:
        return False
    if ticket.status == HotlineTicket.Status.UNROUTED:
        return True
    return (
        ticket.status == HotlineTicket.Status.HANDLING
        and ticket.event is not None
        and ticket.event.state == State.REPORTED
    )


def push_repeat(*, data: dict, digest: str, request=None) -> HotlineTicket:
    """A pushed ticket number seen before: the same fields change nothing; other fields replace an
    imported ticket not yet worked on; anything else is 409 ticket_conflict."""
    with transaction.atomic():
        ticket = (
            HotlineTicket.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(ticket_no=data["ticket_no"])
        )
        if _stored_digest(ticket) == digest:
            return ticket
        if not _replaceable(ticket):
            raise _conflict()
        _replace_import(ticket, data, digest, request)
    return ticket


def import_repeat(ticket: HotlineTicket, digest: str) -> HotlineTicket:
    """An imported row naming a known ticket number must repeat it exactly (a row error if not)."""
    if _stored_digest(ticket) != digest:
        raise field_error(
            "ticket_no",
            _("A ticket with this number already exists with other details."),
            code=HotlineError.TICKET_CONFLICT,
        )
    return ticket


def _replace_import(ticket: HotlineTicket, data: dict, digest: str, request) -> None:
    previous = {
        "imported_by": ticket.imported_by_id,
        "category": ticket.category,
        "content": ticket.content[:500],
        "address": ticket.address,
        "received_at": ticket.received_at.isoformat(),
        "deadline": ticket.deadline.isoformat(),
        "region": ticket.region_id,
        "event": ticket.event_id,
    }
    note = _("Replaced by the hotline centre's signed push of the same ticket number.")
    # A pending bounce was asked about the imported content, which is gone.
    ticket.bounces.filter(state=HotlineBounce.State.PENDING).update(
        state=HotlineBounce.State.REFUSED, decided_at=timezone.now(), note=note
    )
    if ticket.event is not None:
        event_step(event=ticket.event, action="superseded", actor=None, to_state=State.REJECTED, note=note)
    centre = centre_region()
    point = (data["longitude"], data["latitude"]) if data.get("longitude") is not None else None
    ticket.event, ticket.status = None, HotlineTicket.Status.UNROUTED
    ticket.region, ticket.region_path = centre, centre.path
    ticket.origin, ticket.imported_by, ticket.intake_digest = HotlineTicket.Origin.PUSH, None, digest
    for name in ("received_at", "deadline", "category", "content"):
        setattr(ticket, name, data[name])
    ticket.address = data.get("address", "")
    ticket.caller_name, ticket.caller_phone = data.get("caller_name", ""), data.get("caller_phone", "")
    ticket.longitude = round(point[0], 6) if point else None
    ticket.latitude = round(point[1], 6) if point else None
    ticket.save()
    audit_record(
        actor=None,
        action="hotline.ticket.replace_import",
        target=ticket,
        request=request,
        extra={"previous": previous},
    )
    house, grid = place_of(data, centre, within_paths=None)
    if house is not None or grid is not None:
        open_event(ticket, house=house, grid=grid, actor=None, request=request)


@dataclass(frozen=True)
class ImportArea:
    """Where an importer's rows may go: routed inside `paths` (their hotline.import subtrees within
    the centre's region), else unrouted at `home` (None: such a row is refused)."""

    home: Region | None
    paths: tuple[str, ...]


def import_area(actor, centre: Region) -> ImportArea:
    """The centre's region itself if the importer's scope covers it; else their own subtrees
    inside it (home: the one subtree, if there is only one). Outside it entirely: a 400."""
    scope = scope_for(actor)
    if scope.covers(centre.path, "hotline.import"):
        return ImportArea(home=centre, paths=(centre.path,))
    inside = tuple(path for path in scope.paths_with("hotline.import") if is_under(path, centre.path))
    if not inside:
        raise field_error("file", _("Your area is outside the region the hotline centre serves."))
    home = Region.objects.filter(path=inside[0]).first() if len(inside) == 1 else None
    return ImportArea(home=home, paths=inside)
