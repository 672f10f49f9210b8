"""Working time on the Chinese calendar: holidays, make-up working days, overrides, missing years."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from core.workflow.calendar import WorkCalendar
from core.workflow.models import CalendarDay


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(overrides={})


def test_spring_festival_2026_is_skipped_and_make_up_saturday_counts(calendar):
    # Accepted on Friday 13 Feb 2026: Saturday 14 is a make-up working day, 15–23 the holiday.
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert calendar.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert calendar.deadline_in_working_days(at(2026, 2, 13, 9, 0), 3) == at(2026, 2, 25, 17, 30)


def test_counting_starts_the_day_after_acceptance(calendar):
    # Accepted Monday 9 March 2026 late in the day or early: the same deadline.
    assert calendar.deadline_in_working_days(at(2026, 3, 9, 8, 0), 1) == at(2026, 3, 10, 17, 30)
    assert calendar.deadline_in_working_days(at(2026, 3, 9, 23, 0), 1) == at(2026, 3, 10, 17, 30)


def test_twenty_working_days_across_the_festival(calendar):
    # 20 working days from 2 Feb 2026: 3–6, 9–14 (10), 24–28 (15), 2–6 March (20).
    assert calendar.add_working_days(date(2026, 2, 2), 20) == date(2026, 3, 6)


def test_working_hours_use_office_hours_and_make_up_days(calendar):
    # Friday 16:00 + 4 office hours: 1.5 h on Friday, 2.5 h on make-up Saturday morning.
    assert calendar.add_working_time(at(2026, 2, 13, 16, 0), timedelta(hours=4)) == at(2026, 2, 14, 11, 0)
    # Starting at lunch time counts from 14:00.
    assert calendar.add_working_time(at(2026, 3, 9, 12, 30), timedelta(hours=1)) == at(2026, 3, 9, 15, 0)
    # Friday 1.5 h + make-up Saturday 7 h + Tuesday after the festival 1 h.
    spent = calendar.working_time_between(at(2026, 2, 13, 16, 0), at(2026, 2, 24, 9, 30))
    assert spent == timedelta(hours=9, minutes=30)


def test_a_year_without_data_does_not_crash_and_is_reported(calendar):
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)  # Friday, no data: weekday
    assert calendar.missing_years == {2027}


@pytest.mark.django_db
def test_admin_days_override_the_package_and_fill_missing_years():
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarDay.objects.create(date=date(2026, 3, 10), is_workday=False, note="local holiday")
    calendar = WorkCalendar.load(date(2026, 3, 1), date(2027, 1, 10))
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)
