"""Working time on the Chinese calendar: statutory holidays and make-up working days (调休).

Sources, in order: the admin-edited CalendarDay table, the `chinesecalendar` package, and, for a
year neither covers, Monday to Friday (that year is reported by `missing_years` so the admin is
warned instead of deadlines crashing).

Periods follow the Civil Code (art. 201): a period counted in days starts the day after the
starting event, and ends at the end of office hours of its last working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class OfficeHours:
    morning: tuple[time, time] = (time(8, 30), time(12, 0))
    afternoon: tuple[time, time] = (time(14, 0), time(17, 30))

    @property
    def periods(self) -> tuple[tuple[time, time], ...]:
        return (self.morning, self.afternoon)

    @property
    def end(self) -> time:
        return self.afternoon[1]


def office_hours() -> OfficeHours:
    configured = getattr(settings, "WORKFLOW_OFFICE_HOURS", None)
    if not configured:
        return OfficeHours()
    (m1, m2), (a1, a2) = configured
    return OfficeHours(
        (time.fromisoformat(m1), time.fromisoformat(m2)), (time.fromisoformat(a1), time.fromisoformat(a2))
    )


class WorkCalendar:
    """Answers "is this a working day" for a span of dates with one query for the overrides."""

    def __init__(self, overrides: dict[date, bool] | None = None, hours: OfficeHours | None = None) -> None:
        self._overrides = overrides
        self.hours = hours or office_hours()
        self.missing_years: set[int] = set()

    @classmethod
    def load(cls, start: date, end: date) -> WorkCalendar:
        from core.workflow.models import CalendarDay

        days = CalendarDay.objects.filter(date__range=(start - timedelta(days=1), end + timedelta(days=400)))
        return cls({day.date: day.is_workday for day in days})

    def is_workday(self, day: date) -> bool:
        if self._overrides is None:
            from core.workflow.models import CalendarDay

            override = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
        else:
            override = self._overrides.get(day)
        if override is not None:
            return override
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.missing_years.add(day.year)
            return day.weekday() < 5

    # days -----------------------------------------------------------------------------------

    def add_working_days(self, start: date, days: int) -> date:
        """The last day of a period of `days` working days that starts the day after `start`."""
        if days < 1:
            raise ValueError("a period has at least one working day")
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def deadline_in_working_days(self, start: datetime, days: int) -> datetime:
        last_day = self.add_working_days(timezone.localtime(start).date(), days)
        return timezone.make_aware(datetime.combine(last_day, self.hours.end))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    # hours ----------------------------------------------------------------------------------

    def _office_periods(self, day: date):
        if not self.is_workday(day):
            return
        tz = timezone.get_current_timezone()
        for begin, finish in self.hours.periods:
            yield (
                timezone.make_aware(datetime.combine(day, begin), tz),
                timezone.make_aware(datetime.combine(day, finish), tz),
            )

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of office time has passed since `start`."""
        remaining = duration
        day = timezone.localtime(start).date()
        for _ in range(3660):  # ten years of days: a bound, never reached by real deadlines
            for begin, finish in self._office_periods(day):
                begin = max(begin, start)
                if begin >= finish:
                    continue
                if finish - begin >= remaining:
                    return begin + remaining
                remaining -= finish - begin
            day += timedelta(days=1)
        raise ValueError("duration too long for the working calendar")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta()
        if end <= start:
            return total
        day, last = timezone.localtime(start).date(), timezone.localtime(end).date()
        while day <= last:
            for begin, finish in self._office_periods(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total
