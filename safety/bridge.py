"""The MQTT side of device ingestion: a bridge that subscribes to the vendors' topics on the
site's broker and hands each message to the same code path as the HTTP route (safety.ingestion).

A message on `safety/devices/<serial>/readings` carries three parts, split at the first two
newlines, so the signed bytes arrive exactly as signed:

    1700000000\\n<hex signature>\\n{"readings": [...]}

paho reconnects by itself (with a growing delay, at most RECONNECT_MAX_DELAY); every connection,
the first and each one after the broker restarted, subscribes again in on_connect.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections

from safety.ingestion import ingest
from safety.signing import Refused, log_refusal

logger = logging.getLogger("smartcommunity.safety.bridge")

TOPIC = "safety/devices/+/readings"
RECONNECT_MAX_DELAY = 30


def broker_url() -> str:
    return settings.SAFETY_MQTT_URL


def frame(timestamp: str, signature: str, body: bytes) -> bytes:
    """A device's message as it is published (tests, the demo, a vendor's reference)."""
    return f"{timestamp}\n{signature}\n".encode() + body


def serial_of(topic: str) -> str:
    parts = topic.split("/")
    return (
        parts[2] if len(parts) == 4 and parts[:2] == ["safety", "devices"] and parts[3] == "readings" else ""
    )


def handle(topic: str, payload: bytes) -> bool:
    """One message from the broker; whether it was accepted. Never raises: a bad message is
    logged (rate-limited) and dropped, and the bridge goes on."""
    serial = serial_of(topic)
    timestamp, _, rest = payload.partition(b"\n")
    signature, _, body = rest.partition(b"\n")
    close_old_connections()
    try:
        ingest(
            serial=serial,
            timestamp=timestamp.decode("ascii", "replace"),
            given_signature=signature.decode("ascii", "replace"),
            body=body,
            channel="mqtt",
        )
    except Refused:
        return False  # logged by ingest
    except Exception:
        logger.exception("device message from %r could not be applied", serial[:64])
        log_refusal("error", serial, "mqtt")
        return False
    return True


class Bridge:
    def __init__(self, url: str | None = None, *, client_id: str = "safety-device-bridge"):
        parts = urlsplit(url or broker_url())
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 1883
        self.connections = 0
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
        if parts.username:
            self.client.username_pw_set(parts.username, parts.password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=RECONNECT_MAX_DELAY)
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_message = lambda client, userdata, message: handle(message.topic, message.payload)

    def _connected(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            logger.warning("MQTT broker refused the connection: %s", reason_code)
            return
        self.connections += 1
        client.subscribe(TOPIC, qos=1)
        logger.info("device bridge connected to %s:%s, subscribed to %s", self.host, self.port, TOPIC)

    def _disconnected(self, client, userdata, flags, reason_code, properties):
        logger.warning("device bridge lost the broker (%s); reconnecting", reason_code)

    def start(self) -> None:
        """Connect and run in a background thread (tests); reconnects by itself."""
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def run_forever(self) -> None:
        """Connect and run in this thread until interrupted; a broker down at start is retried."""
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_forever(retry_first_connection=True)
