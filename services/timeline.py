"""Community services in the household file (一户一档): meals as monthly counts, home visits,
aging adaptations and social-work cases. A TimelineProvider (services/contributions.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry.minors import resident_shown_name
from services.models import HomeOrder, MealRecord, Retrofit, SocialCase


def _month_entries(household_ids, limit: int) -> list[dict]:
    rows = (
        MealRecord.objects.filter(resident__household_id__in=household_ids)
        .annotate(month=TruncMonth("served_on"))
        .values("month", "resident_id", "resident__name", "resident__birth_date")
        .annotate(meals=Count("id"), subsidy=Sum("government_share"))
        .order_by("-month", "resident_id")[:limit]
    )
    entries = []
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        entries.append(
            {
                "date": month if isinstance(month, date) else date.fromisoformat(str(month)[:10]),
                "kind": "services.meals",
                "title": _("%(count)s assisted meals in %(month)s")
                % {"count": row["meals"], "month": f"{month:%Y-%m}"},
                "resident_id": row["resident_id"],
                "resident_name": resident_shown_name_of(row),
                "details": {"meals": row["meals"], "subsidy": str(row["subsidy"] or 0)},
            }
        )
    return entries


def resident_shown_name_of(row) -> str:
    class _Person:
        name = row["resident__name"]
        birth_date = row["resident__birth_date"]

    return resident_shown_name(_Person())


def _visit_entries(household_ids, limit: int) -> list[dict]:
    rows = (
        HomeOrder.objects.filter(
            resident__household_id__in=household_ids, visit__checked_out_at__isnull=False
        )
        .select_related("visit", "service", "resident")
        .order_by("-visit__checked_out_at")[:limit]
    )
    return [
        {
            "date": timezone.localtime(o.visit.checked_out_at).date(),
            "at": o.visit.checked_out_at,
            "kind": "services.visit",
            "title": o.service.name,
            "resident_id": o.resident_id,
            "resident_name": resident_shown_name(o.resident),
            "details": {
                "order": o.pk,
                "minutes": o.visit.minutes,
                "too_short": o.visit.too_short,
                "rating": o.visit.rating,
            },
        }
        for o in rows
    ]


def _retrofit_entries(household_ids, limit: int) -> list[dict]:
    rows = Retrofit.objects.filter(household_id__in=household_ids).order_by("-created_at")[:limit]
    return [
        {
            "date": timezone.localtime(r.created_at).date(),
            "at": r.created_at,
            "kind": "services.retrofit",
            "title": _("Aging adaptation: %(stage)s") % {"stage": r.get_stage_display()},
            "details": {"retrofit": r.pk, "stage": r.stage, "subsidy": str(r.subsidy)},
        }
        for r in rows
    ]


def _case_entries(household_ids, limit: int) -> list[dict]:
    # Cases about minors stay out of the household file: only roles that may see minors see them.
    rows = (
        SocialCase.objects.filter(resident__household_id__in=household_ids, involves_minor=False)
        .select_related("resident")
        .order_by("-opened_on", "-id")[:limit]
    )
    return [
        {
            "date": c.opened_on,
            "kind": "services.case",
            "title": c.title,
            "resident_id": c.resident_id,
            "resident_name": resident_shown_name(c.resident),
            "details": {"case": c.pk, "status": c.status},
        }
        for c in rows
    ]


def services_entries(household_ids, *, limit: int) -> list[dict]:
    ids = list(household_ids)
    return [
        *_month_entries(ids, limit),
        *_visit_entries(ids, limit),
        *_retrofit_entries(ids, limit),
        *_case_entries(ids, limit),
    ]
