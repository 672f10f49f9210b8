"""Party membership is sensitive personal information (political opinion, PIPL art. 28): the
resident detail says whether someone is a party member, and the household file shows their party
events, only to the holders of party_building.view_membership (the community secretary, the
street and the district), not to community workers or grid workers who read the register."""

from __future__ import annotations

from datetime import date

from core.accounts.roles import Role, permissions_of
from tests.helpers import client_for
from tests.party_building import factories as f

VIEW_MEMBERSHIP = "party_building.view_membership"


def test_the_resident_detail_and_the_household_file_show_membership_only_to_its_permission(world):
    f.member(f.organization(world.grid_a1), resident=world.applicant, joined_on=date(2010, 7, 1))
    resident_url = f"/api/v1/registry/residents/{world.applicant.pk}/"
    timeline_url = f"/api/v1/registry/households/{world.household.pk}/timeline/"
    assert VIEW_MEMBERSHIP in permissions_of(Role.COMMUNITY_SECRETARY)
    assert VIEW_MEMBERSHIP not in permissions_of(Role.COMMUNITY_WORKER)

    shown = client_for(world.secretary).get(resident_url)
    assert shown.status_code == 200, shown.content
    assert shown.json()["facts"]["party_building.membership"]["member"] is True
    kinds = {entry["kind"] for entry in _entries(client_for(world.secretary).get(timeline_url).json())}
    assert "party.joined" in kinds

    for user in (world.community_worker, world.grid_worker):
        hidden = client_for(user).get(resident_url)
        assert hidden.status_code == 200, hidden.content
        assert "party_building.membership" not in hidden.json()["facts"]
        kinds = {entry["kind"] for entry in _entries(client_for(user).get(timeline_url).json())}
        assert not {kind for kind in kinds if kind.startswith("party.")}


def test_a_resident_who_is_not_a_member_is_said_not_to_be(world):
    body = client_for(world.street_staff).get(f"/api/v1/registry/residents/{world.applicant.pk}/").json()
    assert body["facts"]["party_building.membership"] == {"member": False}


def _entries(body):
    return body.get("results", body.get("entries", body)) if isinstance(body, dict) else body
