"""/ws/dashboards/<region id>/: a signed-in person's live dashboard of one node.

The session authenticates (the dashboard page is a session page); a node outside the person's
dashboard scope closes the connection with 4404, as the API answers 404. The connection joins the
node's group (core.dashboards.live); each message names the metrics that changed, and the
consumer sends the node's and its children's values of those metrics, read from the summary
tables and withheld as the API withholds them, at most once per DASHBOARD_PUSH_INTERVAL_SECONDS:
changes arriving meanwhile are gathered into the next update.
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from core.dashboards import live, selectors
from core.regions.paths import region_in_scope

UNAUTHENTICATED = 4401
NOT_FOUND = 4404


def _load(user, region_id: int, metrics: set[str]) -> dict | None:
    region = region_in_scope(user, region_id, selectors.VIEW)
    if region is None:
        return None
    view = selectors.dashboard(region, suppress=selectors.suppresses_for(user))
    return {
        "type": "indicators",
        "region": region.pk,
        "as_of": view["as_of"],
        "indicators": {k: v for k, v in view["indicators"].items() if k in metrics},
        "children": [
            {
                "region": child["region"],
                "indicators": {k: v for k, v in child["indicators"].items() if k in metrics},
            }
            for child in view["children"]
        ],
    }


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.group = None
        self.pending: set[str] = set()
        self.last_sent = 0.0
        self.timer: asyncio.Task | None = None
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        region_id = self.scope["url_route"]["kwargs"]["region_id"]
        region = await database_sync_to_async(region_in_scope)(user, region_id, selectors.VIEW)
        if region is None:
            await self.close(code=NOT_FOUND)
            return
        self.user, self.region_id = user, region.pk
        self.group = live.region_group(region.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "ready", "region": region.pk})

    async def disconnect(self, code) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def dashboards_changed(self, message: dict) -> None:
        self.pending |= set(message.get("metrics") or ())
        if self.timer is not None:
            return  # an update is already due; it carries these metrics too
        wait = self.last_sent + settings.DASHBOARD_PUSH_INTERVAL_SECONDS - time.monotonic()
        self.timer = asyncio.ensure_future(self._send_after(max(wait, 0)))

    async def _send_after(self, seconds: float) -> None:
        try:
            await asyncio.sleep(seconds)
            metrics, self.pending = self.pending, set()
            self.last_sent = time.monotonic()
            payload = await database_sync_to_async(_load)(self.user, self.region_id, metrics)
            if payload is None:  # the role ended: the node is no longer in scope
                await self.close(code=NOT_FOUND)
                return
            await self.send_json(payload)
        finally:
            self.timer = None

    @classmethod
    async def encode_json(cls, content) -> str:
        return json.dumps(content, cls=DjangoJSONEncoder)
