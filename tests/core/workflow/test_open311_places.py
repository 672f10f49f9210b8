"""Where an Open311 request lands: address_string, points near or far from every grid, the
client's community; comma lists; discovery."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from core.regions.geometry import EARTH_RADIUS_METRES, nearest_grid
from core.registry.models import PlaceName
from core.workflow.models import Event, Open311Client
from core.workflow.open311.keys import client_create
from core.workflow.states import State

LAT = 31.005
# 1 m east-west at this latitude, in degrees of longitude.
METRE_LON = 180 / (math.pi * EARTH_RADIUS_METRES * math.cos(math.radians(LAT)))


def square(west: float, south: float, side: float = 0.01) -> dict:
    ring = [[west, south], [west + side, south], [west + side, south + side], [west, south + side]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def grids(world):
    """甲社区's grids side by side from 118.00°E; 乙社区's grid some 9 km east."""
    for grid, west in ((world.grid_a1, 118.00), (world.grid_a2, 118.01), (world.grid_b1, 118.10)):
        grid.boundary = square(west, 31.0)
        grid.save(update_fields=["boundary"])
    return world


def post(key: str, **fields):
    return Client().post(
        "/open311/v2/requests.json", {"api_key": key, "service_code": "tests.hazard", **fields}
    )


def created(response) -> Event:
    assert response.status_code == 201, response.content
    return Event.objects.get(pk=response.json()[0]["service_request_id"])


def test_address_string_finds_the_one_house_full_width_and_spaces_aside(world, grids):
    _, key = client_create(name="12345", service_user=world.street_staff)
    event = created(post(key, address_string="滨江路 1号１栋１０１", description="漏水"))
    assert event.house == world.house_a and event.region == world.grid_a1
    assert event.description == "漏水"  # the house is recorded; the address is not repeated


def test_address_string_finds_a_standard_place_name_at_a_grid_or_a_community(world, grids):
    PlaceName.objects.create(
        region=world.grid_a2, region_path=world.grid_a2.path, kind="compound", name="幸福花园"
    )
    PlaceName.objects.create(
        region=world.community_a, region_path=world.community_a.path, kind="other", name="甲社区文化广场"
    )
    PlaceName.objects.create(
        region=world.grid_b1, region_path=world.grid_b1.path, kind="road", name="老街", status="nonstandard"
    )
    client, key = client_create(name="12345", service_user=world.street_staff)
    client.community = world.community_b
    client.save()

    assert created(post(key, address_string="幸福 花园")).region == world.grid_a2
    at_square = created(post(key, address_string="甲社区文化广场"))
    assert at_square.region == world.community_a and at_square.assignee is None
    # A name still to be corrected places nothing: the request goes to the client's community.
    assert created(post(key, address_string="老街")).region == world.community_b


def test_an_address_nothing_matches_is_kept_and_goes_to_the_clients_community(world, grids):
    client, key = client_create(name="12345", service_user=world.street_staff)
    client.community = world.community_b
    client.save()
    event = created(post(key, address_string="无名路99号", description="路面塌陷"))
    assert event.region == world.community_b and event.house is None
    assert "路面塌陷" in event.description and "无名路99号" in event.description
    # Its community's staff see it and can act on it; the public listing names the community.
    assert Event.objects.visible_to(world.worker_b).filter(pk=event.pk).exists()
    public = Client().get(f"/open311/v2/requests/{event.pk}.json").json()[0]
    assert public["agency_responsible"] == world.community_b.name


def test_without_a_community_set_the_service_accounts_one_community_receives(world, grids):
    _, key = client_create(name="partner", service_user=world.community_worker)
    assert created(post(key, address_string="无名路99号")).region == world.community_a

    _, street_key = client_create(name="street-wide", service_user=world.street_staff)
    refused = post(street_key, address_string="无名路99号")
    assert refused.status_code == 400
    assert "address_string" in refused.json()[0]["description"]
    assert Event.objects.count() == 1


def test_a_point_just_outside_every_grid_goes_to_the_nearest_within_the_setting(world, grids, settings):
    settings.OPEN311_NEAREST_GRID_METRES = 300
    client, key = client_create(name="12345", service_user=world.street_staff)
    client.community = world.community_b
    client.save()
    west_of_a1 = 118.0 - 100 * METRE_LON
    east_of_a2 = 118.02 + 100 * METRE_LON
    assert created(post(key, lat=LAT, long=west_of_a1)).region == world.grid_a1
    assert created(post(key, lat=LAT, long=east_of_a2)).region == world.grid_a2
    # Farther than the setting: the client's community, never a refusal.
    far = created(post(key, lat=LAT, long=118.0 - 1000 * METRE_LON))
    assert far.region == world.community_b and float(far.longitude) == pytest.approx(118.0 - 1000 * METRE_LON)
    settings.OPEN311_NEAREST_GRID_METRES = 50
    assert created(post(key, lat=LAT, long=west_of_a1)).region == world.community_b


def test_the_nearest_grid_is_one_the_client_may_report_in(world, grids):
    # 乙社区's worker: 100 m east of 甲社区's grid is 8 km from 乙社区's own: its community, not 甲's.
    _, key = client_create(name="partner", service_user=world.worker_b)
    event = created(post(key, lat=LAT, long=118.02 + 100 * METRE_LON))
    assert event.region == world.community_b
    # Inside a grid of another community: refused, as before.
    assert post(key, lat=LAT, long=118.005).status_code == 400


def test_nearest_grid_measures_metres_on_the_ground(world, grids):
    point = (118.0 - 200 * METRE_LON, LAT)
    everywhere = [world.city.path]
    assert nearest_grid(*point, max_metres=199, within_paths=everywhere) is None
    assert nearest_grid(*point, max_metres=201, within_paths=everywhere) == world.grid_a1
    assert nearest_grid(*point, max_metres=201, within_paths=[world.community_b.path]) is None
    # North of a grid: a degree of latitude is longer than one of longitude here.
    north = (118.005, 31.01 + 150 / (math.pi * EARTH_RADIUS_METRES / 180))
    assert nearest_grid(*north, max_metres=149, within_paths=everywhere) is None
    assert nearest_grid(*north, max_metres=151, within_paths=everywhere) == world.grid_a1


def test_the_clients_community_must_be_one_its_account_reports_in(world):
    client = Open311Client(name="partner", service_user=world.worker_b, community=world.community_a)
    with pytest.raises(ValidationError) as raised:
        client.clean()
    assert "community" in raised.value.message_dict
    Open311Client(name="partner", service_user=world.worker_b, community=world.community_b).clean()


def test_status_and_service_code_take_comma_lists(world, grids):
    _, key = client_create(name="12345", service_user=world.street_staff)
    hazard = created(post(key, address_id=world.house_a.pk))
    general = created(post(key, address_id=world.house_b.pk, service_code="workflow.general_request"))
    Event.objects.filter(pk=general.pk).update(state=State.RESOLVED)

    def listed(**params) -> set[int]:
        response = Client().get("/open311/v2/requests.json", params)
        assert response.status_code == 200, response.content
        return {int(row["service_request_id"]) for row in response.json()}

    assert listed(service_code="tests.hazard,workflow.general_request") == {hazard.pk, general.pk}
    assert listed(service_code="workflow.general_request") == {general.pk}
    assert listed(status="open,closed") == {hazard.pk, general.pk}
    assert listed(status="closed") == {general.pk}
    assert listed(status="open", service_code="tests.hazard, workflow.general_request") == {hazard.pk}
    # service_request_id overrides every other argument (the spec).
    assert listed(service_request_id=f"{hazard.pk},{general.pk}", status="closed") == {hazard.pk, general.pk}
    bad = Client().get("/open311/v2/requests.json", {"status": "open,maybe"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


def test_discovery_says_where_the_endpoint_is_and_what_it_speaks(db):
    response = Client().get("/open311/v2/discovery.json")
    assert response.status_code == 200
    body = response.json()
    assert body["changeset"] and body["contact"] and body["key_service"]
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production" and endpoint["formats"] == ["application/json"]
    assert endpoint["changeset"] == body["changeset"]
    services = Client().get(endpoint["url"].removeprefix("http://testserver") + "/services.json")
    assert services.status_code == 200


def test_a_request_needs_some_place(world, grids):
    _, key = client_create(name="12345", service_user=world.street_staff)
    response = post(key, description="无地址")
    assert response.status_code == 400
    assert "address_string" in response.json()[0]["description"]


def test_a_superuser_sets_the_clients_community_in_the_admin(world, client):
    from tests.affairs.test_admin import superuser

    superuser(client)
    page = "/admin/workflow/open311client/add/"
    form = {"name": "partner", "service_user": world.worker_b.pk, "source": "open311", "is_active": "on"}
    wrong = client.post(page, {**form, "community": world.community_a.pk})
    assert wrong.status_code == 200 and wrong.context["adminform"].form.errors["community"]
    assert not Open311Client.objects.exists()
    right = client.post(page, {**form, "community": world.community_b.pk})
    assert right.status_code == 302, right.content[:2000]
    assert Open311Client.objects.get().community == world.community_b


@pytest.mark.parametrize(("lat", "long"), [("nan", "118.0"), ("31.0", "inf"), ("91", "118.0"), ("x", "1")])
def test_a_point_that_is_no_place_on_earth_is_refused(world, grids, lat, long):
    client, key = client_create(name="12345", service_user=world.street_staff)
    client.community = world.community_b
    client.save()
    response = post(key, lat=lat, long=long)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "lat/long must be WGS-84 degrees"}]
    assert not Event.objects.exists()
