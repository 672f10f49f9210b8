"""Scope-matrix cases of the 12345 hotline adapter (affairs.hotline). The push and the return
visits are signed webhooks, declared public in affairs/hotline/contributions.py instead."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.scope_matrix.cases import Case, register
from tests.world import World

_serial = itertools.count(1)


def _ticket_in(world: World, community):
    """A routed ticket with its event at the community's grid."""
    from affairs.hotline.models import HotlineTicket
    from affairs.hotline.routing import open_event

    grid = world.grid_of(community)
    now = timezone.now()
    ticket = HotlineTicket.objects.create(
        ticket_no=f"MATRIX-{next(_serial)}",
        region=grid,
        region_path=grid.path,
        received_at=now,
        deadline=now + timedelta(days=5),
        category="市容",
        content="路灯不亮",
        caller_name="王五",
        caller_phone="13900000000",
    )
    open_event(ticket, house=None, grid=grid, actor=None, request=None)
    return ticket


def _import_file(world: World, community) -> dict:
    row = f"MATRIX-IMPORT-{next(_serial)},市容,井盖缺失,某路1号,,,2024-05-01 09:00,2024-05-06 17:00"
    header = "ticket_no,category,content,address,caller_name,caller_phone,received_at,deadline"
    return {"file": SimpleUploadedFile("tickets.csv", f"{header}\n{row}\n".encode())}


register(
    "hotline-ticket",
    case=Case(
        make=_ticket_in,
        # Reaching the handler with an empty body: each step names its missing field (400).
        success={"route": 400, "reply": 400, "bounce": 400, "bounce_decide": 400},
    ),
)
# The import places tickets where the centre's region and their addresses say, not in the
# caller's community: it answers a report (200) to everyone holding hotline.import.
register("hotline-import", case=Case(payload=_import_file, format="multipart", success={"create": 200}))
register(
    "hotline-statistics",
    case=Case(unpaged="figures for one node and each node one level down: one object, not rows"),
)
