"""/ws/notices/: the live push of notices to a signed-in person.

Authenticated by the session cookie (AuthMiddlewareStack in config/asgi.py) or, for a client
holding a JWT, by its first message: the access token itself, {"type": "auth", "token": "…"},
checked as REST checks an Authorization header (core.accounts.authentication), or a ticket from
POST /api/v1/notices/ws-ticket/, {"type": "auth", "ticket": "…"}. A connection that has not
authenticated within NOTICE_WS_AUTH_TIMEOUT_SECONDS is closed with 4401, as is one whose token or
ticket is refused. It joins the person's group and the groups of each role they hold at their
region and every region above it; a push names a notice id and the notice is read from the
database here, so no personal data passes through Redis. The process, not each connection, is
the group member: core.notices.fanout reads the notice once and writes one encoded frame to every
local member. Connecting with a ticket reads the database once (the latest cursor): the ticket,
in the cache, carries the person's roles; with a token, the user and their roles are read first
(two short queries in one thread hop). Pushes are a courtesy: a client that reconnects sends its
last cursor in the auth message ("since") and the ready message carries what it missed (up to
NOTICE_WS_CATCH_UP_MAX; more is fetched with GET /api/v1/notices/?since=<cursor>).
"""

from __future__ import annotations

import asyncio
import functools
import time

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model

from core.accounts.authentication import authenticate_access_token
from core.notices import fanout, groups
from core.notices.selectors import catch_up, current_assignments, latest_cursor
from core.notices.tickets import ticket_claim
from core.regions.paths import ancestor_ids

# The connection's database and cache reads run in the default thread pool, a few at a time, not
# all through the one thread that database_sync_to_async would use (a reconnect storm queues
# behind it); each takes a pooled connection and gives it back.
in_thread = functools.partial(DatabaseSyncToAsync, thread_sensitive=False)

UNAUTHENTICATED = 4401
GROUP_REFRESH_SECONDS = 300

# Kept for callers of the single-payload helpers; the push itself goes through core.notices.fanout.
notice_payload = fanout.notice_payload


def load_push_payload(notice_id: int) -> dict | None:
    import json

    entry = fanout.load_frame(notice_id)
    return json.loads(entry[0]) if entry is not None else None


def group_names(user_id: int, assignments) -> list[str]:
    names = [groups.user_group(user_id)]
    for role, path, _region_id, _starts_on in assignments:
        # The group of the role's region and of every region above: one message to the street's
        # group reaches everyone holding the role under the street.
        names.extend(groups.role_group(region_id, role) for region_id in ancestor_ids(path))
    return list(dict.fromkeys(names))


def groups_for(user) -> list[str]:
    return group_names(user.pk, current_assignments(user, fresh=True))


def ticket_user(user_id: int, assignments):
    """The ticket's holder, as the ticket describes them (checked active when it was issued, at
    most NOTICE_WS_TICKET_TTL_SECONDS ago): no database read on connect."""
    user = get_user_model()(pk=user_id, is_active=True)
    user._notice_assignments = list(assignments)
    return user


def token_user(raw):
    """The holder of a JWT access token with their current role assignments read (cached on the
    user for the groups), or None when REST would refuse the token."""
    from rest_framework.exceptions import APIException

    def current_roles(user):
        return {role for role, _path, _region_id, _starts_on in current_assignments(user)}

    try:
        user = authenticate_access_token(raw, current_roles=current_roles)
    except APIException:
        return None
    current_assignments(user)  # read once (with the account check when it needed the roles)
    return user


def catch_up_payload(user, since: int) -> dict:
    """The ready message of a client that sent its last cursor: the notices it missed, in the
    push's shape with their read state, oldest first."""
    latest, rows, has_more = catch_up(user=user, since=since, limit=settings.NOTICE_WS_CATCH_UP_MAX)
    return {
        "type": "ready",
        "latest_cursor": latest,
        "missed": [dict(fanout.notice_payload(notice), is_read=notice.is_read) for notice in rows],
        "has_more": has_more,
    }


def since_of(content: dict) -> int | None:
    since = content.get("since")
    if isinstance(since, bool) or not isinstance(since, int) or since < 0:
        return None
    return since


class NoticeConsumer(AsyncJsonWebsocketConsumer):
    # No channel of its own: the process's hub (core.notices.fanout) is the groups' member and
    # writes pushes to this connection; a channel per connection would cost a task and a queue.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.user = None
        self.joined: list[str] = []
        self.joined_at = 0.0
        self._auth_timer: asyncio.Task | None = None
        # Pushes that arrive between joining the groups and sending "ready" wait here: a client
        # reads "ready" first, whatever the timing.
        self._held: list[dict] | None = []
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
                if self._auth_timer is not None:
                    self._auth_timer.cancel()  # it answered in time; a busy server may be slower
                if "token" in content:
                    # The user and their roles (the database, one thread hop); no ticket round trip.
                    user = await in_thread(token_user)(content.get("token"))
                else:
                    # The cache only (Redis in services mode): the ticket carries the person's roles.
                    claim = await in_thread(ticket_claim)(content.get("ticket"))
                    if claim is not None:
                        user = ticket_user(claim.user_id, claim.assignments)
            if user is None:
                await self.send_json({"type": "error", "code": "not_authenticated"})
                await self.close(code=UNAUTHENTICATED)
                return
            await self._start(user, group_names(user.pk, current_assignments(user)), since=since_of(content))
        elif message_type == "ping":
            if time.monotonic() - self.joined_at > GROUP_REFRESH_SECONDS:
                await self._join_groups()  # roles may have changed since the connection opened
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def _start(self, user, wanted: list[str] | None = None, since: int | None = None) -> None:
        self.user = user
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        await self._join_groups(wanted)
        # Read after the joins, so a notice committed later is pushed (a client dedupes by cursor).
        if since is None:
            # One query. The client compares it with its last cursor and catches up over REST.
            cursor = await in_thread(latest_cursor)(user=user)
            await self.send_json({"type": "ready", "latest_cursor": cursor})
        else:
            await self.send_json(await in_thread(catch_up_payload)(user, since))
        held, self._held = self._held, None
        for message in held or ():
            await self.base_send(message)

    async def _push(self, message: dict) -> None:
        if self._held is not None:
            self._held.append(message)
        else:
            await self.base_send(message)

    async def _join_groups(self, wanted: list[str] | None = None) -> None:
        if wanted is None:
            wanted = await in_thread(groups_for)(self.user)
        hub = fanout.hub_for(get_channel_layer())
        hub.leave(id(self), set(self.joined) - set(wanted))
        await hub.join(id(self), self._push, wanted)
        self.joined = wanted
        self.joined_at = time.monotonic()

    async def disconnect(self, code) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        if self.joined:
            fanout.hub_for(get_channel_layer()).leave(id(self), self.joined)
            self.joined = []

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
