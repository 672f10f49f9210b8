"""At a city's scale the demo fills the application lists: one application per twenty residents
over two years, each carried by its event with its history and its declared members, written in
bulk (affairs.demo_city). The small demo keeps its service-made applications only."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from affairs import demo
from affairs.contributions import APPLICATION
from affairs.demo_city import write_applications
from affairs.models import Application, ApplicationMember, Benefit
from affairs.models.applications import Stage
from core.extensions.demo import DemoScale
from core.regions.models import Region
from core.workflow.models import EventTransition
from core.workflow.states import State

pytestmark = pytest.mark.django_db

EVENT_STATE = {
    Stage.APPROVED: {State.CLOSED},
    Stage.WITHDRAWN: {State.CLOSED},
    Stage.REJECTED: {State.REJECTED},
    Stage.SUBMITTED: {State.REPORTED},
    Stage.INVESTIGATION: {State.IN_PROGRESS},
    Stage.REVIEW: {State.IN_PROGRESS},
    Stage.PUBLICITY: {State.IN_PROGRESS},
    Stage.CONFIRMATION: {State.IN_PROGRESS},
}


@pytest.fixture
def city():
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    return Region.objects.get(level=Region.Level.CITY)


def test_applications_with_their_events_history_and_members(city):
    served = Application.objects.count()
    now = timezone.now()
    made = write_applications(city, count=60, seed=3, now=now)
    assert made.applications == 60 and Application.objects.count() == served + 60
    bulk = Application.objects.exclude(applied_by__username="worker").select_related("event", "item")
    stages = set()
    for application in bulk:
        event = application.event
        stages.add(application.stage)
        assert event.type == APPLICATION.key and event.region_path == application.region_path
        assert event.state in EVENT_STATE[application.stage], (application.stage, event.state)
        steps = list(EventTransition.objects.filter(event=event).order_by("created_at", "id"))
        assert steps[0].action == "report" and steps[-1].to_state == event.state
        for before, after in itertools.pairwise(steps):
            assert after.from_state == before.to_state and after.created_at >= before.created_at
        assert application.applicant.household_id == application.household_id
        if application.stage == Stage.APPROVED:
            assert application.decided_at and any(s.action == "confirm" for s in steps)
    assert Stage.APPROVED in stages and len(stages) >= 2
    members = ApplicationMember.objects.filter(application__in=bulk)
    assert members.values("application").distinct().count() == 60
    # One application per household: never two open ones for the same household and item.
    assert not bulk.values("household", "item").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_the_small_demo_keeps_its_service_made_applications_only(city):
    # seed_demo at 400 residents ran in the fixture: 4 applications, all by the demo worker.
    assert Application.objects.count() == 4
    assert Application.objects.filter(applied_by__username="worker").count() == 4


def test_at_a_city_scale_the_loader_adds_one_application_per_twenty_residents(city, monkeypatch):
    Benefit.objects.all().delete()
    Application.objects.all().delete()
    monkeypatch.setattr(demo, "CITY_SCALE", 400)
    summary = demo.seed_applications(city, scale=DemoScale(residents=400))
    assert "Demo applications: 4 低保 applications" in summary
    assert "City-scale applications: 16" in summary
    assert Application.objects.count() == 20  # 400 / 20
