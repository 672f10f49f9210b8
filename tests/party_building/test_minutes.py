"""A meeting's minutes carry attachments (the sign-in sheet, the minutes book): checked by
content, at most 20, shown on the meeting, downloaded only in scope and audited."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit.models import AuditEvent
from party_building.minutes import MAX_PER_MEETING
from party_building.models import MinutesAttachment
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f

MEETINGS = "/api/v1/party-building/meetings/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name="签到表.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_minutes_are_attached_shown_and_downloaded_with_an_audit_row(world):
    meeting = f.meeting(f.organization(world.grid_a1))
    client = client_for(world.community_worker)
    response = client.post(f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload()}, format="multipart")
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert (attachment["name"], attachment["content_type"], attachment["size"]) == (
        "签到表.png",
        "image/png",
        len(PNG),
    )

    detail = client.get(f"{MEETINGS}{meeting.pk}/").json()
    assert [row["id"] for row in detail["attachments"]] == [attachment["id"]]

    download = client.get(f"{MEETINGS}{meeting.pk}/attachments/{attachment['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Cache-Control"] == "no-store"
    assert (
        AuditEvent.objects.filter(
            action="party_building.minutes.download", actor=world.community_worker
        ).count()
        == 1
    )


def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(world):
    meeting = f.meeting(f.organization(world.grid_a1))
    client = client_for(world.community_worker)
    disguised = upload("记录.png", b"MZ\x90\x00 an executable")
    response = client.post(f"{MEETINGS}{meeting.pk}/attachments/", {"file": disguised}, format="multipart")
    assert_error(response, 400, "invalid_attachment", ["file"])
    assert_error(
        client.post(f"{MEETINGS}{meeting.pk}/attachments/", {}, format="multipart"), 400, "invalid", ["file"]
    )
    assert MinutesAttachment.objects.count() == 0


def test_at_most_twenty_a_meeting(world):
    meeting = f.meeting(f.organization(world.grid_a1))
    client = client_for(world.community_worker)
    for n in range(MAX_PER_MEETING):
        response = client.post(
            f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload(f"{n}.png")}, format="multipart"
        )
        assert response.status_code == 201
    response = client.post(f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload()}, format="multipart")
    assert_error(response, 400, "invalid_attachment", ["file"])
    assert MinutesAttachment.objects.filter(meeting=meeting).count() == MAX_PER_MEETING


def test_another_communitys_worker_neither_attaches_nor_downloads(world):
    meeting = f.meeting(f.organization(world.grid_a1))
    own = client_for(world.community_worker)
    attachment = own.post(
        f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload()}, format="multipart"
    ).json()
    other = client_for(world.worker_b)
    assert other.get(f"{MEETINGS}{meeting.pk}/attachments/{attachment['id']}/").status_code == 404
    assert (
        other.post(f"{MEETINGS}{meeting.pk}/attachments/", {"file": upload()}, format="multipart").status_code
        == 404
    )
    assert own.get(f"{MEETINGS}{meeting.pk}/attachments/{attachment['id'] + 1000}/").status_code == 404
    assert MinutesAttachment.objects.count() == 1
