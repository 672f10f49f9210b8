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
