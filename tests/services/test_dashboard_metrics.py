"""Community services' dashboard metrics are kept in the summary tables (per_node, rolled up):
at a community, its street and its district they hold what each metric's old compute answered,
on rows across the test world's grids; and a save of each source model marks its community for a refresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.workflow.models import Event
from services.models import ActivitySignup, Visit
from services.retrofits import retrofit_open
from tests.core.dashboards.per_node import assert_rolls_up_like_compute, marked_by
from tests.services import factories as f
from tests.world import make_resident_record

# Each metric's headline (part "") among compute's figures, and the figures left out (a rate or
# a mean does not add up the tree; its numerator and denominator are parts).
METRICS = {
    "services.meals": ("meals", ()),
    "services.visits": ("done", ("average_rating",)),
    "services.retrofits": ("open", ()),
    "services.volunteer_hours": ("hours", ()),
    "services.bookings": ("bookings", ("turnout",)),
    "services.open_cases": ("open", ()),
}


@pytest.fixture
def services_data(world):
    """Rows of every metric across the world's grids (two in community A, one in B), some that
    count (served, done, open) and some that do not (too old, checked in only, closed)."""
    today = timezone.localdate()
    for grid, meals, gov in ((world.grid_a1, 3, "5"), (world.grid_a2, 2, "7.5"), (world.grid_b1, 1, "9")):
        point = f.meal_point(grid)
        for n in range(meals):
            f.meal(point, f.elder(grid, name=f"就餐{n}"), gov=gov)
    f.meal(f.meal_point(world.grid_a1), f.elder(world.grid_a1), on=today - timedelta(days=500))
    for grid, rating, short in (
        (world.grid_a1, 5, False),
        (world.grid_a2, None, True),
        (world.grid_b1, 3, False),
    ):
        Visit.objects.create(
            order=f.order(grid), checked_in_at=timezone.now(), in_longitude=0, in_latitude=0,
            checked_out_at=timezone.now(), rating=rating, too_short=short,
        )  # fmt: skip
    Visit.objects.create(
        order=f.order(world.grid_a1), checked_in_at=timezone.now(), in_longitude=0, in_latitude=0
    )
    late = retrofit_open(actor=world.community_worker, household=world.household.pk)
    Event.objects.filter(pk=late.event_id).update(deadline=timezone.now() - timedelta(days=1))
    for grid, amount, domain in (
        (world.grid_a1, "2", "services"),
        (world.grid_a2, "1.5", "party_building"),
        (world.grid_b1, "3.25", "services"),
    ):
        f.hours(grid, amount=amount, source_domain=domain)
    f.booking(world.grid_a1)
    f.booking(world.grid_b1)
    cancelled = f.booking(world.grid_a2)
    cancelled.cancelled = True
    cancelled.save()
    for grid in (world.grid_a2, world.grid_b1):
        activity = f.activity(grid)
        for n, attended in enumerate((True, False, True)):
            ActivitySignup.objects.create(
                activity=activity, resident=f.elder(grid, name=f"报名{n}"), attended=attended
            )
    f.case(world.grid_a1)
    f.case(world.grid_a2, involves_minor=True)
    f.case(world.grid_b1)
    return [world.community_a, world.community_b, world.street, world.district]


def test_each_metric_rolls_up_to_what_compute_answers(services_data):
    for key, (headline, left_out) in METRICS.items():
        assert_rolls_up_like_compute(key, services_data, headline=headline, left_out=left_out)


def test_a_save_of_each_source_marks_its_community(world):
    a, b = world.community_a.pk, world.community_b.pk
    point = f.meal_point(world.grid_a1)
    diner = f.elder(world.grid_a1)
    assert marked_by(lambda: f.meal(point, diner)) == [a]
    order = f.order(world.grid_b1)
    assert marked_by(
        lambda: Visit.objects.create(order=order, checked_in_at=timezone.now(), in_longitude=0, in_latitude=0)
    ) == [b]
    assert marked_by(lambda: retrofit_open(actor=world.community_worker, household=world.household.pk)) == [
        world.household.region.parent_id
    ]
    assert marked_by(lambda: f.hours(world.grid_b1)) == [b]
    assert marked_by(lambda: f.booking(world.grid_a1)) == [a]
    activity = f.activity(world.grid_b1)
    joiner = make_resident_record(world.grid_b1, name="报名")
    assert marked_by(lambda: ActivitySignup.objects.create(activity=activity, resident=joiner)) == [b]
    assert marked_by(lambda: f.case(world.grid_a1)) == [a]
