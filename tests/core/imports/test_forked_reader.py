"""The forked reader (core.imports.reader): a workbook parsed by a child process imports exactly as
one parsed in-process, a child that fails or is no longer needed stops the import cleanly and is
reaped, and what the child sends back can only be cell values.

The behaviour tests of test_import.py are collected here a second time, with every file read by
the child (IMPORT_PARALLEL_MIN_ROWS = 1), so both paths answer to the same assertions."""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from openpyxl import Workbook

from core.audit.models import AuditEvent
from core.imports import columns, reader, workbook
from core.imports.models import ImportJob
from core.imports.services import import_job_create, import_job_run
from core.registry.models import Resident
from tests.core.imports.conftest import upload_file, valid_id, workbook_bytes
from tests.core.imports.test_import import (  # noqa: F401  (collected again, with the child reading)
    test_strict_mode_imports_nothing_when_a_row_is_bad,
    test_the_report_of_a_rejected_file_can_be_corrected_and_uploaded_again,
    test_valid_rows_mode_imports_exactly_the_good_rows_and_reports_each_bad_one,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_file_forks(settings):
    settings.IMPORT_PARALLEL_MIN_ROWS = 1


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The pids of the children the reader forks."""
    pids: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def assert_reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def mixed_workbook(rows: int) -> bytes:
    """More rows than one batch of the child, with every kind of cell value and blank rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = columns.SHEET_TITLE
    sheet.append([c.header for c in columns.COLUMNS])
    for index in range(rows):
        if index % 97 == 5:
            sheet.append([None] * len(columns.COLUMNS))  # skipped: an empty row
            continue
        sheet.append(
            [
                f"居民{index}",
                "身份证" if index % 2 else None,
                valid_id(),
                datetime(1990, 1, 1 + index % 28) if index % 3 == 0 else "1990-01-31",
                "男",
                None,
                13812345678.0 if index % 5 == 0 else "13812345678",
                None,
                None,
                index,
                None,
                "第1网格",
                f"H-{index // 3}",
                "本人" if index % 3 == 0 else "子女",
                True if index % 7 == 0 else None,
                date(2020, 5, 1),
                1.5 if index % 11 == 0 else "备注",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_child_reads_exactly_the_records_the_process_reads(forks):
    content = mixed_workbook(reader.BATCH_ROWS * 2 + 37)
    in_process = list(workbook.iter_records(io.BytesIO(content)))
    with reader.records(content, rows=len(in_process)) as records:
        from_child = list(records)
    assert len(forks) == 1
    assert from_child == in_process
    assert len(in_process) > reader.BATCH_ROWS * 2
    assert_reaped(forks[0])


def test_small_files_and_a_zero_threshold_are_read_in_process(settings, forks):
    content = mixed_workbook(10)
    settings.IMPORT_PARALLEL_MIN_ROWS = 100
    with reader.records(content, rows=10) as records:
        assert len(list(records)) == 9
    settings.IMPORT_PARALLEL_MIN_ROWS = 0
    with reader.records(content, rows=10**6) as records:
        assert len(list(records)) == 9
    assert forks == []


def truncated_sheet(content: bytes) -> bytes:
    """The same workbook with its sheet cut off half way: unreadable XML."""
    source = zipfile.ZipFile(io.BytesIO(content))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) * 2 // 3]
            out.writestr(info.filename, data)
    return target.getvalue()


def queued_job(register, private_storage, rows: int, mode=ImportJob.Mode.VALID_ROWS) -> ImportJob:
    house = register.a.house.pk
    content = workbook_bytes(
        [{"name": f"居民{i}", "document_number": valid_id(), "house": house} for i in range(rows)]
    )
    with translation.override("en"):  # the job keeps the uploader's language for its messages
        return import_job_create(
            user=register.importer, region_id=register.a.community.pk, upload=upload_file(content), mode=mode
        )


@pytest.mark.parametrize("min_rows", [1, 0], ids=["forked", "in-process"])
def test_a_sheet_that_breaks_half_way_fails_the_import_and_writes_nothing(
    settings, register, private_storage, forks, min_rows
):
    settings.IMPORT_PARALLEL_MIN_ROWS = min_rows
    job = queued_job(register, private_storage, rows=1200)
    with job.file.open("rb") as handle:
        broken = truncated_sheet(handle.read())
    job.file.save("upload.xlsx", ContentFile(broken))
    residents = Resident.objects.count()

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "unexpected error" in job.failure
    assert Resident.objects.count() == residents
    assert not AuditEvent.objects.filter(action="registry.import").exists()
    assert len(forks) == min_rows
    for pid in forks:
        assert_reaped(pid)


def test_a_child_no_longer_needed_is_stopped_and_reaped(settings, register, private_storage, forks):
    job = queued_job(register, private_storage, rows=1200)
    settings.IMPORT_MAX_ROWS = 600  # lowered after the upload: the run stops reading half way
    settings.IMPORT_BATCH_ROWS = 100
    residents = Resident.objects.count()

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "more rows" in job.failure
    assert Resident.objects.count() == residents
    assert len(forks) == 1
    assert_reaped(forks[0])


def test_the_reader_accepts_cell_values_only():
    values = ("rows", [(2, {"name": "张三", "birth_date": datetime(1990, 1, 1), "mobile": 1.0, "x": True})])
    assert reader._CellUnpickler(io.BytesIO(pickle.dumps(values))).load() == values
    with pytest.raises(reader.ReaderFailed):
        reader._CellUnpickler(io.BytesIO(pickle.dumps(("rows", [(2, {"name": os.getcwd})])))).load()
