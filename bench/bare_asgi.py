"""The baseline of bench/bench_http.py: a bare ASGI endpoint, no Django, running the SQL our
resident list runs and answering its rows as JSON with orjson.

    BARE_DATABASE_URL=postgres://… BARE_SQL_FILE=queries.json uvicorn bench.bare_asgi:app

`BARE_SQL_FILE` holds the list of SQL statements our view ran for one request (captured by
bench_http with CaptureQueriesContext: the user, the roles, the count, the page, the tags), each
run here in the same order on one psycopg connection kept open, as ours keeps its own. The body
is the count and the rows, every column, the way orjson writes them.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import psycopg

STATEMENTS: list[str] = orjson.loads(Path(os.environ["BARE_SQL_FILE"]).read_bytes())
HEADERS = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
_connection: psycopg.AsyncConnection | None = None


async def _connect() -> psycopg.AsyncConnection:
    global _connection
    if _connection is None or _connection.closed:
        url = os.environ["BARE_DATABASE_URL"]
        _connection = await psycopg.AsyncConnection.connect(url, autocommit=True)
    return _connection


def _rows(description, fetched) -> list[dict]:
    names = [column.name for column in description]
    return [dict(zip(names, row, strict=True)) for row in fetched]


def _body(answers: list[list[dict]]) -> bytes:
    """The count, the page (the longest list) and the other rows (user, roles, tags), as JSON."""
    out: dict = {"total": None}
    lists = []
    for rows in answers:
        if len(rows) == 1 and list(rows[0]) == ["__count"]:
            out["total"] = rows[0]["__count"]
        else:
            lists.append(rows)
    page = max(lists, key=len, default=[])
    out["results"] = page
    out["related"] = [rows for rows in lists if rows is not page]
    return orjson.dumps(out)


async def _answer() -> bytes:
    connection = await _connect()
    answers = []
    async with connection.cursor() as cursor:
        for sql in STATEMENTS:
            await cursor.execute(sql)
            if cursor.description is not None:
                answers.append(_rows(cursor.description, await cursor.fetchall()))
    return _body(answers)


def answer_sync(connection: psycopg.Connection) -> bytes:
    """The same work in-process, on a synchronous connection (bench_http's in-process baseline)."""
    answers = []
    with connection.cursor() as cursor:
        for sql in STATEMENTS:
            cursor.execute(sql)
            if cursor.description is not None:
                answers.append(_rows(cursor.description, cursor.fetchall()))
    return _body(answers)


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await _connect()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if _connection is not None:
                    await _connection.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    body = await _answer()
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": body})
