import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.pii.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone, mask_name])
@pytest.mark.parametrize("empty", [None, ""])
def test_masks_pass_empty_values_through(mask, empty):
    assert mask(empty) == empty


def test_resident_id_keeps_first_and_last_four():
    assert mask_id_number("340202199001011234") == "3402**********1234"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("E12345678", "E1*****78"),  # passport
        ("340202900101123", "34***********23"),  # old 15-digit ID, birth date hidden
        ("ABCD", "A**D"),
        ("ABC", "A**"),
        ("AB", "A*"),
        ("A", "*"),
    ],
)
def test_other_documents_keep_at_most_two_each_side(value, expected):
    assert mask_id_number(value) == expected


@given(st.text(min_size=18, max_size=18))
def test_id_number_mask_never_reveals_birth_date(value):
    masked = mask_id_number(value)
    assert len(masked) == 18
    assert masked[6:14] == "*" * 8


@given(st.text(alphabet=st.characters(exclude_characters="*"), min_size=1).filter(lambda v: len(v) != 18))
def test_other_document_masks_hide_at_least_half(value):
    masked = mask_id_number(value)
    hidden = masked.count("*")
    assert len(masked) == len(value)
    assert hidden * 2 >= len(value)
    assert len(value) - hidden <= 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0553-1234567", "0553-*****67"),
        ("010-12345678", "010-******78"),
        ("0553-1234567-801", "0553-*****67-***"),
        ("12345", "1***5"),  # neither kind: generic mask
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三丰", "张**"), ("张三", "张*"), ("欧阳娜娜", "欧***"), (" 李四 ", "李*"), ("张", "张")],
)
def test_mask_name(value, expected):
    assert mask_name(value) == expected
