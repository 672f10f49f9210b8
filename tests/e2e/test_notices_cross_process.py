"""Services mode: a notice created in a Celery worker process reaches a websocket client connected
to the uvicorn web process, through Redis; and a client that drops its connection catches up."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import websockets
from django.db import connection, transaction

from core.accounts.roles import Role
from core.accounts.tokens import issue_tokens
from core.notices.models import Notice
from core.outbox.services import enqueue_task
from tests.core.notices.e2e_stack import NoticeClient, stack_environment, web, worker
from tests.core.notices.factories import make_region, make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_a_notice_made_in_the_worker_reaches_a_websocket_on_the_web_process(settings, tmp_path):
    city = make_region(1, "芜湖市")
    community = make_region(4, "甲社区", make_region(3, "滨江街道", make_region(2, "镜湖区", city)))
    sibling = make_region(4, "乙社区", community.parent)
    worker_a = make_user("e2e_worker_a", Role.COMMUNITY_WORKER, community)
    worker_b = make_user("e2e_worker_b", Role.COMMUNITY_WORKER, sibling)
    tokens = {u.pk: issue_tokens(u, second_factor=False)["access"] for u in (worker_a, worker_b)}
    env = stack_environment(settings, settings.REDIS_URL)

    with web(env, tmp_path / "web.log") as port, worker(env, tmp_path / "worker.log"):
        # Unauthenticated: closed with 4401 (the server waits a few seconds for a ticket).
        async def refused() -> int:
            async with websockets.connect(
                f"ws://127.0.0.1:{port}/ws/notices/", origin=f"http://127.0.0.1:{port}"
            ) as ws:
                await ws.send(json.dumps({"type": "auth", "ticket": "a" * 43}))
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    while True:
                        await asyncio.wait_for(ws.recv(), timeout=10)
                return closed.value.rcvd.code

        assert asyncio.run(refused()) == 4401

        async def scenario():
            client_a = NoticeClient(port, tokens[worker_a.pk])
            client_b = NoticeClient(port, tokens[worker_b.pk])
            ws_a, ws_b = await client_a.connect(), await client_b.connect()
            # The test process enqueues through the outbox; the worker runs the task, which
            # calls notify; the push goes worker → Redis → web → client.
            await asyncio.to_thread(enqueue_in_a_transaction, worker_a.pk, "cross-process")
            pushed = json.loads(await asyncio.wait_for(ws_a.recv(), timeout=60))
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(ws_b.recv(), timeout=1)  # the sibling community hears nothing
            last_cursor = pushed["cursor"]
            await ws_a.close()  # the connection drops

            for label in ("offline-1", "offline-2"):
                await asyncio.to_thread(enqueue_in_a_transaction, worker_a.pk, label)
            await asyncio.to_thread(wait_for_notices, worker_a.pk, 3)
            client_a.last_cursor = last_cursor
            await client_a.catch_up()
            await ws_b.close()
            return pushed, client_a.caught_up

        pushed, caught_up = asyncio.run(scenario())

    assert pushed["type"] == "notice" and pushed["title"] == "from the worker cross-process"
    notice = Notice.objects.get(pk=pushed["id"])
    assert notice.recipient_id == worker_a.pk and notice.cursor == pushed["cursor"]
    assert [n["title"] for n in caught_up] == ["from the worker offline-1", "from the worker offline-2"]


def enqueue_in_a_transaction(user_id: int, label: str) -> None:
    try:
        with transaction.atomic():
            enqueue_task("e2e.notices.notify_user", args=[user_id, label], idempotency_key=f"e2e:{label}")
    finally:
        connection.close()  # runs in a helper thread: leave no session open on the test database


def wait_for_notices(user_id: int, count: int) -> None:
    deadline = time.monotonic() + 60
    try:
        while Notice.objects.filter(recipient_id=user_id, cursor__isnull=False).count() < count:
            assert time.monotonic() < deadline, "the worker did not create the notices"
            time.sleep(0.3)
    finally:
        connection.close()
