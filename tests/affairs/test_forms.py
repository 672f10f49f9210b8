"""Printable forms: the 审批表 shows the whole file of an application, the 告知书 says what its
stage means for the applicant; both are Word documents, printed under audit."""

from __future__ import annotations

from docx import Document

from affairs import forms
from affairs.models import Application
from core.audit.models import AuditEvent
from tests.affairs.dibao_applications import approved, file_dibao, in_publicity, take
from tests.affairs.helpers import docx_text
from tests.helpers import client_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_approval_form_shows_the_file_with_the_id_number_masked_and_every_step(world):
    application = approved(world)
    text = docx_text(forms.render(application, "approval", actor=world.street_staff))

    assert "最低生活保障（低保）审批表" in text
    assert "滨江路1号1栋101" in text
    assert "王大明" in text and "李小红" in text and "王小明" in text  # in full: printing is audited
    assert world.applicant.document_number_masked in text
    assert world.applicant.document_number_masked[6:10] == "****"
    assert "3000.00" in text  # declared financial assets
    assert "742" in text  # the standard the check used
    application.refresh_from_db()
    assert str(application.monthly_amount) in text
    assert "入户调查属实" in text  # the investigation's note, on its step's line
    for user in (world.community_worker, world.street_staff, world.street_staff_2):
        assert user.username in text
    assert AuditEvent.objects.filter(
        action="affairs.application.print", object_id=str(application.pk), actor=world.street_staff
    ).exists()


def test_the_notice_follows_the_stage(world):
    application = file_dibao(world)
    assert "受理通知书" in docx_text(forms.render(application, "notice", actor=world.community_worker))

    application = take(world, application, "return", missing=["income_proof", "户口簿复印件"])
    text = docx_text(forms.render(application, "notice", actor=world.community_worker))
    assert "一次性告知书" in text and "受理通知书" not in text
    assert "1. 家庭成员收入证明" in text and "2. 户口簿复印件" in text  # codes become material names


def test_a_rejection_notice_gives_the_reason_and_an_approval_the_amount_and_start(world):
    rejected = take(world, in_publicity(world), "reject")
    text = docx_text(forms.render(rejected, "notice", actor=world.street_staff))
    assert "不予批准告知书" in text and "家庭人均收入高于低保标准" in text
    assert "批准通知书" not in text
    Application.objects.filter(pk=rejected.pk).update(stage="withdrawn")

    application = approved(world)
    application.refresh_from_db()
    text = docx_text(forms.render(application, "notice", actor=world.street_staff))
    assert "批准通知书" in text and "不予批准" not in text
    start = application.benefits.order_by("started_on").first().started_on
    assert f"每月金额：{application.monthly_amount} 元，自 {start.isoformat()} 起发放" in text


def test_text_typed_by_people_cannot_break_the_document(world):
    application = file_dibao(world)
    Application.objects.filter(pk=application.pk).update(
        decision_note="<b>A & B</b> {{ x }}", stage="rejected"
    )
    text = docx_text(
        forms.render(Application.objects.get(pk=application.pk), "notice", actor=world.street_staff)
    )
    assert "<b>A & B</b> {{ x }}" in text


def test_a_deployment_uses_its_own_templates(world, settings, tmp_path):
    document = Document()
    document.add_paragraph("本地审批表：{{ item }}，申请人 {{ applicant_name }}")
    document.save(tmp_path / "approval.docx")
    settings.AFFAIRS_FORM_TEMPLATES_DIR = str(tmp_path)
    application = file_dibao(world)
    assert "本地审批表：最低生活保障（低保），申请人 王大明" in docx_text(
        forms.render(application, "approval", actor=world.street_staff)
    )
    # A folder without a notice.docx keeps the built-in notice.
    assert "受理通知书" in docx_text(forms.render(application, "notice", actor=world.street_staff))


def test_the_api_serves_the_form_as_an_attachment_not_kept_in_caches(world):
    application = file_dibao(world)
    url = f"/api/v1/affairs/applications/{application.pk}/forms/approval/"
    response = client_for(world.community_worker).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert "王大明" in docx_text(response.content)

    # The applicant prints their notice; a worker of the sibling community does not find it.
    notice = f"/api/v1/affairs/applications/{application.pk}/forms/notice/"
    assert client_for(world.resident_user).get(notice).status_code == 200
    assert client_for(world.worker_b).get(notice).status_code == 404
    assert client_for(world.worker_b).get(url).json()["error"]["code"] == "not_found"
    assert client_for(world.community_worker).get(url.replace("approval", "other")).status_code == 404
    assert AuditEvent.objects.filter(action="affairs.application.print").count() == 2
