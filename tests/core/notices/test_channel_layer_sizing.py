"""The channel layer is sized for thousands of connected workers; the defaults lose notices.

In channels_redis every websocket of one web process shares one Redis queue. A group message is
one entry in it (naming the local channels), so `capacity` bounds how many pushes can wait for
a process at once: after a Redis outage the outbox relays its whole backlog in seconds, and
beyond the capacity the layer drops pushes silently. Joining groups takes pooled connections: a
reconnect storm (every worker after a Redis restart) needs more than redis-py's default 100.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels_redis.core import RedisChannelLayer
from django.conf import settings

pytestmark = pytest.mark.redis

MEMBERS = 300  # websockets of one web process joining at once
BACKLOG = 400  # pushes relayed in a burst after an outage
GROUP = "notices.region.1.community_worker"


def layer_from(**config) -> RedisChannelLayer:
    return RedisChannelLayer(**config, prefix=f"test-{uuid.uuid4().hex[:8]}")


def configured() -> RedisChannelLayer:
    return layer_from(**settings.CHANNEL_LAYERS["default"]["CONFIG"])


async def reconnect_storm(layer: RedisChannelLayer) -> str | None:
    channels = [await layer.new_channel() for _ in range(MEMBERS)]
    try:
        await asyncio.gather(*(layer.group_add(GROUP, channel) for channel in channels))
    except Exception as exc:
        return type(exc).__name__
    finally:
        await asyncio.sleep(0.2)
        with contextlib.suppress(Exception):
            await layer.flush()
    return None


async def burst_received(layer: RedisChannelLayer) -> int:
    member = await layer.new_channel()
    await layer.group_add(GROUP, member)
    for notice_id in range(BACKLOG):
        await layer.group_send(GROUP, {"type": "notice.push", "notice_id": notice_id})
    received = []
    with contextlib.suppress(TimeoutError):
        while True:
            received.append((await asyncio.wait_for(layer.receive(member), timeout=0.5))["notice_id"])
    await layer.flush()
    assert received == sorted(received)
    return len(received)


def test_the_defaults_fail_a_reconnect_storm_and_drop_most_of_a_backlog():
    assert async_to_sync(reconnect_storm)(layer_from(hosts=[settings.REDIS_URL])) == "MaxConnectionsError"
    assert async_to_sync(burst_received)(layer_from(hosts=[settings.REDIS_URL])) == 100


def test_the_configured_layer_takes_the_storm_and_delivers_the_whole_backlog():
    assert async_to_sync(reconnect_storm)(configured()) is None
    assert async_to_sync(burst_received)(configured()) == BACKLOG
