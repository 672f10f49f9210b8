"""An upload is refused at once, in the one error shape, when it breaks a limit or is not a workbook."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.imports.models import ImportJob
from tests.core.imports.conftest import upload_file, valid_id, workbook_bytes
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/imports/"


def post(api_client, user, content: bytes, region, name: str = "居民.xlsx", **extra):
    api_client.force_authenticate(user)
    return api_client.post(
        URL, {"file": upload_file(content, name), "region": region.pk, **extra}, format="multipart"
    )


def rows(register, count: int) -> list[dict]:
    return [
        {"name": f"居民{i}", "document_number": valid_id(), "house": register.a.house.pk}
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "content",
    [
        "姓名,证件号码\n张三,1\n".encode(),  # a CSV renamed to .xlsx
        b"PK\x03\x04 not really a zip",
        "zip-without-workbook",
        "macro-workbook",
    ],
)
def test_refuses_what_is_not_an_xlsx_workbook_whatever_its_name(
    api_client, register, private_storage, content
):
    if content == "zip-without-workbook":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        content = buffer.getvalue()
    elif content == "macro-workbook":
        source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows(register, 1))))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for item in source.infolist():
                archive.writestr(item, source.read(item.filename))
            archive.writestr("xl/vbaProject.bin", b"macro")
        content = buffer.getvalue()
    response = post(api_client, register.importer, content, register.a.community)
    assert_error(response, 400, "import_not_xlsx", fields=["file"])
    assert not ImportJob.objects.exists()


def test_refuses_a_file_over_the_size_limit(api_client, register, private_storage, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024
    response = post(api_client, register.importer, workbook_bytes(rows(register, 200)), register.a.community)
    assert_error(response, 400, "import_file_too_large", fields=["file"])


def test_refuses_too_many_rows(api_client, register, private_storage, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = post(api_client, register.importer, workbook_bytes(rows(register, 4)), register.a.community)
    error = assert_error(response, 400, "import_too_many_rows")
    assert "4" in error["message"] and "3" in error["message"]
    accepted = post(api_client, register.importer, workbook_bytes(rows(register, 3)), register.a.community)
    assert accepted.status_code == 201


def test_refuses_an_over_long_cell_naming_it(api_client, register, private_storage, settings):
    settings.IMPORT_MAX_CELL_CHARS = 40
    content = workbook_bytes(
        [*rows(register, 2), {"name": "长", "note": "很" * 41, "house": register.a.house.pk}]
    )
    error = assert_error(
        post(api_client, register.importer, content, register.a.community), 400, "import_cell_too_long"
    )
    assert "Q4" in error["message"]  # 备注 is the 17th column; the header is row 1


def test_refuses_a_workbook_without_the_template_headers(api_client, register, private_storage):
    content = workbook_bytes([{"名字": "张三"}], headers=["名字", "身份证"])
    assert_error(
        post(api_client, register.importer, content, register.a.community), 400, "import_bad_headers"
    )


def test_refuses_an_empty_workbook(api_client, register, private_storage):
    assert_error(
        post(api_client, register.importer, workbook_bytes([]), register.a.community), 400, "import_empty"
    )


def test_a_community_outside_the_uploaders_area_reads_as_unknown(api_client, register, private_storage):
    content = workbook_bytes(rows(register, 1))
    outside = post(api_client, register.importer, content, register.c.community)
    missing = post(api_client, register.importer, content, type("R", (), {"pk": 999999})())
    assert_error(outside, 400, "unknown_region", fields=["region"])
    assert outside.json() == missing.json()


def test_a_role_without_import_is_forbidden(api_client, register, private_storage):
    response = post(
        api_client, register.street_staff, workbook_bytes(rows(register, 1)), register.a.community
    )
    assert_error(response, 403, "permission_denied")


def test_an_unknown_mode_is_a_field_error(api_client, register, private_storage):
    response = post(
        api_client, register.importer, workbook_bytes(rows(register, 1)), register.a.community, mode="x"
    )
    assert_error(response, 400, "invalid", fields=["mode"])
