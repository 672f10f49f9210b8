"""Patrols: routes with check-in points per grid, shifts, check-ins checked against their point
within the route's radius (positions stored as WGS-84, GCJ-02 from Chinese map SDKs converted),
missed points and a shift's completion, and the dashboards' "patrols done against planned"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.workflow.geo import wgs84_to_gcj02
from safety.models import CheckIn, PatrolShift
from safety.patrols import distance_metres
from safety.statistics import patrols_done_per_node
from tests.helpers import client_for
from tests.world import make_staff

pytestmark = pytest.mark.django_db

# Two gates of a compound in Wuhu, about 160 m apart (WGS-84).
EAST = (118.3760, 31.3260)
WEST = (118.3743, 31.3260)
METRE_LON = 1 / 95_000  # about a metre east-west at 31° N, in degrees


def _route(api, world, points=(EAST, WEST), **extra):
    payload = {
        "grid": world.grid_a1.pk,
        "name": "夜间巡逻线",
        "points": [
            {"name": f"点{i}", "longitude": lon, "latitude": lat} for i, (lon, lat) in enumerate(points)
        ],
        **extra,
    }
    response = api.post("/api/v1/safety/patrol-routes/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _shift(world, route, **extra):
    """A shift the community's secretary plans for the grid worker."""
    start = timezone.now()
    payload = {
        "route": route["id"],
        "patroller": world.grid_worker.pk,
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(hours=2)).isoformat(),
        **extra,
    }
    response = client_for(world.secretary).post("/api/v1/safety/patrol-shifts/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _check_in(api, shift, point, lon, lat, system="wgs84"):
    return api.post(
        f"/api/v1/safety/patrol-shifts/{shift['id']}/check-in/",
        {
            "point": point,
            "position": {"longitude": lon, "latitude": lat, "system": system},
            "note": "路灯不亮",
        },
        format="json",
    )


def test_a_route_given_in_gcj02_keeps_its_points_in_wgs84(world):
    api = client_for(world.secretary)
    gcj = wgs84_to_gcj02(*EAST)
    # GCJ-02 is offset by hundreds of metres from WGS-84 in China: stored as given, every honest
    # check-in would be refused.
    assert distance_metres(*gcj, *EAST) > 300
    payload = {
        "grid": world.grid_a1.pk,
        "name": "高德坐标线",
        "points": [{"name": "东门", "longitude": gcj[0], "latitude": gcj[1], "system": "gcj02"}],
    }
    response = api.post("/api/v1/safety/patrol-routes/", payload, format="json")
    assert response.status_code == 201, response.content
    point = response.json()["points"][0]
    assert abs(float(point["longitude"]) - EAST[0]) < 2e-6 and abs(float(point["latitude"]) - EAST[1]) < 2e-6


def test_a_gcj02_check_in_is_converted_and_stored_as_wgs84_and_counts_the_point(world):
    route = _route(client_for(world.secretary), world)
    api = client_for(world.grid_worker)
    shift = _shift(world, route)
    gcj = wgs84_to_gcj02(EAST[0] + 10 * METRE_LON, EAST[1])  # ten metres east of the point, as AMap gives it
    response = _check_in(api, shift, route["points"][0]["id"], *gcj, system="gcj02")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["within_radius"] is True and body["input_system"] == "gcj02"
    assert 8 <= float(body["distance_metres"]) <= 12
    made = CheckIn.objects.get(pk=body["id"])
    assert abs(float(made.longitude) - (EAST[0] + 10 * METRE_LON)) < 2e-6
    assert abs(float(made.latitude) - EAST[1]) < 2e-6
    stored = PatrolShift.objects.get(pk=shift["id"])
    assert (stored.status, stored.points_reached, stored.patroller_id) == (
        "in_progress",
        1,
        world.grid_worker.pk,
    )


def test_a_check_in_too_far_from_its_point_is_marked_and_does_not_reach_it(world):
    route = _route(client_for(world.secretary), world, radius_metres=30)
    api = client_for(world.grid_worker)
    shift = _shift(world, route)
    # The GCJ-02 figure taken as if it were WGS-84: hundreds of metres off.
    response = _check_in(api, shift, route["points"][0]["id"], *wgs84_to_gcj02(*EAST), system="wgs84")
    assert response.status_code == 201, response.content
    assert response.json()["within_radius"] is False
    assert float(response.json()["distance_metres"]) > 300
    assert PatrolShift.objects.get(pk=shift["id"]).points_reached == 0
    # Forty metres away with a radius of thirty: marked too.
    far = _check_in(api, shift, route["points"][0]["id"], EAST[0] + 40 * METRE_LON, EAST[1])
    assert far.json()["within_radius"] is False


def test_a_point_not_reached_is_missed_when_the_shift_completes(world):
    route = _route(client_for(world.secretary), world)
    api = client_for(world.grid_worker)
    shift = _shift(world, route)
    east, west = (point["id"] for point in route["points"])
    assert _check_in(api, shift, east, *EAST).status_code == 201
    response = api.post(
        f"/api/v1/safety/patrol-shifts/{shift['id']}/complete/", {"findings": "西门堆放杂物"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "completed" and body["completed_at"]
    assert (body["points_planned"], body["points_reached"], body["points_missed"]) == (2, 1, 1)
    assert body["unreached"] == [west]
    assert [row["point"] for row in body["check_ins"]] == [east]
    # The log is closed: no more check-ins, no second completion.
    again = _check_in(api, shift, west, *WEST)
    assert again.status_code == 409 and again.json()["error"]["code"] == "shift_completed"
    twice = api.post(f"/api/v1/safety/patrol-shifts/{shift['id']}/complete/", {}, format="json")
    assert twice.status_code == 409


def test_a_shift_with_every_point_reached_misses_none(world):
    route = _route(client_for(world.secretary), world)
    api = client_for(world.grid_worker)
    shift = _shift(world, route)
    for point, (lon, lat) in zip(route["points"], (EAST, WEST), strict=True):
        assert _check_in(api, shift, point["id"], lon, lat).json()["within_radius"] is True
    body = api.post(f"/api/v1/safety/patrol-shifts/{shift['id']}/complete/", {}, format="json").json()
    assert (body["points_reached"], body["points_missed"], body["unreached"]) == (2, 0, [])


def test_a_check_in_at_another_routes_point_is_refused(world):
    secretary = client_for(world.secretary)
    route, other = _route(secretary, world), _route(secretary, world)
    api = client_for(world.grid_worker)
    shift = _shift(world, route)
    response = _check_in(api, shift, other["points"][0]["id"], *EAST)
    assert response.status_code == 400 and "point" in response.json()["error"]["fields"]
    assert not CheckIn.objects.exists()


def test_a_patroller_who_may_not_patrol_the_grid_is_refused(world):
    route = _route(client_for(world.secretary), world)
    outsider = make_staff("accounts.grid_worker", world.grid_b1)
    start = timezone.now()
    response = client_for(world.secretary).post(
        "/api/v1/safety/patrol-shifts/",
        {
            "route": route["id"],
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(hours=1)).isoformat(),
            "patroller": outsider.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "patroller" in response.json()["error"]["fields"]


def test_an_ended_route_takes_no_new_shift(world):
    secretary = client_for(world.secretary)
    route = _route(secretary, world)
    yesterday = timezone.localdate() - timedelta(days=1)
    ended = secretary.patch(
        f"/api/v1/safety/patrol-routes/{route['id']}/", {"ended_on": str(yesterday)}, format="json"
    )
    assert ended.status_code == 200, ended.content
    start = timezone.now()
    response = secretary.post(
        "/api/v1/safety/patrol-shifts/",
        {
            "route": route["id"],
            "planned_start": start.isoformat(),
            "planned_end": (start + timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "route_ended"


def test_patrols_done_against_planned_counts_completed_shifts_against_those_due(world):
    route = _route(client_for(world.secretary), world)
    api = client_for(world.grid_worker)
    done, overdue, later = _shift(world, route), _shift(world, route), _shift(world, route)
    api.post(f"/api/v1/safety/patrol-shifts/{done['id']}/complete/", {}, format="json")
    past = timezone.now() - timedelta(minutes=1)
    PatrolShift.objects.filter(pk=overdue["id"]).update(planned_end=past)
    values = {path: value for path, part, value in patrols_done_per_node(world.community_a.path)}
    # One completed of two due; the shift still to come is not yet planned-and-due.
    assert values == {world.grid_a1.path: (1, 2)}
    assert PatrolShift.objects.get(pk=later["id"]).status == "planned"
