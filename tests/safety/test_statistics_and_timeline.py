"""What the dashboards and the household file show of community safety."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safety import inspections, statistics
from safety.alarms import alarms_raise
from safety.models import Device
from safety.timeline import safety_entries
from tests.safety.factories import device

pytestmark = pytest.mark.django_db


def test_metrics_and_timeline_count_hazards_alarms_and_offline_devices(world):
    made = inspections.round_open(
        actor=world.grid_worker, kind="fire", place_kind="house", house=world.house_a.pk
    )
    inspections.finding_record(actor=world.grid_worker, round=made, item="fire_passage", severity="medium")
    smoke = device(world.house_a)
    alarms_raise(device=smoke, kinds=["smoke", "smoke"], at=timezone.now())
    quiet = device(world.house_b)
    Device.objects.filter(pk=quiet.pk).update(offline_since=timezone.now())

    assert statistics.open_hazards(world.community_a) == {"total": 1, "by_kind": {"fire": 1}, "overdue": 0}
    assert statistics.open_hazards(world.community_b)["total"] == 0
    assert statistics.alarms(world.street)["by_kind"] == {"smoke": 1}
    assert statistics.devices_offline(world.community_a) == 0
    assert statistics.devices_offline(world.street) == 1
    kinds = sorted(entry["kind"] for entry in safety_entries([world.household.pk], limit=10))
    assert kinds == ["safety.alarm", "safety.hazard"]
