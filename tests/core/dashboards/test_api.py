"""GET /api/v1/dashboards/{region}/: every declared metric for the node and its children, the
change against the previous period, scope (a street sees itself and its children, not a sibling),
small counts of people withheld above the community and in exports, series and the workbook."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from django.utils import timezone

from core.accounts.roles import Role
from core.dashboards import metrics as declared_metrics
from core.dashboards.models import Indicator, IndicatorSnapshot
from core.regions.models import Region
from core.registry.models import Resident
from tests.helpers import assert_error, client_for
from tests.world import make_staff


def url(region, suffix=""):
    return f"/api/v1/dashboards/{region.pk}/{suffix}"


def test_the_view_shows_every_declared_metric_for_the_node_and_each_child(figures):
    world = figures.world
    body = client_for(world.district_staff).get(url(world.street)).json()
    declared = {m.key for m in declared_metrics.declared()}
    assert {m["key"] for m in body["metrics"]} == declared
    assert set(body["indicators"]) == declared
    assert [c["region"]["name"] for c in body["children"]] == ["乙社区", "甲社区"]
    for child in body["children"]:
        assert set(child["indicators"]) == declared
    population = Resident.objects.filter(status="active").count()
    assert body["indicators"]["registry.population"]["value"] == population
    assert body["indicators"]["workflow.events_resolved_on_time"]["value"] == 100.0
    assert body["indicators"]["workflow.satisfaction"]["value"] == 4.0
    assert body["indicators"]["registry.population"]["as_of"]
    assert body["suppressed_below"] == 5


def test_the_change_is_against_the_previous_period(figures):
    world = figures.world
    row = Indicator.objects.get(region=world.street, metric="workflow.events_open", part="")
    today = timezone.localdate()
    IndicatorSnapshot.objects.create(
        region=world.street, metric="workflow.events_open", day=today - timedelta(days=7), value=row.value - 1
    )
    week = client_for(world.district_staff).get(url(world.street), {"period": "week"}).json()
    assert week["indicators"]["workflow.events_open"]["change"] == 1
    day = client_for(world.district_staff).get(url(world.street)).json()
    assert day["indicators"]["workflow.events_open"]["change"] is None  # no snapshot yesterday


def test_a_street_sees_itself_and_its_children_not_a_sibling_or_its_district(figures):
    world = figures.world
    sibling = Region.objects.create(name="江南街道", level=Region.Level.STREET, parent=world.district)
    client = client_for(world.street_staff)
    assert client.get(url(world.street)).status_code == 200
    assert client.get(url(world.community_b)).status_code == 200
    for elsewhere in (sibling, world.district, world.city):
        assert_error(client.get(url(elsewhere)), 404, "not_found")
    assert client_for(world.resident_user).get(url(world.grid_a1)).status_code == 403


def test_small_counts_of_people_are_withheld_above_the_community(figures):
    world = figures.world
    # 甲社区 holds 4 living residents of 60–79 or over … its counts by age are small.
    street_view = client_for(world.street_staff).get(url(world.community_a)).json()
    community_view = client_for(world.community_worker).get(url(world.community_a)).json()
    raw = community_view["indicators"]["registry.population"]
    assert community_view["suppressed_below"] is None and raw["suppressed"] is False
    withheld = street_view["indicators"]["registry.population"]
    small = [part for part, n in raw["parts"].items() if n is not None and 0 < n < 5]
    assert small, "the figures put fewer than five people in some age band"
    for part in small:
        assert withheld["parts"][part] is None
    # Non-people counts are never withheld.
    assert street_view["indicators"]["workflow.events_open"]["value"] == raw_events(community_view)


def raw_events(view):
    return view["indicators"]["workflow.events_open"]["value"]


def test_one_small_child_takes_a_second_with_it(figures):
    world = figures.world
    body = client_for(world.street_staff).get(url(world.street)).json()
    children = {c["region"]["name"]: c["indicators"]["registry.separated"] for c in body["children"]}
    # One floating resident in 甲社区, none in 乙社区: 1 is withheld; 0 reveals nothing.
    assert children["甲社区"]["value"] is None and children["甲社区"]["suppressed"]
    living = {c["region"]["name"]: c["indicators"]["registry.population"] for c in body["children"]}
    # 甲社区 has 4 + the floating one = 5, 乙社区 has 2 + 7 = 9 (plus the world's own): both shown.
    assert all(entry["value"] is not None for entry in living.values())


def test_series_by_day_week_and_month(figures):
    world = figures.world
    client = client_for(world.district_staff)
    for by, points in (("day", 30), ("week", 12), ("month", 12)):
        body = client.get(url(world.street, "series/"), {"by": by, "metric": "workflow.events_open"}).json()
        series = body["series"]["workflow.events_open"]
        assert len(series) == points
        assert (
            series[-1]["value"]
            == Indicator.objects.get(region=world.street, metric="workflow.events_open", part="").value
        )
    every = client.get(url(world.street, "series/")).json()
    assert set(every["series"]) == {m.key for m in declared_metrics.declared()}
    assert_error(
        client.get(url(world.street, "series/"), {"metric": "nope.nothing"}),
        400,
        "unknown_metric",
        ["metric"],
    )
    assert_error(client.get(url(world.street, "series/"), {"by": "year"}), 400, "invalid", ["by"])
    assert_error(client.get(url(world.street), {"colour": "red"}), 400, "invalid", ["colour"])


def test_the_export_withholds_small_counts_even_for_a_community(figures):
    world = figures.world
    response = client_for(world.community_worker).get(url(world.community_a, "export/"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("地区", "指标")
    separated = [r for r in rows if r[0] == "甲社区" and r[1].startswith("人户分离")]
    assert separated and separated[0][3] == "不予显示"


def test_a_grid_worker_sees_their_grid(figures):
    world = figures.world
    client = client_for(world.grid_worker)
    assert client.get(url(world.grid_a1)).status_code == 200
    assert client.get(url(world.community_a)).status_code == 404
    staff = make_staff(Role.DISTRICT_STAFF, world.district, username="district_2")
    assert client_for(staff).get(url(world.city)).status_code == 404
