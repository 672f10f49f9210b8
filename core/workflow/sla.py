"""Deadlines of events, on the clock their type declares (EventType.clock).

- "office" (the default): a period in working days or office hours on the working calendar
  (core.workflow.calendar). A deadline counted across a year without an official holiday
  schedule is estimated, and says so.
- "round_the_clock" (emergencies): the same fields count real days and hours, weekends, nights
  and holidays included; the clock starts at the report, not at acceptance.

An event may carry its own limit in working days (`Event.sla_working_days`: an application's item
sets the limit of the whole application) or a deadline given from outside (a hotline ticket's),
which acceptance keeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core.extensions.contributions import EventType
from core.workflow.calendar import WorkCalendar

ROUND_THE_CLOCK = "round_the_clock"


def runs_round_the_clock(event_type: EventType) -> bool:
    return event_type.clock == ROUND_THE_CLOCK


def calendar_from(start: datetime) -> WorkCalendar:
    day = timezone.localtime(start).date()
    return WorkCalendar.load(day, day + timedelta(days=120))


def working_days_of(event_type: EventType, event=None) -> int | None:
    """The period in working days (the event's own limit first), or None for a period in hours."""
    own = getattr(event, "sla_working_days", None)
    return own if own is not None else event_type.sla_working_days


def period_of(event_type: EventType, event=None) -> timedelta:
    """A round-the-clock type's period in real time."""
    days = working_days_of(event_type, event)
    return timedelta(days=days) if days is not None else timedelta(hours=event_type.sla_working_hours)


def deadline_for(
    event_type: EventType, start: datetime, calendar: WorkCalendar | None = None, *, event=None
) -> datetime:
    if runs_round_the_clock(event_type):
        return start + period_of(event_type, event)
    calendar = calendar or calendar_from(start)
    days = working_days_of(event_type, event)
    if days is not None:
        return calendar.deadline_in_working_days(start, days)
    return calendar.add_working_time(start, timedelta(hours=event_type.sla_working_hours))


def estimated_years(
    event_type: EventType, start: datetime, deadline: datetime, calendar: WorkCalendar | None = None
) -> list[int]:
    """The years without an official holiday schedule that a deadline from `start` was counted
    across (none for a round-the-clock type, which ignores holidays)."""
    if runs_round_the_clock(event_type):
        return []
    calendar = calendar or calendar_from(start)
    return calendar.estimated_years_between(
        timezone.localtime(start).date(), timezone.localtime(deadline).date()
    )


def shift_for_pause(
    event_type: EventType,
    deadline: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: WorkCalendar | None = None,
    *,
    event=None,
) -> datetime:
    """The deadline after a pause: the time spent waiting (working time, or real time for a
    round-the-clock type) does not count."""
    if runs_round_the_clock(event_type):
        return deadline + max(resumed_at - paused_at, timedelta())
    calendar = calendar or calendar_from(paused_at)
    if working_days_of(event_type, event) is not None:
        paused_days = calendar.working_days_between(
            timezone.localtime(paused_at).date(), timezone.localtime(resumed_at).date()
        )
        return calendar.deadline_in_working_days(deadline, paused_days) if paused_days else deadline
    paused = calendar.working_time_between(paused_at, resumed_at)
    return calendar.add_working_time(deadline, paused) if paused else deadline
