"""A deadline counted across a year without an official holiday schedule says it is estimated."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from core.workflow import services
from core.workflow.models import CalendarDay
from tests.helpers import client_for


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def accepted_at(world, monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    event, _ = services.event_report(
        reporter=world.grid_worker,
        type_key="tests.hazard",
        source="patrol",
        title="堆物",
        house=world.house_a,
    )
    services.event_transition(event=event, action="accept", actor=world.lead)
    event.refresh_from_db()
    return event


def test_a_deadline_into_a_year_without_a_schedule_skips_new_year_and_says_it_is_estimated(
    world, monkeypatch
):
    # Tuesday 29 December 2026 + 3 working days: 30, 31 December, (1 January 2027 a holiday), 4 January.
    event = accepted_at(world, monkeypatch, aware(2026, 12, 29, 10, 0))
    assert event.deadline == aware(2027, 1, 4, 17, 30)
    assert event.deadline_estimated is True
    accept = event.transitions.get(action="accept")
    assert accept.data == {"deadline_estimated": True, "estimated_years": [2027]}
    shown = client_for(world.lead).get(f"/api/v1/events/{event.pk}/").json()
    assert shown["deadline_estimated"] is True


def test_a_deadline_within_a_published_year_is_not_estimated(world, monkeypatch):
    event = accepted_at(world, monkeypatch, aware(2026, 3, 9, 10, 0))
    assert event.deadline_estimated is False
    assert event.transitions.get(action="accept").data == {}


def test_once_the_years_official_rows_are_entered_the_deadline_is_no_longer_estimated(world, monkeypatch):
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, kind=CalendarDay.Kind.OFFICIAL)
    event = accepted_at(world, monkeypatch, aware(2026, 12, 29, 10, 0))
    assert event.deadline == aware(2027, 1, 4, 17, 30) and event.deadline_estimated is False


def test_local_rows_alone_keep_the_estimate_and_the_admin_warning(world, monkeypatch):
    from core.workflow.admin import years_without_holiday_data

    CalendarDay.objects.create(date=date(2027, 3, 1), is_workday=False, note="local")
    assert years_without_holiday_data(date(2026, 12, 1)) == [2027]
    event = accepted_at(world, monkeypatch, aware(2026, 12, 29, 10, 0))
    assert event.deadline_estimated is True
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, kind=CalendarDay.Kind.OFFICIAL)
    assert years_without_holiday_data(date(2026, 12, 1)) == []
