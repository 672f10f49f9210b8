"""One member per process and group, one database read and one encoded frame per push (issue 12),
and a websocket connection with a ticket reads the database once."""

from __future__ import annotations

from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.roles import Role
from core.notices import consumers, fanout, groups
from core.notices.services import notify
from tests.core.notices.test_consumer import communicator, connect_with_ticket

pytestmark = pytest.mark.django_db(transaction=True)


async def members_of(group: str) -> int:
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # the in-memory layer (embedded mode)
        return len(layer.groups.get(group, {}))
    connection_ = layer.connection(layer.consistent_hash(group))
    return await connection_.zcard(layer._group_key(group))


def test_one_push_is_read_and_encoded_once_for_every_connection_of_the_group(world):
    async def scenario():
        sockets = [await connect_with_ticket(world.community_worker) for _ in range(4)]
        sockets.append(await connect_with_ticket(world.worker_b))  # the sibling community
        street_group = groups.role_group(world.street.pk, Role.COMMUNITY_WORKER)
        # The process, not each of its five connections, is the group's member.
        assert await members_of(street_group) == 1

        with (
            mock.patch.object(fanout, "load_frame", wraps=fanout.load_frame) as loads,
            mock.patch.object(fanout, "encode_frame", wraps=fanout.encode_frame) as encodes,
        ):
            notice = await database_sync_to_async(notify)(
                kind="notices.system", title="street-wide", region=world.street, role=Role.COMMUNITY_WORKER
            )
            frames = [await ws.receive_from(timeout=5) for ws in sockets]
        assert len(set(frames)) == 1
        assert f'"id": {notice.pk}' in frames[0]
        assert loads.call_count == 1
        assert encodes.call_count == 1

        # A connection that leaves gets nothing more; the others still do.
        await sockets[0].disconnect()
        again = await database_sync_to_async(notify)(
            kind="notices.system", title="again", region=world.street, role=Role.COMMUNITY_WORKER
        )
        for ws in sockets[1:]:
            assert f'"id": {again.pk}' in await ws.receive_from(timeout=5)
        for ws in sockets[1:]:
            await ws.disconnect()

    async_to_sync(scenario)()


def test_connecting_with_a_ticket_reads_the_database_once(world):
    from core.notices.tickets import ticket_issue

    async def scenario():
        ticket = await database_sync_to_async(ticket_issue)(user=world.community_worker)
        ws = communicator()
        await ws.connect()
        await ws.send_json_to({"type": "auth", "ticket": ticket})
        assert (await ws.receive_json_from(timeout=5))["type"] == "ready"
        await ws.disconnect()

    # The consumer's database work runs in another thread: count on that thread's connection.
    counted: list[int] = []
    real = consumers.in_thread

    with mock.patch.object(consumers, "in_thread") as wrapped:

        def counting(function):
            def run(*args, **kwargs):
                with CaptureQueriesContext(connection) as queries:
                    result = function(*args, **kwargs)
                counted.append(len(queries.captured_queries))
                return result

            return real(run)

        wrapped.side_effect = counting
        async_to_sync(scenario)()
    assert sum(counted) == 1  # the latest cursor; the ticket comes from the cache
