"""Importing a register workbook: a deliberately broken file in both modes, through the API and
the Celery task (eager in embedded mode), with its error report, audit row and progress."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.accounts.roles import Role
from core.audit.models import AuditEvent
from core.imports import columns
from core.imports.models import ImportJob
from core.imports.services import import_job_run
from core.registry.models import Household, MembershipChange, Resident
from tests.core.imports.conftest import (
    broken_check_digit,
    make_resident,
    upload_file,
    valid_id,
    workbook_bytes,
)
from tests.world import make_staff

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/imports/"


def broken_rows(register) -> tuple[list[dict], dict[int, str]]:
    """Three good rows and one bad row for each rule; returns the rows and, per bad Excel row, a
    fragment of the message the report must give (English source, as the test runs in English)."""
    registered = make_resident(register.a.grid, "已登记")
    good_id = valid_id(date(1980, 5, 17))
    rows = [
        # Excel row 2: householder of a new household, by house number.
        {
            "name": "张三",
            "document_number": good_id,
            "mobile": "13812345678",
            "house": register.a.house.pk,
            "household_number": "H-001",
            "relation": "本人",
        },
        # 3: spouse in the same new household, placed by house address.
        {
            "name": "李四",
            "document_number": valid_id(date(1982, 3, 9)),
            "house_address": register.a.house.address,
            "household_number": "H-001",
            "relation": "配偶",
            "residence_type": "常住",
        },
        # 4: a child with no document yet, placed by grid name only.
        {
            "name": "张小宝",
            "document_type": "无证件",
            "birth_date": "2024-02-29",
            "sex": "男",
            "grid": "第1网格",
        },
        {
            "name": "坏校验",
            "document_number": broken_check_digit(valid_id()),
            "house": register.a.house.pk,
        },  # 5
        {"name": "重复者", "document_number": good_id, "house": register.a.house.pk},  # 6
        {
            "name": "已在册",
            "document_number": registered.document_number_encrypted,
            "house": register.a.house.pk,
        },  # 7
        {"name": "无此房", "document_number": valid_id(), "house": 987654},  # 8
        {"name": "别社区", "document_number": valid_id(), "house": register.b.house.pk},  # 9
        {"name": "域外房", "document_number": valid_id(), "house": register.c.house.pk},  # 10
        {
            "name": "坏手机",
            "document_number": valid_id(),
            "mobile": "1381234",
            "house": register.a.house.pk,
        },  # 11
        {
            "name": "未来人",
            "document_type": "护照",
            "document_number": "E12345678",
            "birth_date": "2999-01-01",
            "grid": "第1网格",
        },  # 12
        {
            "name": "乱日期",
            "document_type": "护照",
            "document_number": "E87654321",
            "birth_date": "1990-13-45",
            "grid": "第1网格",
        },  # 13
        {"name": '=HYPERLINK("http://evil","x")', "document_number": valid_id(), "grid": "第1网格"},  # 14
    ]
    expected = {
        5: "check digit is wrong",
        6: "in row 2 of this file",
        7: "already registered",
        8: "no house numbered 987654",
        9: "is not in 甲社区",
        10: f"no house numbered {register.c.house.pk}",
        11: "11-digit mainland mobile",
        12: "in the future",
        13: "real date",
        14: "姓名",
    }
    return rows, expected


def formula_workbook(rows: list[dict]) -> bytes:
    """Rows as given, except that row 14's name is a real formula (no cached value)."""
    book = load_workbook(io.BytesIO(workbook_bytes(rows)))
    book.active["A14"] = '=HYPERLINK("http://evil","x")'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(api_client, register, content: bytes, mode: str, django_capture_on_commit_callbacks, **extra):
    api_client.force_authenticate(register.importer)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            URL,
            {"file": upload_file(content), "region": register.a.community.pk, "mode": mode, **extra},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    return response


