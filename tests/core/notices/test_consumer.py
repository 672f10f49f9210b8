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


@pytest.fixture(autouse=True)
def _a_fresh_pool_after_each_test():
    """Each test runs its own event loop (async_to_sync), whose executor threads end with it while
    holding the pooled connection they read with (the consumer's `in_thread`); a web process keeps
    its loop and threads, so only tests leak them: one a test, and the 10-connection pool of the
    services mode runs dry within this file. Closing the pool after each test gives them back."""
    from django.db import connection

    yield
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        connection.close()
        connection.close_pool()


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


# The access token as the first message: checked as REST checks an Authorization header. -------


def access_token(user, *, second_factor: bool = False) -> str:
    from core.accounts.tokens import issue_tokens

    return issue_tokens(user, second_factor=second_factor)["access"]


async def refused(message: dict) -> None:
    ws = communicator()
    connected, _ = await ws.connect()
    assert connected
    await ws.send_json_to(message)
    assert (await ws.receive_json_from(timeout=5)) == {"type": "error", "code": "not_authenticated"}
    assert (await ws.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4401}


def test_the_access_token_in_the_first_message_connects_and_receives_pushes(world):
    token = access_token(world.community_worker)

    async def scenario():
        ws = communicator()
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "auth", "token": token})
        ready = await ws.receive_json_from(timeout=5)
        assert ready["type"] == "ready" and "missed" not in ready
        # Joined the groups of the worker's role: a notice to the community reaches them.
        notice = await database_sync_to_async(send_in_a_transaction)(
            title="to the community", region=world.community_a, role=Role.COMMUNITY_WORKER
        )
        pushed = await ws.receive_json_from(timeout=5)
        assert pushed["id"] == notice.pk and pushed["title"] == "to the community"
        personal = await database_sync_to_async(send_in_a_transaction)(
            title="only you", user=world.community_worker
        )
        assert (await ws.receive_json_from(timeout=5))["id"] == personal.pk
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_token_rest_would_refuse_is_refused_with_4401(world):
    from datetime import timedelta

    from rest_framework_simplejwt.tokens import AccessToken

    from core.accounts.services import user_revoke_tokens
    from core.accounts.tokens import issue_tokens

    worker = world.community_worker
    expired = AccessToken.for_user(worker)
    expired["epoch"] = worker.token_epoch
    expired.set_exp(lifetime=timedelta(seconds=-1))
    refresh = issue_tokens(worker, second_factor=False)["refresh"]
    # Deactivated, and revoked (logout bumps the epoch): each holder had a valid token before.
    inactive_token = access_token(world.worker_b)
    world.worker_b.is_active = False
    world.worker_b.save(update_fields=["is_active"])
    revoked_token = access_token(world.grid_worker)
    user_revoke_tokens(user=world.grid_worker)
    # A street's staff must sign in with a second factor: a token without one is refused, as REST
    # refuses it everywhere but the setup routes.
    without_second_factor = access_token(world.street_staff, second_factor=False)
    forged = access_token(worker)[:-4] + "AAAA"

    async def scenario():
        for token in (
            str(expired),
            refresh,
            inactive_token,
            revoked_token,
            without_second_factor,
            forged,
            "garbage",
            "",
            None,
            12345,
            ["a", "list"],
        ):
            await refused({"type": "auth", "token": token})

    async_to_sync(scenario)()


def test_a_street_staff_token_with_the_second_factor_connects(world):
    token = access_token(world.street_staff, second_factor=True)

    async def scenario():
        ws = communicator()
        await ws.connect()
        await ws.send_json_to({"type": "auth", "token": token})
        assert (await ws.receive_json_from(timeout=5))["type"] == "ready"
        await ws.disconnect()

    async_to_sync(scenario)()


