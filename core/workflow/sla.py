"""Deadlines of events in working time (core.workflow.calendar).

A type declares its period (working days or office hours); an event may carry its own limit in
working days (`Event.sla_working_days`: an application's item sets the limit of the whole
application) or a deadline given from outside (a hotline ticket's), which acceptance keeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.extensions.contributions import EventType
from core.workflow.calendar import WorkCalendar


def calendar_from(start: datetime) -> WorkCalendar:
    day = timezone.localtime(start).date()
    return WorkCalendar.load(day, day + timedelta(days=120))


def working_days_of(event_type: EventType, event=None) -> int | None:
    """The period in working days (the event's own limit first), or None for a period in hours."""
    own = getattr(event, "sla_working_days", None)
    return own if own is not None else event_type.sla_working_days


def deadline_for(
    event_type: EventType, start: datetime, calendar: WorkCalendar | None = None, *, event=None
) -> datetime:
    calendar = calendar or calendar_from(start)
    days = working_days_of(event_type, event)
    if days is not None:
        return calendar.deadline_in_working_days(start, days)
    return calendar.add_working_time(start, timedelta(hours=event_type.sla_working_hours))


def shift_for_pause(
    event_type: EventType,
    deadline: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: WorkCalendar | None = None,
    *,
    event=None,
) -> datetime:
    """The deadline after a pause: the working time spent waiting does not count."""
    calendar = calendar or calendar_from(paused_at)
    if working_days_of(event_type, event) is not None:
        paused_days = calendar.working_days_between(
            timezone.localtime(paused_at).date(), timezone.localtime(resumed_at).date()
        )
        return calendar.deadline_in_working_days(deadline, paused_days) if paused_days else deadline
    paused = calendar.working_time_between(paused_at, resumed_at)
    return calendar.add_working_time(deadline, paused) if paused else deadline
