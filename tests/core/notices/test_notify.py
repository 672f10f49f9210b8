"""notify(): what is written in the caller's transaction, and what happens after commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.accounts.roles import Role
from core.notices.models import Notice
from core.notices.services import notice_preference_set, notify
from core.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def notices_pending() -> int:
    """Outbox messages of the notices (the test world's own changes also wait there, for the
    dashboards' refresh)."""
    return OutboxMessage.objects.pending().filter(idempotency_key__startswith="notice:").count()


def test_a_notice_to_a_user_is_persisted_and_pushed_and_delivered_after_commit(
    world, fake_backends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = notify(
            kind="workflow.event_assigned",
            title="Event 12 assigned to you",
            body="Broken street light",
            user=world.community_worker,
            link={"type": "workflow.event", "id": 12, "url": "/events/12"},
        )
        # Nothing has left the transaction yet: no cursor, nothing sent.
        assert notice.cursor is None
        assert fake_backends == []
        assert notices_pending() == 2  # the push and the SMS
    assert callbacks
    notice.refresh_from_db()
    assert notice.cursor is not None
    assert notice.link == {"type": "workflow.event", "id": "12", "url": "/events/12"}
    # event.assigned is declared with in_app and sms: the SMS went out once, in-process.
    assert fake_backends == [("sms", world.community_worker.pk, notice.pk)]
    assert notices_pending() == 0


def test_a_rolled_back_change_leaves_no_notice_and_sends_nothing(
    world, fake_backends, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind="workflow.event_assigned", title="never", user=world.community_worker)
        raise RuntimeError("the caller's change fails")
    assert not Notice.objects.exists()
    assert (
        notices_pending() == 0
        and not OutboxMessage.objects.filter(idempotency_key__startswith="notice:").exists()
    )
    assert fake_backends == []


def test_a_region_notice_reaches_every_holder_below_it_by_their_channels(
    world, fake_backends, django_capture_on_commit_callbacks
):
    notice_preference_set(user=world.worker_b, kind="workflow.event_escalated", channels=["in_app", "wechat"])
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(
            kind="workflow.event_escalated",
            title="Overdue events under the street",
            region=world.street,
            role=Role.COMMUNITY_WORKER,
        )
    # Fan-out ran in-process (embedded mode) and enqueued one delivery per holder.
    assert sorted(fake_backends) == sorted(
        [("sms", world.community_worker.pk, notice.pk), ("wechat", world.worker_b.pk, notice.pk)]
    )


def test_channels_given_by_the_sender_override_the_persons_preference(
    world, fake_backends, django_capture_on_commit_callbacks
):
    notice_preference_set(user=world.community_worker, kind="", channels=["in_app"])
    with django_capture_on_commit_callbacks(execute=True):
        quiet = notify(kind="workflow.event_assigned", title="quiet", user=world.community_worker)
        urgent = notify(kind="notices.system", title="urgent", user=world.community_worker, channels=["sms"])
    assert fake_backends == [("sms", world.community_worker.pk, urgent.pk)]
    assert quiet.pk != urgent.pk


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "no.such.kind"}, "not declared"),
        ({"region": "street", "role": Role.COMMUNITY_WORKER}, "exactly one"),
        ({"user": None, "region": "street", "role": "mayor"}, "needs a declared role"),
        ({"role": Role.COMMUNITY_WORKER}, "takes no role"),
        ({"channels": ["pigeon"]}, "Unknown notice channels"),
        ({"title": ""}, "title"),
    ],
)
def test_notify_refuses_what_it_cannot_deliver(world, arguments, message):
    call = {"kind": "notices.system", "title": "t", "user": world.community_worker} | arguments
    if call.get("region") == "street":
        call["region"] = world.street
    with pytest.raises(ValueError, match=message):
        notify(**call)
    assert not Notice.objects.exists()


