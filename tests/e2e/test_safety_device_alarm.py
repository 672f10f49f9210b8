"""Services mode, real processes: a fake vendor's signed post to the web process (uvicorn) opens
an alarm event, and the grid worker's websocket client gets the live notice (worker → Redis → web)."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import pytest

from core.accounts.roles import Role
from core.accounts.tokens import issue_tokens
from safety import signing
from safety.models import Alarm
from tests.core.notices.e2e_stack import NoticeClient, stack_environment, web, worker
from tests.core.notices.factories import make_region, make_user
from tests.safety.factories import alarms, device

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _post(port: int, made, payload: bytes) -> int:
    timestamp, signature = signing.sign(made.secret, payload)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/safety/readings/",
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Device-Serial": made.serial,
            "X-Device-Timestamp": timestamp,
            "X-Device-Signature": signature,
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_a_signed_device_post_reaches_the_grid_worker_s_websocket_as_a_live_notice(settings, tmp_path):
    from core.registry.models import House

    city = make_region(1, "芜湖市")
    street = make_region(3, "滨江街道", make_region(2, "镜湖区", city))
    community = make_region(4, "甲社区", street)
    grid = make_region(5, "第1网格", community)
    other_grid = make_region(5, "第1网格", make_region(4, "乙社区", street))
    watcher = make_user("e2e_grid_worker", Role.GRID_WORKER, grid, is_lead=True)
    elsewhere = make_user("e2e_other_worker", Role.GRID_WORKER, other_grid, is_lead=True)
    house = House.objects.create(region=grid, region_path=grid.path, address="滨江路1号1栋101")
    smoke = device(house)
    tokens = {u.pk: issue_tokens(u, second_factor=False)["access"] for u in (watcher, elsewhere)}
    env = stack_environment(settings, settings.REDIS_URL)

    with web(env, tmp_path / "web.log") as port, worker(env, tmp_path / "worker.log"):

        async def scenario():
            ws = await NoticeClient(port, tokens[watcher.pk]).connect()
            ws_other = await NoticeClient(port, tokens[elsewhere.pk]).connect()
            status = await asyncio.to_thread(_post, port, smoke, alarms(5))
            assert status == 202
            deadline = time.monotonic() + 60
            received = []
            while time.monotonic() < deadline and not any(
                "滨江路1号" in m.get("title", "") for m in received
            ):
                received.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=60)))
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(ws_other.recv(), timeout=1)  # another grid hears nothing
            await ws.close()
            await ws_other.close()
            return received

        received = asyncio.run(scenario())

    alarm = Alarm.objects.get(device=smoke)
    assert alarm.count == 5 and alarm.event_id is not None
    assert any(m["type"] == "notice" and "滨江路1号" in m["title"] for m in received), received
