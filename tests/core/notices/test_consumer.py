"""/ws/notices/: authentication, groups, and that a worker never receives another community's notices."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from core.accounts.roles import Role
from core.notices.services import notify
from core.notices.tickets import ticket_issue

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def communicator(headers=()) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/notices/", headers=[ORIGIN, *headers])


async def connect_with_ticket(user) -> WebsocketCommunicator:
    ticket = await database_sync_to_async(ticket_issue)(user=user)
    ws = communicator()
    connected, _ = await ws.connect()
    assert connected
    await ws.send_json_to({"type": "auth", "ticket": ticket})
    ready = await ws.receive_json_from(timeout=5)
    assert ready["type"] == "ready", ready
    return ws


def send_in_a_transaction(**kwargs):
    return notify(kind="notices.system", **kwargs)  # notify's own transaction commits here


def test_without_authentication_the_connection_is_closed_after_a_short_wait(settings):
    settings.NOTICE_WS_AUTH_TIMEOUT_SECONDS = 0.2

    async def scenario():
        ws = communicator()
        connected, _ = await ws.connect()
        assert connected
        closing = await ws.receive_output(timeout=3)
        assert closing == {"type": "websocket.close", "code": 4401}

    async_to_sync(scenario)()


def test_a_wrong_or_reused_ticket_is_refused(world):
    async def scenario():
        ws = await connect_with_ticket(world.community_worker)  # uses its ticket
        await ws.disconnect()
        for ticket in ("not-a-ticket-" * 3, None):
            ws = communicator()
            await ws.connect()
            await ws.send_json_to({"type": "auth", "ticket": ticket})
            assert (await ws.receive_json_from(timeout=3))["code"] == "not_authenticated"
            assert (await ws.receive_output(timeout=3)) == {"type": "websocket.close", "code": 4401}
        reused = await database_sync_to_async(ticket_issue)(user=world.community_worker)
        first, second = communicator(), communicator()
        await first.connect()
        await second.connect()
        await first.send_json_to({"type": "auth", "ticket": reused})
        assert (await first.receive_json_from(timeout=3))["type"] == "ready"
        await second.send_json_to({"type": "auth", "ticket": reused})
        assert (await second.receive_json_from(timeout=3))["code"] == "not_authenticated"
        await first.disconnect()

    async_to_sync(scenario)()


def test_a_worker_receives_their_community_and_never_the_sibling_community(world):
    async def scenario():
        worker_a = await connect_with_ticket(world.community_worker)
        worker_b = await connect_with_ticket(world.worker_b)
        grid_a = await connect_with_ticket(world.grid_worker)

        for_a = await database_sync_to_async(send_in_a_transaction)(
            title="for community A", region=world.community_a, role=Role.COMMUNITY_WORKER
        )
        pushed = await worker_a.receive_json_from(timeout=5)
        assert (
            pushed["type"] == "notice" and pushed["id"] == for_a.pk and pushed["title"] == "for community A"
        )
        assert pushed["cursor"] > 0
        assert await worker_b.receive_nothing(timeout=0.3)
        assert await grid_a.receive_nothing(timeout=0.1)  # another role in the same community

        street_wide = await database_sync_to_async(send_in_a_transaction)(
            title="under the street", region=world.street, role=Role.COMMUNITY_WORKER
        )
        assert (await worker_a.receive_json_from(timeout=5))["id"] == street_wide.pk
        assert (await worker_b.receive_json_from(timeout=5))["id"] == street_wide.pk

        personal = await database_sync_to_async(send_in_a_transaction)(title="only B", user=world.worker_b)
        assert (await worker_b.receive_json_from(timeout=5))["id"] == personal.pk
        assert await worker_a.receive_nothing(timeout=0.3)
        for ws in (worker_a, worker_b, grid_a):
            await ws.disconnect()

    async_to_sync(scenario)()


def test_the_session_cookie_authenticates_without_a_ticket(world):
    client = Client()
    client.force_login(world.community_worker)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def scenario():
        ws = communicator(headers=[(b"cookie", cookie)])
        connected, _ = await ws.connect()
        assert connected
        assert (await ws.receive_json_from(timeout=5))["type"] == "ready"
        notice = await database_sync_to_async(send_in_a_transaction)(
            title="hello", user=world.community_worker
        )
        assert (await ws.receive_json_from(timeout=5))["id"] == notice.pk
        await ws.send_json_to({"type": "ping"})
        assert (await ws.receive_json_from(timeout=5)) == {"type": "pong"}
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_rolled_back_notice_is_never_pushed(world):
    from django.db import transaction

    def roll_back():
        with transaction.atomic():
            notify(kind="notices.system", title="rolled back", user=world.community_worker)
            transaction.set_rollback(True)

    async def scenario():
        ws = await connect_with_ticket(world.community_worker)
        await database_sync_to_async(roll_back)()
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    async_to_sync(scenario)()


def test_after_a_dropped_connection_the_client_catches_up_from_its_last_cursor(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.community_worker)

    async def scenario():
        ws = await connect_with_ticket(world.community_worker)
        first = await database_sync_to_async(send_in_a_transaction)(title="live", user=world.community_worker)
        last_cursor = (await ws.receive_json_from(timeout=5))["cursor"]
        await ws.disconnect()  # the connection drops

        missed = []
        for title in ("while away 1", "while away 2"):
            missed.append(
                await database_sync_to_async(send_in_a_transaction)(title=title, user=world.community_worker)
            )
        missed.append(
            await database_sync_to_async(send_in_a_transaction)(
                title="while away 3", region=world.community_a, role=Role.COMMUNITY_WORKER
            )
        )

        ws = await connect_with_ticket(world.community_worker)  # "ready" carried the latest cursor
        await ws.disconnect()
        page = await database_sync_to_async(
            lambda: api.get("/api/v1/notices/", {"since": last_cursor}).json()
        )()
        assert [n["id"] for n in page["results"]] == [n.pk for n in missed]
        assert first.pk not in [n["id"] for n in page["results"]]

    async_to_sync(scenario)()
