"""One channel-layer member per web process and group; one encoded frame per push.

Every /ws/notices/ connection of a process registers here for its groups (the person's group
and one per role and region level, core.notices.groups). The process joins each channel-layer
group once, with one channel of its own, whatever number of its connections want it; a push
then arrives once per process, its notice is read from the database once, encoded to JSON once,
and the same text frame is written to every local member. Before, every connection was a
member of its groups: a push to a street's workers became one message, one thread hop with a
database check and one JSON encoding per connection (0.73 s for 1,000 connections, issue 12).

Writing to a client normally completes at once (uvicorn writes to the socket buffer); only a
client whose buffer is full suspends, and only that write becomes a task, so a slow client never
holds up the others.

State is per event loop (a test runs each scenario in a loop of its own; a web process has one).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from channels.db import database_sync_to_async

from core.notices import groups

logger = logging.getLogger("smartcommunity.notices")

PUSH_MESSAGE_TYPE = "notice.push"
# channels_redis forgets a group member after its group_expiry (24 h in services mode): joined
# groups are added again this often, and groups left empty are discarded.
REFRESH_SECONDS = 300

# Frames by notice id, shared by the process's loops (plain strings): (frame, group).
_frames: OrderedDict[int, tuple[str, str]] = OrderedDict()
_FRAME_CACHE_SIZE = 2000


def notice_payload(notice) -> dict:
    return {
        "type": "notice",
        "id": notice.pk,
        "cursor": notice.cursor,
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "link": notice.link,
        "created_at": notice.created_at.isoformat(),
        "is_read": False,
    }


def notice_group(notice) -> str:
    if notice.recipient_id is not None:
        return groups.user_group(notice.recipient_id)
    return groups.role_group(notice.region_id, notice.role)


def encode_frame(payload: dict) -> str:
    return json.dumps(payload)


def load_frame(notice_id: int) -> tuple[str, str] | None:
    """The push frame of a notice and the group it goes to (database; once per process)."""
    from core.notices.models import Notice
    from core.notices.services import assign_cursors

    cached = _frames.get(notice_id)
    if cached is not None:
        return cached
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return None
    if notice.cursor is None:
        # The on-commit assignment has not run (its process died): do it now.
        assign_cursors()
        notice.refresh_from_db(fields=["cursor"])
    entry = (encode_frame(notice_payload(notice)), notice_group(notice))
    _frames[notice_id] = entry
    while len(_frames) > _FRAME_CACHE_SIZE:
        _frames.popitem(last=False)
    return entry


def start_eagerly(coroutine: Coroutine, pending: set[asyncio.Task]) -> None:
    """Run `coroutine` now, up to its first suspension (as Python 3.12's eager tasks do): one
    that completes at once costs no task; one that suspends finishes in a task of its own."""
    try:
        yielded = coroutine.send(None)
    except StopIteration:
        return
    except Exception:  # a client gone while we wrote: its disconnect() cleans up
        return
    task = asyncio.ensure_future(_resume(coroutine, yielded))
    pending.add(task)
    task.add_done_callback(pending.discard)


async def _resume(coroutine: Coroutine, yielded: Any) -> None:
    while True:
        try:
            # The coroutine sees the future's outcome, error or not, when it resumes below.
            with contextlib.suppress(Exception):
                if yielded is None:
                    await asyncio.sleep(0)
                else:
                    await yielded
        except asyncio.CancelledError:
            coroutine.close()
            raise
        try:
            yielded = coroutine.send(None)
        except StopIteration:
            return
        except Exception:
            return


Sender = Callable[[dict], Coroutine]


class Hub:
    """The process's side of the channel layer for notices, in one event loop."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[str, dict[int, Sender]] = defaultdict(dict)
        self.joined: dict[str, float] = {}  # group -> when group_add was last scheduled
        self._ops: dict[str, asyncio.Future] = {}  # group -> its latest add/discard, in order
        self._loading: dict[int, asyncio.Future] = {}
        self._starting: asyncio.Future | None = None
        self._tasks: set[asyncio.Task] = set()
        self._writes: set[asyncio.Task] = set()

    # membership ----------------------------------------------------------------------------

    async def join(self, key: int, send: Sender, names: Iterable[str]) -> None:
        """Deliver pushes to `names` through `send` (key: the connection's id); returns once the
        process is a member of every one, so nothing committed after this is missed."""
        channel = await self._channel()
        waits = []
        now = time.monotonic()
        for name in names:
            self.members[name][key] = send
            if name not in self.joined or now - self.joined[name] > REFRESH_SECONDS:
                self._schedule(name, "add", channel)
            waits.append(self._ops[name])
        if waits:
            await asyncio.gather(*(asyncio.shield(wait) for wait in waits))

    def leave(self, key: int, names: Iterable[str]) -> None:
        for name in names:
            members = self.members.get(name)
            if members is not None:
                members.pop(key, None)
                if not members:
                    del self.members[name]  # the group itself is discarded by the refresher

    def _schedule(self, name: str, op: str, channel: str) -> None:
        """Adds and discards of one group run in the order scheduled (they may use different
        Redis connections)."""
        previous = self._ops.get(name)
        if op == "add":
            self.joined[name] = time.monotonic()
        else:
            self.joined.pop(name, None)

        async def run() -> None:
            if previous is not None and not previous.done():
                with contextlib.suppress(Exception):
                    await asyncio.shield(previous)
            try:
                if op == "add":
                    await self.layer.group_add(name, channel)
                else:
                    await self.layer.group_discard(name, channel)
            except Exception:
                if op == "add" and self._ops.get(name) is future:
                    self.joined.pop(name, None)  # the next joiner tries again
                raise

        future = asyncio.ensure_future(run())
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved: no warning
        self._ops[name] = future

    async def _channel(self) -> str:
        if self.channel is None:
            if self._starting is None or (self._starting.done() and self._starting.exception()):
                self._starting = asyncio.ensure_future(self._start())
            await asyncio.shield(self._starting)
        return self.channel

    async def _start(self) -> None:
        channel = await self.layer.new_channel()
        for loop in (self._receive_loop, self._refresh_loop):
            task = asyncio.ensure_future(loop(channel))
            self._tasks.add(task)
        self.channel = channel

    async def _refresh_loop(self, channel: str) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS / 2)
            now = time.monotonic()
            for name, added_at in list(self.joined.items()):
                if not self.members.get(name):
                    self._schedule(name, "discard", channel)
                elif now - added_at > REFRESH_SECONDS:
                    self._schedule(name, "add", channel)

    # pushes ----------------------------------------------------------------------------------

    async def _receive_loop(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("notices: receiving from the channel layer failed; retrying")
                await asyncio.sleep(1)
                continue
            if message.get("type") != PUSH_MESSAGE_TYPE:
                continue
            try:
                await self.push(message["notice_id"], message.get("group"))
            except Exception:
                logger.exception("notices: push of notice %s failed", message.get("notice_id"))

    async def frame(self, notice_id: int) -> tuple[str, str] | None:
        """The notice's frame: one database read per process however many wait for it."""
        cached = _frames.get(notice_id)
        if cached is not None:
            return cached
        loading = self._loading.get(notice_id)
        if loading is None:
            loading = asyncio.ensure_future(database_sync_to_async(load_frame)(notice_id))
            self._loading[notice_id] = loading
            loading.add_done_callback(lambda _: self._loading.pop(notice_id, None))
        return await asyncio.shield(loading)

    async def push(self, notice_id: int, group: str | None = None) -> int:
        """Write the notice's frame to every local member of its group; returns how many."""
        entry = await self.frame(notice_id)
        if entry is None:
            return 0
        frame, notice_group = entry
        message = {"type": "websocket.send", "text": frame}
        members = list(self.members.get(group or notice_group, {}).values())
        for send in members:
            start_eagerly(send(message), self._writes)
        return len(members)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub_for(layer) -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        hub = _hubs[loop] = Hub(layer)
    return hub
