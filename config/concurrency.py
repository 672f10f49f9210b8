"""A bound on the HTTP requests one web process serves at once (services mode).

Under ASGI, Django runs each request's view in a thread of its own; a thousand clients arriving at
once (a reconnect storm after a restart, each asking for a websocket ticket) would start a
thousand threads, all queueing for the process's few pooled database connections, the last ones
failing when DATABASE_POOL_TIMEOUT passes. Here the requests beyond the bound wait in the event
loop instead, costing nothing but their socket, and are served in arrival order. Websockets are
not counted: an open connection is not a request in progress.
"""

from __future__ import annotations

import asyncio
import weakref


class BoundedConcurrency:
    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._semaphores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def __call__(self, scope, receive, send):
        if not self.limit or scope["type"] != "http":
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        async with semaphore:
            return await self.app(scope, receive, send)
