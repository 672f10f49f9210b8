"""/ws/dashboards/<region>/: scoped like the API, and a node's changes pushed at most once per
interval, with the values the API would show."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from config.asgi import application
from core.dashboards import live, summaries

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def session_headers(user) -> list:
    client = Client()
    client.force_login(user)
    cookie = (
        f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    )
    return [ORIGIN, (b"cookie", cookie.encode())]


def test_a_node_outside_the_callers_scope_is_closed_like_a_404(world):
    headers = session_headers(world.community_worker)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/dashboards/{world.street.pk}/", headers=headers)
        assert (await ws.connect())[0]
        assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}
        anonymous = WebsocketCommunicator(application, f"/ws/dashboards/{world.street.pk}/", headers=[ORIGIN])
        await anonymous.connect()
        assert await anonymous.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
        # Both consumers hold a channel whose receive runs on this loop: end them here rather than
        # leave them to the loop's shutdown, whose cancelling of a channel layer's receive once
        # hung the services-mode run for good.
        await ws.disconnect()
        await anonymous.disconnect()

    async_to_sync(scenario)()


def test_changes_are_pushed_once_per_interval_with_the_apis_values(world, settings):
    settings.DASHBOARD_PUSH_INTERVAL_SECONDS = 1
    summaries.rebuild()
    headers = session_headers(world.street_staff)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/dashboards/{world.street.pk}/", headers=headers)
        assert (await ws.connect())[0]
        assert (await ws.receive_json_from(timeout=5))["type"] == "ready"
        # Two refreshes in quick succession: one update carrying both metrics.
        await database_sync_to_async(live._send)({world.street.pk: {"workflow.events_open"}})
        await database_sync_to_async(live._send)({world.street.pk: {"registry.households"}})
        update = await ws.receive_json_from(timeout=5)
        assert update["type"] == "indicators" and update["region"] == world.street.pk
        assert set(update["indicators"]) <= {"workflow.events_open", "registry.households"}
        assert {c["region"]["name"] for c in update["children"]} == {"甲社区", "乙社区"}
        if set(update["indicators"]) != {"workflow.events_open", "registry.households"}:
            second = await ws.receive_json_from(timeout=5)
            assert set(second["indicators"]) | set(update["indicators"]) == {
                "workflow.events_open",
                "registry.households",
            }
        assert await ws.receive_nothing(timeout=1.2)
        await ws.disconnect()

    async_to_sync(scenario)()
