"""Reads: the tickets a person sees and the statistics (one aggregate query over the scope)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from affairs.hotline.models import HotlineTicket
from core.api.errors import not_found_in_payload
from core.regions import paths as region_paths
from core.regions.models import Region
from core.regions.scoping import scope_for, under

VIEW = "hotline.view"
ROUTE = "hotline.route"
OPEN_STATUSES = (HotlineTicket.Status.UNROUTED, HotlineTicket.Status.HANDLING)


def overdue_q(now=None) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=now or timezone.now())


def unrouted_above_q(user, permission: str = ROUTE) -> Q:
    """Unrouted tickets waiting at a node at or above one where the user holds `permission`.

    An unrouted ticket sits at the centre's region (the city, by default), where often no role is
    held; everyone who routes anywhere under it sees and handles it there,
    e.g. every district's and street's staff under the city (docs/hotline.md)."""
    paths = scope_for(user).paths_with(permission)
    above = {p for path in paths for p in region_paths.ancestor_paths(path)}
    if not above:
        return Q(pk__in=[])
    return Q(status=HotlineTicket.Status.UNROUTED, region_path__in=above)


def tickets_visible_to(user):
    """The tickets under the caller's hotline.view subtrees, and the unrouted ones they may route
    (waiting above those subtrees: found first, listed beside the scope's own rows)."""
    return HotlineTicket.objects.scope_and(
        scope_for(user).paths_with(VIEW), HotlineTicket.objects.filter(unrouted_above_q(user))
    )


def reaches(user, ticket: HotlineTicket, permission: str) -> bool:
    """Whether `permission` over the ticket is the user's: held over its place, or, for an
    unrouted ticket, held by someone who may route it (hotline.route under its node, see
    `unrouted_above_q`) anywhere under its node."""
    scope = scope_for(user)
    if scope.covers(ticket.region_path, permission):
        return True
    if ticket.status != HotlineTicket.Status.UNROUTED or not ticket.region_path:
        return False
    return all(
        any(region_paths.is_under(path, ticket.region_path) for path in scope.paths_with(needed))
        for needed in {permission, ROUTE}
    )


def ticket_with_details(ticket: HotlineTicket) -> HotlineTicket:
    """The ticket with what its detail shows: its bounces and deliveries."""
    return (
        HotlineTicket.objects.select_related("event")
        .prefetch_related("bounces__requested_by", "bounces__decided_by", "deliveries")
        .get(pk=ticket.pk)
    )


def region_in_scope(user, region_id) -> Region:
    """A region the caller sees hotline tickets in; anything else is 400 like an unknown id."""
    region = region_paths.region_in_scope(user, region_id, VIEW)
    if region is None:
        raise not_found_in_payload("region")
    return region


def statistics(*, user, region: Region | None = None, now=None) -> dict:
    """Counts over the tickets the caller sees (under `region` if given), in one query (the
    unrouted ones above the scope as a condition, not found first: no page is read here)."""
    tickets = HotlineTicket.objects.filter(under(scope_for(user).paths_with(VIEW)) | unrouted_above_q(user))
    if region is not None:
        tickets = tickets.filter(region_path__startswith=region.path)
    Status, Visit = HotlineTicket.Status, HotlineTicket.ReturnVisit
    replied = Q(replied_at__isnull=False)
    row = tickets.aggregate(
        received=Count("id"),
        routed=Count("id", filter=Q(event__isnull=False)),
        unrouted=Count("id", filter=Q(status=Status.UNROUTED)),
        replied=Count("id", filter=replied),
        replied_on_time=Count("id", filter=replied & Q(replied_on_time=True)),
        overdue=Count("id", filter=overdue_q(now)),
        rehandled=Count("id", filter=Q(rehandled_count__gt=0)),
        rehandlings=Coalesce(Sum("rehandled_count"), 0),
        bounced=Coalesce(Sum("bounce_count"), 0),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        satisfied=Count("id", filter=Q(return_visit=Visit.SATISFIED)),
        # Every unsatisfied visit reopened the ticket once: the re-handlings count them all.
        unsatisfied=Coalesce(Sum("rehandled_count"), 0),
        unreachable=Count("id", filter=Q(return_visit=Visit.UNREACHABLE)),
    )
    row["on_time_rate"] = round(row["replied_on_time"] / row["replied"], 4) if row["replied"] else None
    row["region"] = region.pk if region is not None else None
    return row
