"""公益创投: a round from call to evaluation within its budget; reviewers see only what is assigned
to them and a declared conflict of interest scores nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.accounts.roles import Role
from core.api.errors import ApplicationError
from governance import ventures as v
from governance.errors import GovernanceError
from governance.models import Milestone, VentureApplication
from tests.world import make_staff


def code_of(call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def organization(world, name):
    return v.organization_register(
        actor=world.community_worker,
        region=world.community_a.pk,
        name=name,
        field="为老服务",
        stage="filed",
        contact_name="钱多多",
        contact_phone="13912345678",
    )


def test_a_round_within_budget_from_call_to_evaluation(world):
    elders, kids = organization(world, "夕阳红志愿队"), organization(world, "四点半课堂")
    assert elders.contact_name_masked != "钱多多" and elders.contact_phone == "13912345678"
    v.organization_report(
        actor=world.community_worker, organization=elders, year=2025, activities=12, beneficiaries=300
    )
    venture = v.round_open(
        actor=world.street_staff, region=world.street.pk, title="2026公益创投", budget=Decimal("50000.00")
    )
    first = v.venture_apply(
        actor=world.community_worker,
        venture=venture,
        organization=elders,
        title="助餐",
        requested=Decimal("30000.00"),
    )
    second = v.venture_apply(
        actor=world.community_worker,
        venture=venture,
        organization=kids,
        title="托管",
        requested=Decimal("25000.00"),
    )

    reviewer, conflicted = world.street_staff, make_staff(Role.STREET_STAFF, world.street)
    for application in (first, second):
        v.reviewer_assign(actor=world.street_staff, application=application, reviewer=reviewer)
    v.reviewer_assign(actor=world.street_staff, application=first, reviewer=conflicted)
    # A reviewer sees only the applications assigned to them.
    assert [a.application_id for a in v.assignments_of(conflicted)] == [first.pk]
    assert (
        code_of(v.review_score, actor=conflicted, application=second, score=90)
        == GovernanceError.NOT_ASSIGNED
    )
    v.review_score(actor=conflicted, application=first, conflict_note="是该组织理事")
    assert (
        code_of(v.review_score, actor=conflicted, application=first, score=99)
        == GovernanceError.CONFLICT_OF_INTEREST
    )
    v.review_score(actor=reviewer, application=first, score=80)
    v.review_score(actor=reviewer, application=second, score=70)
    assert v.average_score(first) == 80  # the conflicted reviewer's declaration counts for nothing

    v.venture_fund(actor=world.street_staff, application=first, amount=Decimal("30000.00"))
    # 30,000 granted of 50,000: 25,000 more would exceed the budget, 20,000 fits exactly.
    assert code_of(
        v.venture_fund, actor=world.street_staff, application=second, amount=Decimal("25000.00")
    ) == (GovernanceError.BUDGET_EXCEEDED)
    v.venture_fund(actor=world.street_staff, application=second, amount=Decimal("20000.00"))
    second.refresh_from_db()
    assert second.granted == Decimal("20000.00")

    milestone = Milestone.objects.create(application=first, title="开餐", due_on=date(2026, 6, 1))
    assert (
        code_of(v.venture_evaluate, actor=world.street_staff, application=first, score=90)
        == GovernanceError.WRONG_STAGE
    )
    v.milestone_report(actor=world.community_worker, milestone=milestone, report="已服务老人120人")
    v.venture_evaluate(actor=world.street_staff, application=first, score=90, note="良好")
    first.refresh_from_db()
    assert (first.status, first.evaluation_score) == (VentureApplication.Status.EVALUATED, 90)


def test_a_grant_above_what_was_asked_is_refused(world):
    venture = v.round_open(
        actor=world.street_staff, region=world.street.pk, title="小额", budget=Decimal("1000")
    )
    application = v.venture_apply(
        actor=world.community_worker,
        venture=venture,
        organization=organization(world, "甲"),
        title="x",
        requested=Decimal("500"),
    )
    v.reviewer_assign(actor=world.street_staff, application=application, reviewer=world.street_staff)
    v.review_score(actor=world.street_staff, application=application, score=60)
    with pytest.raises(ApplicationError):
        v.venture_fund(actor=world.street_staff, application=application, amount=Decimal("500.01"))
