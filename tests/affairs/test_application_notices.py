"""Who hears of an application's steps: the applicant through the channel they chose, the
worker who filed it on their behalf, and an applicant without an account by SMS."""

from __future__ import annotations

from core.accounts.models import ResidentBinding
from core.accounts.sms import MemorySmsBackend
from core.notices.models import Notice
from core.outbox.models import OutboxMessage
from tests.affairs.test_applications import dibao_payload, step, submit


def test_the_chosen_channel_goes_with_every_notice_to_the_applicant(world, settings):
    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    application_id = submit(world, payload=dibao_payload(world, notify_channel="sms")).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    notice = Notice.objects.filter(recipient=world.resident_user, kind="affairs.application").latest("id")
    assert notice.channels == ["sms"]


def test_an_applicant_filed_for_without_an_account_hears_by_sms_and_the_filer_in_app(
    world, settings, django_capture_on_commit_callbacks, in_process_tasks
):
    settings.SMS_BACKEND = "core.accounts.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    ResidentBinding.objects.all().delete()
    world.applicant.mobile_encrypted = "13900139000"
    world.applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(world, user=world.grid_worker, payload=dibao_payload(world, notify_channel="sms"))
        application_id = response.json()["id"]
        step(world, application_id, world.community_worker, "intake")
        step(world, application_id, world.community_worker, "reject", note="家庭收入超过标准")
    # The worker who filed it hears of each step, to tell the resident.
    filer = Notice.objects.filter(recipient=world.grid_worker, kind="affairs.application")
    assert filer.count() == 2 and "家庭收入超过标准" in filer.latest("id").body
    # The resident has no account: each step reached the mobile in their record, once.
    assert [m.phone for m in MemorySmsBackend.outbox] == ["13900139000", "13900139000"]
    assert MemorySmsBackend.outbox[-1].text == "最低生活保障（低保）：已驳回"
    MemorySmsBackend.outbox.clear()
    # ...as notices addressed to the record, through core.notices' SMS channel, not a task of affairs.
    to_record = Notice.objects.filter(resident=world.applicant, kind="affairs.application")
    assert [n.title for n in to_record.order_by("id")] == [
        "最低生活保障（低保）：入户调查",
        "最低生活保障（低保）：已驳回",
    ]
    assert (
        set(
            OutboxMessage.objects.filter(task_name__startswith="affairs.").values_list("task_name", flat=True)
        )
        == set()
    )


def test_affairs_has_no_sms_path_of_its_own():
    from config.celery import app

    app.loader.import_default_modules()
    assert not [name for name in app.tasks if name.startswith("affairs.") and "sms" in name]
