"""Work enqueued once per transaction: a transaction that changes many rows of one place asks
for one refresh of it, not one per row (core.dashboards.changes). The outbox's own, because
telling whether an earlier enqueue still stands takes an after-commit marker: Django drops it
with a rolled-back savepoint (and the outbox row with it) and clears it at commit."""

from __future__ import annotations

from django.db import transaction

_MARKERS = "_outbox_enqueued_once"  # on the connection: name -> (transaction key, marker)


def first_in_transaction(name: str) -> bool:
    """True the first time `name` is asked within the transaction under way (and outside of one:
    each call is its own), False while an earlier ask in it still stands."""
    connection = transaction.get_connection()
    key = _transaction_key(connection) if connection.in_atomic_block else None
    if key is None:
        return True
    if _marked_in_this_transaction(connection, key, name):
        return False
    _remember_marked(connection, key, name)
    return True


def _transaction_key(connection):
    """What tells this transaction from the next on one connection, or None outside of one.

    A test runs inside the test case's own atomic blocks, whose after-commit callbacks never
    run: there, as Django does for durable blocks, the transaction is the outermost block that
    is not the test case's, told apart by its savepoint."""
    blocks = connection.atomic_blocks
    outer = 0
    while outer < len(blocks) and blocks[outer]._from_testcase:
        outer += 1
    if outer == len(blocks):
        return None
    return "transaction" if outer == 0 else connection.savepoint_ids[outer - 1]


def _marked_in_this_transaction(connection, key, name: str) -> bool:
    """Whether this name was already asked by the transaction under way and not
    undone since (a rolled-back savepoint drops the marker with its outbox row)."""
    marked = connection.__dict__.get(_MARKERS, {}).get(name)
    if marked is None or marked[0] != key:
        return False
    return any(entry[1] is marked[1] for entry in connection.run_on_commit)


def _remember_marked(connection, key, name: str) -> None:
    """A no-op after-commit callback stands for the enqueued refresh: Django discards it with a
    rolled-back savepoint and runs it (clearing the list) at commit, so it is valid exactly as
    long as the outbox row it stands for will be committed with the transaction."""

    def marker():
        return None

    transaction.on_commit(marker, using=connection.alias)
    connection.__dict__.setdefault(_MARKERS, {})[name] = (key, marker)
