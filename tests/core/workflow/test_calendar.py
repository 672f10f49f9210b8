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


def test_a_year_without_an_official_schedule_keeps_the_statutory_holidays(calendar):
    """全国年节及纪念日放假办法 (2025), art. 2: 2027 has no published schedule yet, and still
    1 January, the Spring Festival (除夕 5 Feb to 初三 8 Feb 2027) and 中秋 (15 Sep) are rest days."""
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    for day in (5, 8):
        assert not calendar.is_workday(date(2027, 2, day))
    assert not calendar.is_workday(date(2027, 9, 15))  # 中秋, a Wednesday
    assert not calendar.is_workday(date(2027, 4, 5))  # 清明, the solar term
    assert not calendar.is_workday(date(2027, 6, 9))  # 端午
    assert not calendar.is_workday(date(2027, 10, 1)) and not calendar.is_workday(date(2027, 5, 1))
    assert calendar.is_workday(date(2027, 3, 10))  # an ordinary Wednesday
    assert calendar.estimated_years == {2027}


def test_a_holiday_on_a_weekend_is_made_up_on_the_next_weekdays_and_no_weekend_is_swapped(calendar):
    """Art. 6: 除夕 to 初三 2027 includes a Saturday and a Sunday: Tuesday 9 and Wednesday
    10 February are rest days too. No weekend becomes a working day in an estimated year."""
    assert not calendar.is_workday(date(2027, 2, 9)) and not calendar.is_workday(date(2027, 2, 10))
    assert calendar.is_workday(date(2027, 2, 11))
    assert not calendar.is_workday(date(2027, 2, 20))  # a Saturday stays a rest day
    assert calendar.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 11)


def test_lunar_holidays_move_with_the_lunar_calendar():
    from core.workflow.holidays import estimated_rest_days

    rest = estimated_rest_days(2028)
    # 2028: 春节 26 January, 端午 28 May, 中秋 3 October (inside National Day).
    assert {date(2028, 1, 25), date(2028, 1, 28)} <= set(rest)
    assert rest[date(2028, 5, 28)] == "端午节" and date(2028, 10, 3) in rest


@pytest.mark.django_db
def test_admin_days_override_the_package_and_the_estimate():
    CalendarDay.objects.create(date=date(2027, 3, 10), is_workday=False, note="local holiday")
    CalendarDay.objects.create(date=date(2026, 3, 10), is_workday=False, note="local holiday")
    calendar = WorkCalendar.load(date(2026, 3, 1), date(2027, 1, 10))
    assert calendar.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)
    assert not calendar.is_workday(date(2027, 3, 10))
    # Local rows only: 2027 is still estimated, with its statutory holidays.
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.estimated_years_between(date(2026, 12, 1), date(2027, 1, 5)) == [2027]


@pytest.mark.django_db
def test_a_year_with_official_rows_uses_them_and_nothing_else():
    """Once the State Council's 2027 schedule is entered, its rows decide: a swapped working
    Saturday works, and a day the estimate would rest (中秋 on 15 Sep) does not."""
    official = CalendarDay.Kind.OFFICIAL
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, kind=official, note="元旦")
    CalendarDay.objects.create(date=date(2027, 2, 20), is_workday=True, kind=official, note="春节调休上班")
    calendar = WorkCalendar.load(date(2027, 2, 1), date(2027, 2, 28))
    assert calendar.is_workday(date(2027, 2, 20))
    assert calendar.is_workday(date(2027, 9, 15))  # no row, a Wednesday: working
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.estimated_years == set()
    assert calendar.estimated_years_between(date(2027, 2, 1), date(2027, 9, 30)) == []
