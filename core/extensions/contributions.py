"""The kinds of contribution an app can declare. Each is a frozen dataclass with a unique `key`.

Later parts of the platform read them from `registry`; a kind gains fields as the part that
consumes it grows (the dispatch engine reads EventType, the dashboards DashboardMetric, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Contribution:
    kind: ClassVar[str] = ""
    # Attributes holding dotted paths that must import at start-up (a missing piece stops it).
    dotted_paths: ClassVar[tuple[str, ...]] = ()

    key: str


@dataclass(frozen=True)
class EventType(Contribution):
    """Something a person must act on; handled by core.workflow."""

    kind: ClassVar[str] = "event_types"

    name: Any = ""  # a lazily translated string
    domain: str = ""
    default_priority: str = "normal"
    residents_may_report: bool = False
    options: dict = field(default_factory=dict)


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


CONTRIBUTION_KINDS: dict[str, type[Contribution]] = {
    cls.kind: cls for cls in (EventType, DashboardMetric, TimelineProvider, PeriodicTask, NoticeKind, TagKind)
}
