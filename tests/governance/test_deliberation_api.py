"""The deliberation over the API, as a resident and a worker use it: raise, vote with a receipt,
a sealed tally (409 to staff too), the published receipts after the close, and the refusals."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.helpers import assert_error, client_for

TOPICS = "/api/v1/governance/topics/"


def test_a_vote_over_the_api_from_topic_to_follow_up(world):
    resident, worker = client_for(world.resident_user), client_for(world.community_worker)
    raised = resident.post(TOPICS, {"community": world.community_a.pk, "title": "楼道堆物"}, format="json")
    assert raised.status_code == 201, raised.content
    url = f"{TOPICS}{raised.json()['id']}/"
    closes = (timezone.now() + timedelta(days=2)).isoformat()
    opened = worker.post(f"{url}open-vote/", {"closes_at": closes, "electorate": "adult"}, format="json")
    assert opened.json()["status"] == "voting"

    receipt = resident.post(f"{url}vote/", {"choice": "for"}, format="json").json()["receipt"]
    assert_error(resident.post(f"{url}vote/", {"choice": "against"}, format="json"), 409, "already_voted")
    assert_error(resident.post(f"{url}vote/", {"choice": "maybe"}, format="json"), 400, "invalid", ["choice"])
    assert_error(worker.get(f"{url}tally/"), 409, "tally_sealed")
    assert_error(resident.get(f"{url}tally/"), 409, "tally_sealed")
    # A resident of another community does not see the topic at all.
    assert_error(client_for(world.worker_b).get(url), 404, "not_found")

    assert worker.post(f"{url}close-vote/", format="json").json()["outcome"] in {"passed", "no_quorum"}
    tally = resident.get(f"{url}tally/").json()
    assert tally["receipts"] == [receipt] and tally["votes_for"] == 1 and "choice" not in str(tally)
    assert_error(
        client_for(world.neighbour_user).post(f"{url}vote/", {"choice": "for"}, format="json"),
        409,
        "vote_closed",
    )

    followed = worker.post(f"{url}follow-ups/", {"title": "清理楼道"}, format="json")
    assert followed.status_code == 201
    assert [f["state"] for f in resident.get(url).json()["follow_ups"]] == ["reported"]
