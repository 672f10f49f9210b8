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
from django.db import connection, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
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


class DeviceChanged(Exception):
    """The device was retired, or its secret or heartbeat interval changed, since the caller read
    it (safety.ingestion keeps devices' keys per process): nothing was written; read it again."""


def _alive(device, at: datetime) -> dict:
    return {
        "last_seen_at": at,
        "offline_after": at + timedelta(minutes=2 * device.heartbeat_minutes),
        "offline_since": None,
    }


def _guarded(rows, device, stored_secret: str | None):
    """`rows` narrowed to the device as the caller read it: not retired, the same secret as
    stored (its ciphertext) and the same heartbeat interval. No guard without `stored_secret`."""
    if stored_secret is None:
        return rows
    return rows.alias(stored_secret=Cast("secret", TextField())).filter(
        stored_secret=stored_secret, retired_at__isnull=True, heartbeat_minutes=device.heartbeat_minutes
    )


def _mark_alive(rows, alive: dict) -> int:
    """Update `rows` (one device) as alive; a device coming back from offline is counted by the
    dashboards (safety.devices_offline), and an UPDATE sends no signal: its place is marked."""
    back = list(rows.filter(offline_since__isnull=False).values_list("region_path", flat=True))
    matched = rows.update(**alive)
    if back and matched:
        mark_changed(back)
    return matched


# A heartbeat's commit does not wait for the disk (PostgreSQL synchronous_commit off, for this one
# statement's own transaction): a crash may lose the last fraction of a second of "last seen", which
# the device's next message restores; alarms are committed as everything else is. Heartbeats of a
# device within SEEN_EVERY of the last one written are not written again (a device posting many
# times a second, or flooding, is one row version a second, not one per post), unless it was
# flagged offline. One statement: the guarded read of the row, the UPDATE, and whether the row
# matched the guard.
SEEN_EVERY = timedelta(seconds=1)
_SEEN_SQL = """
WITH device AS (
  SELECT id, last_seen_at, offline_since FROM safety_device WHERE id = %s {guard}
), seen AS (
  UPDATE safety_device SET last_seen_at = %s, offline_after = %s, offline_since = NULL
  FROM device, (SELECT set_config('synchronous_commit', 'off', true)) AS heartbeat_commit
  WHERE safety_device.id = device.id
    AND (device.last_seen_at IS NULL OR device.last_seen_at <= %s OR device.offline_since IS NOT NULL)
  RETURNING safety_device.id
)
SELECT (SELECT count(*) FROM device), (SELECT count(*) FROM seen),
  (SELECT region_path FROM safety_device WHERE id = %s AND EXISTS (
     SELECT 1 FROM device WHERE offline_since IS NOT NULL))
"""
_SEEN_GUARD_SQL = "AND retired_at IS NULL AND heartbeat_minutes = %s AND secret = %s"


def seen_statement(device, at: datetime, stored_secret: str | None) -> tuple[str, list]:
    """The one statement of a heartbeat on PostgreSQL (_SEEN_SQL) and its parameters; its row is
    (matched, written, the device's region_path if it came back from offline, else None). Run by
    device_seen here and by safety.ingestion_loop on the event loop."""
    alive = _alive(device, at)
    guard, params = "", [device.pk]
    if stored_secret is not None:
        guard, params = _SEEN_GUARD_SQL, [*params, device.heartbeat_minutes, stored_secret]
    params += [alive["last_seen_at"], alive["offline_after"], at - SEEN_EVERY, device.pk]
    return _SEEN_SQL.format(guard=guard), params


def device_seen(*, device, at: datetime, stored_secret: str | None = None) -> None:
    """A sign of life: one statement, and no write within SEEN_EVERY of the last on PostgreSQL.
    Raises DeviceChanged if `stored_secret` is given and the device no longer matches it (see
    _guarded)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(*seen_statement(device, at, stored_secret))
            matched, _written, came_back_at = cursor.fetchone()
        if came_back_at:
            mark_changed([came_back_at])
    else:
        matched = _mark_alive(
            _guarded(Device.objects.filter(pk=device.pk), device, stored_secret), _alive(device, at)
        )
    if not matched and stored_secret is not None:
        raise DeviceChanged


def alarms_raise(*, device, kinds: list[str], at: datetime, stored_secret: str | None = None) -> Alarm:
    """Raise the alarms of one message: join the device's alarm within the window, or open one.
    Raises DeviceChanged (writing nothing) if `stored_secret` is given and the device no longer
    matches it."""
    with transaction.atomic():
        # The device row is the lock: two posts of one device at once cannot both open an alarm.
        locked = _guarded(Device.objects.select_for_update().filter(pk=device.pk), device, stored_secret)
        if not _mark_alive(locked, _alive(device, at)) and stored_secret is not None:
            raise DeviceChanged
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
                device=device_ref(device.pk),
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


def device_ref(pk: int) -> str:
    """How a care signal names its device ("safety.device:3", core.extensions.handoffs.CareSignal)."""
    return f"safety.device:{pk}"


def care_signal_send(
    *,
    region_path: str,
    resident_id: int,
    at: datetime,
    source: str,
    detail: str,
    signal: str = "device_alarm",
    device: str = "",
) -> None:
    """Hand a care signal over; `device` names the device that raised it (device_ref), so the
    scenario that takes it can count that device's false alarms."""
    handoffs.send(
        handoffs.CARE_SIGNAL,
        handoffs.CareSignal(
            region_path=region_path,
            resident_id=resident_id,
            signal=signal,
            occurred_at=at,
            source=source,
            detail=detail,
            device=device,
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
