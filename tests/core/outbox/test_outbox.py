"""The outbox: written with the change, published after commit, kept while the broker is down,
published in order, and consumed once however often it is delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.outbox import relay
from core.outbox.models import OutboxMessage, ProcessedTask
from core.outbox.services import enqueue_group_send, enqueue_task
from core.outbox.tasks import current_idempotency_key, idempotent_task, relay_outbox

pytestmark = pytest.mark.django_db

EFFECTS: list[tuple[int, str | None]] = []
FAIL_NEXT: list[bool] = []


@idempotent_task(name="tests.outbox.record_effect")
def record_effect(value: int) -> int:
    if FAIL_NEXT:
        FAIL_NEXT.pop()
        raise RuntimeError("the effect failed")
    EFFECTS.append((value, current_idempotency_key()))
    return value


@pytest.fixture(autouse=True)
def _clean():
    EFFECTS.clear()
    FAIL_NEXT.clear()
    yield
    EFFECTS.clear()


def test_a_task_runs_once_after_commit_and_not_at_all_after_a_rollback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_task("tests.outbox.record_effect", args=[1], idempotency_key="effect:1")
            assert EFFECTS == []  # not before commit
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_task("tests.outbox.record_effect", args=[2], idempotency_key="effect:2")
            raise RuntimeError("the change fails")
    assert EFFECTS == [(1, "effect:1")]
    assert list(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == ["effect:1"]
    assert OutboxMessage.objects.get().sent_at is not None


def test_enqueuing_a_key_twice_keeps_the_first_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_task("tests.outbox.record_effect", args=[1], idempotency_key="same")
        second = enqueue_task("tests.outbox.record_effect", args=[99], idempotency_key="same")
    assert first.pk == second.pk
    assert EFFECTS == [(1, "same")]


def test_a_task_delivered_twice_has_its_effect_once_and_a_failed_one_runs_again():
    record_effect.apply(args=[5], task_id="delivery:5")
    record_effect.apply(args=[5], task_id="delivery:5")
    assert EFFECTS == [(5, "delivery:5")]
    FAIL_NEXT.append(True)
    failed = record_effect.apply(args=[6], task_id="delivery:6", throw=False)
    assert failed.failed()
    assert not ProcessedTask.objects.filter(idempotency_key="delivery:6").exists()  # rolled back with it
    record_effect.apply(args=[6], task_id="delivery:6")
    assert EFFECTS == [(5, "delivery:5"), (6, "delivery:6")]


def test_task_arguments_are_plain_values_only():
    with pytest.raises(ValueError, match="primary keys"):
        enqueue_task("tests.outbox.record_effect", args=[{"name": "张三"}], idempotency_key="k")
    with pytest.raises(ValueError, match="primary keys"):
        enqueue_task("tests.outbox.record_effect", args=["13800138000"], idempotency_key="k1")
    with pytest.raises(ValueError, match="type"):
        enqueue_group_send("g", {"no": "type"}, idempotency_key="k2")
    with pytest.raises(ValueError, match="countdown"):
        enqueue_task("tests.outbox.record_effect", args=[1], idempotency_key="k3", countdown=10**9)
    assert not OutboxMessage.objects.exists()


def test_while_the_broker_is_unreachable_messages_stay_pending_and_go_out_in_order_later(monkeypatch):
    for value in (1, 2, 3):
        enqueue_task("tests.outbox.record_effect", args=[value], idempotency_key=f"ordered:{value}")
    real_publish = relay.publish

    def broker_down(message, *, retry):
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(relay, "publish", broker_down)
    result = relay_outbox.apply().get()
    assert result == {"sent": 0, "failed": 0, "unreachable": True}
    pending = OutboxMessage.objects.pending().order_by("id")
    assert pending.count() == 3
    # Unreachable is not the message's fault: no attempt counted, no lease left behind.
    assert [(m.attempts, m.claimed_until) for m in pending] == [(0, None)] * 3
    assert "Redis is down" in pending[0].last_error

    monkeypatch.setattr(relay, "publish", real_publish)
    assert relay_outbox.apply().get() == {"sent": 3, "failed": 0, "unreachable": False}
    assert [value for value, _key in EFFECTS] == [1, 2, 3]
    assert OutboxMessage.objects.pending().count() == 0
    # A second relay run publishes nothing again.
    assert relay_outbox.apply().get()["sent"] == 0


def test_a_message_that_keeps_failing_does_not_block_the_others(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    enqueue_task("no.such.task", args=[], idempotency_key="poison")
    enqueue_task("tests.outbox.record_effect", args=[7], idempotency_key="after-poison")
    assert relay.relay_pending().sent == 1
    assert EFFECTS == [(7, "after-poison")]
    relay.relay_pending()
    poison = OutboxMessage.objects.get(idempotency_key="poison")
    assert poison.attempts == 2 and poison.dead_at is not None
    assert relay.relay_pending().sent + relay.relay_pending().failed == 0  # given up, not retried forever


def test_a_countdown_waits_in_the_outbox_and_a_claimed_message_is_left_to_its_claimer():
    delayed = enqueue_task("tests.outbox.record_effect", args=[8], idempotency_key="later", countdown=60)
    claimed = enqueue_task("tests.outbox.record_effect", args=[9], idempotency_key="claimed")
    OutboxMessage.objects.filter(pk=claimed.pk).update(claimed_until=timezone.now() + timedelta(seconds=30))
    assert relay.relay_pending().sent == 0
    OutboxMessage.objects.filter(pk=delayed.pk).update(available_at=timezone.now())
    OutboxMessage.objects.filter(pk=claimed.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert relay.relay_pending().sent == 2  # the claimer died: its lease ran out
    assert sorted(EFFECTS) == [(8, "later"), (9, "claimed")]


def test_a_group_message_goes_to_the_channel_layer():
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("tests.outbox", channel)
    enqueue_group_send("tests.outbox", {"type": "hello", "id": 1}, idempotency_key="hello:1")
    assert relay.relay_pending().sent == 1
    assert async_to_sync(layer.receive)(channel) == {"type": "hello", "id": 1}


def test_the_relay_and_the_clean_up_are_beat_entries_that_expire():
    from core.extensions.registry import registry

    entries = {task.key: task for task in registry.periodic_tasks()}
    relay_entry = entries["outbox.relay"]
    assert relay_entry.schedule <= 10 and relay_entry.expires_seconds <= relay_entry.schedule
    assert relay_entry.queue == "outbox"
    assert entries["outbox.purge"].expires_seconds