def test_the_ready_message_carries_what_a_reconnecting_client_missed(world, settings):
    from rest_framework.test import APIClient

    settings.NOTICE_WS_CATCH_UP_MAX = 2
    worker = world.community_worker
    token = access_token(worker)

    async def auth(message: dict) -> dict:
        ws = communicator()
        await ws.connect()
        await ws.send_json_to({"type": "auth", **message})
        ready = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return ready

    def send(**kwargs):
        notice = send_in_a_transaction(**kwargs)
        notice.refresh_from_db()  # its cursor, given after the commit
        return notice

    async def scenario():
        seen = await database_sync_to_async(send)(title="seen", user=worker)
        ready = await auth({"token": token, "since": 0})
        assert ready["latest_cursor"] == seen.cursor
        assert [n["id"] for n in ready["missed"]] == [seen.pk] and ready["has_more"] is False
        assert ready["missed"][0] == {
            "type": "notice",
            "id": seen.pk,
            "cursor": seen.cursor,
            "kind": "notices.system",
            "title": "seen",
            "body": "",
            "link": None,
            "created_at": seen.created_at.isoformat(),
            "is_read": False,
        }

        # Nothing missed since the last cursor: nothing carried.
        ready = await auth({"token": token, "since": seen.cursor})
        assert ready == {"type": "ready", "latest_cursor": seen.cursor, "missed": [], "has_more": False}

        away = [
            await database_sync_to_async(send)(title="away 1", user=worker),
            await database_sync_to_async(send)(
                title="away 2", region=world.community_a, role=Role.COMMUNITY_WORKER
            ),
            await database_sync_to_async(send)(title="away 3", user=worker),
        ]
        # Not this worker's: another community's, and another person's.
        await database_sync_to_async(send)(
            title="elsewhere", region=world.community_b, role=Role.COMMUNITY_WORKER
        )
        await database_sync_to_async(send)(title="not mine", user=world.worker_b)
        api = APIClient()
        api.force_authenticate(worker)
        # Read on another device: the ready message says so.
        await database_sync_to_async(lambda: api.post(f"/api/v1/notices/{away[0].pk}/read/"))()

        # Over the limit: the first ones, and has_more; the rest over REST from the last one carried.
        ready = await auth({"token": token, "since": seen.cursor})
        assert [n["id"] for n in ready["missed"]] == [away[0].pk, away[1].pk]
        assert [n["is_read"] for n in ready["missed"]] == [True, False]
        assert ready["has_more"] is True and ready["latest_cursor"] == away[2].cursor
        rest = await database_sync_to_async(
            lambda: api.get("/api/v1/notices/", {"since": ready["missed"][-1]["cursor"]}).json()
        )()
        assert [n["id"] for n in rest["results"]] == [away[2].pk]

        # A ticket may carry the cursor too; a bad "since" is ignored (the latest cursor only).
        ticket = await database_sync_to_async(ticket_issue)(user=worker)
        ready = await auth({"ticket": ticket, "since": away[1].cursor})
        assert [n["id"] for n in ready["missed"]] == [away[2].pk] and ready["has_more"] is False
        ready = await auth({"token": token, "since": "0"})
        assert ready == {"type": "ready", "latest_cursor": away[2].cursor}

    async_to_sync(scenario)()


def test_ready_comes_before_any_push(world, monkeypatch):
    """A notice pushed while the connection reads its latest cursor waits until "ready" is sent."""
    import time

    from core.notices import consumers, selectors

    worker = world.community_worker
    token = access_token(worker)

    def latest_cursor_while_a_notice_is_sent(*, user):
        send_in_a_transaction(title="during the handshake", user=worker)
        time.sleep(0.5)  # the push reaches the connection meanwhile (or later: then nothing to hold)
        return selectors.latest_cursor(user=user)

    monkeypatch.setattr(consumers, "latest_cursor", latest_cursor_while_a_notice_is_sent)

    async def scenario():
        ws = communicator()
        await ws.connect()
        await ws.send_json_to({"type": "auth", "token": token})
        assert (await ws.receive_json_from(timeout=5))["type"] == "ready"
        pushed = await ws.receive_json_from(timeout=5)
        assert pushed["type"] == "notice" and pushed["title"] == "during the handshake"
        await ws.disconnect()

    async_to_sync(scenario)()
