"""Heartbeats applied on the event loop: the device route under ASGI (safety/api/readings.py).

The common post of a device, heartbeats only from a device whose key this process keeps
(safety.ingestion.kept_key), in time and signed, is checked and applied without leaving the
event loop, in the order and with the statements of `safety.ingestion.ingest`:

- its signature remembered against replay: through redis.asyncio when the cache is Redis (one
  client for the loop), in the process's own memory otherwise (LocMemCache, no I/O); a replayed
  post writes nothing;
- then the guarded heartbeat statement (safety.alarms.seen_statement) through the process's one
  psycopg AsyncConnection, the statement prepared on it once.

Measured (docs/BENCHMARKS.md, "Device ingestion"): the statement sent as text by Django's
client-side cursor was parsed and planned at every post (0.8 of its 1.1 ms at load 7; 0.3 ms
prepared), a hop to a worker thread and back per post, and Django's Redis cache built a client
per operation (1.0 ms per SET NX against 0.2 ms on a kept client).

Everything else goes the way it went, `ingest` in a worker thread: alarms (their transaction),
a key to read, a refusal other than a replay, SQLite, any other cache. What happens on the loop
is done once: a message found replayed is refused; one whose device changed since its key was
kept (retired, re-keyed), or whose statement failed (a connection lost), is applied by
`safety.ingestion.apply_checked` in a thread from where it stopped, not remembered twice.

The connection and the Redis client belong to the running event loop (one per web process under
uvicorn); a new loop, or a connection found broken, gets new ones. After a failed connect the
loop leaves PostgreSQL to the thread path for RECONNECT_PAUSE_SECONDS. The connection counts
against PostgreSQL's max_connections beside the process's pool (docs/operations.md); it
prepares one statement (a PgBouncer in transaction mode needs max_prepared_statements).
"""

from __future__ import annotations

import asyncio
import logging
import time

from asgiref.sync import sync_to_async
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.utils import timezone

from core.dashboards.changes import mark_changed
from safety import signing
from safety.alarms import seen_statement
from safety.ingestion import Accepted, Message, apply_checked, kept_key, parse_readings, refusals_logged
from safety.signing import Refused

logger = logging.getLogger("smartcommunity.safety.ingestion")

CHANNEL = "http"
RECONNECT_PAUSE_SECONDS = 1.0


class _Loop:
    """What one event loop holds: its PostgreSQL connection and its Redis client."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.connecting = asyncio.Lock()
        self.database = None
        self.database_params: dict | None = None
        self.database_paused_until = 0.0
        self.redis = None
        self.redis_url: str | None = None

    def close(self) -> None:
        """Close without the loop (it may be gone): the socket only."""
        if self.database is not None:
            self.database.pgconn.finish()
            self.database = None
        self.redis = None


_current: _Loop | None = None


def _for_running_loop() -> _Loop:
    global _current
    loop = asyncio.get_running_loop()
    if _current is None or _current.loop is not loop:
        if _current is not None:
            _current.close()
        _current = _Loop(loop)
    return _current


def close() -> None:
    """Close the loop's connection (tests: before their database is dropped)."""
    global _current
    if _current is not None:
        _current.close()
        _current = None


