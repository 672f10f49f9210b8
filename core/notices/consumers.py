"""/ws/notices/: the live push of notices to a signed-in person.

Authenticated by the session cookie (AuthMiddlewareStack in config/asgi.py) or, for a client
holding a JWT, by a ticket sent as the first message: {"type": "auth", "ticket": "…"}. A
connection that has not authenticated within NOTICE_WS_AUTH_TIMEOUT_SECONDS is closed with 4401.
It joins the person's group and the groups of each role they hold at their region and every
region above it; a push names a notice id and the notice is read from the database here, so no
personal data passes through Redis. Pushes are a courtesy: a client that reconnects asks
GET /api/v1/notices/?since=<last cursor> for what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model

from core.notices import groups
from core.notices.models import Notice
from core.notices.selectors import current_assignments, latest_cursor
from core.notices.services import assign_cursors
from core.notices.tickets import ticket_redeem
from core.regions.paths import ancestor_ids

UNAUTHENTICATED = 4401
GROUP_REFRESH_SECONDS = 300

# One database read per notice per process, however many of its connections receive the push.
_payload_cache: OrderedDict[int, dict] = OrderedDict()
_PAYLOAD_CACHE_SIZE = 2000


def notice_payload(notice: Notice) -> dict:
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


def load_push_payload(notice_id: int) -> dict | None:
    cached = _payload_cache.get(notice_id)
    if cached is not None:
        return cached
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return None
    if notice.cursor is None:
        # The on-commit assignment has not run (its process died): do it now.
        assign_cursors()
        notice.refresh_from_db(fields=["cursor"])
    payload = notice_payload(notice)
    _payload_cache[notice_id] = payload
    while len(_payload_cache) > _PAYLOAD_CACHE_SIZE:
        _payload_cache.popitem(last=False)
    return payload


def groups_for(user) -> list[str]:
    names = [groups.user_group(user.pk)]
    for role, path, _region_id, _starts_on in current_assignments(user, fresh=True):
        # The group of the role's region and of every region above: one message to the street's
        # group reaches everyone holding the role under the street.
        names.extend(groups.role_group(region_id, role) for region_id in ancestor_ids(path))
    return list(dict.fromkeys(names))


def active_user(user_id: int):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


class NoticeConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user = None
        self.joined: list[str] = []
        self.joined_at = 0.0
        self._auth_timer: asyncio.Task | None = None
        await self.accept()
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            await self._start(user)
        else:
            self._auth_timer = asyncio.ensure_future(self._close_unless_authenticated())

    async def _close_unless_authenticated(self) -> None:
        await asyncio.sleep(settings.NOTICE_WS_AUTH_TIMEOUT_SECONDS)
        if self.user is None:
            await self.close(code=UNAUTHENTICATED)

    async def receive_json(self, content, **kwargs) -> None:
        message_type = content.get("type") if isinstance(content, dict) else None
        if self.user is None:
            user = None
            if message_type == "auth":
                user_id = await database_sync_to_async(ticket_redeem)(content.get("ticket"))
                user = await database_sync_to_async(active_user)(user_id) if user_id else None
            if user is None:
                await self.send_json({"type": "error", "code": "not_authenticated"})
                await self.close(code=UNAUTHENTICATED)
                return
            await self._start(user)
        elif message_type == "ping":
            if time.monotonic() - self.joined_at > GROUP_REFRESH_SECONDS:
                await self._join_groups()  # roles may have changed since the connection opened
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def _start(self, user) -> None:
        self.user = user
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        await self._join_groups()
        cursor = await database_sync_to_async(latest_cursor)(user=user)
        # The client compares this with its last cursor and catches up over REST if behind.
        await self.send_json({"type": "ready", "latest_cursor": cursor})

    async def _join_groups(self) -> None:
        wanted = await database_sync_to_async(groups_for)(self.user)
        for name in set(self.joined) - set(wanted):
            await self.channel_layer.group_discard(name, self.channel_name)
        for name in wanted:
            # Also refreshes membership that the layer's group_expiry would otherwise end.
            await self.channel_layer.group_add(name, self.channel_name)
        self.joined = wanted
        self.joined_at = time.monotonic()

    async def disconnect(self, code) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        for name in self.joined:
            with contextlib.suppress(Exception):  # Redis may be the reason we are disconnecting
                await self.channel_layer.group_discard(name, self.channel_name)

    async def notice_push(self, event: dict) -> None:
        if self.user is None:
            return
        payload = await database_sync_to_async(load_push_payload)(event["notice_id"])
        if payload is not None:
            await self.send_json(payload)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
