"""Device ingestion end to end: signed posts (a batch of readings each) to the platform's
/api/v1/safety/readings/ under uvicorn (production settings, the Procfile's options), against a
bare ASGI handler that only verifies the signature and answers (bench/bare_device_asgi.py), under
the same uvicorn, posts interleaved. Target: ours at least a third of the bare rate (time per post
at most 3×).

    DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench.bench_safety_ingest --runs 200

A device of its own is registered for the run and removed after, with its readings.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import tempfile
from pathlib import Path

from bench.bench_http import production_env, served
from bench.harness import Context, Result, at_most, cli, compare

URL = "/api/v1/safety/readings/"
READINGS_PER_POST = 20
_message = itertools.count(1)


class Poster:
    def __init__(self, port: int, serial: str, secret: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.serial, self.secret = serial, secret

    def post(self) -> None:
        from safety import signing

        body = json.dumps(
            {"id": next(_message), "readings": [{"type": "heartbeat"}] * READINGS_PER_POST}
        ).encode()
        timestamp, signature = signing.sign(self.secret, body)
        headers = {
            "Content-Type": "application/json",
            # Behind the site's TLS proxy, as production runs (SECURE_SSL_REDIRECT).
            "X-Forwarded-Proto": "https",
            "X-Device-Serial": self.serial,
            "X-Device-Timestamp": timestamp,
            "X-Device-Signature": signature,
        }
        try:
            self.connection.request("POST", URL, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            self.connection.request("POST", URL, body=body, headers=headers)
            response = self.connection.getresponse()
        answer = response.read()
        if response.status != 202:
            raise RuntimeError(f"POST {URL}: {response.status} {answer[:300]!r}")


def _bench_device():
    from django.utils import timezone

    from core.registry.models import House
    from safety.models import Device, DevicePlacement, Vendor

    house = House.objects.order_by("id").first()
    if house is None:
        raise RuntimeError("no house in the database: seed it first (manage.py seed_demo)")
    vendor, _ = Vendor.objects.get_or_create(code="bench", defaults={"name": "bench"})
    Device.objects.filter(serial="BENCH-INGEST").delete()
    device = Device.objects.create(
        serial="BENCH-INGEST",
        kind="smoke",
        vendor=vendor,
        house=house,
        secret="bench-ingest-secret",  # noqa: S106 - a throwaway device of the run
        region_id=house.region_id,
        region_path=house.region_path,
        offline_after=timezone.now(),
    )
    DevicePlacement.objects.create(
        device=device,
        house=house,
        region_id=house.region_id,
        region_path=house.region_path,
        started_at=timezone.now(),
    )
    return device


def _vacuum_devices() -> None:
    """Every run starts from the same state: each heartbeat of a run is an UPDATE of the bench
    device's row (with its indexed offline_after), which earlier runs leave behind as dead rows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE safety_device")


def run(ctx: Context) -> list[Result]:
    os.environ.update(production_env())
    from bench._django import setup

    setup(vacuum=False)
    _vacuum_devices()
    device = _bench_device()
    try:
        server_env = {**os.environ, "PYTHONUNBUFFERED": "1", "BARE_DEVICE_SECRET": device.secret}
        with (
            tempfile.TemporaryDirectory() as tmp,
            served("config.asgi:application", server_env, Path(tmp) / "ours.log") as ours,
            served("bench.bare_device_asgi:app", server_env, Path(tmp) / "bare.log") as bare,
        ):
            ours_client = Poster(ours.port, device.serial, device.secret)
            bare_client = Poster(bare.port, device.serial, device.secret)
            return [
                compare(
                    f"signed post of {READINGS_PER_POST} readings: platform vs bare signature check",
                    ("platform", ours_client.post),
                    ("bare ASGI", bare_client.post),
                    target=at_most(3),
                    runs=ctx.runs,
                )
            ]
    finally:
        device.placements.all().delete()
        device.delete()


if __name__ == "__main__":
    cli(run)
