"""A committee election (换届): only full members stand and vote (党章 art. 7: a probationary
member has no vote and cannot be elected); those with the most votes and more than half of the
full members' votes (中国共产党基层组织选举工作条例) take the committee's posts for the term."""

from __future__ import annotations

from datetime import date

from party_building.models import Ballot, Officer
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f

ELECTIONS = "/api/v1/party-building/elections/"
ORGS = "/api/v1/party-building/organizations/"


def test_a_probationary_members_vote_is_refused_and_the_full_members_elect_the_committee(world):
    branch = f.organization(world.grid_a1, term_ends_on=date(2025, 3, 31))
    a, b, c, d = (f.member(branch) for _ in range(4))
    probationary = f.member(branch, kind="probationary", joined_on=date(2025, 1, 10))
    old = Officer.objects.create(organization=branch, member=d, post="secretary", starts_on=date(2022, 4, 1))
    client = client_for(world.community_worker)
    opened = {"organization": branch.pk, "held_on": "2025-04-01", "seats": 2}
    assert_error(
        client.post(ELECTIONS, {**opened, "candidates": [a.pk, probationary.pk]}, format="json"),
        400,
        "not_full_member",
        ["candidates"],
    )
    made = client.post(ELECTIONS, {**opened, "candidates": [a.pk, b.pk, c.pk]}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["entitled"] == 4
    vote = f"{ELECTIONS}{made.json()['id']}/vote/"

    refused = client.post(vote, {"voter": probationary.pk, "chosen": [a.pk]}, format="json")
    assert_error(refused, 400, "not_full_member", ["voter"])
    assert not Ballot.objects.exists()
    for voter, chosen in ((a, [a, b]), (b, [a]), (c, [b, c]), (d, [a])):
        cast = client.post(vote, {"voter": voter.pk, "chosen": [m.pk for m in chosen]}, format="json")
        assert cast.status_code == 200, cast.content
    assert_error(client.post(vote, {"voter": a.pk, "chosen": [c.pk]}, format="json"), 409, "already_voted")
    assert_error(
        client.post(vote, {"voter": d.pk, "chosen": [d.pk]}, format="json"),
        400,
        "not_a_candidate",
        ["chosen"],
    )
    # Votes stay unseen until the count.
    assert {row["votes"] for row in client.get(f"{ELECTIONS}{made.json()['id']}/").json()["candidates"]} == {
        None
    }

    closed = client.post(f"{ELECTIONS}{made.json()['id']}/close/", format="json")
    assert closed.status_code == 200, closed.content
    results = {row["member"]: (row["votes"], row["elected"]) for row in closed.json()["candidates"]}
    # a: 3 of 4 elected; b: 2 of 4 is not more than half; c: 1.
    assert results == {a.pk: (3, True), b.pk: (2, False), c.pk: (1, False)}
    assert list(
        Officer.objects.filter(election__isnull=False).values_list("member", "post", "starts_on", "ends_on")
    ) == [(a.pk, "secretary", date(2025, 4, 1), date(2028, 3, 31))]
    old.refresh_from_db()
    assert old.ends_on == date(2025, 3, 31)
    organization = client.get(f"{ORGS}{branch.pk}/").json()
    assert (organization["term_ends_on"], organization["flags"]) == ("2028-03-31", [])
    assert_error(client.post(vote, {"voter": d.pk, "chosen": [a.pk]}, format="json"), 409, "election_closed")
