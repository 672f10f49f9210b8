"""A person's "today" list: what is due for them now, gathered from every app's declared provider
(`core.extensions.TodayProvider`): events assigned to them or waiting for them, applications
waiting for their step, re-checks, and whatever later domains add (visits, contacts, inspections).

Bounded rather than paginated: each provider gives at most TODAY_LIMIT + 1 items, most urgent
first; the list keeps the TODAY_LIMIT most urgent (overdue first, then by due time, items
without a deadline last) and says when there was more (`truncated`). Work beyond that is found
in each part's own lists, which are paginated and filtered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.module_loading import import_string

TODAY_LIMIT = 100


@dataclass(frozen=True)
class TodayItem:
    kind: str  # a stable code, e.g. "workflow.event", "affairs.application"
    object_id: str
    region_path: str
    title: str
    due_at: datetime | None  # None: no deadline yet (not accepted, say)
    url: str

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "object_id": self.object_id,
            "region_path": self.region_path,
            "title": self.title,
            "due_at": self.due_at,
            "overdue": self.overdue,
            "url": self.url,
        }


def end_of_today() -> datetime:
    """The first moment of tomorrow (local time): what falls due before it is due today."""
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time.min))


def _urgency(item: TodayItem) -> tuple:
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return (not item.overdue, item.due_at or far, item.kind, item.object_id)


def today_for(user, *, limit: int = TODAY_LIMIT) -> tuple[list[TodayItem], bool]:
    """The `limit` most urgent items due for `user`, and whether there were more."""
    from core.extensions import TodayProvider
    from core.extensions.registry import registry

    items: list[TodayItem] = []
    for declared in sorted(registry.items(TodayProvider.kind), key=lambda p: p.key):
        items.extend(list(import_string(declared.provider)(user, limit=limit + 1))[: limit + 1])
    items.sort(key=_urgency)
    return items[:limit], len(items) > limit


def event_types_listed_elsewhere() -> set[str]:
    """Event types a domain lists as its own items (TodayProvider.event_types)."""
    from core.extensions import TodayProvider
    from core.extensions.registry import registry

    return {t for provider in registry.items(TodayProvider.kind) for t in provider.event_types}
