"""A weather warning's patrol for people sleeping rough (寒冬送温暖、夏季送清凉) reaches the safety
domain's patrols through the `patrol_request` hand-off: a shift of the warning's kind on each
current route of the community, for the grid's lead; with no route, a task to plan one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.extensions.models import Handoff
from core.workflow.models import Event
from safety.models import PatrolPoint, PatrolRoute, PatrolShift
from scenarios.extreme_weather.services import warning_issue
from tests.scenarios.helpers import enable

pytestmark = pytest.mark.django_db


def _route(grid, *, ended=False):
    route = PatrolRoute.objects.create(
        name="桥洞巡查线",
        radius_metres=50,
        region=grid,
        region_path=grid.path,
        ended_on=timezone.localdate() - timedelta(days=1) if ended else None,
    )
    PatrolPoint.objects.create(
        route=route,
        order=1,
        name="滨江桥洞",
        longitude=118.376,
        latitude=31.326,
        region=grid,
        region_path=grid.path,
    )
    return route


def _warn(world, kind, reference):
    return warning_issue(
        actor=None,
        region=world.community_a,
        kind=kind,
        level="red",
        valid_until=timezone.now() + timedelta(hours=8),
        source="feed",
        reference=reference,
    )


def test_a_cold_wave_plans_a_winter_warmth_shift_on_each_current_route_for_the_grids_lead(
    world, django_capture_on_commit_callbacks
):
    enable("extreme_weather", world.community_a)
    route = _route(world.grid_a1)
    _route(world.grid_a1, ended=True)
    with django_capture_on_commit_callbacks(execute=True):
        warning = _warn(world, "cold", "W-cold")
    assert Handoff.objects.get(kind="patrol_request").status == "delivered"
    shift = PatrolShift.objects.get()
    assert (shift.route_id, shift.kind, shift.patroller_id) == (route.pk, "winter_warmth", world.lead.pk)
    assert shift.points_planned == 1 and shift.planned_end <= warning.valid_until
    assert not Event.objects.filter(type__in=["extreme_weather.patrol", "safety.patrol_request"]).exists()


def test_a_heat_wave_in_a_community_without_routes_asks_it_to_plan_a_patrol(
    world, django_capture_on_commit_callbacks
):
    enable("extreme_weather", world.community_a)
    with django_capture_on_commit_callbacks(execute=True):
        _warn(world, "heat", "W-heat")
    assert Handoff.objects.get(kind="patrol_request").payload["kind"] == "summer_cooling"
    assert not PatrolShift.objects.exists()
    event = Event.objects.get(type="safety.patrol_request")
    assert event.region_path.startswith(world.community_a.path)