def test_sms_goes_through_the_platforms_sms_gateway_to_the_accounts_mobile(
    world, settings, django_capture_on_commit_callbacks
):
    from core.accounts.sms import MemorySmsBackend

    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    world.community_worker.mobile_encrypted = "13800138000"
    world.community_worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="workflow.event_assigned", title="Event 7 assigned to you", user=world.community_worker)
        notify(kind="workflow.event_assigned", title="no phone, no SMS", user=world.worker_b)
    assert [(m.phone, m.text) for m in MemorySmsBackend.outbox] == [
        ("13800138000", "Event 7 assigned to you")
    ]
    MemorySmsBackend.outbox.clear()


def test_sms_to_a_resident_account_goes_to_the_mobile_of_their_record(
    world, settings, django_capture_on_commit_callbacks
):
    from core.accounts.models import ResidentBinding
    from core.accounts.sms import MemorySmsBackend
    from core.registry.models import Resident

    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    record = Resident.objects.create(
        region=world.grid_a1, region_path=world.grid_a1.path, name="张三", mobile_encrypted="13700137000"
    )
    ResidentBinding.objects.create(user=world.no_role_user, resident=record)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="workflow.event_assigned", title="您的诉求已受理", user=world.no_role_user, channels=["sms"]
        )
    assert [(m.phone, m.text) for m in MemorySmsBackend.outbox] == [("13700137000", "您的诉求已受理")]
    MemorySmsBackend.outbox.clear()


def _record(world, mobile: str = "13600136000"):
    from core.registry.models import Resident

    return Resident.objects.create(
        region=world.grid_a1, region_path=world.grid_a1.path, name="李四", mobile_encrypted=mobile
    )


def test_a_notice_to_a_resident_record_reaches_its_mobile_by_sms_after_commit(
    world, settings, django_capture_on_commit_callbacks
):
    from core.accounts.sms import MemorySmsBackend

    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    record = _record(world)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(
            kind="workflow.event_assigned", title="您的申请已受理", resident=record, channels=["sms"]
        )
        # Written in the caller's transaction, sent only after it commits, through the outbox.
        assert MemorySmsBackend.outbox == []
        assert (
            OutboxMessage.objects.pending().filter(idempotency_key__startswith="notice:").get().task_name
            == "notices.deliver_to_record"
        )
    assert [(m.phone, m.text) for m in MemorySmsBackend.outbox] == [("13600136000", "您的申请已受理")]
    notice.refresh_from_db()
    assert (notice.resident_id, notice.recipient_id, notice.region_id) == (record.pk, None, None)
    # Delivered again by the relay (same key): the SMS is not sent twice.
    from core.notices.tasks import deliver_to_record

    deliver_to_record.apply(args=[notice.pk], task_id=f"notice:{notice.pk}:deliver_to_record")
    assert len(MemorySmsBackend.outbox) == 1
    MemorySmsBackend.outbox.clear()


def test_a_notice_to_a_resident_record_goes_only_by_the_channels_it_asks_for(
    world, fake_backends, django_capture_on_commit_callbacks
):
    record = _record(world)
    with django_capture_on_commit_callbacks(execute=True):
        in_app_only = notify(kind="workflow.event_assigned", title="t", resident=record, channels=["in_app"])
        by_sms = notify(
            kind="workflow.event_assigned", title="t", resident=record
        )  # the kind's default has SMS
    assert fake_backends == [("sms", f"resident:{record.pk}", by_sms.pk)]
    assert in_app_only.pk != by_sms.pk


def test_a_notice_to_a_resident_record_is_nobodys_inbox(world, django_capture_on_commit_callbacks):
    from core.notices.selectors import visibility_filter

    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="workflow.event_assigned", title="t", resident=_record(world), channels=["sms"])
    for user in (world.community_worker, world.street_staff, world.resident_user):
        assert not Notice.objects.filter(visibility_filter(user)).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"user": "worker"}, "exactly one"),
        ({"region": "street"}, "exactly one"),
        ({"role": Role.COMMUNITY_WORKER}, "takes no role"),
    ],
)
def test_a_notice_to_a_resident_record_has_no_other_addressee(world, arguments, message):
    call = {"kind": "notices.system", "title": "t", "resident": _record(world)} | arguments
    call["user"] = world.community_worker if call.get("user") == "worker" else None
    if call.get("region") == "street":
        call["region"] = world.street
    with pytest.raises(ValueError, match=message):
        notify(**call)
    assert not Notice.objects.exists()
