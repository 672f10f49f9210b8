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
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from core.pii.crypto import decrypt
from safety import signing
from safety.alarms import DeviceChanged, alarms_raise, device_seen
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


@dataclass(frozen=True)
class DeviceKey:
    """What checking and applying a device's message needs of it: its secret (decrypted) and
    the ciphertext it is stored as, which guards every write (safety.alarms._guarded)."""

    pk: int
    secret: str
    stored_secret: str
    heartbeat_minutes: int


# Devices' keys, kept per process for KEY_SECONDS: a device posting often is checked without
# reading it again. Never trusted alone: the write that applies a message matches the stored
# secret, the interval and "not retired" in its WHERE, so a retired device or a changed secret
# is seen at once (DeviceChanged: read again, check again); a signature that fails against a
# kept key is checked again against the device as stored. Unknown serials are not kept. Since
# the write guards it, how long a key is kept bounds only memory: 10 minutes covers devices whose
# heartbeat comes every few minutes; at most KEYS_KEPT keys (then all are dropped and read again).
KEY_SECONDS = 600
KEYS_KEPT = 10_000
CHANGED_TRIES = 3
_keys: dict[str, tuple[float, DeviceKey]] = {}
_keys_lock = threading.Lock()


def kept_key(serial: str) -> DeviceKey | None:
    """The device's key if this process keeps it (and it has not expired); no read."""
    kept = _keys.get(serial)
    return kept[1] if kept is not None and kept[0] > time.monotonic() else None


def device_key(serial: str, *, fresh: bool = False) -> DeviceKey | None:
    """The key of the device with this serial that is not retired (kept, or read), or None."""
    now = time.monotonic()
    kept = None if fresh else _keys.get(serial)
    if kept is not None and kept[0] > now:
        return kept[1]
    # Read again after a kept or replicated key failed: from the primary, which the write guards.
    devices = Device.objects.using(DEFAULT_DB_ALIAS) if fresh else Device.objects
    row = (
        devices.filter(serial=serial, retired_at__isnull=True)
        .annotate(stored_secret=Cast("secret", TextField()))
        .values_list("pk", "stored_secret", "heartbeat_minutes")
        .first()
    )
    if row is None:
        _keys.pop(serial, None)
        return None
    key = DeviceKey(pk=row[0], secret=decrypt(row[1]), stored_secret=row[1], heartbeat_minutes=row[2])
    with _keys_lock:
        if len(_keys) >= KEYS_KEPT:
            _keys.clear()
        _keys[serial] = (now + KEY_SECONDS, key)
    return key


@dataclass(frozen=True)
class Message:
    serial: str
    timestamp: str
    given_signature: str
    body: bytes


@contextmanager
def refusals_logged(serial: str, channel: str):
    """A refusal is logged (rate-limited) once, where it is raised, and raised on."""
    try:
        yield
    except Refused as refused:
        signing.log_refusal(refused.reason, serial, channel)
        raise


def ingest(
    *, serial: str, timestamp: str, given_signature: str, body: bytes, channel: str, now: float | None = None
) -> Accepted:
    """Check one signed message and apply it. Raises Refused (logged, rate-limited)."""
    message = Message(serial, timestamp, given_signature, body)
    with refusals_logged(serial, channel):
        signing.check_timestamp(timestamp, now=now)
        if not serial or not given_signature:
            raise Refused("unsigned")
        key = _checked_key(message)
        signing.remember(serial, given_signature)
        try:
            readings, kinds = parse_readings(body)
        except Refused:
            # A kept key may be out of date: a device retired or given a new secret is refused
            # as before (401), not answered on its body.
            _checked_key(message, fresh=True)
            raise
        return apply_checked(message, key, readings, kinds, timezone.now())


def apply_checked(
    message: Message, key: DeviceKey, readings: int, kinds: list[str], at, *, changed: bool = False
) -> Accepted:
    """Apply a message checked and remembered against replay. `changed`: a first try (made on
    the event loop, safety.ingestion_loop) found the device changed. Raises Refused
    ("device_changed") after CHANGED_TRIES, not logged here."""
    first = 1
    if changed:
        key, first = _checked_key(message, fresh=True), 2
    for attempt in range(first, CHANGED_TRIES + 1):
        try:
            alarm = _apply(key, kinds, at)
            return Accepted(key.pk, readings, len(kinds), alarm.pk if alarm else None)
        except DeviceChanged:
            # Retired, or re-keyed, since its key was kept (or, rarely, while it was read).
            if attempt == CHANGED_TRIES:
                raise Refused("device_changed") from None
            key = _checked_key(message, fresh=True)
    raise AssertionError("unreachable")


def _checked_key(message: Message, *, fresh=False) -> DeviceKey:
    """The device's key once its signature over the message holds; Refused otherwise."""
    key = device_key(message.serial, fresh=fresh)
    if key is None:
        raise Refused("unknown_device")
    try:
        signing.check_signature(key.secret, message.timestamp, message.body, message.given_signature)
    except Refused:
        if fresh:
            raise
        return _checked_key(message, fresh=True)
    return key


# A database briefly busy (SQLite's lock, a PostgreSQL fail-over) is tried again: a checked
# message, whose signature is already remembered against replay, is not dropped for a moment's
# contention. Each try is its own transaction.
TRANSIENT_TRIES = 3
TRANSIENT_PAUSE_SECONDS = 0.2


def _apply(key: DeviceKey, kinds: list[str], at):
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            if kinds:
                return alarms_raise(device=key, kinds=kinds, at=at, stored_secret=key.stored_secret)
            device_seen(device=key, at=at, stored_secret=key.stored_secret)
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
