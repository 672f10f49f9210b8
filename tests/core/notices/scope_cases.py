"""Scope-matrix cases of notices (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

from tests.scope_matrix.cases import Case, register
from tests.world import World

# notices (core.notices): a notice belongs to the people it is addressed to --------------------


def _notice_to(world: World, user):
    from core.notices.services import assign_cursors, notify

    notice = notify(kind="system", title="停水通知", user=user)
    assign_cursors()  # what the commit would do; the test transaction never commits
    return notice


READING_STATE = "marks the caller's own notices read: their reading state, nobody's data"
register("notice-detail", case=Case(addressed_to=_notice_to))
register("notice-read", case=Case(addressed_to=_notice_to, unaudited={"read": READING_STATE}))
register("notice-read-all", case=Case(personal=True, unaudited={"POST": READING_STATE}))
register(
    "notice-ws-ticket",
    case=Case(
        personal=True,
        unaudited={"POST": "a short-lived ticket for the caller's own websocket, kept in the cache only"},
    ),
)
register("notice-list", "notice-unread-count", "notice-preferences", case=Case(personal=True))
