"""With the default settings (no HOTLINE_REGION_CODE) an unresolved ticket waits at the root of
the tree, the city, where no account holds a role, as in the demo: every district's and street's
staff under it (hotline.route) list it, route it and count it; workers below do not see it."""

from __future__ import annotations

import pytest

from affairs.hotline.models import HotlineTicket
from core.accounts.roles import Role
from core.notices.models import Notice
from core.regions.models import Region
from tests.affairs.hotline.conftest import push, ticket_body, ticket_url
from tests.helpers import client_for
from tests.world import make_staff

TICKETS = "/api/v1/hotline/tickets/"
STATISTICS = "/api/v1/hotline/statistics/"


@pytest.fixture
def city_centre(world, settings):
    """The demo's shape: the city above two districts, nobody holding a role at the city."""
    settings.HOTLINE_REGION_CODE = ""
    other_district = Region.objects.create(name="弋江区", level=Region.Level.DISTRICT, parent=world.city)
    other_street = Region.objects.create(name="中山街道", level=Region.Level.STREET, parent=other_district)
    other_community = Region.objects.create(
        name="丙社区", level=Region.Level.COMMUNITY, parent=other_street, community_kind="residents_committee"
    )
    other_grid = Region.objects.create(name="第1网格", level=Region.Level.GRID, parent=other_community)
    other_grid.refresh_from_db()
    return {
        "district_staff": make_staff(Role.DISTRICT_STAFF, other_district),
        "grid": other_grid,
    }


def unrouted_ids(user) -> list[int]:
    body = client_for(user).get(TICKETS, {"status": "unrouted"}).json()
    return [row["id"] for row in body["results"]]


def test_an_unresolved_ticket_at_the_city_is_seen_routed_and_counted_by_the_districts(world, city_centre):
    response = push(ticket_body(address="不存在的路99号"))
    assert response.status_code == 201, response.content
    ticket = HotlineTicket.objects.get(pk=response.json()["id"])
    assert (ticket.status, ticket.region_id) == ("unrouted", world.city.pk)

    other_district_staff = city_centre["district_staff"]
    for user in (world.district_staff, world.street_staff, other_district_staff):
        assert unrouted_ids(user) == [ticket.pk]
        assert client_for(user).get(ticket_url(ticket.pk)).status_code == 200
        statistics = client_for(user).get(STATISTICS).json()
        assert (statistics["received"], statistics["unrouted"]) == (1, 1)
    # Workers below the streets do not route: they neither list nor open it.
    for user in (world.lead, world.secretary, world.community_worker):
        assert unrouted_ids(user) == []
        assert client_for(user).get(ticket_url(ticket.pk)).status_code == 404

    # A district routes only into its own area.
    route = ticket_url(ticket.pk, "route/")
    refused = client_for(world.district_staff).post(route, {"grid": city_centre["grid"].pk}, format="json")
    assert refused.status_code == 400 and "grid" in refused.json()["error"]["fields"]
    routed = client_for(world.street_staff).post(route, {"grid": world.grid_a2.pk}, format="json")
    assert routed.status_code == 200, routed.content
    ticket.refresh_from_db()
    assert (ticket.status, ticket.region_id) == ("handling", world.grid_a2.pk)
    # Routed into 镜湖区: the other district no longer sees it.
    assert client_for(other_district_staff).get(ticket_url(ticket.pk)).status_code == 404
    assert client_for(world.secretary).get(ticket_url(ticket.pk)).status_code == 200


def test_an_unrouted_ticket_at_the_city_is_bounced_by_the_districts(world, city_centre, centre):
    ticket_id = push(ticket_body(address="不存在的路99号")).json()["id"]
    bounce = client_for(world.street_staff).post(
        ticket_url(ticket_id, "bounce/"), {"reason": "不属于本市"}, format="json"
    )
    assert bounce.status_code in (200, 201), bounce.content
    # The districts under the city hear of it (nobody holds a role at the city itself).
    assert Notice.objects.filter(kind="hotline.bounce", region=world.city, role=Role.DISTRICT_STAFF).exists()
    # The requester does not decide; a community secretary does not either (they do not route).
    decide = ticket_url(ticket_id, "bounce/decide/")
    assert client_for(world.street_staff).post(decide, {"approve": True}, format="json").status_code == 403
    decided = client_for(city_centre["district_staff"]).post(decide, {"approve": True}, format="json")
    assert decided.status_code == 200, decided.content
    assert HotlineTicket.objects.get(pk=ticket_id).status == "bounced"
