"""The dashboards' figures of community safety (DashboardMetric callables of a region)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from core.regions.scoping import under
from core.workflow.models import Event
from safety.models import Alarm, Device, Finding, IncidentReceipt


def _under(region, field: str = "region_path") -> Q:
    return under([region.path], field)


def open_hazards(region) -> dict:
    """Open hazards by kind, and how many are older than their deadline."""
    rows = Finding.objects.open().filter(_under(region))
    now = timezone.now()
    by_kind = dict(rows.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    return {"total": rows.count(), "by_kind": by_kind, "overdue": rows.filter(deadline__lt=now).count()}


def rectified_on_time(region) -> dict:
    rows = Finding.objects.filter(_under(region), status=Finding.Status.RECTIFIED)
    return {"rectified": rows.count(), "on_time": rows.filter(rectified_at__lte=F("deadline")).count()}


def alarms(region) -> dict:
    """Alarms of the last 30 days by kind, and the median minutes to the first response
    (the event's acceptance)."""
    since = timezone.now() - timedelta(days=30)
    rows = Alarm.objects.filter(_under(region), first_at__gte=since)
    by_kind = dict(rows.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    accepted = Event.objects.filter(
        pk__in=rows.exclude(event=None).values("event_id"), accepted_at__isnull=False
    ).values_list("created_at", "accepted_at")
    minutes = sorted((a - c).total_seconds() / 60 for c, a in accepted)
    median = round(minutes[len(minutes) // 2], 1) if minutes else None
    return {"by_kind": by_kind, "first_response_minutes_median": median}


def devices_offline(region) -> int:
    return Device.objects.filter(_under(region), offline_since__isnull=False, retired_at__isnull=True).count()


def incidents_acknowledged(region) -> dict:
    rows = IncidentReceipt.objects.filter(_under(region))
    return {"addressed": rows.count(), "acknowledged": rows.filter(acknowledged_at__isnull=False).count()}


def care_contacts_missed(region) -> int:
    from safety.models import CareRecipient

    return CareRecipient.objects.filter(
        _under(region), ended_on__isnull=True, next_contact_due__lt=timezone.localdate()
    ).count()


# The dashboards' node-own values (the DashboardMetric contract): (region_path, part, value) for
# every node under a path, one GROUP BY region_path each. Part "" is the metric's headline, the
# others the counts the functions above return. The alarms' minutes to a first response are a
# histogram per node (summed up the tree; the dashboards read the median off it), not a median
# of medians.

ALARM_WINDOW = timedelta(days=30)


def _grouped(queryset, **counts):
    return queryset.values("region_path").annotate(**counts).order_by()


def open_hazards_per_node(under_path: str):
    rows = _grouped(
        Finding.objects.open().filter(under([under_path], "region_path")),
        total=Count("id"),
        overdue=Count("id", filter=Q(deadline__lt=timezone.now())),
    )
    for row in rows:
        yield row["region_path"], "", row["total"]
        yield row["region_path"], "total", row["total"]
        yield row["region_path"], "overdue", row["overdue"]


def rectified_on_time_per_node(under_path: str):
    """Hazards rectified by their deadline ("" and "on_time"), of those rectified."""
    rows = _grouped(
        Finding.objects.filter(under([under_path], "region_path"), status=Finding.Status.RECTIFIED),
        rectified=Count("id"),
        on_time=Count("id", filter=Q(rectified_at__lte=F("deadline"))),
    )
    for row in rows:
        yield row["region_path"], "", row["on_time"]
        yield row["region_path"], "rectified", row["rectified"]
        yield row["region_path"], "on_time", row["on_time"]


def alarms_per_node(under_path: str):
    """Alarms of the last 30 days: "" all of them, and one part per kind."""
    rows = (
        Alarm.objects.filter(under([under_path], "region_path"), first_at__gte=timezone.now() - ALARM_WINDOW)
        .values("region_path", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        yield row["region_path"], "", row["n"]
        yield row["region_path"], row["kind"], row["n"]


def _first_response_buckets() -> tuple[float, ...]:
    from core.extensions.registry import registry

    return registry.get("dashboard_metrics", "safety.alarm_first_response").buckets


def alarm_first_response_per_node(under_path: str):
    """Minutes from an alarm's event to its acceptance, alarms of the last 30 days: a histogram
    per node (len(buckets) + 1 counts), read in one statement."""
    buckets = _first_response_buckets()
    rows = Alarm.objects.filter(
        under([under_path], "region_path"),
        first_at__gte=timezone.now() - ALARM_WINDOW,
        event__accepted_at__isnull=False,
    ).values_list("region_path", "event__created_at", "event__accepted_at")
    counts: dict[str, list[int]] = {}
    for path, created, accepted in rows:
        minutes = (accepted - created).total_seconds() / 60
        histogram = counts.setdefault(path, [0] * (len(buckets) + 1))
        histogram[next((i for i, bound in enumerate(buckets) if minutes <= bound), len(buckets))] += 1
    return ((path, "", histogram) for path, histogram in counts.items())


def devices_offline_per_node(under_path: str):
    rows = _grouped(
        Device.objects.filter(
            under([under_path], "region_path"), offline_since__isnull=False, retired_at__isnull=True
        ),
        n=Count("id"),
    )
    return ((row["region_path"], "", row["n"]) for row in rows)


def incidents_acknowledged_per_node(under_path: str):
    """Receipts acknowledged ("" and "acknowledged"), of those addressed."""
    rows = _grouped(
        IncidentReceipt.objects.filter(under([under_path], "region_path")),
        addressed=Count("id"),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
    )
    for row in rows:
        yield row["region_path"], "", row["acknowledged"]
        yield row["region_path"], "addressed", row["addressed"]
        yield row["region_path"], "acknowledged", row["acknowledged"]


def care_contacts_missed_per_node(under_path: str):
    from safety.models import CareRecipient

    rows = _grouped(
        CareRecipient.objects.filter(
            under([under_path], "region_path"),
            ended_on__isnull=True,
            next_contact_due__lt=timezone.localdate(),
        ),
        n=Count("id"),
    )
    return ((row["region_path"], "", row["n"]) for row in rows)


# Patrols: node-own values for the dashboards' summary tables (the DashboardMetric contract).


def patrols_done_per_node(under_path: str):
    """(completed, planned) shifts per node: planned are the shifts completed or whose planned end
    has passed; done are the completed ones. One GROUP BY on the shifts' path index."""
    from safety.models import PatrolShift

    now = timezone.now()
    rows = (
        PatrolShift.objects.under(under_path)
        .filter(Q(status=PatrolShift.Status.COMPLETED) | Q(planned_end__lte=now))
        .values("region_path")
        .annotate(
            planned=Count("id"),
            done=Count("id", filter=Q(status=PatrolShift.Status.COMPLETED)),
        )
        .order_by()
    )
    return ((row["region_path"], "", (row["done"], row["planned"])) for row in rows)
