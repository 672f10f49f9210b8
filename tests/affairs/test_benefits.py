"""Benefits: granted with tags and a re-check date, ended keeping history, re-checked once per
due date however often the task runs, reviewed when a member dies or moves out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from affairs.benefits import add_months, benefit_end, benefits_grant, open_due_rechecks
from affairs.eligibility import evaluate
from affairs.models import Benefit
from affairs.receivers import benefits_after_leaving
from affairs.tasks import open_due_rechecks_task
from core.api.errors import Conflict
from core.extensions.registry import registry
from core.registry.models import ResidentTag
from core.registry.services_residents import resident_move_out, resident_record_death
from core.registry.services_tags import tag_assign
from core.registry.timeline import household_timeline
from core.workflow.models import Event
from tests.affairs.factories import application

TODAY = timezone.localdate()
GRANTED = TODAY - timedelta(days=30)


def approved(world, code="dibao", *, incomes=(300, 0, 0), flags=None, applicant=None, **fields):
    """An application evaluated and approved the way the confirm step does it."""
    flags = flags or {}
    people = [world.applicant, world.spouse, world.child]
    members = [(p, i, flags.get(n, {})) for n, (p, i) in enumerate(zip(people, incomes, strict=False))]
    app = application(
        world.household, code, applied_on=GRANTED, members=members, applicant=applicant, **fields
    )
    reading = evaluate(app)
    assert reading["eligible"], reading["reasons"]
    app.eligibility, app.stage = reading, "approved"
    app.monthly_amount, app.one_off_amount = reading["monthly_amount"], reading["one_off_amount"]
    app.save()
    return app


def current_tag(resident, tag="registry.dibao"):
    return ResidentTag.objects.filter(resident=resident, tag=tag, ended_on__isnull=True).first()


def test_a_dibao_grant_splits_the_amount_and_sets_dated_tags_and_the_recheck(world):
    app = approved(world)
    benefits = benefits_grant(app, actor=world.street_staff, on=GRANTED)
    assert {b.resident_id: b.monthly_amount for b in benefits} == {
        world.applicant.pk: Decimal("642.00"),
        world.spouse.pk: Decimal("642.00"),
        world.child.pk: Decimal("642.00"),
    }
    for benefit in benefits:
        assert benefit.next_check_on == add_months(GRANTED, 12)
        assert benefit.tag.source == ResidentTag.Source.BENEFIT and benefit.tag.started_on == GRANTED
        assert benefit.tag.attributes["application"] == app.pk
        assert benefit.region_path == world.household.region_path
    assert Benefit.objects.in_force().count() == 3


def test_single_person_households_get_their_own_amounts(world):
    app = approved(world, incomes=(2400, 0, 300), flags={1: {"seriously_ill": True}})
    (benefit,) = benefits_grant(app, actor=world.street_staff, on=GRANTED)
    assert benefit.resident_id == world.spouse.pk and benefit.monthly_amount == Decimal("742.00")
    assert current_tag(world.applicant) is None


def test_a_decided_amount_different_from_the_shares_is_split_evenly(world):
    app = approved(world)
    app.monthly_amount = "1000.00"  # as the confirm step leaves it: a string
    benefits = benefits_grant(app, actor=world.street_staff, on=GRANTED)
    assert sorted(b.monthly_amount for b in benefits) == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("333.34"),
    ]


def test_a_tag_held_from_another_source_is_kept_and_not_linked(world):
    worker_tag = tag_assign(actor=world.community_worker, resident=world.applicant, tag="registry.dibao")
    benefits = benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    own = next(b for b in benefits if b.resident_id == world.applicant.pk)
    assert own.tag is None
    benefit_end(own, reason=Benefit.EndReason.LAPSED, actor=world.street_staff)
    worker_tag.refresh_from_db()
    assert worker_tag.ended_on is None


def test_one_off_items_grant_no_benefit_and_a_second_grant_is_refused(world):
    details = {"requested_amount": "500", "hardship": "illness"}
    assert benefits_grant(approved(world, "temporary", details=details), actor=world.street_staff) == []
    benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    with pytest.raises(Conflict) as error:
        benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    assert error.value.code == "benefit_in_force"


def test_ending_a_benefit_ends_its_tag_and_keeps_the_history(world):
    benefit = benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)[0]
    ended = benefit_end(benefit, reason=Benefit.EndReason.REVOKED, actor=world.street_staff, note="收入超标")
    assert (ended.ended_on, ended.end_reason, ended.end_note) == (TODAY, "revoked", "收入超标")
    assert ended.next_check_on is None
    tag = ResidentTag.objects.get(pk=benefit.tag_id)
    assert tag.ended_on == TODAY  # the row stays, ended
    assert Benefit.objects.filter(pk=benefit.pk).exists()
    assert not Benefit.objects.in_force().filter(pk=benefit.pk).exists()
    with pytest.raises(Conflict) as error:
        benefit_end(ended, reason=Benefit.EndReason.REVOKED, actor=world.street_staff)
    assert error.value.code == "benefit_ended"


def test_due_rechecks_open_once_however_often_the_task_runs(world):
    long_ago = TODAY - timedelta(days=400)
    benefits = benefits_grant(approved(world), actor=world.street_staff, on=long_ago)
    due = benefits[0].next_check_on
    assert due <= TODAY
    # One re-check of the household's 低保, however many members it covers.
    assert len(benefits) == 3
    assert open_due_rechecks() == 1
    assert open_due_rechecks() == 0
    assert open_due_rechecks_task() == 0
    events = Event.objects.filter(type="affairs.benefit_recheck")
    household, item = benefits[0].household_id, benefits[0].item_id
    assert list(events.values_list("external_ref", flat=True)) == [
        f"recheck:{household}:{item}:{due.isoformat()}"
    ]
    assert {e.house_id for e in events} == {world.house_a.pk}
    for benefit in Benefit.objects.all():
        assert benefit.next_check_on == add_months(due, 12) > TODAY
    # A run that opened the events but died before moving the dates on opens nothing twice.
    Benefit.objects.update(next_check_on=due)
    assert open_due_rechecks() == 0
    assert events.count() == 1


def test_ended_benefits_are_not_rechecked_and_the_task_is_scheduled_daily(world):
    benefit = benefits_grant(approved(world), actor=world.street_staff, on=TODAY - timedelta(days=400))[0]
    Benefit.objects.exclude(pk=benefit.pk).update(ended_on=TODAY - timedelta(days=1), end_reason="lapsed")
    assert open_due_rechecks() == 1
    assert "affairs.open_due_rechecks" in {t.task for t in registry.periodic_tasks()}


def test_a_death_ends_that_persons_benefit_and_opens_one_review(world):
    benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    died_on = TODAY - timedelta(days=2)
    resident_record_death(actor=world.community_worker, resident=world.spouse, died_on=died_on)
    own = Benefit.objects.get(resident=world.spouse)
    assert (own.ended_on, own.end_reason) == (died_on, "died")
    assert ResidentTag.objects.get(pk=own.tag_id).ended_on == died_on
    assert Benefit.objects.in_force().filter(household=world.household).count() == 2
    reviews = Event.objects.filter(type="affairs.benefit_review")
    assert reviews.count() == 1 and reviews.get().house_id == world.house_a.pk
    # The same change reported again opens nothing new.
    assert (
        benefits_after_leaving(
            resident=world.spouse, household=world.household, reason="died", on=died_on, actor=None
        )
        == []
    )
    assert reviews.count() == 1


def test_a_move_out_ends_the_benefit_and_its_tag_and_opens_a_review(world):
    benefits_grant(approved(world), actor=world.street_staff, on=GRANTED)
    moved = TODAY - timedelta(days=1)
    resident_move_out(actor=world.community_worker, resident=world.child, moved_out_on=moved)
    own = Benefit.objects.get(resident=world.child)
    assert (own.ended_on, own.end_reason) == (moved, "moved_out")
    assert current_tag(world.child) is None and current_tag(world.applicant) is not None
    assert Event.objects.filter(type="affairs.benefit_review").count() == 1


def test_no_review_for_a_household_without_benefits(world):
    resident_move_out(actor=world.community_worker, resident=world.child, moved_out_on=TODAY)
    assert not Event.objects.filter(type="affairs.benefit_review").exists()


def test_the_household_file_shows_applications_and_benefits(world):
    app = approved(world)
    app.decided_at = timezone.now()
    app.save()
    benefits = benefits_grant(app, actor=world.street_staff, on=GRANTED)
    benefit_end(benefits[0], reason=Benefit.EndReason.LAPSED, actor=world.street_staff)
    entries = household_timeline(world.household, user=world.community_worker, limit=200)
    kinds = [e["kind"] for e in entries if e["source"] == "affairs"]
    assert kinds.count("benefit.granted") == 3 and kinds.count("benefit.ended") == 1
    assert "application.submitted" in kinds and "application.approved" in kinds
