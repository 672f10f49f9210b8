"""What an alarm does: repeated alarms of one device within the window are one Alarm row and one
event (or one care signal); the event is high priority on a round-the-clock clock, assigned in
the grid, and the grid's workers and the community's on-duty people get a live notice.

Alarms about an elderly person living alone (a care device bound to them) go through the
care-signals hand-off: a scenario enabled for the place takes them over; elsewhere safety's own
fallback (care_signal_received) opens the event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.accounts.roles import Role
from core.dashboards.changes import mark_changed
from core.extensions import handoffs
from core.notices.services import notify
from core.regions.models import Region
from core.workflow.models import Event
from core.workflow.roster import on_duty_now
from core.workflow.services import event_report
from safety.models import CARE_KINDS, Alarm, Device

ALARM_EVENT = "safety.alarm"
CARE_EVENT = "safety.care_signal"
ALARM_NOTICE = "safety.alarm"


def alarm_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "SAFETY_ALARM_WINDOW_MINUTES", 30))


def _alive(device: Device, at: datetime) -> dict:
    return {
        "last_seen_at": at,
        "offline_after": at + timedelta(minutes=2 * device.heartbeat_minutes),
        "offline_since": None,
    }


def _back_online(device: Device) -> None:
    """A device flagged offline is counted by the dashboards (safety.devices_offline): its UPDATE
    sends no signal, so its place is marked changed."""
    if device.offline_since is not None:
        mark_changed([device.region_path])


def device_seen(*, device: Device, at: datetime) -> None:
    """A sign of life: one UPDATE, no read."""
    Device.objects.filter(pk=device.pk).update(**_alive(device, at))
    _back_online(device)


def alarms_raise(*, device: Device, kinds: list[str], at: datetime) -> Alarm:
    """Raise the alarms of one message: join the device's alarm within the window, or open one."""
    with transaction.atomic():
        # The device row is the lock: two posts of one device at once cannot both open an alarm.
        Device.objects.select_for_update().filter(pk=device.pk).update(**_alive(device, at))
        _back_online(device)
        current = (
            Alarm.objects.filter(device_id=device.pk, last_at__gte=at - alarm_window())
            .order_by("-last_at")
            .first()
        )
        if current is not None:
            Alarm.objects.filter(pk=current.pk).update(count=F("count") + len(kinds), last_at=at)
            return current
        device = Device.objects.select_related("house", "region").get(pk=device.pk)
        alarm = Alarm.objects.create(
            device=device,
            house_id=device.house_id,
            region_id=device.region_id,
            region_path=device.region_path,
            kind=kinds[0],
            first_at=at,
            last_at=at,
            count=len(kinds),
        )
        if device.kind in CARE_KINDS and device.care_resident_id:
            care_signal_send(
                region_path=device.region_path,
                resident_id=device.care_resident_id,
                at=at,
                source=f"safety.alarm:{alarm.pk}",
                detail=f"{device.kind}:{alarm.kind}",
            )
            Alarm.objects.filter(pk=alarm.pk).update(care_signal=True)
        else:
            alarm.event = alarm_event_open(
                type_key=ALARM_EVENT,
                grid=device.region,
                house=device.house,
                title=_("Alarm: %(kind)s at %(address)s")
                % {"kind": device.get_kind_display(), "address": device.house.address},
            )
            Alarm.objects.filter(pk=alarm.pk).update(event=alarm.event)
    return alarm


def care_signal_send(
    *,
    region_path: str,
    resident_id: int,
    at: datetime,
    source: str,
    detail: str,
    signal: str = "device_alarm",
) -> None:
    handoffs.send(
        handoffs.CARE_SIGNAL,
        handoffs.CareSignal(
            region_path=region_path,
            resident_id=resident_id,
            signal=signal,
            occurred_at=at,
            source=source,
            detail=detail,
        ),
        idempotency_key=source,
    )


def alarm_event_open(*, type_key: str, grid: Region, title: str, house=None, external_ref: str = "") -> Event:
    """A high-priority event at the grid, and a live notice to its workers and to whoever is on
    duty at the community now (core/workflow/roster.py)."""
    event, _merged = event_report(
        reporter=None,
        type_key=type_key,
        source=Event.Source.DEVICE,
        title=title,
        house=house,
        grid=None if house is not None else grid,
        priority="high",
        external_ref=external_ref,
    )
    link = {"type": "workflow.event", "id": event.pk, "url": f"/api/v1/events/{event.pk}/"}
    notify(kind=ALARM_NOTICE, title=title, region=grid, role=Role.GRID_WORKER, link=link)
    community = grid.parent if grid.level == Region.Level.GRID else grid
    for person in on_duty_now(community):
        notify(kind=ALARM_NOTICE, title=title, user=person, link=link)
    return event


def care_signal_received(payload: handoffs.CareSignal, *, key: str) -> None:
    """Safety's fallback for care signals where no scenario takes them: an event of its own."""
    from core.registry.models import Resident

    resident = Resident.objects.select_related("house").filter(pk=payload.resident_id).first()
    house = resident.house if resident is not None and resident.house_id else None
    grid = house.region if house is not None else Region.objects.get(path=payload.region_path)
    if Event.objects.filter(type=CARE_EVENT, external_ref=key[:100]).exists():
        return
    alarm_event_open(
        type_key=CARE_EVENT,
        grid=grid,
        house=house,
        title=_("Care signal: %(detail)s") % {"detail": payload.detail or payload.signal},
        external_ref=key[:100],
    )
