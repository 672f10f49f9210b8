"""Emergencies do not wait for office hours: a round-the-clock type's deadline counts real time,
and its escalation reaches whoever is on duty (值班) at the community, then at the street."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.accounts.roles import Role
from core.extensions import EventType
from core.notices.models import Notice
from core.workflow import roster, services
from core.workflow.escalation import escalate_overdue
from core.workflow.models import DutyShift, Event
from core.workflow.states import State


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def clock(monkeypatch):
    now = {"now": aware(2026, 3, 7, 12, 0)}  # Saturday 7 March 2026
    monkeypatch.setattr(timezone, "now", lambda: now["now"])
    return now


def alarm(world, type_key="tests.alarm", **fields):
    event, _merged = services.event_report(
        reporter=world.grid_worker,
        type_key=type_key,
        source="device",
        title="独居老人无应答",
        house=world.house_a,
        **fields,
    )
    return event


def shift(region, user, starts_at, ends_at) -> DutyShift:
    return DutyShift.objects.create(region=region, user=user, starts_at=starts_at, ends_at=ends_at)


def notices_to(user) -> list[Notice]:
    return list(Notice.objects.filter(recipient=user, kind="workflow.event_escalated"))


def escalation_notes(event) -> list:
    return list(event.transitions.filter(action="escalate").values_list("note", "data"))


def test_an_alarm_on_saturday_night_escalates_that_night_to_the_worker_on_duty(world, clock):
    tree = world
    shift(tree.community_a, world.community_worker, aware(2026, 3, 7, 18, 0), aware(2026, 3, 8, 8, 0))
    shift(tree.street, world.street_staff, aware(2026, 3, 7, 18, 0), aware(2026, 3, 8, 8, 0))
    clock["now"] = aware(2026, 3, 7, 23, 0)
    event = alarm(world)
    # The clock runs from the report, in real time: half an hour, on a Saturday night.
    assert event.deadline == aware(2026, 3, 7, 23, 30) and event.next_escalation_at == event.deadline
    assert not event.deadline_estimated

    assert escalate_overdue(now=aware(2026, 3, 7, 23, 29)) == []
    assert escalate_overdue(now=aware(2026, 3, 7, 23, 31)) == [event.pk]
    event.refresh_from_db()
    assert event.escalated_to == tree.community_a and event.state == State.ESCALATED
    assert [n.link_id for n in notices_to(world.community_worker)] == [str(event.pk)]
    # The person on duty is told instead of every holder of the community's roles.
    assert notices_to(world.secretary) == []
    assert not Notice.objects.filter(kind="workflow.event_escalated", region__isnull=False).exists()
    ((note, data),) = escalation_notes(event)
    assert data["on_duty"] == [world.community_worker.pk] and world.community_worker.username in note

    # Still nobody acting half an hour later: the street's person on duty.
    assert event.next_escalation_at == aware(2026, 3, 8, 0, 1)
    assert escalate_overdue(now=aware(2026, 3, 8, 0, 2)) == [event.pk]
    event.refresh_from_db()
    assert event.escalated_to == tree.street
    assert [n.link_id for n in notices_to(world.street_staff)] == [str(event.pk)]


def test_on_a_public_holiday_the_alarm_counts_real_time_and_reaches_the_person_on_duty(world, clock):
    # National Day 2026: no working time at all, and still half an hour.
    shift(world.community_a, world.secretary, aware(2026, 10, 1, 8, 0), aware(2026, 10, 2, 8, 0))
    clock["now"] = aware(2026, 10, 1, 10, 0)
    event = alarm(world)
    assert event.deadline == aware(2026, 10, 1, 10, 30)
    assert escalate_overdue(now=aware(2026, 10, 1, 10, 31)) == [event.pk]
    assert len(notices_to(world.secretary)) == 1
    assert notices_to(world.community_worker) == []


def test_with_nobody_on_duty_the_supervisors_are_told_and_the_history_says_so(world, clock):
    # A shift that ended early and one at the sibling community do not count.
    ended = shift(world.community_a, world.community_worker, aware(2026, 3, 7, 18), aware(2026, 3, 8, 8))
    DutyShift.objects.filter(pk=ended.pk).update(ended_at=aware(2026, 3, 7, 22, 0))
    shift(world.community_b, world.worker_b, aware(2026, 3, 7, 18), aware(2026, 3, 8, 8))
    clock["now"] = aware(2026, 3, 7, 23, 0)
    event = alarm(world)
    assert escalate_overdue(now=aware(2026, 3, 7, 23, 31)) == [event.pk]
    notices = Notice.objects.filter(kind="workflow.event_escalated")
    assert {(n.region_id, n.role) for n in notices} == {
        (world.community_a.pk, Role.COMMUNITY_SECRETARY),
        (world.community_a.pk, Role.COMMUNITY_WORKER),
    }
    ((note, data),) = escalation_notes(event)
    assert data["on_duty"] == [] and world.community_a.name in note


def test_an_office_type_keeps_its_supervisors_even_with_someone_on_duty(world, clock):
    shift(world.community_a, world.community_worker, aware(2026, 3, 7, 0), aware(2026, 3, 8, 0))
    event, _ = services.event_report(
        reporter=world.grid_worker,
        type_key="tests.hazard",
        source="patrol",
        title="堆物",
        house=world.house_a,
    )
    assert event.deadline is None  # an office clock starts at acceptance
    services.event_transition(event=event, action="accept", actor=world.lead)
    Event.objects.filter(pk=event.pk).update(next_escalation_at=aware(2026, 3, 7, 11, 0))
    assert escalate_overdue() == [event.pk]
    assert notices_to(world.community_worker) == []
    ((note, data),) = escalation_notes(event)
    assert note == "" and "on_duty" not in data


def test_waiting_shifts_a_round_the_clock_deadline_by_the_real_time_waited(world, clock):
    clock["now"] = aware(2026, 3, 7, 23, 0)
    event = alarm(world)
    for action in ("accept", "assign", "start"):
        services.event_transition(event=event, action=action, actor=world.lead)
    clock["now"] = aware(2026, 3, 7, 23, 10)
    services.event_transition(event=event, action="wait", actor=world.lead, note="等家属开门")
    clock["now"] = aware(2026, 3, 8, 1, 10)
    services.event_transition(event=event, action="resume", actor=world.lead)
    event.refresh_from_db()
    assert event.deadline == aware(2026, 3, 8, 1, 30)  # two hours waited, at night


def test_on_duty_now_is_who_holds_a_running_shift_at_the_node(world, clock):
    community = world.community_a
    shift(community, world.community_worker, aware(2026, 3, 7, 8), aware(2026, 3, 7, 20))
    shift(community, world.secretary, aware(2026, 3, 7, 20), aware(2026, 3, 8, 8))
    assert roster.on_duty_now(community) == [world.community_worker]
    assert roster.on_duty_now(community, aware(2026, 3, 7, 20, 0)) == [world.secretary]
    assert roster.on_duty_now(world.street) == []


def test_a_type_declares_a_known_clock():
    wrong = EventType(key="x_alarm", name="x", domain="safety", sla_working_hours=1, clock="nights")
    assert any("clock" in problem for problem in wrong.problems())
    fine = EventType(key="x_alarm", name="x", domain="safety", sla_working_hours=1, clock="round_the_clock")
    assert fine.problems() == []


def test_the_type_list_says_which_clock_a_type_runs(world):
    from tests.helpers import client_for

    rows = client_for(world.grid_worker).get("/api/v1/events/types/").json()
    clocks = {row["key"]: row["clock"] for row in rows}
    assert clocks["tests.alarm"] == "round_the_clock" and clocks["tests.hazard"] == "office"


def test_the_clock_starts_at_the_report_even_if_nobody_accepts(world, clock):
    clock["now"] = aware(2026, 3, 7, 23, 0)
    event = alarm(world)
    assert escalate_overdue(now=event.deadline + timedelta(minutes=1)) == [event.pk]


def test_accepting_after_an_escalation_keeps_the_next_escalation_ahead(world, clock):
    from core.extensions.registry import registry

    fixed = EventType(
        key="tests.fixed_alarm",
        name="Alarm at a fixed level",
        domain="safety",
        sla_working_hours=0.5,
        clock="round_the_clock",
        fixed_level=True,
        duplicate_window_hours=None,
    )
    with registry.temporarily("tests", fixed):
        clock["now"] = aware(2026, 3, 7, 23, 0)
        event = alarm(world, type_key="tests.fixed_alarm")
        clock["now"] = aware(2026, 3, 7, 23, 31)
        assert escalate_overdue() == [event.pk]
        services.event_transition(event=event, action="accept", actor=world.lead)
        event.refresh_from_db()
        assert event.state == State.ACCEPTED and event.next_escalation_at == aware(2026, 3, 8, 0, 1)
        assert escalate_overdue(now=aware(2026, 3, 7, 23, 40)) == []
