"""Safety's test rows and a fake vendor that signs what its devices post."""

from __future__ import annotations

import itertools
import json
import time

from django.utils import timezone

from safety import signing

_serial = itertools.count(1)


def vendor(code: str = "acme"):
    from safety.models import Vendor

    return Vendor.objects.get_or_create(code=code, defaults={"name": "安防科技"})[0]


def device(
    house, *, kind: str = "smoke", care_resident=None, heartbeat_minutes: int = 60, secret: str | None = None
):
    """A registered device in `house` (as device_register leaves it, without going through scope)."""
    from safety.models import Device, DevicePlacement

    now = timezone.now()
    made = Device.objects.create(
        serial=f"SD-{next(_serial):05d}",
        kind=kind,
        vendor=vendor(),
        house=house,
        care_resident=care_resident,
        secret=secret or f"secret-{next(_serial)}",
        heartbeat_minutes=heartbeat_minutes,
        region_id=house.region_id,
        region_path=house.region_path,
        offline_after=now + timezone.timedelta(minutes=2 * heartbeat_minutes),
    )
    DevicePlacement.objects.create(
        device=made, house=house, region_id=house.region_id, region_path=house.region_path, started_at=now
    )
    return made


_message = itertools.count(1)


def body(*readings: dict) -> bytes:
    """A message; its id makes two messages with the same readings sign differently, as a
    vendor's sequence number does."""
    return json.dumps({"id": next(_message), "readings": list(readings)}).encode()


def alarms(n: int, kind: str = "smoke") -> bytes:
    return body(*({"type": "alarm", "kind": kind} for _ in range(n)))


HEARTBEAT = {"type": "heartbeat"}


def signed_headers(device, payload: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp, sig = signing.sign(device.secret, payload, now=now if now is not None else time.time())
    return {
        "HTTP_X_DEVICE_SERIAL": device.serial,
        "HTTP_X_DEVICE_TIMESTAMP": timestamp,
        "HTTP_X_DEVICE_SIGNATURE": sig,
    }


def post(client, device, payload: bytes, **headers):
    """A fake vendor's signed post (headers override what it signs, to forge one)."""
    signed = {**signed_headers(device, payload), **headers}
    return client.post("/api/v1/safety/readings/", data=payload, content_type="application/json", **signed)
