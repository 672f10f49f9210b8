"""Co-governance's dashboard metrics are kept in the summary tables (per_node, rolled up): at a
community, its street and its district they hold what each metric's old compute answered (the
turnout as ballots over the electorate, summed before dividing); and a save of each source model
marks its place for a refresh."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from governance import burden, surveys, ventures
from governance import deliberation as d
from governance.models import Topic
from tests.core.dashboards.per_node import assert_rolls_up_like_compute, marked_by, metric
from tests.governance.test_burden import form

COUNTS = (
    "governance.topics_open",
    "governance.surveys_open",
    "governance.social_organizations",
    "governance.venture_granted",
    "governance.report_fields_generated",
)


def closed_vote(world, community, actor, voters):
    topic = d.topic_raise(actor=actor, community=community.pk, title="加装电梯")
    d.vote_open(
        actor=actor,
        topic=topic,
        closes_at=timezone.now() + timedelta(days=1),
        electorate=Topic.Electorate.ADULT,
    )
    for voter in voters:
        d.topic_vote(actor=voter, topic=topic, choice="for")
    d.vote_close(actor=actor, topic=topic)
    return topic


def fund(world, region, amount: str):
    venture = ventures.round_open(
        actor=world.street_staff, region=region.pk, title="创投", budget=Decimal("1000")
    )
    organization = ventures.organization_register(
        actor=world.community_worker, region=world.community_a.pk, name=f"队{amount}", field="为老",
        stage="filed", contact_name="陈某",
    )  # fmt: skip
    application = ventures.venture_apply(
        actor=world.community_worker, venture=venture, organization=organization, title="助餐",
        requested=Decimal(amount),
    )  # fmt: skip
    ventures.reviewer_assign(actor=world.street_staff, application=application, reviewer=world.street_staff)
    ventures.review_score(actor=world.street_staff, application=application, score=70)
    ventures.venture_fund(actor=world.street_staff, application=application, amount=Decimal(amount))


@pytest.fixture
def governance_data(world):
    closed_vote(world, world.community_a, world.community_worker, [world.resident_user, world.neighbour_user])
    closed_vote(world, world.community_a, world.community_worker, [world.resident_user])
    d.topic_raise(actor=world.worker_b, community=world.community_b.pk, title="绿化")
    for region in (world.community_a, world.community_b):
        surveys.survey_create(
            actor=world.community_worker if region == world.community_a else world.worker_b,
            region=region.pk, title="问卷", questions=[{"kind": "text", "text": "建议"}],
        )  # fmt: skip
    fund(world, world.street, "60.50")
    fund(world, world.community_a, "20.25")
    burden.report_generate(actor=world.community_worker, form=form(world), community=world.community_a.pk)
    return [world.community_a, world.community_b, world.street, world.district]


def test_each_metric_rolls_up_to_what_compute_answers(governance_data):
    for key in COUNTS:
        assert_rolls_up_like_compute(key, governance_data)
    turnout = metric("governance.vote_turnout")
    compute = import_string(turnout.compute)

    def as_computed(region):
        # compute answers 0.0 where no vote closed; the ratio has no value there (no denominator).
        return {"": compute(region) or None}

    assert compute(governance_data[0]) == 50.0  # 3 ballots of twice 3 adults
    assert_rolls_up_like_compute("governance.vote_turnout", governance_data, expected=as_computed)


def test_a_save_of_each_source_marks_its_place(world):
    a, b = world.community_a.pk, world.community_b.pk
    assert marked_by(lambda: d.topic_raise(actor=world.worker_b, community=b, title="绿化")) == [b]
    assert marked_by(
        lambda: surveys.survey_create(
            actor=world.community_worker, region=a, title="问卷", questions=[{"kind": "text", "text": "建议"}]
        )
    ) == [a]
    assert marked_by(
        lambda: ventures.organization_register(
            actor=world.community_worker,
            region=a,
            name="队",
            field="为老",
            stage="filed",
            contact_name="陈某",
        )
    ) == [a]
    assert marked_by(lambda: fund(world, world.street, "10")) == sorted([a, world.street.pk])
    upstream = form(world)
    assert marked_by(
        lambda: burden.report_generate(actor=world.community_worker, form=upstream, community=a)
    ) == [a]
