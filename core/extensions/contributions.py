"""The kinds of contribution an app can declare. Each is a frozen dataclass with a unique `key`.

Later parts of the platform read them from `registry`; a kind gains fields as the part that
consumes it grows (the dispatch engine reads EventType, the dashboards DashboardMetric, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

PRIORITIES = ("low", "normal", "high", "urgent")
# How an event type's deadline runs: in office working time, or around the clock (emergencies).
CLOCKS = ("office", "round_the_clock")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Contribution:
    kind: ClassVar[str] = ""
    # Attributes holding dotted paths that must import at start-up (a missing piece stops it).
    dotted_paths: ClassVar[tuple[str, ...]] = ()

    key: str

    def problems(self) -> list[str]:
        """What is wrong with this declaration (checked at start-up); nothing by default."""
        return []


@dataclass(frozen=True)
class FormField:
    """A field an event type asks for when reported (shown by front ends, checked by the engine)."""

    name: str
    label: Any
    kind: str = "text"  # text, integer, decimal, date, boolean, choice
    required: bool = False
    choices: tuple[tuple[str, Any], ...] = ()
    max_length: int = 500


@dataclass(frozen=True)
class EventType(Contribution):
    """Something a person must act on; handled by core.workflow (dispatch, SLA, escalation)."""

    kind: ClassVar[str] = "event_types"

    name: Any = ""  # a lazily translated string
    domain: str = ""
    description: Any = ""
    default_priority: str = "normal"  # low, normal, high, urgent
    # The deadline: working days (counted from the day after acceptance) or office hours.
    sla_working_days: int | None = None
    sla_working_hours: float | None = None
    handler_role: str = "grid_worker"  # the role that handles it at its grid, community, …
    residents_may_report: bool = False
    form_fields: tuple[FormField, ...] = ()
    # Approvals: the next step belongs to a fixed level, so escalation only alerts supervisors.
    fixed_level: bool = False
    # Reports of the same type at the same house within this many hours merge into one event.
    duplicate_window_hours: int | None = 72
    open311: bool = False  # offered to Open311 clients as a service
    # False: opened only by its domain's own service (an application, a hotline ticket), never
    # through POST /events/ or Open311.
    direct_reports: bool = True
    # The engine's actions people may take through /events/{id}/transition/ (None: all). A type
    # with its own process (an application's review and confirmation) allows fewer; its domain
    # moves the event with core.workflow.services.event_step.
    generic_actions: frozenset[str] | None = None
    # "office": the period counts working days or office hours. "round_the_clock" (an alarm, an
    # elderly person not responding, a child at risk): it counts real days or hours from the
    # report, weekends and holidays included, and escalates to the on-duty roster.
    clock: str = "office"

    def problems(self) -> list[str]:
        from core.accounts.roles import Role

        found = []
        if (self.sla_working_days is None) == (self.sla_working_hours is None):
            found.append("declare exactly one of sla_working_days and sla_working_hours")
        if self.default_priority not in PRIORITIES:
            found.append(f"default_priority must be one of {', '.join(PRIORITIES)}")
        if self.handler_role not in Role.values:
            found.append(f"handler_role {self.handler_role!r} is not a role")
        if not self.domain:
            found.append("domain is required")
        if self.clock not in CLOCKS:
            found.append(f"clock must be one of {', '.join(CLOCKS)}")
        if self.open311 and not self.direct_reports:
            found.append("an Open311 service must accept direct reports")
        if self.generic_actions is not None:
            from core.workflow.states import TRANSITIONS

            unknown = sorted(set(self.generic_actions) - set(TRANSITIONS))
            if unknown:
                found.append(f"generic_actions names unknown actions: {', '.join(unknown)}")
        return found


@dataclass(frozen=True)
class DashboardMetric(Contribution):
    kind: ClassVar[str] = "dashboard_metrics"
    dotted_paths: ClassVar[tuple[str, ...]] = ("compute",)

    name: Any = ""
    compute: str = ""  # dotted path of a callable(region) -> number or mapping


@dataclass(frozen=True)
class TimelineProvider(Contribution):
    """Adds entries to the one-household-one-file timeline."""

    kind: ClassVar[str] = "timeline_providers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("provider",)

    provider: str = ""  # dotted path of a callable(household_ids, *, limit) -> iterable of entries


@dataclass(frozen=True)
class OpenWorkProvider(Contribution):
    """Lists the open work a person leaves behind when a role ends (so it is reassigned, not lost)."""

    kind: ClassVar[str] = "open_work_providers"
    dotted_paths: ClassVar[tuple[str, ...]] = ("provider",)

    provider: str = ""  # dotted path of a callable(role_assignment) -> iterable of OpenWorkItem


@dataclass(frozen=True)
class PeriodicTask(Contribution):
    """A beat entry; `expires_seconds` keeps a backlog from piling up while workers are down."""

    kind: ClassVar[str] = "periodic_tasks"

    task: str = ""  # the registered Celery task name
    schedule: Any = 60.0  # seconds, or a celery.schedules.crontab
    queue: str = "default"
    expires_seconds: float | None = None


@dataclass(frozen=True)
class NoticeKind(Contribution):
    kind: ClassVar[str] = "notice_kinds"

    name: Any = ""
    default_channels: tuple[str, ...] = ("in_app",)


@dataclass(frozen=True)
class TagKind(Contribution):
    """A resident tag: derived (computed from data, e.g. 60+) or assigned by a worker."""

    kind: ClassVar[str] = "tag_kinds"

    name: Any = ""
    derived: bool = False
    category: str = ""


@dataclass(frozen=True)
class DemoData(Contribution):
    """Demo records a part adds to `manage.py seed_demo` (after the regions, the register and the
    demo accounts exist); refused in production like the rest of the demo."""

    kind: ClassVar[str] = "demo_data"
    dotted_paths: ClassVar[tuple[str, ...]] = ("loader",)

    loader: str = ""  # dotted path of a callable(city) -> a one-line summary ("" when nothing added)


CONTRIBUTION_KINDS: dict[str, type[Contribution]] = {
    cls.kind: cls
    for cls in (
        EventType,
        DashboardMetric,
        TimelineProvider,
        OpenWorkProvider,
        PeriodicTask,
        NoticeKind,
        TagKind,
        DemoData,
    )
}
