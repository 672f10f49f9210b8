"""Dashboard metrics of community services (services/contributions.py): callable(region) ->
mapping, each a few set-based queries under the region's path whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.regions.models import Region
from core.regions.scoping import under
from services.models import ActivitySignup, Booking, HoursEntry, MealRecord, Retrofit, SocialCase, Visit
from services.models.retrofits import CLOSED_STAGES
from services.volunteers import HERE

ZERO = Decimal("0.00")
RECENT_MONTHS = 12


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(ZERO))


def meals(region: Region) -> dict:
    """Meals served and the government's share, by meal point and month (the last 12 months)."""
    since = (timezone.localdate().replace(day=1) - timedelta(days=366)).replace(day=1)
    rows = (
        MealRecord.objects.under(region.path)
        .filter(served_on__gte=since)
        .annotate(month=TruncMonth("served_on"))
        .values("point_id", "point__name", "month")
        .annotate(meals=Count("id"), subsidy=Sum("government_share"))
        .order_by("point_id", "month")
    )
    by_provider = [
        {
            "point": row["point_id"],
            "name": row["point__name"],
            "month": f"{row['month']:%Y-%m}",
            "meals": row["meals"],
            "subsidy": _money(row["subsidy"]),
        }
        for row in rows
    ]
    return {
        "meals": sum(r["meals"] for r in by_provider),
        "subsidy": _money(sum(Decimal(r["subsidy"]) for r in by_provider)),
        "by_provider_month": by_provider,
    }


def visits(region: Region) -> dict:
    done = Visit.objects.filter(under([region.path], "order__region_path"), checked_out_at__isnull=False)
    found = done.aggregate(
        done=Count("id"),
        rated=Count("rating"),
        average=Avg("rating"),
        too_short=Count("id", filter=Q(too_short=True)),
    )
    average = found["average"]
    return {
        "done": found["done"],
        "rated": found["rated"],
        "average_rating": round(float(average), 2) if average is not None else None,
        "too_short": found["too_short"],
    }


def retrofits(region: Region) -> dict:
    rows = Retrofit.objects.under(region.path)
    stages = dict(rows.values_list("stage").annotate(n=Count("id")).order_by())
    overdue = rows.exclude(stage__in=CLOSED_STAGES).filter(event__deadline__lt=timezone.now()).count()
    return {
        "by_stage": stages,
        "open": sum(n for s, n in stages.items() if s not in CLOSED_STAGES),
        "overdue": overdue,
    }


def volunteer_hours(region: Region) -> dict:
    """Hours by source domain (this app's own check-outs, party building's pioneer service …)
    and by the region's children."""
    rows = HoursEntry.objects.under(region.path)
    by_source = {
        row["source_domain"]: _money(row["hours"])
        for row in rows.values("source_domain").annotate(hours=Sum("hours")).order_by("source_domain")
    }
    children = []
    for child in Region.objects.filter(parent=region).order_by("name", "id"):
        children.append(
            {
                "region": child.pk,
                "name": child.name,
                "hours": _money(rows.under(child.path).aggregate(h=Sum("hours"))["h"]),
            }
        )
    return {
        "hours": _money(rows.aggregate(h=Sum("hours"))["h"]),
        "own_check_outs": by_source.get(HERE, _money(0)),
        "by_source": by_source,
        "by_child": children,
    }


def bookings(region: Region) -> dict:
    live = Booking.objects.under(region.path).filter(cancelled=False)
    signups = ActivitySignup.objects.filter(under([region.path], "activity__region_path"))
    found = signups.aggregate(signed=Count("id"), attended=Count("id", filter=Q(attended=True)))
    return {
        "bookings": live.count(),
        "activity_signups": found["signed"],
        "activity_attended": found["attended"],
        "turnout": round(found["attended"] / found["signed"], 4) if found["signed"] else None,
    }


def open_cases(region: Region) -> dict:
    rows = SocialCase.objects.open().under(region.path)
    return {"open": rows.count(), "involving_minors": rows.filter(involves_minor=True).count()}


# The dashboards' node-own values (the DashboardMetric contract): (region_path, part, value) for
# every node under a path, one GROUP BY region_path each. Part "" is the metric's headline; the
# other parts are the figures the functions above return at the top level (counts and sums, so
# they add up the tree; a mean or a rate among them is left out: it does not add).


def _rows(rows, path_field: str = "region_path", headline: str = "", parts: tuple[str, ...] = ()):
    for row in rows:
        path = row[path_field]
        yield path, "", row[headline] or 0
        for part in parts:
            yield path, part, row[part] or 0


def meals_per_node(under_path: str):
    """Meals served in the last 12 months ("" and "meals") and the government's share."""
    since = (timezone.localdate().replace(day=1) - timedelta(days=366)).replace(day=1)
    rows = (
        MealRecord.objects.under(under_path)
        .filter(served_on__gte=since)
        .values("region_path")
        .annotate(meals=Count("id"), subsidy=Sum("government_share"))
        .order_by()
    )
    return _rows(rows, headline="meals", parts=("meals", "subsidy"))


def visits_per_node(under_path: str):
    """Home visits done (checked out), placed at their order's node."""
    rows = (
        Visit.objects.filter(under([under_path], "order__region_path"), checked_out_at__isnull=False)
        .values("order__region_path")
        .annotate(done=Count("id"), rated=Count("rating"), too_short=Count("id", filter=Q(too_short=True)))
        .order_by()
    )
    return _rows(rows, "order__region_path", headline="done", parts=("done", "rated", "too_short"))


def retrofits_per_node(under_path: str):
    """Retrofits open ("" and "open") and those open past their event's deadline."""
    rows = (
        Retrofit.objects.under(under_path)
        .exclude(stage__in=CLOSED_STAGES)
        .values("region_path")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(event__deadline__lt=timezone.now())))
        .order_by()
    )
    return _rows(rows, headline="open", parts=("open", "overdue"))


def volunteer_hours_per_node(under_path: str):
    """Volunteer hours ("" and "hours") and those of this app's own check-outs."""
    rows = (
        HoursEntry.objects.under(under_path)
        .values("region_path")
        .annotate(total=Sum("hours"), own_check_outs=Sum("hours", filter=Q(source_domain=HERE)))
        .order_by()
    )
    for row in rows:
        yield row["region_path"], "", row["total"] or 0
        yield row["region_path"], "hours", row["total"] or 0
        yield row["region_path"], "own_check_outs", row["own_check_outs"] or 0


def bookings_per_node(under_path: str):
    """Bookings not cancelled ("" and "bookings"), and activity sign-ups and attendance, placed at
    their activity's node."""
    bookings = (
        Booking.objects.under(under_path)
        .filter(cancelled=False)
        .values("region_path")
        .annotate(bookings=Count("id"))
        .order_by()
    )
    yield from _rows(bookings, headline="bookings", parts=("bookings",))
    signups = (
        ActivitySignup.objects.filter(under([under_path], "activity__region_path"))
        .values("activity__region_path")
        .annotate(activity_signups=Count("id"), activity_attended=Count("id", filter=Q(attended=True)))
        .order_by()
    )
    for row in signups:
        path = row["activity__region_path"]
        yield path, "activity_signups", row["activity_signups"]
        yield path, "activity_attended", row["activity_attended"]


def open_cases_per_node(under_path: str):
    rows = (
        SocialCase.objects.open()
        .under(under_path)
        .values("region_path")
        .annotate(open=Count("id"), involving_minors=Count("id", filter=Q(involves_minor=True)))
        .order_by()
    )
    return _rows(rows, headline="open", parts=("open", "involving_minors"))
