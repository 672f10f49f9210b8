"""The MQTT bridge against the real Mosquitto (127.0.0.1:1883 here and in CI): a signed message
published by a fake vendor reaches the same ingestion as the HTTP route; a forged one is dropped;
the bridge reconnects by itself when its connection to the broker is cut."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import OperationalError

from safety import signing
from safety.bridge import Bridge, broker_url, frame, handle
from safety.models import Alarm, Device
from tests.safety.factories import alarms, body, device

pytestmark = [pytest.mark.django_db(transaction=True)]


def _wait(condition, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:  # SQLite's shared in-memory test database: the bridge is writing
            pass
        time.sleep(0.2)
    return False


def _publish(url_host: str, port: int, topic: str, payload: bytes) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"vendor-{uuid.uuid4().hex[:8]}")
    client.connect(url_host, port)
    client.loop_start()
    client.publish(topic, payload, qos=1).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


def _signed(made, payload: bytes) -> bytes:
    return frame(*signing.sign(made.secret, payload), payload)


def test_a_framed_message_goes_through_the_ingestion_and_a_forged_one_does_not(world):
    smoke = device(world.house_a)
    topic = f"safety/devices/{smoke.serial}/readings"
    assert handle(topic, _signed(smoke, alarms(3)))
    assert Alarm.objects.get().count == 3
    forged = frame(*signing.sign("not-the-secret", alarms(1)), alarms(1))
    assert not handle(topic, forged)
    assert not handle("safety/devices/x/other", _signed(smoke, alarms(1)))
    assert not handle(topic, b"garbage")
    assert Alarm.objects.get().count == 3


class _CuttableProxy:
    """A TCP relay in front of the broker whose connections can be cut (a broker restart, as the
    bridge sees it) without touching the shared Mosquitto."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                inbound, _ = self.server.accept()
            except OSError:
                return
            outbound = socket.create_connection(self.target)
            self.sockets += [inbound, outbound]
            for a, b in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self):
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def close(self):
        self.cut()
        self.server.close()


@pytest.mark.mqtt
def test_through_mosquitto_a_signed_alarm_opens_the_event_and_the_bridge_reconnects_by_itself(world):
    host, port = "127.0.0.1", int(broker_url().rsplit(":", 1)[1])
    proxy = _CuttableProxy(host, port)
    smoke = device(world.house_a)
    topic = f"safety/devices/{smoke.serial}/readings"
    bridge = Bridge(f"mqtt://127.0.0.1:{proxy.port}", client_id=f"bridge-test-{uuid.uuid4().hex[:8]}")
    bridge.client.reconnect_delay_set(min_delay=1, max_delay=2)
    bridge.start()
    try:
        assert _wait(lambda: bridge.connections == 1 and bridge.client.is_connected())
        time.sleep(0.3)  # the subscription is acknowledged
        _publish(host, port, topic, _signed(smoke, alarms(2)))
        assert _wait(lambda: Alarm.objects.filter(device=smoke).exists())
        alarm = Alarm.objects.get(device=smoke)
        assert alarm.event_id is not None and alarm.count == 2
        # The broker goes away and comes back: the bridge connects and subscribes again itself.
        proxy.cut()
        assert _wait(lambda: bridge.connections == 2, seconds=15)
        time.sleep(0.3)
        _publish(
            host, port, topic, _signed(smoke, body({"type": "heartbeat"}, {"type": "alarm", "kind": "smoke"}))
        )
        assert _wait(lambda: Alarm.objects.get(device=smoke).count == 3)
        assert Device.objects.get(pk=smoke.pk).last_seen_at is not None
    finally:
        bridge.stop()
        proxy.close()
