"""The organization tree and its flags (中国共产党支部工作条例（试行）): a branch below 3 full
members, a branch of 7 full members without an elected committee, a branch of more than 50
members, a committee whose term has ended."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from core.audit.models import AuditEvent
from party_building.models import Officer, Organization
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f

ORGS = "/api/v1/party-building/organizations/"


def _flags(client, org) -> list[str]:
    return client.get(f"{ORGS}{org.pk}/").json()["flags"]


def test_the_tree_is_built_under_region_nodes_and_listed_in_scope(world):
    client = client_for(world.secretary)
    committee = client.post(
        ORGS,
        {
            "region": world.community_a.pk,
            "kind": "committee",
            "name": "甲社区党委",
            "founded_on": "2019-07-01",
        },
        format="json",
    )
    assert committee.status_code == 201, committee.content
    branch = client.post(
        ORGS,
        {
            "region": world.grid_a1.pk,
            "kind": "branch",
            "setting": "building",
            "name": "滨江大厦楼宇党支部",
            "parent": committee.json()["id"],
            "founded_on": "2020-07-01",
        },
        format="json",
    )
    assert branch.status_code == 201, branch.content
    assert branch.json()["parent"] == committee.json()["id"]
    listed = {row["id"] for row in client.get(ORGS, {"parent": committee.json()["id"]}).json()["results"]}
    assert listed == {branch.json()["id"]}
    # The sibling community is not the secretary's: its node is "not found", and so is its organization.
    assert_error(
        client.post(
            ORGS,
            {"region": world.community_b.pk, "kind": "branch", "name": "x", "founded_on": "2020-01-01"},
            format="json",
        ),
        400,
        "invalid",
        ["region"],
    )
    sibling = f.organization(world.grid_b1)
    assert_error(
        client.post(
            ORGS,
            {
                "region": world.grid_a1.pk,
                "kind": "group",
                "name": "x",
                "parent": sibling.pk,
                "founded_on": "2020-01-01",
            },
            format="json",
        ),
        400,
        "invalid",
        ["parent"],
    )
    assert_error(
        client.post(
            ORGS,
            {"region": world.grid_a1.pk, "kind": "group", "name": "第一党小组", "founded_on": "2020-01-01"},
            format="json",
        ),
        400,
        "invalid",
        ["parent"],
    )


def test_an_organization_is_attached_to_a_street_community_or_grid_only(world):
    response = client_for(world.district_staff).post(
        ORGS,
        {"region": world.district.pk, "kind": "committee", "name": "区委", "founded_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 403  # district staff view, the street and community keep
    response = client_for(world.street_staff).post(
        ORGS,
        {"region": world.district.pk, "kind": "committee", "name": "区委", "founded_on": "2020-01-01"},
        format="json",
    )
    assert_error(response, 400, "invalid", ["region"])  # above the street staff's node
    assert not Organization.objects.exists()


def test_a_branch_below_three_full_members_is_flagged_probationary_ones_not_counted(world):
    branch = f.organization(world.grid_a1)
    f.member(branch)
    f.member(branch)
    f.member(branch, kind="probationary", joined_on=date(2025, 1, 1))
    client = client_for(world.community_worker)
    assert "too_few_full_members" in _flags(client, branch)
    f.member(branch)
    body = client.get(f"{ORGS}{branch.pk}/").json()
    assert (body["member_count"], body["full_member_count"], body["flags"]) == (4, 3, [])


def test_seven_full_members_need_an_elected_branch_committee(world):
    branch = f.organization(world.grid_a1)
    people = [f.member(branch) for _ in range(7)]
    client = client_for(world.community_worker)
    assert _flags(client, branch) == ["committee_required"]
    # A secretary appointed without an election is no committee.
    Officer.objects.create(
        organization=branch, member=people[0], post="secretary", starts_on=date(2024, 1, 1)
    )
    assert _flags(client, branch) == ["committee_required"]
    election = f.election(branch, candidates=0)
    for person, post in zip(people[:3], ["secretary", "committee_member", "committee_member"], strict=True):
        Officer.objects.create(
            organization=branch, member=person, post=post, starts_on=date(2024, 1, 1), election=election
        )
    body = client.get(f"{ORGS}{branch.pk}/").json()
    assert (body["flags"], body["has_committee"]) == ([], True)


def test_a_branch_of_more_than_fifty_members_is_to_be_split(world):
    branch = f.organization(world.grid_a1)
    for _ in range(50):
        f.member(branch)
    client = client_for(world.community_worker)
    assert "to_be_split" not in _flags(client, branch)
    f.member(branch, kind="probationary", joined_on=date(2025, 6, 1))
    assert "to_be_split" in _flags(client, branch)


def test_an_ended_term_is_flagged(world):
    today = timezone.localdate()
    ended = f.organization(world.community_a, kind="committee", term_ends_on=today - timedelta(days=1))
    running = f.organization(world.community_a, kind="committee", term_ends_on=today)
    client = client_for(world.community_worker)
    assert _flags(client, ended) == ["term_ended"]
    assert _flags(client, running) == []
    assert not AuditEvent.objects.filter(action__startswith="party_building.").exists()


def test_a_secretary_is_appointed_and_the_posts_kept_as_history(world):
    from datetime import date

    from party_building.models import Officer
    from tests.helpers import assert_error, client_for

    branch = f.organization(world.grid_a1)
    secretary, outsider = f.member(branch), f.member(f.organization(world.grid_a1))
    client = client_for(world.community_worker)
    url = f"/api/v1/party-building/organizations/{branch.pk}/officers/"
    payload = {
        "member": secretary.pk,
        "post": "secretary",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
    }
    response = client.post(url, payload, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["post"], response.json()["member"]) == ("secretary", secretary.pk)
    assert_error(
        client.post(url, {**payload, "member": outsider.pk}, format="json"), 400, "not_a_member", ["member"]
    )
    backwards = {**payload, "ends_on": "2023-12-31"}
    assert_error(client.post(url, backwards, format="json"), 400, "invalid", ["ends_on"])
    foreign = f.member(f.organization(world.grid_b1))
    assert_error(
        client.post(url, {**payload, "member": foreign.pk}, format="json"), 400, "invalid", ["member"]
    )
    assert list(Officer.objects.values_list("member", "ends_on")) == [(secretary.pk, date(2026, 12, 31))]
    listed = client.get(url).json()["results"]
    assert [row["member"] for row in listed] == [secretary.pk]
    assert client_for(world.worker_b).post(url, payload, format="json").status_code == 404
