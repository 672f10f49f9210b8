"""The baseline of bench_notices: a bare `websockets` server that broadcasts every message PUBLISHed
on one Redis channel to every connected client (no Django, no authentication, no channel layer).

    python -m bench.bare_ws --port 8765 --redis redis://127.0.0.1:6379/11 --channel bench.bare

Prints "ready" once listening and subscribed.
"""

from __future__ import annotations

import argparse
import asyncio

import redis.asyncio as redis
import websockets
from websockets.asyncio.server import broadcast, serve


async def main(port: int, redis_url: str, channel: str) -> None:
    clients: set = set()

    async def handler(websocket) -> None:
        clients.add(websocket)
        try:
            async for _ in websocket:  # the client may ping; nothing else is expected
                pass
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(websocket)

    client = redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel)
    async with serve(handler, "127.0.0.1", port, backlog=8192, ping_interval=None, max_queue=None):
        print("ready", flush=True)
        async for message in pubsub.listen():
            if message["type"] == "message":
                broadcast(clients, message["data"].decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--channel", default="bench.bare")
    options = parser.parse_args()
    asyncio.run(main(options.port, options.redis, options.channel))
