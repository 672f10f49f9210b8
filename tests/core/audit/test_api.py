"""/api/v1/audit/: the audit administrator reads and exports within their subtree; nobody changes it."""

from __future__ import annotations

import io

import pytest
from django.db import DatabaseError
from openpyxl import load_workbook

from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.audit.services import audit_record
from tests.helpers import assert_error
from tests.world import make_staff, make_user

URL = "/api/v1/audit/"


@pytest.fixture
def rows(world):
    actor = make_user(region=world.community_a)
    made = {
        "a": audit_record(
            actor=actor,
            action="registry.resident.update",
            region_path=world.grid_a1.path,
            object_type="registry.resident",
            object_ids=[1],
        ),
        "b": audit_record(
            actor=actor,
            action="registry.resident.update",
            region_path=world.grid_b1.path,
            object_type="registry.resident",
        ),
        "top": audit_record(
            actor=None, action="accounts.login.failure", extra={"username": "=cmd|' /C calc'!A0"}
        ),
    }
    return made


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


def test_audit_admin_reads_rows_in_their_subtree_only(world, rows, api_client):
    district_admin = make_staff(Role.AUDIT_ADMIN, world.district)
    api_client.force_authenticate(district_admin)
    response = api_client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
    assert ids(response) == {rows["a"].pk, rows["b"].pk}
    city_admin = make_staff(Role.AUDIT_ADMIN, world.city)
    api_client.force_authenticate(city_admin)
    assert {rows["a"].pk, rows["b"].pk, rows["top"].pk} <= ids(api_client.get(URL))


def test_a_sibling_subtree_is_404(world, rows, api_client):
    from core.accounts.models import RoleAssignment

    auditor = make_user(region=world.district)
    RoleAssignment.objects.create(user=auditor, role=Role.AUDIT_ADMIN, region=world.district)
    other_district = world.city.children.create(name="鸠江区", level=2)
    other_district.refresh_from_db()
    far = audit_record(actor=None, action="registry.resident.update", region_path=other_district.path)
    api_client.force_authenticate(auditor)
    assert_error(api_client.get(f"{URL}{far.pk}/"), 404, "not_found")
    assert api_client.get(f"{URL}{rows['a'].pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.DISTRICT_STAFF])
def test_only_the_audit_administrator_reads_it(world, rows, api_client, role):
    api_client.force_authenticate(make_staff(role, world.district))
    assert_error(api_client.get(URL), 403, "permission_denied")


def test_nobody_changes_or_deletes_through_the_api(world, rows, api_client):
    api_client.force_authenticate(make_staff(Role.AUDIT_ADMIN, world.city))
    for method in ("put", "patch", "delete"):
        response = getattr(api_client, method)(f"{URL}{rows['a'].pk}/", {"action": "x.y"}, format="json")
        assert_error(response, 405, "method_not_allowed")
    assert_error(api_client.post(URL, {"action": "x.y"}, format="json"), 405, "method_not_allowed")
    assert AuditEvent.objects.get(pk=rows["a"].pk).action == "registry.resident.update"


def test_filters_and_keyset_pages(world, rows, api_client):
    api_client.force_authenticate(make_staff(Role.AUDIT_ADMIN, world.city))
    assert ids(api_client.get(URL, {"action": "accounts.login.failure"})) == {rows["top"].pk}
    assert ids(api_client.get(URL, {"actor": rows["a"].actor_id})) == {rows["a"].pk, rows["b"].pk}
    assert ids(api_client.get(URL, {"object_type": "registry.resident", "action_prefix": "registry."})) == {
        rows["a"].pk,
        rows["b"].pk,
    }
    assert ids(api_client.get(URL, {"since": "2999-01-01T00:00:00Z"})) == set()
    first = api_client.get(URL, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    seen = [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]]
    assert len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)


def test_export_is_audited_and_never_writes_formulas(world, rows, api_client):
    auditor = make_staff(Role.AUDIT_ADMIN, world.city)
    api_client.force_authenticate(auditor)
    response = api_client.get(f"{URL}export/", {"action": "accounts.login.failure"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[2] == "accounts.login.failure"
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    export = AuditEvent.objects.get(action="audit.log.export")
    assert export.actor == auditor and export.object_ids == [str(rows["top"].pk)]


def test_when_the_audit_write_fails_the_export_fails(world, rows, api_client, monkeypatch):
    api_client.force_authenticate(make_staff(Role.AUDIT_ADMIN, world.city))

    def broken(self, *args, **kwargs):
        raise DatabaseError("audit storage unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    api_client.raise_request_exception = False
    response = api_client.get(f"{URL}export/")
    assert_error(response, 500, "server_error")
    assert not response.get("Content-Disposition")


def test_when_the_audit_write_fails_the_change_is_undone(world, api_client, monkeypatch):
    from core.accounts.models import User

    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    api_client.force_authenticate(secretary)
    monkeypatch.setattr(
        AuditEvent, "save", lambda self, *a, **k: (_ for _ in ()).throw(DatabaseError("down"))
    )
    api_client.raise_request_exception = False
    assert api_client.post(f"/api/v1/accounts/users/{worker.pk}/deactivate/").status_code == 500
    assert User.objects.get(pk=worker.pk).is_active


def test_filtering_by_an_action_finds_the_rows_written_with_its_former_code(world, api_client):
    # Rows are never rewritten: a hotline reply written before codes carried their app's label
    # keeps "workflow.event.reply"; the declaration's `formerly` makes the filter find it.
    older = AuditEvent.objects.create(action="workflow.event.reply", object_type="hotline.hotlineticket")
    newer = audit_record(actor=None, action="hotline.ticket.reply", object_type="hotline.hotlineticket")
    audit_record(actor=None, action="workflow.event.close", object_type="workflow.event")
    api_client.force_authenticate(make_staff(Role.AUDIT_ADMIN, world.city))
    assert ids(api_client.get(URL, {"action": "hotline.ticket.reply"})) == {older.pk, newer.pk}
