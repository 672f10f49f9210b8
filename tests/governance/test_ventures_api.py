"""公益创投 over HTTP: reviewers assigned, scoring (or a declared conflict) only by the assigned,
each reviewer's own list, funding within the budget, milestones agreed and reported, the final
evaluation; the application's detail shows the reviews' summary, never one reviewer's score."""

from __future__ import annotations

from core.accounts.roles import Role
from tests.governance.test_ventures import organization
from tests.helpers import assert_error, client_for
from tests.world import make_staff

ROUNDS = "/api/v1/governance/venture-rounds/"


def test_a_round_from_application_to_evaluation_over_http(world):
    street = client_for(world.street_staff)
    venture = street.post(
        ROUNDS, {"region": world.street.pk, "title": "2026公益创投", "budget": "50000.00"}, format="json"
    ).json()
    base = f"{ROUNDS}{venture['id']}/applications/"
    elders = organization(world, "夕阳红志愿队")
    # A street's round is the street's: its staff file the applications of the organizations below.
    applied = street.post(
        base, {"organization": elders.pk, "title": "助餐", "requested": "30000.00"}, format="json"
    )
    assert applied.status_code == 201, applied.content
    app_url = f"{base}{applied.json()['id']}/"
    assert [row["id"] for row in street.get(base).json()["results"]] == [applied.json()["id"]]

    conflicted = make_staff(Role.STREET_STAFF, world.street)
    for reviewer in (world.street_staff, conflicted):
        assert (
            street.post(f"{app_url}reviewers/", {"reviewer": reviewer.pk}, format="json").status_code == 201
        )
    outsider = make_staff(Role.STREET_STAFF, world.street)
    assert_error(
        client_for(outsider).post(f"{app_url}score/", {"score": 99}, format="json"), 403, "not_assigned"
    )
    declared = client_for(conflicted).post(
        f"{app_url}score/", {"conflict_note": "是该组织理事"}, format="json"
    )
    assert declared.status_code == 200 and declared.json()["conflict"] is True
    assert_error(
        client_for(conflicted).post(f"{app_url}score/", {"score": 99}, format="json"),
        409,
        "conflict_of_interest",
    )
    assert_error(street.post(f"{app_url}score/", {}, format="json"), 400, "invalid", ["score"])
    assert street.post(f"{app_url}score/", {"score": 80}, format="json").status_code == 200
    mine = client_for(conflicted).get(f"{ROUNDS}reviews/").json()["results"]
    assert [(row["application"], row["conflict"]) for row in mine] == [(applied.json()["id"], True)]

    detail = street.get(app_url).json()
    assert (detail["reviewers"], detail["scored"], detail["average_score"]) == (2, 1, 80.0)
    assert "score" not in str(detail["milestones"])  # nothing of one reviewer's score is shown
    assert_error(
        street.post(f"{app_url}fund/", {"amount": "30000.01"}, format="json"), 400, "invalid", ["amount"]
    )
    assert street.post(f"{app_url}fund/", {"amount": "30000.00"}, format="json").json()["status"] == "funded"

    milestones = street.post(
        f"{app_url}milestones/", {"title": "开餐", "due_on": "2026-06-01"}, format="json"
    )
    assert milestones.status_code == 201
    milestone = milestones.json()["milestones"][0]["id"]
    assert_error(street.post(f"{app_url}evaluate/", {"score": 90}, format="json"), 409, "wrong_stage")
    reported = street.post(
        f"{app_url}milestones/{milestone}/report/", {"report": "已服务老人120人"}, format="json"
    )
    assert reported.json()["milestones"][0]["reported_on"] is not None
    evaluated = street.post(f"{app_url}evaluate/", {"score": 90, "note": "良好"}, format="json").json()
    assert (evaluated["status"], evaluated["evaluation_score"]) == ("evaluated", 90)


def test_another_streets_staff_sees_nothing_of_the_round(world):
    from core.regions.models import Region

    street = client_for(world.street_staff)
    venture = street.post(
        ROUNDS, {"region": world.community_a.pk, "title": "社区创投", "budget": "1000.00"}, format="json"
    ).json()
    other = make_staff(Role.COMMUNITY_WORKER, Region.objects.get(pk=world.community_b.pk))
    assert client_for(other).get(f"{ROUNDS}{venture['id']}/applications/").status_code == 404
    assert client_for(other).get(f"{ROUNDS}{venture['id']}/applications/1/").status_code == 404