def _database_params() -> dict | None:
    """psycopg's connect arguments of the default database, or None when it is not PostgreSQL."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor != "postgresql":
        return None
    params = wrapper.get_connection_params()
    for name in ("cursor_factory", "prepare_threshold", "pool"):
        params.pop(name, None)
    return params


async def _database(state: _Loop):
    params = _database_params()
    if params is None:
        return None
    connection = state.database
    if connection is not None and not connection.closed and state.database_params == params:
        return connection
    if time.monotonic() < state.database_paused_until:
        return None
    import psycopg

    async with state.connecting:
        if state.database is not None and not state.database.closed and state.database_params == params:
            return state.database
        if state.database is not None:
            state.database.pgconn.finish()
            state.database = None
        try:
            state.database = await psycopg.AsyncConnection.connect(**params, autocommit=True)
        except psycopg.Error as error:
            state.database_paused_until = time.monotonic() + RECONNECT_PAUSE_SECONDS
            logger.warning("device route: no connection on the event loop (%s); posts go by thread", error)
            return None
        state.database_params = params
        return state.database


def _redis(state: _Loop, store: RedisCache):
    url = store._servers[0]
    if state.redis is None or state.redis_url != url:
        import redis.asyncio

        state.redis, state.redis_url = redis.asyncio.Redis.from_url(url), url
    return state.redis


async def _remember(state: _Loop, serial: str, given: str) -> bool | None:
    """Whether the signature is new (remembered now), or None when it cannot be done here (the
    thread path does it: nothing was remembered)."""
    store = signing.store()
    key = signing.seen_key(serial, given)
    if isinstance(store, LocMemCache):
        return store.add(key, 1, timeout=signing.REPLAY_MEMORY_SECONDS)
    if not isinstance(store, RedisCache) or len(store._servers) != 1:
        return None
    import redis

    client = _redis(state, store)
    # As RedisCache.add stores it: the versioned key, an integer unpickled, SET NX EX.
    try:
        return bool(
            await client.set(
                store.make_and_validate_key(key),
                1,
                ex=store.get_backend_timeout(signing.REPLAY_MEMORY_SECONDS),
                nx=True,
            )
        )
    except redis.RedisError as error:
        # The thread path tries again (and answers as it would if Redis is down).
        logger.warning("device route: replay memory not reached on the event loop (%s)", error)
        state.redis = None
        return None


def _in_thread(function, *args, **kwargs):
    """`function` in a worker thread, with the database connections checked before and given
    back after, as a request's are."""

    def run():
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=False)()


def _apply_in_thread(message: Message, key, readings: int, at, *, changed: bool) -> Accepted:
    with refusals_logged(message.serial, CHANNEL):
        return apply_checked(message, key, readings, [], at, changed=changed)


async def ingest_on_loop(
    *, serial: str, timestamp: str, given_signature: str, body: bytes
) -> Accepted | None:
    """`ingest` of a post of heartbeats on the event loop; None when the post is not one this
    can take (nothing done: the caller runs `ingest` in a thread). Raises Refused (logged)."""
    if not serial or not given_signature:
        return None
    try:
        signing.check_timestamp(timestamp)
    except Refused:
        return None
    key = kept_key(serial)
    if key is None or not signing.signature_holds(key.secret, timestamp, body, given_signature):
        return None
    try:
        readings, kinds = parse_readings(body)
    except Refused:
        return None
    if kinds:
        return None
    state = _for_running_loop()
    database = await _database(state)
    if database is None:
        return None
    remembered = await _remember(state, serial, given_signature)
    if remembered is None:
        return None
    if not remembered:
        await _in_thread(signing.log_refusal, "replayed", serial, CHANNEL)
        raise Refused("replayed")

    import psycopg

    message = Message(serial, timestamp, given_signature, body)
    at = timezone.now()
    statement, params = seen_statement(key, at, key.stored_secret)
    try:
        cursor = await database.execute(statement, params, prepare=True)
        matched, _written, came_back_at = await cursor.fetchone()
    except psycopg.Error as error:
        # Lost connection, fail-over: the thread path applies it (with its retries) or answers 503.
        logger.warning(
            "device route: heartbeat statement failed on the event loop (%s)", type(error).__name__
        )
        if database.broken or database.closed:
            state.database = None
        return await _in_thread(_apply_in_thread, message, key, readings, at, changed=False)
    if not matched:
        return await _in_thread(_apply_in_thread, message, key, readings, at, changed=True)
    if came_back_at:
        await _in_thread(mark_changed, [came_back_at])
    return Accepted(key.pk, readings, 0, None)
