"""Two (or eight) members of one household voting at the same moment count once: the database's
unique constraint on the participation decides, in real concurrent transactions on PostgreSQL
(each thread has its own connection), and the losing ballot is rolled back with it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.accounts.models import User
from core.api.errors import ApplicationError
from governance import deliberation as d
from governance.models import Ballot, Topic, VoteParticipation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _vote_at_once(user_ids: list[int], topic_id: int) -> list[str]:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []

    def vote(user_id: int) -> None:
        try:
            user, topic = User.objects.get(pk=user_id), Topic.objects.get(pk=topic_id)
            barrier.wait()
            d.topic_vote(actor=user, topic=topic, choice="for")
            outcomes.append("counted")
        except ApplicationError as refused:
            outcomes.append(str(refused.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(pk,)) for pk in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_concurrent_votes_of_one_household_count_once(world):
    topic = d.topic_raise(actor=world.community_worker, community=world.community_a.pk, title="小区改造")
    d.vote_open(actor=world.community_worker, topic=topic, closes_at=timezone.now() + timedelta(days=1))
    # Both adults of the household, each on several devices at once.
    voters = [world.resident_user.pk, world.spouse_user.pk] * 4
    outcomes = _vote_at_once(voters, topic.pk)
    assert outcomes == ["already_voted"] * 7 + ["counted"]
    assert VoteParticipation.objects.filter(topic=topic).count() == 1
    assert Ballot.objects.filter(topic=topic).count() == 1


def test_concurrent_double_votes_of_one_resident_count_once_each(world):
    topic = d.topic_raise(actor=world.community_worker, community=world.community_a.pk, title="议事规则")
    d.vote_open(
        actor=world.community_worker,
        topic=topic,
        closes_at=timezone.now() + timedelta(days=1),
        electorate=Topic.Electorate.ADULT,
    )
    voters = [world.resident_user.pk] * 3 + [world.neighbour_user.pk] * 3
    outcomes = _vote_at_once(voters, topic.pk)
    assert outcomes == ["already_voted"] * 4 + ["counted"] * 2
    assert Ballot.objects.filter(topic=topic).count() == 2
