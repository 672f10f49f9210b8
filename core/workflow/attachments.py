"""Attachments of events: images and PDFs, checked by content, stored privately.

Files go to the default storage (settings.STORAGES["default"], a private folder no URL serves);
the only way to read one is the scoped, audited download endpoint.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from core.api.errors import ApplicationError, Conflict, field_error
from core.audit.services import audit_record
from core.workflow.errors import WorkflowError
from core.workflow.models import Event, EventAttachment
from core.workflow.states import FINAL_STATES

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_EVENT = 20
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """The content type and extension the bytes really are, whatever the name says."""
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def _refuse(message: str) -> ApplicationError:
    return field_error("file", message, code=WorkflowError.INVALID_ATTACHMENT)


def check_upload(upload, field: str = "file") -> tuple[str, str]:
    """The content type and extension of an acceptable upload; 400 naming `field` otherwise.
    Callers storing several files check them all first, so a refusal leaves nothing on disk."""
    if upload.size > MAX_BYTES:
        raise field_error(field, _("The file is larger than 10 MB."), code=WorkflowError.INVALID_ATTACHMENT)
    head = upload.read(16)
    upload.seek(0)
    detected = sniff(head)
    if detected is None:
        raise field_error(
            field,
            _("Only JPEG, PNG or WebP images and PDF files can be attached."),
            code=WorkflowError.INVALID_ATTACHMENT,
        )
    return detected


def store_upload(attachment, upload, *, content_type: str, extension: str) -> None:
    """Fill a new attachment row (any model with file, name, content_type, size and sha256, such
    as EventAttachment) from an upload `check_upload` accepted, store the file, save the row."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment.name = (upload.name or "attachment").rsplit("/", 1)[-1][:150]
    attachment.content_type, attachment.size, attachment.sha256 = (
        content_type,
        upload.size,
        digest.hexdigest(),
    )
    # The stored name is ours: the extension matches the content, the client's name is not a path.
    attachment.file.save(f"{digest.hexdigest()[:32]}{extension}", upload, save=False)
    attachment.save()


def attachment_add(*, event: Event, upload, actor, label: str = "", request=None) -> EventAttachment:
    content_type, extension = check_upload(upload)
    with transaction.atomic():
        # Lock the event: a count takes no row locks, and two uploads at 19 must not make 21.
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if event.state in FINAL_STATES:
            raise Conflict(
                _("This event is closed; nothing can be attached to it."), code=WorkflowError.EVENT_CLOSED
            )
        if EventAttachment.objects.filter(event=event).count() >= MAX_PER_EVENT:
            raise _refuse(_("An event can have at most 20 attachments."))
        attachment = EventAttachment(event=event, label=label[:64], uploaded_by=actor)
        store_upload(attachment, upload, content_type=content_type, extension=extension)
        audit_record(
            actor=actor,
            action="workflow.attachment.add",
            target=event,
            request=request,
            extra={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    return attachment


def attachment_open(*, attachment: EventAttachment, actor, request=None):
    """Open the file for download, writing the audit row first: no trace, no file."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="workflow.attachment.download",
            target=attachment.event,
            request=request,
            extra={"attachment": attachment.pk},
        )
    return attachment.file.open("rb")
