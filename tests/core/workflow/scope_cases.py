"""Scope-matrix cases of events and work orders (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

from tests.scope_matrix.cases import Case, register
from tests.world import World

# events (core.workflow) ------------------------------------------------------------------------


def _event_in(world: World, community):
    from core.workflow.services import event_report

    event, _merged = event_report(
        reporter=None,
        type_key="general_request",
        source="patrol",
        title="楼道堆物",
        grid=world.grid_of(community),
    )
    return event


def _event_with_attachment(world: World, community):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.workflow.attachments import attachment_add

    event = _event_in(world, community)
    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    event.matrix_attachment = attachment_add(event=event, upload=png, actor=None)
    return event


register(
    "events",
    case=Case(
        make=_event_in,
        payload=lambda world, community: {
            "type": "general_request",
            "title": "路灯不亮",
            "grid": world.grid_of(community).pk,
        },
        update_payload=lambda world, community, obj: {"action": "accept"},
        is_own=lambda obj, resident: False,
        # Reaching the handler with an empty body: attachments want multipart (415), reassign a list (400).
        success={"attachments": 415, "reassign": 400},
    ),
)
register(
    "events-attachment",
    case=Case(
        make=_event_with_attachment,
        url_kwargs=lambda obj: {"pk": obj.pk, "attachment_id": obj.matrix_attachment.pk},
    ),
)
