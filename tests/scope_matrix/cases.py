"""What the scope matrix needs to know about each route family, in one place.

A case says how to make an object of the resource in a given community (and, for routes that
create, a valid payload placing the new object there). Everything else, which statuses each role
must get, comes from the URL configuration, the viewset's `action_permissions` and
core/accounts/roles.PERMISSIONS. Register a case under a URL name, or under a router basename,
which covers every route of that viewset ("accounts-user" covers accounts-user-list,
accounts-user-detail, accounts-user-deactivate…).

Parts add their cases here (one `register(...)` each). A route under /api/v1/ with no case that
is not declared public (a PublicRoute contribution) fails tests/scope_matrix/test_matrix.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from core.audit.services import audit_record
from tests.scope_matrix.world import World, make_user


@dataclass(frozen=True)
class Case:
    # (world, community) -> an object of the resource placed in that community (or its grid).
    make: Callable[[World, Any], Any] | None = None
    # (world, community) -> a valid payload for "create" placing the new object in that community.
    payload: Callable[[World, Any], dict] | None = None
    # (world, community, obj) -> a valid payload for "update"/"partial_update" and custom write actions.
    update_payload: Callable[[World, Any, Any], dict] | None = None
    # The object's attribute holding its region path (what scope is decided on).
    path_attribute: str = "region_path"
    # (obj) -> URL kwargs of a detail route.
    url_kwargs: Callable[[Any], dict] = field(default=lambda obj: {"pk": obj.pk})
    # (obj, resident_record) -> whether a resident may see it as their own.
    is_own: Callable[[Any, Any], bool] = field(default=lambda obj, resident: False)
    # Routes about the caller's own account: every signed-in role reaches them.
    personal: bool = False
    # (world, user) -> an object addressed to that person (a notice): its addressee reaches it,
    # anyone else gets 404, whatever their role.
    addressed_to: Callable[[World, Any], Any] | None = None
    # Success status per action where it is not the usual one (list/retrieve 200, create 201, destroy 204).
    success: dict[str, int] = field(default_factory=dict)
    # How payloads are sent ("multipart" for uploads).
    format: str = "json"
    # (world, community) -> the node a create payload places the object at (its grid by default).
    placed_at: Callable[[World, Any], Any] = field(default=lambda world, community: world.grid_of(community))


CASES: dict[str, Case] = {}
_serial = itertools.count(1)


def register(*keys: str, case: Case) -> None:
    for key in keys:
        if key in CASES:
            raise ValueError(f"scope matrix case {key!r} registered twice")
        CASES[key] = case


def case_for(url_name: str) -> Case | None:
    if url_name in CASES:
        return CASES[url_name]
    prefixes = [key for key in CASES if url_name.startswith(key + "-")]
    return CASES[max(prefixes, key=len)] if prefixes else None


# accounts -------------------------------------------------------------------------------------


def _account_in(world: World, community) -> Any:
    return make_user(region=world.grid_of(community))


def _assignment_in(world: World, community) -> RoleAssignment:
    grid = world.grid_of(community)
    return RoleAssignment.objects.create(user=make_user(region=grid), role=Role.GRID_WORKER, region=grid)


register(
    "accounts-user",
    case=Case(
        make=_account_in,
        payload=lambda world, community: {
            "username": f"new{next(_serial)}",
            "region": world.grid_of(community).pk,
        },
    ),
)
register(
    "accounts-role-assignment",
    case=Case(
        make=_assignment_in,
        payload=lambda world, community: {
            "user": make_user(region=world.grid_of(community)).pk,
            "role": Role.GRID_WORKER,
            "region": world.grid_of(community).pk,
        },
    ),
)
register(
    "accounts-me",
    "accounts-today",
    "accounts-logout",
    "accounts-password-change",
    "accounts-totp-setup",
    "accounts-totp-confirm",
    "accounts-correction",
    case=Case(personal=True),
)

# audit ----------------------------------------------------------------------------------------

register(
    "audit-event",
    case=Case(
        make=lambda world, community: audit_record(
            actor=None, action="registry.resident.update", region_path=world.grid_of(community).path
        ),
    ),
)

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
import tests.core.registry.scope_cases  # noqa: E402 - the register's cases
import tests.core.workflow.scope_cases  # noqa: E402 - the on-duty roster's cases

# notices (core.notices): a notice belongs to the people it is addressed to --------------------


def _notice_to(world: World, user):
    from core.notices.services import assign_cursors, notify

    notice = notify(kind="notices.system", title="停水通知", user=user)
    assign_cursors()  # what the commit would do; the test transaction never commits
    return notice


register("notice-detail", "notice-read", case=Case(addressed_to=_notice_to))
register(
    "notice-list",
    "notice-unread-count",
    "notice-read-all",
    "notice-ws-ticket",
    "notice-preferences",
    case=Case(personal=True),
)


# imports and exports (core.imports) ------------------------------------------------------------


def _workbook(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_job_in(world: World, community):
    from uuid import uuid4

    from django.core.files.base import ContentFile

    from core.imports.models import ImportJob

    job = ImportJob(
        token=uuid4().hex,
        region=community,
        region_path=community.path,
        file_name="名册.xlsx",
        file_size=1,
        sha256="0" * 64,
        created_by=make_user(),
        status="succeeded",
        invalid_rows=1,
    )
    job.file.save("x.xlsx", ContentFile(b"x"), save=False)
    job.report.save("r.xlsx", ContentFile(_workbook([["行号", "错误原因"], [2, "x"]])), save=False)
    job.save()
    return job


def _import_upload(world: World, community) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.imports import columns

    headers = [column.header for column in columns.COLUMNS]
    content = _workbook([headers, ["张三"] + [None] * (len(headers) - 1)])
    return {"file": SimpleUploadedFile("名册.xlsx", content), "region": world.grid_of(community).pk}


register(
    "import-job",
    case=Case(make=_import_job_in, format="multipart", payload=_import_upload, path_attribute="region_path"),
)
# The export's body is a workbook, not a JSON list: scope is checked on the rows it holds
# (tests/core/imports/test_export.py); here, who may call it.
register("export-residents", case=Case())
import tests.scope_matrix.cases_affairs  # noqa: E402
import tests.scope_matrix.cases_hotline  # noqa: E402,F401
