"""Device ingestion over HTTP: signed posts from a fake vendor, the refusals (stale, replayed,
unsigned, malformed) that touch nothing, coalescing a flood into one event, care signals through
the hand-off, offline detection and a device's move keeping its history."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.audit.models import AuditEvent
from core.extensions.models import Handoff
from core.notices.models import Notice
from core.workflow.models import DutyShift, Event
from safety.models import Alarm, Device, DevicePlacement
from safety.offline import devices_mark_offline
from tests.safety.factories import HEARTBEAT, alarms, body, device, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def _on_duty(world, user):
    now = timezone.now()
    return DutyShift.objects.create(
        region=world.community_a,
        region_path=world.community_a.path,
        user=user,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )


def _told(user) -> bool:
    from core.notices.selectors import visibility_filter

    return Notice.objects.filter(visibility_filter(user), kind="safety.alarm").exists()


def test_a_signed_alarm_opens_one_high_priority_round_the_clock_event_and_tells_grid_and_on_duty(
    world, client
):
    _on_duty(world, world.community_worker)
    smoke = device(world.house_a)
    response = post(client, smoke, alarms(1))
    assert response.status_code == 202, response.content
    alarm = Alarm.objects.get()
    event = Event.objects.get(pk=alarm.event_id)
    assert (event.type, event.priority, event.house_id) == ("safety.alarm", "high", world.house_a.pk)
    # The clock runs from the report, night or day: a deadline an hour away.
    assert event.deadline is not None and event.deadline - event.created_at <= timedelta(hours=1, minutes=1)
    for person in (world.grid_worker, world.lead, world.community_worker):
        assert _told(person), person
    assert not _told(world.worker_b) and not _told(world.secretary)
    smoke.refresh_from_db()
    assert smoke.last_seen_at is not None and smoke.offline_since is None


def test_a_flood_of_10000_alarms_from_one_device_opens_one_event(world, client):
    smoke = device(world.house_a)
    for _ in range(100):
        assert post(client, smoke, alarms(100)).status_code == 202
    alarm = Alarm.objects.get()
    assert alarm.count == 10_000
    assert Event.objects.filter(type="safety.alarm").count() == 1


def test_alarms_after_the_window_open_a_new_event(world, client, settings):
    smoke = device(world.house_a)
    post(client, smoke, alarms(1))
    Alarm.objects.update(last_at=timezone.now() - timedelta(minutes=31))
    post(client, smoke, alarms(1))
    assert Event.objects.filter(type="safety.alarm").count() == 2


def _nothing_written(smoke):
    smoke.refresh_from_db()
    assert smoke.last_seen_at is None
    assert not Alarm.objects.exists() and not Event.objects.exists()


def _refused(response, status=401, code="bad_signature"):
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


def test_a_stale_post_is_refused_and_touches_nothing(world, client):
    smoke = device(world.house_a)
    payload = alarms(1)
    from tests.safety.factories import signed_headers

    old = signed_headers(smoke, payload, now=time.time() - 301)
    _refused(client.post("/api/v1/safety/readings/", payload, content_type="application/json", **old))
    future = signed_headers(smoke, payload, now=time.time() + 301)
    _refused(client.post("/api/v1/safety/readings/", payload, content_type="application/json", **future))
    _nothing_written(smoke)


def test_a_replayed_post_is_refused(world, client):
    from tests.safety.factories import signed_headers

    smoke = device(world.house_a)
    payload = body(HEARTBEAT)
    headers = signed_headers(smoke, payload)
    assert (
        client.post(
            "/api/v1/safety/readings/", payload, content_type="application/json", **headers
        ).status_code
        == 202
    )
    _refused(client.post("/api/v1/safety/readings/", payload, content_type="application/json", **headers))


def test_unsigned_wrongly_signed_or_unknown_device_posts_are_refused(world, client):
    smoke = device(world.house_a)
    payload = alarms(1)
    _refused(client.post("/api/v1/safety/readings/", payload, content_type="application/json"))
    _refused(post(client, smoke, payload, HTTP_X_DEVICE_SIGNATURE=""))
    _refused(post(client, smoke, payload, HTTP_X_DEVICE_SIGNATURE="0" * 64))
    _refused(post(client, smoke, payload, HTTP_X_DEVICE_SERIAL="SD-NOBODY"))
    other = device(world.house_b)
    _refused(post(client, smoke, payload, HTTP_X_DEVICE_SERIAL=other.serial))
    _nothing_written(smoke)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b'{"readings": []}',
        b'{"readings": [{"type": "alarm"}]}',
        b'{"readings": [{"type": "x"}]}',
        b"[]",
        body(*([HEARTBEAT] * 501)),
    ],
)
def test_a_malformed_signed_post_is_refused_with_400(world, client, payload):
    smoke = device(world.house_a)
    _refused(post(client, smoke, payload), status=400, code="malformed_readings")
    _nothing_written(smoke)


def test_refusals_are_logged_at_most_once_a_minute_per_reason(world, client, caplog):
    smoke = device(world.house_a)
    with caplog.at_level(logging.WARNING, logger="smartcommunity.safety.ingestion"):
        for _ in range(20):
            post(client, smoke, alarms(1), HTTP_X_DEVICE_SIGNATURE="f" * 64)
    assert len([r for r in caplog.records if "refused" in r.getMessage()]) == 1
    assert not [r for r in caplog.records if r.name == "django.request"]
    assert not AuditEvent.objects.exists()


def test_an_emergency_button_goes_through_the_care_signal_hand_off_to_safety_s_own_event(
    world, client, django_capture_on_commit_callbacks
):
    button = device(world.house_a, kind="emergency_button", care_resident=world.elder)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, button, body({"type": "alarm", "kind": "emergency"})).status_code == 202
    handoff = Handoff.objects.get(kind="care_signal")
    assert (handoff.status, handoff.consumer) == ("delivered", "safety.care_signal_fallback")
    assert not Event.objects.filter(type="safety.alarm").exists()
    event = Event.objects.get(type="safety.care_signal")
    assert (event.house_id, event.priority) == (world.house_a.pk, "high")
    assert Alarm.objects.get().care_signal


def test_an_alarm_taken_over_by_the_elderly_care_scenario_names_its_device(
    world, client, django_capture_on_commit_callbacks
):
    """So that the scenario can count false alarms per device."""
    from scenarios.elderly_alone.models import CareCase
    from scenarios.elderly_alone.services import false_alarms_per_device
    from tests.scenarios.helpers import enable

    enable("elderly_alone", world.community_a)
    button = device(world.house_a, kind="emergency_button", care_resident=world.elder)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, button, body({"type": "alarm", "kind": "emergency"})).status_code == 202
    assert Handoff.objects.get(kind="care_signal").status == "delivered"
    case = CareCase.objects.get()
    assert (case.resident_id, case.device) == (world.elder.pk, f"safety.device:{button.pk}")
    CareCase.objects.filter(pk=case.pk).update(outcome="false_alarm")
    assert false_alarms_per_device(world.city.path) == {f"safety.device:{button.pk}": 1}
    assert not Event.objects.filter(type__in=["safety.alarm", "safety.care_signal"]).exists()


def test_a_heartbeat_brings_an_offline_device_back(world, client):
    meter = device(world.house_a, kind="water_meter")
    Device.objects.filter(pk=meter.pk).update(offline_since=timezone.now())
    assert post(client, meter, body(HEARTBEAT)).status_code == 202
    meter.refresh_from_db()
    assert meter.offline_since is None and meter.offline_after > timezone.now()


def test_silent_devices_are_flagged_offline_in_one_pass_and_a_care_device_sends_a_missed_heartbeat(
    world, django_capture_on_commit_callbacks
):
    quiet = device(world.house_a, heartbeat_minutes=10)
    alive = device(world.house_a, heartbeat_minutes=10)
    door = device(world.house_a, kind="door", care_resident=world.elder, heartbeat_minutes=10)
    later = timezone.now() + timedelta(minutes=21)
    Device.objects.filter(pk=alive.pk).update(offline_after=later + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        flagged = devices_mark_offline(now=later)
    assert sorted(flagged) == sorted([quiet.pk, door.pk])
    assert devices_mark_offline(now=later) == []  # flagged once
    signal = Handoff.objects.get(kind="care_signal")
    assert "missed_heartbeat" in signal.payload["detail"]
    assert signal.payload["device"] == f"safety.device:{door.pk}"
    assert Event.objects.filter(type="safety.care_signal").count() == 1
    assert AuditEvent.objects.filter(action="safety.device.offline").count() == 1


def test_offline_devices_are_listed(world):
    from tests.helpers import client_for

    quiet = device(world.house_a)
    device(world.house_a)
    Device.objects.filter(pk=quiet.pk).update(offline_since=timezone.now())
    response = client_for(world.grid_worker).get("/api/v1/safety/devices/?offline=true")
    assert [row["id"] for row in response.json()["results"]] == [quiet.pk]


def test_a_device_moved_to_another_house_keeps_its_history(world, client):
    from tests.helpers import client_for

    smoke = device(world.house_a)
    post(client, smoke, alarms(1))
    from core.registry.models import House

    other = House.objects.create(
        region=world.grid_a2, region_path=world.grid_a2.path, address="滨江路1号2栋201"
    )
    response = client_for(world.community_worker).post(
        f"/api/v1/safety/devices/{smoke.pk}/move/", {"house": other.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    smoke.refresh_from_db()
    assert (smoke.house_id, smoke.region_path) == (other.pk, world.grid_a2.path)
    placements = list(DevicePlacement.objects.filter(device=smoke).order_by("started_at"))
    assert [p.house_id for p in placements] == [world.house_a.pk, other.pk]
    assert placements[0].ended_at is not None and placements[1].ended_at is None
    assert Alarm.objects.get().house_id == world.house_a.pk


def test_registration_returns_the_secret_once_and_keeps_it_encrypted(world):
    from django.db import connection

    from tests.helpers import client_for
    from tests.safety.factories import vendor

    vendor()
    api = client_for(world.community_worker)
    response = api.post(
        "/api/v1/safety/devices/",
        {"serial": "GAS-1", "kind": "gas", "vendor": "acme", "house": world.house_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert len(secret) >= 32
    assert "secret" not in api.get(f"/api/v1/safety/devices/{response.json()['id']}/").json()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM safety_device WHERE serial = 'GAS-1'")
        assert secret not in cursor.fetchone()[0]


def test_a_database_busy_for_a_moment_does_not_lose_a_checked_alarm(world, client, monkeypatch):
    """The signature is remembered against replay before the alarm is written, so a transient
    database error (a lock, a fail-over) is tried again rather than dropping the alarm."""
    from django.db import OperationalError

    from safety import ingestion

    smoke = device(world.house_a)
    real, failures = ingestion.alarms_raise, []

    def busy_once(**kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("database table is locked: safety_alarm")
        return real(**kwargs)

    monkeypatch.setattr(ingestion, "alarms_raise", busy_once)
    monkeypatch.setattr(ingestion, "TRANSIENT_PAUSE_SECONDS", 0)
    assert post(client, smoke, alarms(1)).status_code == 202
    assert failures == [1] and Alarm.objects.get(device=smoke).count == 1


@pytest.mark.django_db(transaction=True)
def test_a_device_key_kept_by_the_process_never_outlives_a_new_secret_or_the_device_s_retirement(world):
    """Keys are kept per process (safety.ingestion.device_key), but every write matches the secret
    as stored and "not retired": outside a test transaction, as in production (PostgreSQL: the
    heartbeat's own statement)."""
    client = Client()
    smoke = device(world.house_a)
    assert post(client, smoke, body(HEARTBEAT)).status_code == 202
    smoke.refresh_from_db()
    seen = smoke.last_seen_at
    assert seen is not None and smoke.serial in ingestion_keys()
    assert post(client, smoke, body(HEARTBEAT)).status_code == 202
    smoke.refresh_from_db()
    if connection.vendor == "postgresql":  # within a second of the last write: not written again
        assert smoke.last_seen_at == seen
    seen = smoke.last_seen_at

    old_secret = smoke.secret
    Device.objects.filter(pk=smoke.pk).update(secret="a-new-secret")
    _refused(post(client, smoke, body(HEARTBEAT)))  # still signed with the old secret
    _refused(post(client, smoke, alarms(1)))
    smoke.refresh_from_db()
    assert smoke.last_seen_at == seen and not Alarm.objects.exists()
    smoke.secret = "a-new-secret"
    assert post(client, smoke, body(HEARTBEAT)).status_code == 202

    Device.objects.filter(pk=smoke.pk).update(retired_at=timezone.now())
    smoke.refresh_from_db()
    seen = smoke.last_seen_at
    _refused(post(client, smoke, body(HEARTBEAT)))
    _refused(post(client, smoke, alarms(1)))
    _refused(post(client, smoke, b'{"readings": "none"}'))  # not answered on its body: 401, not 400
    smoke.refresh_from_db()
    assert smoke.last_seen_at == seen and not Alarm.objects.exists() and not Event.objects.exists()
    assert old_secret != smoke.secret


def ingestion_keys():
    from safety import ingestion

    return ingestion._keys
