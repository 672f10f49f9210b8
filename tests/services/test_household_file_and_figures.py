"""What community services adds to the household file (meals as monthly counts, visits,
retrofits, cases) and to the dashboards (meals and subsidy by provider and month, visits and
ratings, retrofits by stage and overdue, bookings and turnout, open cases)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.workflow.models import Event
from services import statistics
from services.retrofits import retrofit_open
from services.timeline import services_entries
from tests.services import factories as f


def test_the_household_file_shows_meals_by_month_retrofits_and_cases(world):
    point = f.meal_point(world.grid_a1)
    elder = f.elder(world.grid_a1, household=world.household)
    today = timezone.localdate()
    f.meal(point, elder, on=today, period="lunch")
    f.meal(point, elder, on=today, period="dinner")
    retrofit_open(actor=world.community_worker, household=world.household.pk)
    f.case(world.grid_a1, resident=elder)
    f.case(world.grid_a1, resident=elder, involves_minor=True)  # stays out of the file
    entries = services_entries([world.household.pk], limit=10)
    kinds = sorted(e["kind"] for e in entries)
    assert kinds == ["services.case", "services.meals", "services.retrofit"]
    meals = next(e for e in entries if e["kind"] == "services.meals")
    assert meals["details"]["meals"] == 2


def test_the_dashboard_figures(world):
    point = f.meal_point(world.grid_a1)
    f.meal(point, f.elder(world.grid_a1), gov="5")
    f.meal(point, f.elder(world.grid_a1), gov="7")
    f.meal(f.meal_point(world.grid_b1), f.elder(world.grid_b1), gov="9")
    figures = statistics.meals(world.community_a)
    assert (figures["meals"], figures["subsidy"]) == (2, "12.00")
    assert figures["by_provider_month"][0]["point"] == point.pk

    retrofit = retrofit_open(actor=world.community_worker, household=world.household.pk)
    Event.objects.filter(pk=retrofit.event_id).update(deadline=timezone.now() - timedelta(days=1))
    assert statistics.retrofits(world.community_a) == {"by_stage": {"assessment": 1}, "open": 1, "overdue": 1}
    f.case(world.grid_a1)
    assert statistics.open_cases(world.street) == {"open": 1, "involving_minors": 0}
    f.booking(world.grid_a1)
    assert statistics.bookings(world.community_a)["bookings"] == 1
    assert statistics.visits(world.community_a)["done"] == 0
