"""议事协商 from topic to vote to follow-up event: who may raise and vote, the sealed tally, the
receipt that verifies, the outcome by quorum and threshold, and the notices to followers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.api.errors import ApplicationError
from core.notices.models import Notice
from core.workflow.models import Event
from governance import deliberation as d
from governance.errors import GovernanceError
from governance.models import Ballot, Topic, TopicFollowUp, VoteParticipation

NOT_VOTER = GovernanceError.NOT_IN_ELECTORATE


def soon():
    return timezone.now() + timedelta(days=3)


def refused(code, call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def raise_and_vote(world, **rules):
    topic = d.topic_raise(actor=world.resident_user, community=world.community_a.pk, title="加装电梯")
    d.vote_open(actor=world.community_worker, topic=topic, closes_at=soon(), **rules)
    topic.refresh_from_db()
    return topic


def test_a_verified_resident_raises_a_topic_in_their_own_community_only(world):
    topic = d.topic_raise(actor=world.resident_user, community=world.community_a.pk, title="停车难")
    assert (topic.region_id, topic.raised_by_id) == (world.community_a.pk, world.resident_user.pk)
    assert list(topic.followers.values_list("user_id", flat=True)) == [world.resident_user.pk]
    error = refused(
        "invalid", d.topic_raise, actor=world.resident_user, community=world.community_b.pk, title="x"
    )
    assert "community" in error.fields
    # A worker raises in their scope, not in a sibling community.
    assert d.topic_raise(actor=world.community_worker, community=world.community_a.pk, title="垃圾分类")
    refused("invalid", d.topic_raise, actor=world.community_worker, community=world.community_b.pk, title="x")


def test_deliberation_from_topic_to_vote_to_follow_up_event(world):
    topic = raise_and_vote(world, electorate=Topic.Electorate.ADULT, quorum_percent=50)
    d.comment_add(actor=world.neighbour_user, topic=topic, body="支持")
    meeting = d.meeting_hold(
        actor=world.community_worker,
        topic=topic,
        held_at=timezone.now(),
        place="社区议事厅",
        agenda="1. 方案 2. 费用分摊",
        minutes="同意付诸表决",
        attendees=[world.applicant.pk, world.neighbour.pk],
    )
    assert meeting.attendance.count() == 2

    receipt = d.topic_vote(actor=world.resident_user, topic=topic, choice="for")
    d.topic_vote(actor=world.spouse_user, topic=topic, choice="against")
    d.topic_vote(actor=world.neighbour_user, topic=topic, choice="for")

    # Sealed before the close, for the worker running it as for anyone.
    refused(GovernanceError.TALLY_SEALED, d.topic_tally, topic)
    topic = d.vote_close(actor=world.community_worker, topic=topic)
    tally = d.topic_tally(topic)
    assert (tally["for"], tally["against"], tally["abstain"]) == (2, 1, 0)
    assert receipt in tally["receipts"] and len(tally["receipts"]) == 3
    assert set(tally) == {"electorate", "for", "against", "abstain", "outcome", "receipts"}
    # 王大明, 李小红 and 赵四 are the adults of 甲社区 (王小明 is a minor): all three voted, 2 of 3 for.
    assert (tally["electorate"], tally["outcome"]) == (3, Topic.Outcome.PASSED)
    refused(GovernanceError.VOTE_CLOSED, d.topic_vote, actor=world.neighbour_user, topic=topic, choice="for")

    event = d.follow_up_open(actor=world.community_worker, topic=topic, title="电梯施工")
    assert (event.type, event.region_id) == ("governance.follow_up", world.community_a.pk)
    assert TopicFollowUp.objects.get(topic=topic).event_id == event.pk
    assert Event.objects.get(pk=event.pk).state == "reported"


def test_the_ballot_carries_no_voter_and_no_time(world):
    topic = raise_and_vote(world)
    d.topic_vote(actor=world.resident_user, topic=topic, choice="abstain")
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "topic", "choice", "receipt"}
    participation = VoteParticipation.objects.get(topic=topic)
    assert participation.voter_key == f"household:{world.household.pk}"
    assert not {f.name for f in VoteParticipation._meta.get_fields()} & {"choice", "ballot", "receipt"}


def test_one_vote_per_household_refuses_the_second_member(world):
    topic = raise_and_vote(world, electorate=Topic.Electorate.HOUSEHOLD)
    d.topic_vote(actor=world.resident_user, topic=topic, choice="for")
    refused(
        GovernanceError.ALREADY_VOTED, d.topic_vote, actor=world.spouse_user, topic=topic, choice="against"
    )
    assert Ballot.objects.filter(topic=topic).count() == 1  # nothing half-written


def test_a_minor_is_not_in_the_per_resident_electorate_and_outsiders_are_refused(world):
    from tests.world import make_resident_user

    child_user = make_resident_user(world.grid_a1, world.child, username="child")
    topic = raise_and_vote(world, electorate=Topic.Electorate.ADULT)
    refused(NOT_VOTER, d.topic_vote, actor=child_user, topic=topic, choice="for")
    refused(NOT_VOTER, d.topic_vote, actor=world.community_worker, topic=topic, choice="for")


def test_two_thirds_threshold_and_quorum(world):
    topic = Topic(
        threshold=Topic.Threshold.TWO_THIRDS,
        quorum_percent=50,
        electorate_size=10,
        votes_for=4,
        votes_against=2,
        votes_abstain=0,
    )
    assert d.passed(topic) == Topic.Outcome.PASSED  # 4 of 6 is two-thirds; 6 of 10 took part
    topic.votes_against = 3
    assert d.passed(topic) == Topic.Outcome.FAILED
    topic.votes_for, topic.votes_against = 3, 1
    assert d.passed(topic) == Topic.Outcome.NO_QUORUM
    topic.threshold, topic.votes_for, topic.votes_against = Topic.Threshold.SIMPLE, 3, 3
    topic.electorate_size = 6
    assert d.passed(topic) == Topic.Outcome.FAILED  # a tie is no majority


def test_author_and_followers_are_told_of_status_and_answer(world):
    topic = d.topic_raise(actor=world.resident_user, community=world.community_a.pk, title="噪音扰民")
    d.comment_add(actor=world.neighbour_user, topic=topic, body="同感")
    d.topic_answer(actor=world.community_worker, topic=topic, answer="已联系物业")
    d.vote_open(actor=world.community_worker, topic=topic, closes_at=soon())
    told = Notice.objects.filter(kind="governance.topic")
    assert set(told.values_list("recipient_id", flat=True)) == {
        world.resident_user.pk,
        world.neighbour_user.pk,
    }
    assert told.filter(recipient=world.resident_user).count() == 2


def test_building_reach_counts_only_that_buildings_residents(world):
    from core.registry.models import Building

    building = Building.objects.create(region=world.grid_a1, region_path=world.grid_a1.path, name="1栋")
    world.household.house.building = building
    world.household.house.save(update_fields=["building"])
    topic = raise_and_vote(
        world, electorate=Topic.Electorate.ADULT, reach=Topic.Reach.BUILDING, building=building.pk
    )
    d.topic_vote(actor=world.resident_user, topic=topic, choice="for")
    refused(NOT_VOTER, d.topic_vote, actor=world.neighbour_user, topic=topic, choice="for")
    _people, size = d.electorate(topic)
    assert size == 2
