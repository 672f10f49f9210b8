"""No export cell and no cell of the import's error report carries a full ID number, its birth
date or a full mobile, whatever was typed (issue 13)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from hypothesis import given, settings
from openpyxl import load_workbook

from core.imports import columns
from core.imports.exports import _cells
from core.imports.services import report_cell
from tests.core.imports.conftest import broken_check_digit, valid_id, workbook_bytes
from tests.core.imports.test_import import URL, upload
from tests.core.pii.strategies import free_text_with_personal_data, leaked


def _row(text: str) -> tuple:
    """A resident row as the export reads it, with `text` in every free-text column."""
    return (
        7, "张三", "id_card", date(1980, 1, 1), "M", text, "household_register", 3, text, "第1网格",
        "H001", "self", text, date(2020, 1, 1), text, "active",
        "3402**********1234", "139****5678", "",
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(free_text_with_personal_data())
def test_no_cell_of_a_masked_export_carries_personal_data(case):
    text, secrets = case
    cells = _cells(_row(text), [text], unmasked=False, today=timezone.localdate())
    for cell in cells:
        assert leaked(str(cell), secrets) == [], (text, cell)


def test_an_unmasked_export_keeps_the_typed_text():
    number = valid_id()
    cells = _cells(_row(f"备注 {number}"), [], unmasked=True, today=timezone.localdate())
    assert f"备注 {number}" in cells


@settings(max_examples=150, deadline=None)
@given(free_text_with_personal_data())
def test_no_cell_of_the_error_report_carries_personal_data(case):
    text, secrets = case
    for column in columns.COLUMNS:
        assert leaked(report_cell(column.key, text), secrets) == [], (column.key, text)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("document_number", "340202198013401234"),  # not a real birth date: still 18 digits hidden
        ("document_number", broken_check_digit(valid_id())),
        ("mobile", "12812345678"),  # not a mobile: rejected, still masked
        ("landline", "0553-12345678999"),
    ],
)
def test_the_report_masks_rejected_numbers_too(key, value):
    shown = report_cell(key, value)
    assert shown != value and len(shown) == len(value) and "*" in shown


@pytest.mark.django_db
def test_the_downloaded_report_has_no_full_number(
    api_client, register, private_storage, django_capture_on_commit_callbacks
):
    wrong = broken_check_digit(valid_id(date(1966, 6, 6)))
    other = valid_id(date(1971, 2, 3))
    rows = [
        {"name": "赵六", "document_number": wrong, "mobile": "13812345678", "house": register.a.house.pk},
        {"name": "钱七", "document_number": other, "mobile": "1391234567", "note": f"亲属 {other}"},
    ]
    response = upload(
        api_client, register, workbook_bytes(rows), "valid_rows", django_capture_on_commit_callbacks
    )
    assert response.status_code == 201, response.content
    report = api_client.get(f"{URL}{response.json()['id']}/report/")
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    text = " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value)
    assert "赵六" in text and "钱七" in text
    assert leaked(text, [wrong, wrong[6:14], other, other[6:14], "13812345678", "1391234567"]) == []
