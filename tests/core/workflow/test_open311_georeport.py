"""The `georeport` client from PyPI, unchanged, against a live server holding the demo's Wuhu:
requests created through the Open311 POST by point, by address and by a point just outside every
grid, then every operation the client has."""

from __future__ import annotations

import math
import random

import pytest
import requests
from georeport import GeoReport

from core.accounts.roles import Role
from core.imports.demo import DEMO_SQUARE, DISTRICT_CENTRES, TreeShape, build_regions, seed_register
from core.regions.geometry import clean_boundary, grid_for_point
from core.regions.models import Region
from core.registry.models import House
from core.workflow.models import Event
from core.workflow.open311.keys import client_create
from tests.world import make_staff

JINGHU = (118.37, 31.33)  # 镜湖区, the old city centre


@pytest.fixture
def wuhu(transactional_db):
    city, _counts = build_regions(random.Random(7), TreeShape(2, 2, 2))
    seed_register(city, residents=60, seed=7)
    return city


def test_every_demo_grid_has_a_valid_boundary_and_the_city_lands_in_one(wuhu):
    grids = list(Region.objects.filter(level=Region.Level.GRID))
    assert grids and all(grid.boundary for grid in grids)
    for grid in grids:
        clean_boundary(grid.boundary)  # valid GeoJSON polygons, WGS-84
    grid = grid_for_point(*JINGHU)
    assert grid is not None and grid.parent.parent.parent.name == "镜湖区"
    # Each division's grids lie around its own seat, apart from the others'.
    for code, centre in DISTRICT_CENTRES.items():
        found = grid_for_point(*centre)
        assert found is not None and found.parent.parent.parent.code == code


def test_georeport_round_trips_every_operation(wuhu, live_server):
    jinghu = Region.objects.get(name="镜湖区")
    account = make_staff(Role.DISTRICT_STAFF, jinghu, username="hotline-12345")
    client, key = client_create(name="12345热线", service_user=account)
    client.community = Region.objects.filter(
        level=Region.Level.COMMUNITY, path__startswith=jinghu.path
    ).first()
    client.save()
    house = House.objects.filter(region_path__startswith=jinghu.path).order_by("id").first()
    # The tiling's west edge, then about 100 m farther west: outside every grid.
    west_edge = DISTRICT_CENTRES[jinghu.code][0] - DEMO_SQUARE / 2
    outside = (west_edge - 100 / (111_195 * math.cos(math.radians(JINGHU[1]))), JINGHU[1])
    assert grid_for_point(*outside) is None

    root = f"{live_server.url}/open311/v2"

    def create(**fields) -> str:
        response = requests.post(
            f"{root}/requests.json",
            data={"api_key": key, "service_code": "workflow.general_request", **fields},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return response.json()[0]["service_request_id"]

    by_point = create(lat=JINGHU[1], long=JINGHU[0], description="路灯不亮")
    by_address = create(address_string=house.address.replace("栋", " 栋 "), description="楼道堵塞")
    near_a_grid = create(lat=outside[1], long=outside[0], description="井盖缺失")
    events = Event.objects.in_bulk([int(by_point), int(by_address), int(near_a_grid)])
    assert events[int(by_point)].region == grid_for_point(*JINGHU)
    assert events[int(by_address)].house == house
    assert events[int(near_a_grid)].region.level == Region.Level.GRID
    assert events[int(near_a_grid)].region.path.startswith(jinghu.path)

    georeport = GeoReport(root, jurisdiction="wuhu.gov.cn")
    services = georeport.get_service_list()
    assert "workflow.general_request" in {service["service_code"] for service in services}
    definition = georeport.get_service_definition("workflow.general_request")
    assert definition["service_code"] == "workflow.general_request"
    assert [attribute["code"] for attribute in definition["attributes"]] == ["contact_time"]

    ours = {by_point, by_address, near_a_grid}
    listed = georeport.get_service_requests(
        service_code="workflow.general_request,hotline.ticket", status="open,closed"
    )
    assert {row["service_request_id"] for row in listed} == ours
    assert georeport.get_service_requests(status="closed") == []
    picked = georeport.get_service_requests(service_request_id=f"{by_point},{near_a_grid}")
    assert {row["service_request_id"] for row in picked} == {by_point, near_a_grid}

    one = georeport.get_service_request(by_address)
    assert one["service_request_id"] == by_address and one["status"] == "open"
    # Public: no details.
    assert one["service_code"] == "workflow.general_request" and one["description"] == ""
    assert one["agency_responsible"] == events[int(by_address)].house.region.parent.name

    discovery = requests.get(f"{root}/discovery.json", timeout=30).json()
    assert discovery["endpoints"][0]["url"] == root
