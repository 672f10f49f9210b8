"""manage.py device_bridge: the MQTT bridge of safety devices (safety/bridge.py), one process."""

from __future__ import annotations

import contextlib

from django.core.management.base import BaseCommand

from safety.bridge import Bridge, broker_url


class Command(BaseCommand):
    help = "Subscribe to the safety devices' MQTT topics and ingest their signed readings."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="mqtt://host:port (default SAFETY_MQTT_URL)")

    def handle(self, *args, **options):
        url = options["url"] or broker_url()
        self.stdout.write(f"device bridge: {url}")
        with contextlib.suppress(KeyboardInterrupt):
            Bridge(url).run_forever()
