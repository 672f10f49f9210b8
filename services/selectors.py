"""Reads of community services with a rule: the rankings of volunteer hours, the certificate's
figures, the orders a provider worker sees, the cases a role sees (minors' only where it may)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from core.api.errors import not_found_in_payload
from core.regions.models import Region
from core.regions.paths import ancestor_paths, depth, region_in_scope
from core.regions.scoping import scope_for, under
from services.contributions import SERVE, VIEW, VIEW_MINORS, VIEW_OWN
from services.models import (
    HomeOrder,
    HoursEntry,
    ProviderStaff,
    ServiceProject,
    SocialCase,
    Station,
    Volunteer,
)

RANKING_SIZE = 100


def report_region(user, region_id: int | None, permission: str = VIEW) -> Region:
    """The node asked for, in the caller's scope; by default their top node."""
    if region_id is None:
        top = min(scope_for(user).paths_with(permission), key=lambda p: (depth(p), p))
        return Region.objects.get(path=top)
    region = region_in_scope(user, region_id, permission)
    if region is None:
        raise not_found_in_payload("region")
    return region


def hours_ranking(region: Region, *, year: int | None = None) -> list[dict]:
    """The volunteers of the region with the most hours (all sources), ranked (ties share a rank)."""
    rows = HoursEntry.objects.under(region.path)
    if year is not None:
        rows = rows.filter(served_on__year=year)
    totals = list(
        rows.values("volunteer_id")
        .annotate(hours=Sum("hours"))
        .order_by("-hours", "volunteer_id")[:RANKING_SIZE]
    )
    people = Volunteer.objects.select_related("resident").in_bulk([row["volunteer_id"] for row in totals])
    ranked, last, rank = [], None, 0
    for index, row in enumerate(totals, start=1):
        if row["hours"] != last:
            rank, last = index, row["hours"]
        ranked.append(
            {
                "volunteer": row["volunteer_id"],
                "name": volunteer_name(people[row["volunteer_id"]]),
                "hours": row["hours"],
                "rank": rank,
            }
        )
    return ranked


def volunteer_name(volunteer: Volunteer, *, masked: bool = True) -> str:
    from core.pii.masking import mask_name
    from core.registry.minors import resident_shown_name

    if volunteer.resident_id:
        return resident_shown_name(volunteer.resident) if masked else volunteer.resident.name
    return (mask_name(volunteer.name_encrypted) if masked else volunteer.name_encrypted) or ""


def volunteer_hours(volunteer: Volunteer) -> dict:
    rows = HoursEntry.objects.filter(volunteer=volunteer)
    by_source = {
        r["source_domain"]: r["hours"]
        for r in rows.values("source_domain").annotate(hours=Sum("hours")).order_by()
    }
    return {
        "total": sum(by_source.values(), Decimal(0)),
        "by_source": by_source,
        "entries": list(rows.order_by("served_on", "id")),
    }


def projects_with_counts(queryset):
    return queryset.annotate(signed_up=Count("signups"))


def orders_visible_to(user):
    """Staff see the orders of their scope; a provider's worker the provider's own orders where
    they hold the staff role; a resident their household's."""
    staff = HomeOrder.objects.visible_to(user, VIEW) | HomeOrder.objects.visible_to(user, VIEW_OWN)
    providers = ProviderStaff.objects.filter(user=user).values("provider_id")
    served = HomeOrder.objects.visible_to(user, SERVE).filter(provider_id__in=providers)
    return staff | served


def cases_visible_to(user):
    """Cases of the caller's scope; those involving minors only where a role may see minors'."""
    minors_paths = scope_for(user).paths_with(VIEW_MINORS)
    return SocialCase.objects.visible_to(user, VIEW).filter(Q(involves_minor=False) | under(minors_paths))


def stations_visible_to(user):
    """The stations of the caller's scope and those above it: a street's (town's) station serves
    its communities, whose staff open cases there."""
    paths = scope_for(user).paths_with(VIEW)
    above = {ancestor for path in paths for ancestor in ancestor_paths(path)} - set(paths)
    ids = tuple(Station.objects.filter(region_path__in=above).order_by("pk").values_list("pk", flat=True))
    rows = Station.objects.filter(under(paths) | Q(pk__in=ids))
    rows.listed_beyond_scope = ids
    return rows


def projects_visible_to(user):
    return projects_with_counts(ServiceProject.objects.visible_to(user, VIEW))