def report_rows(api_client, job_id: int) -> dict[int, str]:
    response = api_client.get(f"{URL}{job_id}/report/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[0] == columns.ROW_NUMBER_HEADER and headers[-1] == columns.ERROR_HEADER
    assert list(headers[1:-1]) == [c.header for c in columns.COLUMNS]
    return {row[0]: row[-1] for row in rows[1:]}


def test_valid_rows_mode_imports_exactly_the_good_rows_and_reports_each_bad_one(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    rows, expected = broken_rows(register)
    before = Resident.objects.count()
    response = upload(
        api_client, register, formula_workbook(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    assert response.status_code == 201, response.content
    job = ImportJob.objects.get(pk=response.json()["id"])

    assert job.status == ImportJob.Status.SUCCEEDED, job.failure
    assert (job.total_rows, job.valid_rows, job.invalid_rows, job.created_count) == (13, 3, 10, 3)
    created = Resident.objects.filter(pk__in=job.created_ids).order_by("pk")
    assert Resident.objects.count() == before + 3
    assert [r.name for r in created] == ["张三", "李四", "张小宝"]
    zhang, li, child = created
    assert zhang.document_number_masked.startswith("3402") and "*" in zhang.document_number_masked
    assert zhang.birth_date == date(1980, 5, 17) and zhang.sex in ("M", "F")
    assert zhang.mobile_masked == "138****5678" and zhang.mobile_encrypted == "13812345678"
    assert (zhang.name_initials, zhang.created_by_id) == ("zs", register.importer.pk)
    assert zhang.region_id == register.a.grid.pk and zhang.region_path == register.a.grid.path
    assert li.house_id == register.a.house.pk and li.residence_type == "permanent"
    assert (
        child.house_id is None and child.region_path == register.a.grid.path and child.document_type == "none"
    )
    household = Household.objects.get(number="H-001")
    assert household.householder_id == zhang.pk and household.region_path == register.a.grid.path
    assert set(household.members.values_list("pk", flat=True)) == {zhang.pk, li.pk}
    assert MembershipChange.objects.filter(household=household, kind="joined").count() == 2

    messages = report_rows(api_client, job.pk)
    assert sorted(messages) == sorted(expected)
    for row, fragment in expected.items():
        assert fragment.lower() in messages[row].lower(), (row, messages[row])
    # Out of scope reads exactly like a house that does not exist.
    assert messages[10].replace(str(register.c.house.pk), "N") == messages[8].replace("987654", "N")

    audit = AuditEvent.objects.get(action="registry.import")
    assert audit.actor == register.importer
    assert sorted(int(i) for i in audit.object_ids) == sorted(job.created_ids)
    assert audit.extra["sha256"] == job.sha256 and audit.extra["file_name"] == "居民.xlsx"
    assert (audit.extra["valid"], audit.extra["invalid"], audit.extra["created"]) == (3, 10, 3)

    body = api_client.get(f"{URL}{job.pk}/").json()
    assert (body["status"], body["progress"], body["created_count"], body["has_report"]) == (
        "succeeded",
        100,
        3,
        True,
    )
    assert {error["row"] for error in body["error_preview"]} == set(expected)


def test_strict_mode_imports_nothing_when_a_row_is_bad(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    rows, expected = broken_rows(register)
    residents, households = Resident.objects.count(), Household.objects.count()
    response = upload(
        api_client, register, formula_workbook(rows), "strict", django_capture_on_commit_callbacks
    )
    assert response.status_code == 201
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.REJECTED
    assert (job.valid_rows, job.invalid_rows, job.created_count, job.created_ids) == (3, 10, 0, [])
    assert (Resident.objects.count(), Household.objects.count()) == (residents, households)
    assert not MembershipChange.objects.exists()
    assert not AuditEvent.objects.filter(action="registry.import").exists()
    assert sorted(report_rows(api_client, job.pk)) == sorted(expected)


def test_strict_mode_imports_everything_when_every_row_is_valid(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    rows = [
        {"name": f"居民{i}", "document_number": valid_id(), "house": register.a.house.pk} for i in range(3)
    ]
    response = upload(
        api_client, register, workbook_bytes(rows), "strict", django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.created_count, bool(job.report)) == (ImportJob.Status.SUCCEEDED, 3, False)
    assert api_client.get(f"{URL}{job.pk}/report/").status_code == 404


def test_running_the_task_again_adds_nobody(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    rows = [{"name": "赵六", "document_number": valid_id(), "house": register.a.house.pk}]
    response = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    job_id = response.json()["id"]
    count = Resident.objects.count()
    import_job_run(job_id=job_id)  # a second delivery of the same task
    assert Resident.objects.count() == count
    assert AuditEvent.objects.filter(action="registry.import").count() == 1
    # A run that died half way left nothing (one transaction) and is simply run again.
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
    Resident.objects.filter(name="赵六").update(document_number_index="moved-away")
    import_job_run(job_id=job_id)
    assert Resident.objects.filter(name="赵六").count() == 2


def test_the_report_of_a_rejected_file_can_be_corrected_and_uploaded_again(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    bad_id = valid_id()
    rows = [
        {"name": "好人", "document_number": valid_id(), "house": register.a.house.pk},
        {"name": "坏人", "document_number": bad_id, "mobile": "12345", "house": register.a.house.pk},
    ]
    first = upload(
        api_client, register, workbook_bytes(rows), "strict", django_capture_on_commit_callbacks
    ).json()
    response = api_client.get(f"{URL}{first['id']}/report/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    mobile_column = headers.index("手机号码") + 1
    sheet.cell(row=2, column=mobile_column, value="13912345678")
    # The report shows the ID number masked (issue 13): the worker types it in full from the source.
    id_column = headers.index("证件号码") + 1
    assert sheet.cell(row=2, column=id_column).value == bad_id[:4] + "*" * 10 + bad_id[-4:]
    sheet.cell(row=2, column=id_column, value=bad_id)
    buffer = io.BytesIO()
    book.save(buffer)
    second = upload(
        api_client, register, buffer.getvalue(), "strict", django_capture_on_commit_callbacks
    ).json()
    job = ImportJob.objects.get(pk=second["id"])
    assert (job.status, job.created_count) == (ImportJob.Status.SUCCEEDED, 1)
    assert Resident.objects.get(name="坏人").mobile_masked == "139****5678"


def test_a_job_is_visible_in_its_area_only(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    rows = [{"name": "钱七", "document_number": valid_id(), "house": register.a.house.pk}]
    job_id = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    ).json()["id"]
    assert [job["id"] for job in api_client.get(URL).json()["results"]] == [job_id]
    outsider = make_staff(Role.COMMUNITY_WORKER, register.c.community, username="outsider")
    api_client.force_authenticate(outsider)
    assert api_client.get(f"{URL}{job_id}/").status_code == 404
    assert api_client.get(URL).json()["results"] == []


def test_template_has_the_chinese_headers_and_a_guide(api_client, register):
    api_client.force_authenticate(register.importer)
    response = api_client.get(f"{URL}template/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [columns.SHEET_TITLE, columns.GUIDE_SHEET_TITLE]
    headers = [cell.value for cell in book[columns.SHEET_TITLE][1]]
    assert headers == [c.header for c in columns.COLUMNS]
    assert {"姓名", "证件号码", "手机号码", "房屋编号", "网格", "户号"} <= set(headers)


def test_a_formula_is_read_as_the_value_excel_computed(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    import re
    import zipfile

    rows = [{"name": "占位", "document_number": valid_id(), "house": register.a.house.pk}]
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cached = '<c r="A2" t="str"><f>CONCAT("张","三丰")</f><v>张三丰</v></c>'
                data = re.sub(rb'<c r="A2"[^>]*>.*?</c>', cached.encode(), data, count=1)
            archive.writestr(item, data)
    response = upload(api_client, register, buffer.getvalue(), "strict", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Resident.objects.get(pk=job.created_ids[0]).name == "张三丰"


def test_the_uploader_is_told_when_the_import_is_over(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    from core.notices.models import Notice

    rows = [{"name": "孙七", "document_number": valid_id(), "house": register.a.house.pk}]
    response = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    notice = Notice.objects.get(kind="imports.finished")
    assert notice.recipient == register.importer
    assert notice.link_id == str(response.json()["id"])
    assert "1 created, 0 rows with errors" in notice.title


def test_uploaded_files_are_deleted_after_the_retention_period(
    api_client, register, private_storage, django_capture_on_commit_callbacks, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from core.imports.retention import purge_old_files

    rows = [{"name": "周八", "document_number": "1", "house": register.a.house.pk}]  # a bad row: a report
    response = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get(pk=response.json()["id"])
    stored = [job.file.path, job.report.path]
    assert purge_old_files() == 0  # still within the period
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    assert purge_old_files(now=timezone.now() + timedelta(days=31)) == 1
    job.refresh_from_db()
    assert not job.file and not job.report
    assert not any(__import__("os").path.exists(path) for path in stored)
    assert api_client.get(f"{URL}{job.pk}/report/").status_code == 404
