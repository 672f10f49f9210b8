"""Devices whose heartbeat stopped: flagged offline by one set-based query every few minutes.

A device counts as offline once `offline_after` (its last message plus two heartbeat intervals)
has passed. A care device going silent is a missed heartbeat: a care signal for its person.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit.services import audit_record
from core.dashboards.changes import mark_changed
from safety.alarms import care_signal_send, device_ref
from safety.models import CARE_KINDS, Device


def devices_mark_offline(*, now=None) -> list[int]:
    """Flag every device silent past its limit; the ids flagged."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Device.objects.filter(
            offline_after__lt=now, offline_since__isnull=True, retired_at__isnull=True
        ).select_for_update()
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            return []
        Device.objects.filter(pk__in=ids).update(offline_since=now)
        # The UPDATE sends no signal: the dashboards' devices offline are refreshed by place.
        mark_changed(set(Device.objects.filter(pk__in=ids).values_list("region_path", flat=True)))
        silent_care = Device.objects.filter(
            pk__in=ids, kind__in=CARE_KINDS, care_resident__isnull=False
        ).values_list("pk", "region_path", "care_resident_id", "kind")
        for pk, region_path, resident_id, kind in silent_care:
            care_signal_send(
                region_path=region_path,
                resident_id=resident_id,
                at=now,
                source=f"safety.offline:{pk}:{int(now.timestamp())}",
                detail=f"{kind}:missed_heartbeat",
                device=device_ref(pk),
            )
        audit_record(actor=None, action="safety.device.offline", object_type="safety.device", object_ids=ids)
    return ids
