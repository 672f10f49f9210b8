"""Working time on the Chinese calendar: statutory holidays and make-up working days (调休).

Sources, in order:
1. the admin-edited CalendarDay table, day by day (a local holiday, or a day of the State
   Council's schedule entered as an official row);
2. the `chinesecalendar` package, for the years it covers;
3. a year with official rows but not in the package: Monday to Friday outside those rows (the
   official schedule lists every holiday and every make-up working day);
4. a year with neither, the estimate (core.workflow.holidays): the statutory holidays of the
   rules in force, computed, and every weekend. Such a year is *estimated*: `estimated_years`
   records it, the admin's calendar page warns about it until its official rows are entered,
   and a deadline counted across it says so (Event.deadline_estimated).

Periods follow the Civil Code (art. 201): a period counted in days starts the day after the
starting event, and ends at the end of office hours of its last working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from core.workflow.holidays import estimated_rest_days


@lru_cache(maxsize=64)
def package_covers(year: int) -> bool:
    """Whether the `chinesecalendar` package knows this year's official schedule."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


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
    """Answers "is this a working day" for a span of dates with one query for the table's rows.

    `overrides` maps a date to its working status (the table's rows); `official_years` are the
    years with official rows. Without them (None), each day is looked up in the table."""

    def __init__(
        self,
        overrides: dict[date, bool] | None = None,
        hours: OfficeHours | None = None,
        official_years: set[int] | frozenset[int] = frozenset(),
    ) -> None:
        self._overrides = overrides
        self._official_years = official_years
        self.hours = hours or office_hours()
        # Years in which a day was answered from the estimate (no official schedule).
        self.estimated_years: set[int] = set()

    @classmethod
    def load(cls, start: date, end: date) -> WorkCalendar:
        """The table's rows for the span (and a margin), and every official row: one query."""
        from django.db.models import Q

        from core.workflow.models import CalendarDay

        days = CalendarDay.objects.filter(
            Q(date__range=(start - timedelta(days=1), end + timedelta(days=400)))
            | Q(kind=CalendarDay.Kind.OFFICIAL)
        ).only("date", "is_workday", "kind")
        overrides, official = {}, set()
        for day in days:
            overrides[day.date] = day.is_workday
            if day.kind == CalendarDay.Kind.OFFICIAL:
                official.add(day.date.year)
        return cls(overrides, official_years=official)

    def _override(self, day: date) -> bool | None:
        if self._overrides is not None:
            return self._overrides.get(day)
        from core.workflow.models import CalendarDay

        return CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()

    def has_official_schedule(self, year: int) -> bool:
        if package_covers(year) or year in self._official_years:
            return True
        if self._overrides is not None:
            return False
        from core.workflow.models import CalendarDay

        return CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.OFFICIAL).exists()

    def is_workday(self, day: date) -> bool:
        override = self._override(day)
        if override is not None:
            return override
        if package_covers(day.year):
            return chinese_calendar.is_workday(day)
        if self.has_official_schedule(day.year):
            return day.weekday() < 5
        self.estimated_years.add(day.year)
        return day.weekday() < 5 and day not in estimated_rest_days(day.year)

    def estimated_years_between(self, start: date, end: date) -> list[int]:
        """The years from `start` to `end` counted on the estimate rather than a schedule."""
        first, last = sorted((start.year, end.year))
        return [year for year in range(first, last + 1) if not self.has_official_schedule(year)]

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
