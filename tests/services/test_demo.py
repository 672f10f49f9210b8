"""The demo shows community services: `seed_demo` adds canteens with a month of meals and an
open settlement, home-service orders, retrofits at every stage, volunteers with hours from two
domains, a station with cases and rooms with bookings, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from services.models import (
    Booking,
    HomeOrder,
    HoursEntry,
    MealPoint,
    MealRecord,
    MealSettlement,
    Retrofit,
    SocialCase,
)


def test_seed_demo_adds_community_services_once(db, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--residents", "400", stdout=out, stderr=StringIO())
    assert "Demo services:" in out.getvalue()
    last_month = MealRecord.objects.dates("served_on", "month")
    assert MealPoint.objects.count() == 2 and MealRecord.objects.count() >= 28 and len(last_month) == 1
    assert set(MealSettlement.objects.values_list("status", flat=True)) == {"open", "closed"}
    assert HomeOrder.objects.count() == 3
    assert set(Retrofit.objects.values_list("stage", flat=True)) == {
        "assessment", "plan", "works", "acceptance", "subsidy", "done",
    }  # fmt: skip
    assert set(HoursEntry.objects.values_list("source_domain", flat=True)) == {"services", "party_building"}
    assert SocialCase.objects.count() == 2 and Booking.objects.count() == 3
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert MealPoint.objects.count() == 2
