"""Deadlines of events in working time (core.workflow.calendar)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.extensions.contributions import EventType
from core.workflow.calendar import WorkCalendar


def calendar_from(start: datetime) -> WorkCalendar:
    day = timezone.localtime(start).date()
    return WorkCalendar.load(day, day + timedelta(days=120))


def deadline_for(event_type: EventType, start: datetime, calendar: WorkCalendar | None = None) -> datetime:
    calendar = calendar or calendar_from(start)
    if event_type.sla_working_days is not None:
        return calendar.deadline_in_working_days(start, event_type.sla_working_days)
    return calendar.add_working_time(start, timedelta(hours=event_type.sla_working_hours))


def shift_for_pause(
    event_type: EventType,
    deadline: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The deadline after a pause: the working time spent waiting does not count."""
    calendar = calendar or calendar_from(paused_at)
    if event_type.sla_working_days is not None:
        paused_days = calendar.working_days_between(
            timezone.localtime(paused_at).date(), timezone.localtime(resumed_at).date()
        )
        return calendar.deadline_in_working_days(deadline, paused_days) if paused_days else deadline
    paused = calendar.working_time_between(paused_at, resumed_at)
    return calendar.add_working_time(deadline, paused) if paused else deadline
