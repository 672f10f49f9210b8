"""The dispatch engine's rules, at the service level."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.api.errors import ApplicationError, Conflict
from core.audit.models import AuditEvent
from core.extensions import AuditAction
from core.extensions.registry import registry
from core.workflow import services
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event, EventFollower
from core.workflow.states import State


def report(world, reporter=None, house=None, **fields):
    values = {"type_key": "tests.hazard", "source": "patrol", "title": "楼道堆物"}
    values.update(fields)
    return services.event_report(
        reporter=reporter or world.grid_worker, house=house or world.house_a, **values
    )


def move(event, action, actor, **kwargs):
    return services.event_transition(event=event, action=action, actor=actor, **kwargs)


def test_a_new_event_goes_to_the_grids_lead_worker(world):
    event, merged = report(world)
    assert not merged
    assert event.assignee == world.lead
    assert event.state == State.REPORTED
    assert event.region_path == world.grid_a1.path
    assert list(event.transitions.values_list("action", flat=True)) == ["report"]


def test_the_full_life_of_an_event(world):
    event, _ = report(world, reporter=world.resident_user, source="resident")
    move(event, "accept", world.lead)
    move(event, "assign", world.lead, assignee=world.grid_worker)
    move(event, "start", world.grid_worker)
    move(event, "resolve", world.grid_worker, note="已清理")
    move(event, "close", world.resident_user)
    event.refresh_from_db()
    assert event.state == State.CLOSED and event.closed_at and event.resolved_at
    assert [t.to_state for t in event.transitions.all()] == [
        "reported",
        "accepted",
        "assigned",
        "in_progress",
        "resolved",
        "closed",
    ]
    rated = services.event_rate(event=event, actor=world.resident_user, score=4, comment="及时")
    assert rated.satisfaction == 4
    with pytest.raises(Conflict):
        services.event_rate(event=event, actor=world.resident_user, score=5)


def test_an_impossible_transition_is_409_naming_the_allowed_ones(world):
    event, _ = report(world)
    with pytest.raises(Conflict) as error:
        move(event, "resolve", world.lead, note="x")
    assert error.value.status_code == 409
    assert error.value.fields["action"] == ["accept", "reject"]
    event.refresh_from_db()
    assert event.state == State.REPORTED and event.transitions.count() == 1


def test_a_role_that_may_not_act_is_refused(world):
    event, _ = report(world)
    with pytest.raises(ApplicationError) as error:
        move(event, "accept", world.worker_b)  # another community
    assert error.value.status_code == 403
    move(event, "accept", world.lead)
    move(event, "assign", world.lead)
    with pytest.raises(ApplicationError) as error:
        move(event, "start", world.grid_worker)  # not the assignee
    assert error.value.status_code == 403


def test_rejecting_or_resolving_needs_a_note(world):
    event, _ = report(world)
    with pytest.raises(ApplicationError) as error:
        move(event, "reject", world.lead)
    assert error.value.fields == {"note": [error.value.fields["note"][0]]}


def test_assignee_must_work_at_the_place(world):
    event, _ = report(world)
    move(event, "accept", world.lead)
    with pytest.raises(ApplicationError) as error:
        move(event, "assign", world.lead, assignee=world.worker_b)
    assert "assignee" in error.value.fields


def test_duplicate_report_merges_into_the_open_event_and_the_reporter_follows_it(world):
    first, _ = report(world)
    again, merged = report(world, reporter=world.resident_user, source="resident")
    assert merged and again.pk == first.pk
    assert Event.objects.count() == 1
    assert EventFollower.objects.filter(event=first, user=world.resident_user).exists()
    _other_house, merged_elsewhere = report(world, house=world.house_b, reporter=world.worker_b)
    assert not merged_elsewhere


def test_no_merge_once_the_window_has_passed_or_the_event_is_closed(world):
    first, _ = report(world)
    Event.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    second, merged = report(world)
    assert not merged and second.pk != first.pk


def test_form_fields_are_checked(world):
    with pytest.raises(ApplicationError) as error:
        report(world, form_data={"unknown": 1})
    assert "form_data.unknown" in error.value.fields


def aware(*args):
    return timezone.make_aware(datetime(*args))


def test_deadline_counts_working_days_from_the_day_after_acceptance(world, monkeypatch):
    event, _ = report(world)
    monkeypatch.setattr(timezone, "now", lambda: aware(2026, 2, 13, 10, 0))
    move(event, "accept", world.lead)
    event.refresh_from_db()
    # 3 working days after Friday 13 Feb 2026: Saturday 14 (make-up), Tuesday 24, Wednesday 25.
    assert event.deadline == aware(2026, 2, 25, 17, 30)


def test_waiting_pauses_the_clock_across_a_holiday(world, monkeypatch):
    event, _ = report(world)
    clock = {"now": aware(2026, 2, 11, 9, 0)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    move(event, "accept", world.lead)
    move(event, "assign", world.lead)
    move(event, "start", world.lead)
    event.refresh_from_db()
    assert event.deadline == aware(2026, 2, 14, 17, 30)  # Thu 12, Fri 13, Sat 14 (make-up)
    clock["now"] = aware(2026, 2, 13, 9, 0)
    move(event, "wait", world.lead, note="等待居民补充材料")
    clock["now"] = aware(2026, 2, 25, 9, 0)  # back after the Spring Festival
    move(event, "resume", world.lead)
    event.refresh_from_db()
    # Waited Sat 14, Tue 24, Wed 25: three working days don't count.
    assert event.deadline == aware(2026, 2, 26, 17, 30)
    assert event.paused_at is None


def test_escalation_goes_one_level_up_and_running_twice_escalates_once(world, monkeypatch):
    event, _ = report(world)
    move(event, "accept", world.lead)
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    assert escalate_overdue() == [event.pk]
    assert escalate_overdue() == []
    event.refresh_from_db()
    assert event.state == State.ESCALATED and event.escalation_level == 1
    assert event.escalated_to == world.community_a
    assert event.next_escalation_at > timezone.now()
    # The community supervisor can take it over; the lead (a grid worker) cannot.
    with pytest.raises(ApplicationError):
        move(event, "take_over", world.lead)
    move(event, "take_over", world.secretary)
    event.refresh_from_db()
    assert event.assignee == world.secretary and event.state == State.ASSIGNED


def test_overdue_again_escalates_to_the_street(world):
    event, _ = report(world)
    move(event, "accept", world.lead)
    for _level in range(2):
        Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
        escalate_overdue()
    event.refresh_from_db()
    assert event.escalation_level == 2 and event.escalated_to == world.street
    with pytest.raises(ApplicationError):
        move(event, "take_over", world.secretary)  # the community is below the street now
    move(event, "take_over", world.street_staff)


def test_a_fixed_level_step_only_alerts_and_stays_where_it_is(world):
    event, _ = report(world, type_key="tests.approval", reporter=world.community_worker)
    move(event, "accept", world.community_worker)
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    assert escalate_overdue() == [event.pk]
    event.refresh_from_db()
    assert event.state == State.ACCEPTED and event.escalation_level == 1
    assert event.transitions.filter(action="escalate").count() == 1


def test_waiting_events_do_not_escalate(world):
    event, _ = report(world)
    for action in ("accept", "assign", "start"):
        move(event, action, world.lead)
    move(event, "wait", world.lead, note="等材料")
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    assert escalate_overdue() == []


def test_when_a_role_ends_its_open_events_are_listed_for_reassignment(world):
    from core.accounts.open_work import open_work_for

    event, _ = report(world)
    lead_role = world.lead.roles.get()
    items = [item for item in open_work_for(lead_role) if item.kind == "workflow.event"]
    assert [item.object_id for item in items] == [str(event.pk)]
    move(event, "reject", world.lead, note="不属实")
    assert not [item for item in open_work_for(lead_role) if item.kind == "workflow.event"]


def test_open_events_follow_a_grid_moved_to_another_community_and_closed_ones_stay(world):
    from core.regions.services import grid_move

    open_event, _ = report(world)
    closed, _ = services.event_report(
        reporter=world.grid_worker,
        type_key="tests.hazard",
        source="patrol",
        title="已办结",
        grid=world.grid_a1,
    )
    services.event_transition(event=closed, action="reject", actor=world.lead, note="重复")
    world.grid_a1.name = "第9网格"  # a name free in the receiving community
    world.grid_a1.save()
    grid_move(actor=world.street_staff, grid=world.grid_a1, community=world.community_b)
    world.grid_a1.refresh_from_db()
    open_event.refresh_from_db()
    assert open_event.region_path == world.grid_a1.path
    assert open_event.region_path.startswith(world.community_b.path)
    old_path = closed.region_path
    closed.refresh_from_db()
    assert closed.region_path == old_path


def test_escalating_many_events_reads_the_holiday_table_once(world, django_assert_max_num_queries):
    events = [
        services.event_report(
            reporter=world.grid_worker,
            type_key="tests.hazard",
            source="patrol",
            title=f"事件{i}",
            grid=world.grid_a1,
        )[0]
        for i in range(6)
    ]
    for event in events:
        move(event, "accept", world.lead)
    Event.objects.update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as run:
        assert len(escalate_overdue()) == 6
    calendar_reads = [q for q in run.captured_queries if "workflow_calendarday" in q["sql"]]
    assert len(calendar_reads) == 1


def test_a_domains_own_step_is_audited_under_its_event_type_which_its_app_declares(world):
    event, _ = report(world)
    with registry.temporarily("tests", AuditAction(key="tests.hazard.inspect", name="Inspected")):
        services.event_step(event=event, action="tests.inspect", actor=world.lead, note="checked")
        with pytest.raises(ValueError, match=r"'tests\.hazard\.measure' is not declared by any app"):
            services.event_step(event=event, action="measure", actor=world.lead)
    assert event.transitions.filter(action="tests.inspect").exists()
    assert AuditEvent.objects.filter(action="tests.hazard.inspect", object_id=str(event.pk)).count() == 1


def test_a_step_is_audited_as_a_change_of_state_in_the_one_shape(world):
    from core.audit.models import AuditEvent

    event, _ = report(world)
    move(event, "accept", world.lead)
    rows = AuditEvent.objects.filter(object_id=str(event.pk), action__startswith="workflow.event.").order_by(
        "id"
    )
    assert [row.changes for row in rows] == [
        {"state": {"old": "", "new": "reported"}},
        {"state": {"old": "reported", "new": "accepted"}},
    ]
