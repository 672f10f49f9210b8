"""Demo: care signals of two elderly people living alone in the first demo community, handed over
as the safety domain hands them (the hand-off), one of them escalated past its call."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.extensions import handoffs
from core.extensions.demo import scenario_enable_for_demo
from core.extensions.models import Handoff
from core.registry.models import Resident
from scenarios.elderly_alone.models import CareCase
from scenarios.elderly_alone.services import escalate_overdue


def seed_elderly_alone(city, *, scale) -> str:
    community = scenario_enable_for_demo("elderly_alone", city)
    if community is None:
        return ""
    people = list(
        Resident.objects.filter(
            region_path__startswith=community.path, status="active", region__level=5
        ).order_by("id")[:2]
    )
    now = timezone.now()
    for index, person in enumerate(people):
        handoff = handoffs.send(
            handoffs.CARE_SIGNAL,
            handoffs.CareSignal(
                region_path=person.region_path,
                resident_id=person.pk,
                signal="device_alarm" if index == 0 else "missed_contact",
                occurred_at=now - timedelta(minutes=30 * index),
                source=f"demo.signal:{person.pk}",
                detail="12小时未用水" if index == 0 else "未接听每日问候电话",
                device=f"demo.water_meter:{person.pk}" if index == 0 else "",
            ),
            idempotency_key=f"demo:{person.pk}",
        )
        handoffs.deliver(handoff.pk)
    escalate_overdue(now + timedelta(minutes=20))
    signals = Handoff.objects.filter(kind="care_signal").count()
    return f"elderly living alone: {CareCase.objects.count()} care cases ({signals} signals)"
