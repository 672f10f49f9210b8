"""The one code path behind both ways devices talk to us (HTTP posts, the MQTT bridge).

A message is (device serial, timestamp, signature, raw body). It is checked in this order, each
refusal writing nothing but a rate-limited log line: a timestamp (401 unsigned / stale), a known
device that is not retired (401), its signature over timestamp and body (401), a signature not
seen before (401 replayed), then the body: a JSON object with a batch of readings (400).

    {"readings": [{"type": "heartbeat"}, {"type": "alarm", "kind": "smoke"}, ...]}

Any reading is a sign of life (the device is online again); alarms of one message are raised
as one batch, coalesced per device (safety.alarms).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

from django.db import OperationalError
from django.utils import timezone

from safety import signing
from safety.alarms import alarms_raise, device_seen
from safety.models import Device
from safety.signing import Refused

MAX_READINGS = 500
READING_TYPES = frozenset({"heartbeat", "alarm"})
ALARM_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Accepted:
    device_id: int
    readings: int
    alarms: int
    alarm_id: int | None


def ingest(
    *, serial: str, timestamp: str, given_signature: str, body: bytes, channel: str, now: float | None = None
) -> Accepted:
    """Check one signed message and apply it. Raises Refused (logged, rate-limited)."""
    try:
        signing.check_timestamp(timestamp, now=now)
        if not serial or not given_signature:
            raise Refused("unsigned")
        device = (
            Device.objects.filter(serial=serial, retired_at__isnull=True)
            .only(
                "pk",
                "secret",
                "kind",
                "heartbeat_minutes",
                "region_id",
                "region_path",
                "house_id",
                "care_resident_id",
            )
            .first()
        )
        if device is None:
            raise Refused("unknown_device")
        signing.check_signature(device.secret, timestamp, body, given_signature)
        signing.remember(serial, given_signature)
        alarm_kinds = parse_readings(body)
    except Refused as refused:
        signing.log_refusal(refused.reason, serial, channel)
        raise
    at = timezone.now()
    count = len(alarm_kinds[1])
    alarm = _apply(device, alarm_kinds[1], at)
    return Accepted(device.pk, alarm_kinds[0], count, alarm.pk if alarm else None)


# A database briefly busy (SQLite's lock, a PostgreSQL fail-over) is tried again: a checked
# message, whose signature is already remembered against replay, is not dropped for a moment's
# contention. Each try is its own transaction.
TRANSIENT_TRIES = 3
TRANSIENT_PAUSE_SECONDS = 0.2


def _apply(device: Device, kinds: list[str], at):
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            if kinds:
                return alarms_raise(device=device, kinds=kinds, at=at)
            device_seen(device=device, at=at)
            return None
        except OperationalError:
            if attempt == TRANSIENT_TRIES:
                raise
            time.sleep(TRANSIENT_PAUSE_SECONDS * attempt)
    return None


def parse_readings(body: bytes) -> tuple[int, list[str]]:
    """(number of readings, the kind of each alarm among them); Refused(400) if malformed."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused("malformed", status=400) from None
    readings = data.get("readings") if isinstance(data, dict) else None
    if not isinstance(readings, list) or not 0 < len(readings) <= MAX_READINGS:
        raise Refused("malformed", status=400)
    alarms = []
    for reading in readings:
        if not isinstance(reading, dict) or reading.get("type") not in READING_TYPES:
            raise Refused("malformed", status=400)
        if reading["type"] == "alarm":
            kind = reading.get("kind")
            if not isinstance(kind, str) or not ALARM_KIND.match(kind):
                raise Refused("malformed", status=400)
            alarms.append(kind)
    return len(readings), alarms
