"""Re-checks handed over by a scenario (the `benefit_recheck` hand-off, core/extensions/handoffs.py):
the low-income monitoring scenario finds a recipient whose income rose above the standard or who
died, and the affairs domain re-checks the household's benefits, without either importing the
other."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from affairs.benefits import benefits_grant
from core.extensions import handoffs
from core.extensions.models import Handoff
from core.workflow.models import Event
from tests.affairs.test_benefits import GRANTED, approved

pytestmark = pytest.mark.usefixtures("in_process_tasks")

TODAY = timezone.localdate()


def _recheck(world, *, reason="income_above_standard", grace_until=None, household=None):
    return handoffs.BenefitRecheck(
        region_path=world.household.region_path,
        household_id=(household or world.household).pk,
        resident_id=world.applicant.pk,
        reason=reason,
        occurred_on=TODAY,
        source="low_income.flag:7",
        grace_until=grace_until,
    )


def _send(payload, key, capture):
    with capture(execute=True), transaction.atomic():
        handoffs.send(handoffs.BENEFIT_RECHECK, payload, idempotency_key=key)


def test_a_handed_recheck_opens_one_recheck_of_the_household_saying_why_and_the_gradual_exit(
    world, django_capture_on_commit_callbacks
):
    """渐退期 (民发〔2021〕57号): the re-check states until when the benefit runs on."""
    benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    grace = TODAY + timedelta(days=180)
    payload = _recheck(world, grace_until=grace)
    _send(payload, "low_income.flag:7", django_capture_on_commit_callbacks)
    _send(payload, "low_income.flag:7", django_capture_on_commit_callbacks)  # sent again
    handoff = Handoff.objects.get(kind="benefit_recheck")
    assert (handoff.status, handoff.consumer) == (
        Handoff.Status.DELIVERED,
        "affairs.recheck_handed_over",
    )
    assert handoffs.deliver(handoff.pk) == "done before"
    # One re-check for the household's 低保, however many of its members the benefit covers.
    (event,) = Event.objects.filter(type="affairs.benefit_recheck")
    assert event.house_id == world.house_a.pk
    assert grace.isoformat() in event.description and "low_income.flag:7" in event.description


def test_a_household_with_no_benefit_in_force_opens_nothing(world, django_capture_on_commit_callbacks):
    _send(_recheck(world, reason="died"), "low_income.flag:8", django_capture_on_commit_callbacks)
    assert Handoff.objects.get().status == Handoff.Status.DELIVERED
    assert not Event.objects.filter(type="affairs.benefit_recheck").exists()
