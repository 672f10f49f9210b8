"""Exporting the filtered resident list: masked by default, unmasked only as an audited reveal,
user text never written as a formula, capped with a clear 400."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.audit.models import AuditEvent
from core.imports import columns
from core.imports.exports import ID_HEADER
from core.registry.models import ResidentTag
from tests.core.imports.conftest import make_resident, valid_id
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/imports/exports/residents/"


def read(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def residents(register):
    number = valid_id()
    return {
        "zhang": make_resident(register.a.grid, "张三", number, mobile="13812345678"),
        "li": make_resident(register.a.grid, "李四"),
        "other": make_resident(register.c.grid, "丙居民"),
        "number": number,
    }


def test_masked_by_default_and_only_what_the_caller_may_export(api_client, register, residents):
    api_client.force_authenticate(register.importer)
    rows = read(api_client.get(URL))
    assert sorted(row["姓名"] for row in rows) == ["张三", "李四"]
    zhang = next(row for row in rows if row["姓名"] == "张三")
    assert zhang["证件号码"] == residents["zhang"].document_number_masked != residents["number"]
    assert zhang["手机号码"] == "138****5678"
    assert zhang[ID_HEADER] == residents["zhang"].pk
    assert zhang["网格"] == "第1网格" and zhang["证件类型"] == "居民身份证"
    assert residents["number"] not in str(rows)
    assert not AuditEvent.objects.filter(action__contains="export").exists()


def test_uses_the_register_list_filters(api_client, register, residents):
    ResidentTag.objects.create(resident=residents["li"], tag="registry.party_member")
    api_client.force_authenticate(register.importer)
    assert [row["姓名"] for row in read(api_client.get(URL, {"q": "zs"}))] == ["张三"]
    tagged = read(api_client.get(URL, {"tag": "registry.party_member"}))
    assert [row["姓名"] for row in tagged] == ["李四"] and tagged[0]["标签"]


def test_unmasked_needs_a_purpose(api_client, register, residents):
    api_client.force_authenticate(register.importer)
    assert_error(api_client.get(URL, {"unmasked": "true"}), 400, "purpose_required", fields=["purpose"])


def test_unmasked_needs_reveal_over_every_listed_resident(api_client, register, residents):
    api_client.force_authenticate(register.grid_worker)  # may export, may not reveal
    assert len(read(api_client.get(URL))) == 2
    response = api_client.get(URL, {"unmasked": "true", "purpose": "核对低保名单"})
    assert_error(response, 403, "permission_denied")
    assert not AuditEvent.objects.exists()


def test_unmasked_export_is_one_audit_row_naming_the_ids(api_client, register, residents):
    api_client.force_authenticate(register.importer)
    rows = read(api_client.get(URL, {"unmasked": "true", "purpose": "核对低保名单"}))
    zhang = next(row for row in rows if row["姓名"] == "张三")
    assert zhang["证件号码"] == residents["number"] and zhang["手机号码"] == "13812345678"
    audit = AuditEvent.objects.get()
    assert audit.action == "registry.resident.export_unmasked" and audit.purpose == "核对低保名单"
    assert sorted(audit.object_ids) == sorted(str(residents[k].pk) for k in ("zhang", "li"))
    assert audit.actor == register.importer


def test_text_that_looks_like_a_formula_is_written_as_text(api_client, register):
    dangerous = ['=HYPERLINK("http://evil","点我")', "+86 1", "-2+3", "@SUM(A1)"]
    for index, text in enumerate(dangerous):
        make_resident(register.a.grid, f"居民{index}", note=text, registered_address=text)
    api_client.force_authenticate(register.importer)
    response = api_client.get(URL)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # formulas kept as formulas
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    notes = [row[headers.index("备注")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in notes) == sorted(dangerous)
    assert {cell.data_type for cell in notes} == {"s"}
    # The same rule in the import's error report: a formula-looking value stays text.
    assert all(
        cell.data_type == "s"
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str)
    )


def test_an_export_over_the_cap_is_refused(api_client, register, residents, settings):
    settings.EXPORT_MAX_ROWS = 1
    api_client.force_authenticate(register.importer)
    error = assert_error(api_client.get(URL), 400, "export_too_large")
    assert "1" in error["message"]
    assert len(read(api_client.get(URL, {"q": "zs"}))) == 1


def test_a_role_without_export_is_forbidden(api_client, register, residents):
    from core.accounts.roles import Role
    from tests.world import make_staff

    resident_user = make_staff(Role.RESIDENT, register.a.community, username="resident1", is_staff=False)
    api_client.force_authenticate(resident_user)
    assert_error(api_client.get(URL), 403, "permission_denied")


def test_headers_match_the_import_template(api_client, register, residents):
    api_client.force_authenticate(register.importer)
    response = api_client.get(URL)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[1 : 1 + len(columns.COLUMNS)] == [c.header for c in columns.COLUMNS]


def test_a_minors_name_is_masked_unless_unmasked(api_client, register):
    from datetime import date

    make_resident(register.a.grid, "王小明", valid_id(date(2018, 6, 1)))
    api_client.force_authenticate(register.importer)
    assert [row["姓名"] for row in read(api_client.get(URL))] == ["王**"]
    unmasked = read(api_client.get(URL, {"unmasked": "true", "purpose": "核对监护人信息"}))
    assert [row["姓名"] for row in unmasked] == ["王小明"]
