"""mask_free_text: THE masking of free text (outputs, notices, exports, admin, audit and logs)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.pii.masking import contains_personal_data, mask_free_text, mask_free_text_in
from tests.core.pii.strategies import free_text_with_personal_data, id_numbers, leaked, mobiles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住户 34020219800101123X 电话 13912345678", "住户 3402**********123X 电话 139****5678"),
        ("+86 13912345678", "+86 139****5678"),
        # Glued to other digits or letters: the audit log's old pattern missed these.
        ("编号1340202198001011234", "编号13402**********1234"),
        ("tel13912345678x", "tel139****5678x"),
        # Full-width digits (Chinese input methods) and numbers typed in groups.
        ("电话１３９１２３４５６７８", "电话１３９****５６７８"),
        ("139 1234 5678 / 340202 19800101 1234", "139 **** 5678 / 3402** ******** 1234"),
    ],
)
def test_masks_id_numbers_and_mobiles_wherever_they_are(text, expected):
    assert mask_free_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 202611290001234567890 code 123456",  # a long number holding no ID or mobile
        "2026-12-04 13:00:00",
        "request 550e8400-e29b-41d4-a716-446655440000",  # a UUID's groups are not one number
        "滨江路1号1栋101室",
        "",
    ],
)
def test_other_numbers_stay_readable(text):
    assert mask_free_text(text) == text
    assert not contains_personal_data(text)


def test_non_strings_and_nesting():
    assert mask_free_text(None) is None
    assert mask_free_text(42) == 42
    nested = {"a": ["13912345678", {"b": ("340202198001011234",)}], "n": 3}
    assert mask_free_text_in(nested) == {"a": ["139****5678", {"b": ("3402**********1234",)}], "n": 3}
    assert contains_personal_data(nested) and contains_personal_data(13912345678)


def test_the_audit_log_and_the_log_filter_use_the_same_function():
    from core.audit import logging as audit_logging

    assert audit_logging.scrub is mask_free_text
    assert audit_logging.scrub_value is mask_free_text_in
    assert audit_logging.looks_personal is contains_personal_data


@settings(max_examples=400, deadline=None)
@given(free_text_with_personal_data())
def test_no_id_number_birth_date_or_mobile_survives_whatever_the_text(case):
    text, secrets = case
    masked = mask_free_text(text)
    assert len(masked) == len(text)  # one * per hidden character: column limits still hold
    assert leaked(masked, secrets) == [], (text, masked)
    assert contains_personal_data(text)


@settings(max_examples=200, deadline=None)
@given(id_numbers(), mobiles)
def test_full_width_and_grouped_numbers_are_masked_too(id_number, phone):
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in id_number + "，" + phone)
    grouped = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    assert leaked(mask_free_text(full_width), [id_number, id_number[6:14], phone]) == []
    assert phone not in mask_free_text(grouped).replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_masking_never_raises_and_is_idempotent(text):
    once = mask_free_text(text)
    assert mask_free_text(once) == once
