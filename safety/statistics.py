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
