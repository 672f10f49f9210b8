"""Regressions of the security review: xlsx downloads are never cached, the error report (full
ID numbers and phones of the uploaded rows) goes only to its uploader or a revealer, audited, and
the masked export carries the birth year only."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from core.accounts.roles import Role
from core.audit.models import AuditEvent
from tests.core.imports.conftest import make_resident, valid_id, workbook_bytes
from tests.core.imports.test_import import URL, upload
from tests.helpers import assert_error
from tests.world import make_staff

pytestmark = pytest.mark.django_db
EXPORT = "/api/v1/registry/imports/exports/residents/"


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def job_with_report(api_client, register, private_storage, django_capture_on_commit_callbacks):
    rows = [{"name": "周八", "document_number": "1", "house": register.a.house.pk}]
    response = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    job_id = response.json()["id"]
    assert api_client.get(f"{URL}{job_id}/").json()["has_report"]
    return job_id


def test_the_export_and_the_report_are_never_cached(api_client, register, job_with_report):
    api_client.force_authenticate(register.importer)
    for url in (EXPORT, f"{URL}{job_with_report}/report/", f"{URL}template/"):
        response = api_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_report_goes_to_its_uploader_or_a_revealer_and_each_download_is_audited(
    api_client, register, job_with_report
):
    report = f"{URL}{job_with_report}/report/"
    may_import_not_reveal = make_staff(
        Role.GRID_WORKER, register.a.community, is_lead=True, username="gridlead"
    )
    api_client.force_authenticate(may_import_not_reveal)
    assert api_client.get(f"{URL}{job_with_report}/").status_code == 200  # sees the job
    assert_error(api_client.get(report), 403, "permission_denied")
    assert not AuditEvent.objects.filter(action="registry.import.report").exists()

    colleague = make_staff(Role.COMMUNITY_WORKER, register.a.community, username="colleague")
    for user in (register.importer, colleague):
        api_client.force_authenticate(user)
        assert api_client.get(report).status_code == 200
    downloads = AuditEvent.objects.filter(action="registry.import.report").order_by("id")
    assert [event.actor for event in downloads] == [register.importer, colleague]
    assert {event.object_id for event in downloads} == {str(job_with_report)}


def test_the_masked_export_writes_the_birth_year_only(api_client, register):
    make_resident(register.a.grid, "张三", valid_id(date(1990, 5, 17)))
    api_client.force_authenticate(register.importer)
    masked = _rows(api_client.get(EXPORT))
    unmasked = _rows(api_client.get(EXPORT, {"unmasked": "true", "purpose": "核对低保名单"}))
    assert [row["出生日期"] for row in masked] == ["1990"]
    assert [row["出生日期"] for row in unmasked] == ["1990-05-17"]
