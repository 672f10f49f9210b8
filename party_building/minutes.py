"""Attachments of a meeting's minutes: images and PDFs checked by content (core's rules for an
event's attachments), stored privately, at most 20 a meeting; every download audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.api.errors import field_error
from core.audit.services import audit_record
from core.workflow.attachments import MAX_PER_EVENT, check_upload, store_upload
from core.workflow.errors import WorkflowError
from party_building.models import Meeting, MinutesAttachment

MAX_PER_MEETING = MAX_PER_EVENT


def minutes_attach(*, actor, meeting: Meeting, upload, request=None) -> MinutesAttachment:
    content_type, extension = check_upload(upload)
    with transaction.atomic():
        # Lock the meeting: two uploads at 19 must not make 21.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.attachments.count() >= MAX_PER_MEETING:
            raise field_error(
                "file",
                _("A meeting can have at most %(count)d attachments.") % {"count": MAX_PER_MEETING},
                code=WorkflowError.INVALID_ATTACHMENT,
            )
        attachment = MinutesAttachment(meeting=meeting, uploaded_by=actor)
        store_upload(attachment, upload, content_type=content_type, extension=extension)
        audit_record(
            actor=actor,
            action="party_building.minutes.attach",
            target=meeting,
            request=request,
            extra={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    return attachment


def minutes_open(*, actor, attachment: MinutesAttachment, request=None):
    """Open the file for download, writing the audit row first: no trace, no file."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="party_building.minutes.download",
            target=attachment.meeting,
            request=request,
            extra={"attachment": attachment.pk},
        )
    return attachment.file.open("rb")
