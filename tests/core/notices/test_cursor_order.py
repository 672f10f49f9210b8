"""A notice whose transaction commits late is not skipped by a client that caught up meanwhile."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from core.notices.selectors import notice_list
from core.notices.services import notify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_late_commit_gets_a_later_cursor_than_what_the_client_has_seen(world):
    inserted, release, slow = threading.Event(), threading.Event(), {}

    def slow_transaction():
        try:
            with transaction.atomic():
                slow["notice"] = notify(
                    kind="notices.system", title="inserted first, committed last", user=world.community_worker
                )
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    assert inserted.wait(10)
    fast = notify(
        kind="notices.system", title="inserted second, committed first", user=world.community_worker
    )
    assert fast.pk > slow["notice"].pk  # ids follow insert order

    seen, _ = notice_list(user=world.community_worker, since=0, limit=10)
    assert [n.pk for n in seen] == [fast.pk]
    last_cursor = seen[-1].cursor

    release.set()
    thread.join(10)
    caught_up, _ = notice_list(user=world.community_worker, since=last_cursor, limit=10)
    # With ids as cursors this would be empty: the slow notice's id is below last_cursor.
    assert [n.pk for n in caught_up] == [slow["notice"].pk]
