"""The demo shows co-governance: `seed_demo` adds a deliberation with a closed vote and its
follow-up event, an open survey, two social organizations with a 公益创投 round and an election
in its roll phase, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from governance.models import Election, SocialOrganization, Survey, Topic, TopicFollowUp, VentureRound


def test_seed_demo_adds_co_governance_once(db):
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    topic = Topic.objects.get()
    assert topic.vote_closed_at is not None and topic.votes_for + topic.votes_against > 0
    assert TopicFollowUp.objects.filter(topic=topic).count() == 1
    assert Survey.objects.filter(status="open").count() == 1
    assert SocialOrganization.objects.count() == 2 and VentureRound.objects.count() == 1
    election = Election.objects.get()
    assert election.status == "roll" and election.roll.exists()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert (Topic.objects.count(), Election.objects.count()) == (1, 1)
