from django.db.models import Count

from core.regions.scoping import under
from scenarios.elderly_alone.models import CareCase
from scenarios.elderly_alone.services import false_alarms_per_device


def false_alarms(region) -> dict[str, int]:
    """False alarms per device in the region (closed cases with outcome false_alarm)."""
    return false_alarms_per_device(region.path)


def false_alarms_per_node(under_path: str):
    """Cases closed as a false alarm of a device, per node (the dashboards' node-own values)."""
    rows = (
        CareCase.objects.filter(under((under_path,)), outcome=CareCase.Outcome.FALSE_ALARM)
        .exclude(device="")
        .values("region_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return ((row["region_path"], "", row["n"]) for row in rows)
