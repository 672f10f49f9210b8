"""PostgreSQL connections are bounded by the pool, whatever the concurrency (issue 12).

Under ASGI every HTTP request runs its view in a thread of its own; without a pool each thread
opened (and, with CONN_MAX_AGE, kept) a connection of its own, so 1,000 websocket clients asking
for a ticket at once exhausted PostgreSQL's 100 connections from one web process.
"""

from __future__ import annotations

import asyncio
import threading
import time
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from core.notices.api import views as notice_views

POSTGRES = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POOL_SIZE = 3
REQUESTS = 24


@POSTGRES[0]
@POSTGRES[1]
def test_services_mode_uses_the_pool_and_no_persistent_connections():
    options = settings.DATABASES["default"]
    assert options["CONN_MAX_AGE"] == 0
    assert options["OPTIONS"]["pool"]["max_size"] == settings.DATABASE_POOL_MAX_SIZE
    assert connection.pool is not None


class ConnectionCounter(threading.Thread):
    """Samples how many connections the test database has that were not there when it started
    (other tests' servers or threads may hold some), from a connection outside the pool."""

    def __init__(self, dsn: str, database: str) -> None:
        super().__init__(daemon=True)
        self.dsn, self.database = dsn, database
        self.most = 0
        self.stop = threading.Event()
        self.started = threading.Event()

    def run(self) -> None:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        with psycopg.connect(self.dsn, autocommit=True) as own:
            before = {pid for (pid,) in own.execute(query, [self.database]).fetchall()}
            self.started.set()
            while not self.stop.is_set():
                pids = {pid for (pid,) in own.execute(query, [self.database]).fetchall()}
                self.most = max(self.most, len(pids - before))
                time.sleep(0.002)


async def post(app, path: str, token: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    sent = asyncio.Event()
    status = []

    async def receive():
        if sent.is_set():
            await asyncio.sleep(3600)
        sent.set()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


@POSTGRES[0]
@POSTGRES[1]
def test_concurrent_requests_never_open_more_connections_than_the_pool_holds():
    from config.asgi import django_http
    from core.accounts.tokens import issue_tokens
    from tests.world import make_user

    user = make_user(is_staff=False)
    token = issue_tokens(user, second_factor=False)["access"]
    real_issue = notice_views.ticket_issue

    def slow_issue(*, user):
        # Each request holds its connection a while, so that the requests overlap.
        ticket = real_issue(user=user)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.05)")
        return ticket

    connection.close()  # the test's own connection goes back to the pool ...
    connection.close_pool()  # ... which is replaced by a small one
    pool_options = connection.settings_dict["OPTIONS"]["pool"]
    original = dict(pool_options)
    pool_options.update(min_size=0, max_size=POOL_SIZE)
    database = connection.settings_dict["NAME"]
    given = connection.settings_dict
    dsn = psycopg.conninfo.make_conninfo(
        host=given["HOST"], port=given["PORT"] or 5432, dbname=database, user=given["USER"]
    )
    if given.get("PASSWORD"):
        dsn = psycopg.conninfo.make_conninfo(dsn, password=given["PASSWORD"])
    counter = ConnectionCounter(dsn, database)
    counter.start()
    counter.started.wait(10)
    try:
        with mock.patch.object(notice_views, "ticket_issue", slow_issue):

            async def burst():
                return await asyncio.gather(
                    *(post(django_http, "/api/v1/notices/ws-ticket/", token) for _ in range(REQUESTS))
                )

            statuses = asyncio.run(burst())
    finally:
        counter.stop.set()
        counter.join()
        connection.close()
        connection.close_pool()
        pool_options.clear()
        pool_options.update(original)

    assert statuses == [201] * REQUESTS
    # The requests did overlap (every pooled connection was in use at once), and no more.
    assert counter.most == POOL_SIZE


def test_http_requests_beyond_the_bound_wait_in_the_event_loop():
    from config.concurrency import BoundedConcurrency

    running, most = 0, {}

    async def app(scope, receive, send):
        nonlocal running
        running += 1
        most[scope["type"]] = max(most.get(scope["type"], 0), running)
        await asyncio.sleep(0.01)
        running -= 1

    bounded = BoundedConcurrency(app, 2)

    async def burst():
        await asyncio.gather(*(bounded({"type": "http"}, None, None) for _ in range(6)))
        # A websocket is not a request in progress: never held back.
        await asyncio.gather(*(bounded({"type": "websocket"}, None, None) for _ in range(3)))

    asyncio.run(burst())
    assert most == {"http": 2, "websocket": 3}
