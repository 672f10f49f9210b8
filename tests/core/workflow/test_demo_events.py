"""At a city's scale the demo fills the event lists: one event per resident over two years,
each with the history the engine keeps, written in bulk (core.workflow.demo). The small demo
(2,000 residents) makes none of them."""

from __future__ import annotations

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.extensions.demo import DemoScale
from core.regions.models import Region
from core.workflow import demo
from core.workflow.models import Event, EventTransition
from core.workflow.states import TRANSITIONS, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    return Region.objects.get(level=Region.Level.CITY)


def test_the_small_demo_makes_no_bulk_events(city):
    assert not Event.objects.filter(type=demo.GENERAL_REQUEST).exists()
    assert demo.seed_events(city, scale=DemoScale(residents=2000)) == ""
    assert not Event.objects.filter(type=demo.GENERAL_REQUEST).exists()


def test_at_a_city_scale_one_event_per_resident_once(city, monkeypatch):
    monkeypatch.setattr(demo, "CITY_SCALE", 300)
    summary = demo.seed_events(city, scale=DemoScale(residents=300))
    assert summary.startswith("Demo events: 300 over 730 days")
    assert Event.objects.filter(type=demo.GENERAL_REQUEST).count() == 300
    assert demo.seed_events(city, scale=DemoScale(residents=300)) == ""
    assert Event.objects.filter(type=demo.GENERAL_REQUEST).count() == 300


def test_each_event_has_the_history_of_its_state(city):
    now = timezone.now()
    made = demo.write_events(city, count=600, seed=7, now=now)
    assert (
        made.events == 600
        and made.transitions == EventTransition.objects.filter(event__type=demo.GENERAL_REQUEST).count()
    )
    events = list(Event.objects.filter(type=demo.GENERAL_REQUEST).order_by("id"))
    history: dict[int, list[EventTransition]] = {}
    for row in EventTransition.objects.filter(event__type=demo.GENERAL_REQUEST).order_by(
        "event_id", "created_at", "id"
    ):
        history.setdefault(row.event_id, []).append(row)
    for event in events:
        steps = history[event.pk]
        assert steps[0].action == "report" and steps[0].from_state == ""
        assert steps[0].created_at == event.created_at
        for before, after in itertools.pairwise(steps):
            assert after.from_state == before.to_state  # a chain, step after step
            assert after.created_at >= before.created_at
            assert after.from_state in TRANSITIONS[after.action].sources
            assert after.to_state == TRANSITIONS[after.action].target
        assert steps[-1].to_state == event.state
        assert event.created_at >= now - timedelta(days=demo.HISTORY_DAYS) and steps[-1].created_at <= now
        if event.state == State.CLOSED:
            assert event.closed_at and event.resolved_at and event.accepted_at
        if event.escalation_level:
            assert event.escalated_to_id == Region.objects.get(pk=event.region_id).parent_id
    states = {event.state for event in events}
    assert {State.CLOSED, State.REJECTED} <= states
    assert states - {State.CLOSED, State.REJECTED}, "recent events are still open"
    assert any(s.action == "escalate" for steps in history.values() for s in steps)
    # Spread over the city's communities, and ids follow time as in a running platform.
    communities = Region.objects.filter(pk__in={e.region_id for e in events}).values("parent").distinct()
    assert communities.count() > 1
    created = [e.created_at for e in events]
    assert created == sorted(created)
    # Houses are of the event's own grid.
    placed = [e for e in events if e.house_id]
    assert placed and all(e.house.region_id == e.region_id for e in placed[:50])
