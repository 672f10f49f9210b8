"""Scope-matrix cases of events and work orders (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.accounts.roles import Role
from tests.scope_matrix.cases import Case, register
from tests.world import World, make_staff

# events (core.workflow) ------------------------------------------------------------------------


def _event_in(world: World, community):
    from core.workflow.services import event_report

    event, _merged = event_report(
        reporter=None,
        type_key="workflow.general_request",
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
            "type": "workflow.general_request",
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


# the on-duty roster ---------------------------------------------------------------------------


def _shift_in(world: World, community):
    from core.workflow.models import DutyShift

    start = timezone.now() + timedelta(hours=1)
    worker = make_staff(Role.COMMUNITY_WORKER, community)
    return DutyShift.objects.create(
        region=community, user=worker, starts_at=start, ends_at=start + timedelta(hours=12)
    )


def _shift_payload(world: World, community) -> dict:
    start = timezone.now() + timedelta(hours=1)
    return {
        "region": community.pk,
        "user": make_staff(Role.COMMUNITY_WORKER, community).pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=12)).isoformat(),
    }


register(
    "events-duty-shift",
    case=Case(
        make=_shift_in,
        payload=_shift_payload,
        # A roster belongs to the community itself, not to one of its grids.
        placed_at=lambda world, community: community,
    ),
)
