"""The dispatch engine's dashboard metrics (declared in core.workflow.contributions): node-own
values `(region_path, part, value)` of every node under a path, set-based (docs/dashboards.md)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from core.workflow.models import Event


def _buckets() -> tuple[float, ...]:
    """Time to resolve, in hours: the histogram's upper bounds, as declared."""
    from core.extensions.registry import registry

    return registry.get("dashboard_metrics", "workflow.resolve_time").buckets


def _open(under: str):
    """Open work: neither closed nor rejected, nor resolved and waiting to be closed (as the
    events list's `overdue` filter counts it)."""
    return Event.objects.under(under).open().exclude(state="resolved")


def events_open(under: str):
    rows = _open(under).values("region_path").annotate(n=Count("id")).order_by()
    return ((row["region_path"], "", row["n"]) for row in rows)


def events_overdue(under: str):
    """Open events past their deadline now (refreshed by the periodic sweep as time passes)."""
    rows = (
        _open(under)
        .filter(deadline__lt=timezone.now())
        .values("region_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return ((row["region_path"], "", row["n"]) for row in rows)


def events_resolved_on_time(under: str):
    """Of the events resolved with a deadline, those resolved by it: (on time, resolved)."""
    rows = (
        Event.objects.under(under)
        .filter(resolved_at__isnull=False, deadline__isnull=False)
        .values("region_path")
        .annotate(resolved=Count("id"), on_time=Count("id", filter=Q(resolved_at__lte=F("deadline"))))
        .order_by()
    )
    return ((row["region_path"], "", (row["on_time"], row["resolved"])) for row in rows)


def _resolve_bucket(buckets):
    whens = [
        When(resolved_at__lte=F("created_at") + timedelta(hours=bound), then=Value(index))
        for index, bound in enumerate(buckets)
    ]
    return Case(*whens, default=Value(len(buckets)), output_field=IntegerField())


def resolve_time(under: str):
    buckets = _buckets()
    rows = (
        Event.objects.under(under)
        .filter(resolved_at__isnull=False)
        .annotate(bucket=_resolve_bucket(buckets))
        .values("region_path", "bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, list[int]] = {}
    for row in rows:
        histogram = counts.setdefault(row["region_path"], [0] * (len(buckets) + 1))
        histogram[row["bucket"]] += row["n"]
    return ((path, "", histogram) for path, histogram in counts.items())


def satisfaction(under: str):
    """The mean rating (1–5) as a ratio of sums: (sum of ratings, ratings)."""
    rows = (
        Event.objects.under(under)
        .filter(satisfaction__isnull=False)
        .values("region_path")
        .annotate(total=Sum("satisfaction"), n=Count("id"))
        .order_by()
    )
    return ((row["region_path"], "", (row["total"], row["n"])) for row in rows)


def events_resolved_on_time_history(under: str, days):
    """(on time, resolved) at the end of each past day, from the resolution dates: one GROUP BY
    by day, summed cumulatively."""
    from django.db.models.functions import TruncDate

    rows = (
        Event.objects.under(under)
        .filter(resolved_at__isnull=False, deadline__isnull=False, resolved_at__date__lte=days[-1])
        .annotate(day=TruncDate("resolved_at"))
        .values("region_path", "day")
        .annotate(resolved=Count("id"), on_time=Count("id", filter=Q(resolved_at__lte=F("deadline"))))
        .order_by("region_path", "day")
    )
    by_path: dict[str, list[tuple]] = {}
    for row in rows:
        by_path.setdefault(row["region_path"], []).append((row["day"], row["on_time"], row["resolved"]))
    for path, entries in by_path.items():
        on_time = resolved = 0
        index = 0
        for day in days:
            while index < len(entries) and entries[index][0] <= day:
                on_time += entries[index][1]
                resolved += entries[index][2]
                index += 1
            if resolved:
                yield day, path, "", (on_time, resolved)
