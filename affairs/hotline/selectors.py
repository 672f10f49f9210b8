"""Reads: the tickets a person sees and the statistics (one aggregate query over the scope)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from affairs.hotline.models import HotlineTicket
from core.api.errors import not_found_in_payload
from core.regions import paths as region_paths
from core.regions.models import Region

VIEW = "hotline.view"
OPEN_STATUSES = (HotlineTicket.Status.UNROUTED, HotlineTicket.Status.HANDLING)


def overdue_q(now=None) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=now or timezone.now())


def tickets_visible_to(user):
    return HotlineTicket.objects.visible_to(user, VIEW)


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
    """Counts over the tickets the caller sees (under `region` if given), in one query."""
    tickets = tickets_visible_to(user)
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
