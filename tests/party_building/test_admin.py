"""Party organizations and members are read in the admin within scope, never changed there."""

from __future__ import annotations

from tests.party_building import factories as f


def test_organizations_and_members_are_read_in_scope_only(world, client):
    member = f.member(f.organization(world.grid_a1))
    client.force_login(world.community_worker)
    page = client.get("/admin/party_building/member/")
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    assert (
        client.get(f"/admin/party_building/organization/{member.organization_id}/change/").status_code == 200
    )
    assert client.get("/admin/party_building/member/add/").status_code == 403
    client.force_login(world.worker_b)
    assert client.get("/admin/party_building/member/").context["cl"].result_count == 0
    assert client.get(f"/admin/party_building/member/{member.pk}/change/").status_code == 302
