"""The statistics of co-governance are dashboard metrics: each declared key computes a figure
for a node of the tree from the rows under it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.module_loading import import_string

from core.extensions.registry import registry
from governance import deliberation as d
from governance import surveys, ventures
from governance.models import Topic

KEYS = {
    "governance.topics_open",
    "governance.vote_turnout",
    "governance.surveys_open",
    "governance.social_organizations",
    "governance.venture_granted",
    "governance.report_fields_generated",
}


def metric(key, region):
    return import_string(registry.get("dashboard_metrics", key).compute)(region)


def test_the_statistics_are_declared_dashboard_metrics(world):
    declared = {m.key for m in registry.items("dashboard_metrics") if m.key.startswith("governance.")}
    assert declared == KEYS


def test_metrics_count_what_lies_under_the_node(world):
    topic = d.topic_raise(actor=world.community_worker, community=world.community_a.pk, title="路灯")
    d.topic_raise(actor=world.worker_b, community=world.community_b.pk, title="绿化")
    d.vote_open(
        actor=world.community_worker,
        topic=topic,
        closes_at=timezone.now() + timedelta(days=1),
        electorate=Topic.Electorate.ADULT,
    )
    d.topic_vote(actor=world.resident_user, topic=topic, choice="for")
    d.topic_vote(actor=world.neighbour_user, topic=topic, choice="for")
    d.vote_close(actor=world.community_worker, topic=topic)
    surveys.survey_create(
        actor=world.community_worker,
        region=world.community_a.pk,
        title="问卷",
        questions=[{"kind": "text", "text": "建议"}],
    )
    venture = ventures.round_open(
        actor=world.street_staff, region=world.street.pk, title="创投", budget=Decimal("100")
    )
    organization = ventures.organization_register(
        actor=world.community_worker,
        region=world.community_a.pk,
        name="队",
        field="为老",
        stage="filed",
        contact_name="陈某",
    )
    application = ventures.venture_apply(
        actor=world.community_worker,
        venture=venture,
        organization=organization,
        title="助餐",
        requested=Decimal("80"),
    )
    ventures.reviewer_assign(actor=world.street_staff, application=application, reviewer=world.street_staff)
    ventures.review_score(actor=world.street_staff, application=application, score=70)
    ventures.venture_fund(actor=world.street_staff, application=application, amount=Decimal("60.50"))

    assert metric("governance.topics_open", world.street) == 2  # decided topics are still open work
    assert metric("governance.topics_open", world.community_b) == 1
    # 2 ballots of 3 adults in 甲社区 (王大明, 李小红, 赵四).
    assert metric("governance.vote_turnout", world.community_a) == 66.7
    assert metric("governance.surveys_open", world.community_a) == 1
    assert metric("governance.surveys_open", world.community_b) == 0
    assert metric("governance.social_organizations", world.street) == 1
    assert metric("governance.venture_granted", world.street) == Decimal("60.50")
    assert metric("governance.report_fields_generated", world.street) == 0
