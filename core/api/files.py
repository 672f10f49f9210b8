"""Uploading and downloading a stored attachment, the same way on every route: the multipart
request in the schema, the one refusal when no file is sent, and a download that is never
cached and never sniffed (an attachment of an event, a meeting's minutes, a retrofit's photos)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from rest_framework import serializers

UPLOAD_REQUEST = {
    "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
}
DOWNLOAD_RESPONSES = {(200, "application/octet-stream"): bytes}


def the_upload(request):
    """The `file` of a multipart request; 400 naming `file` when there is none."""
    upload = request.FILES.get("file")
    if upload is None:
        raise serializers.ValidationError({"file": [_("Choose a file.")]})
    return upload


def download(handle, attachment) -> FileResponse:
    """The opened file (opened through the caller's audited `…_open`) as a download."""
    response = FileResponse(
        handle, content_type=attachment.content_type, as_attachment=True, filename=attachment.name
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
