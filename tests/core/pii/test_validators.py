from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.pii.validators import (
    PROVINCE_CODES,
    id_number_birth_date,
    id_number_check_char,
    id_number_sex,
    validate_id_number,
    validate_landline,
    validate_mobile,
    validate_phone,
)

KNOWN_VALID_ID = "11010519491231002X"  # GB 11643-1999 example


def with_check_char(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


# Hypothesis sees the system date; keep a day's margin for the Asia/Shanghai offset.
valid_birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1))
valid_id_numbers = st.builds(
    lambda province, region, birth, sequence: with_check_char(
        province + region + birth.strftime("%Y%m%d") + sequence
    ),
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    valid_birth_dates,
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


# --- ID number: known examples --------------------------------------------------


def test_known_example_is_valid_female_born_1949_12_31():
    assert validate_id_number(KNOWN_VALID_ID) == KNOWN_VALID_ID
    assert id_number_sex(KNOWN_VALID_ID) == "F"
    assert id_number_birth_date(KNOWN_VALID_ID) == date(1949, 12, 31)


def test_check_char_of_known_example_is_x():
    assert id_number_check_char(KNOWN_VALID_ID[:17]) == "X"


def test_lowercase_x_whitespace_and_full_width_digits_are_normalised():
    assert validate_id_number("11010519491231002x") == KNOWN_VALID_ID
    assert validate_id_number(f"  {KNOWN_VALID_ID}\n") == KNOWN_VALID_ID
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ") == KNOWN_VALID_ID


def test_odd_17th_digit_means_male():
    male = with_check_char("34020219900101123")
    assert id_number_sex(male) == "M"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1101051949123100",
        "11010519491231002XX",
        "1101051949123100A2",
        "X1010519491231002",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
        None,
        110105194912310021,
    ],
)
def test_malformed_id_number_has_format_code(value):
    assert error_code(validate_id_number, value) == "id_number_format"


def test_wrong_check_digit_has_check_digit_code():
    assert error_code(validate_id_number, "110105194912310021") == "id_number_check_digit"


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "38", "47", "55", "66", "72", "83", "99"])
def test_unknown_province_has_region_code(province):
    value = with_check_char(province + "010519491231002")
    assert error_code(validate_id_number, value) == "id_number_region"


@pytest.mark.parametrize(
    "birth",
    ["19490230", "19491301", "19490000", "18991231", "18800101", f"{date.today().year + 1}0101"],
)
def test_impossible_birth_date_has_birth_date_code(birth):
    value = with_check_char(f"110105{birth}002")
    assert error_code(validate_id_number, value) == "id_number_birth_date"


def test_id_number_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        id_number_check_char("1234")


def test_messages_are_lazy_english_source_strings():
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        validate_id_number("110105194912310021")
    with translation.override("en"):
        assert "check digit is wrong" in excinfo.value.messages[0]


# --- ID number: properties ------------------------------------------------------


@given(valid_id_numbers)
def test_any_well_formed_id_number_validates(value):
    assert validate_id_number(value) == value
    assert id_number_sex(value) in {"M", "F"}


@given(valid_id_numbers, st.integers(min_value=0, max_value=17), st.data())
def test_changing_any_single_character_breaks_the_check_digit(value, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != value[position]]))
    altered = value[:position] + replacement + value[position + 1 :]
    assert error_code(validate_id_number, altered) == "id_number_check_digit"


# --- Phones ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "8613812345678",
        "+86-13812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_variants_normalise_to_eleven_digits(value):
    assert validate_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12812345678",
        "1381234567",
        "138123456789",
        "23812345678",
        "+85 13812345678",
        "138.1234.5678",
        "0553-1234567",
        None,
    ],
)
def test_bad_mobile_has_mobile_format_code(value):
    assert error_code(validate_mobile, value) == "mobile_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0553-1234567", "0553-1234567"),
        ("055312345678", "0553-12345678"),
        ("0553-1234567-801", "0553-1234567-801"),
        ("0553 1234567", "0553-1234567"),
        ("(0553)1234567", "0553-1234567"),
        ("0553-1234567转801", "0553-1234567-801"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("021-1234567", "021-1234567"),
        ("０５５３－１２３４５６７", "0553-1234567"),
    ],
)
def test_landline_variants_normalise(value, expected):
    assert validate_landline(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1234567",
        "553-1234567",
        "0553-123456",
        "0553-123456789",
        "05531234567801",
        "0553-1234567-1234567",
        "13812345678",
        None,
    ],
)
def test_bad_landline_has_landline_format_code(value):
    assert error_code(validate_landline, value) == "landline_format"


def test_phone_accepts_mobile_or_landline():
    assert validate_phone("+86 138-1234-5678") == "13812345678"
    assert validate_phone("0553-1234567-801") == "0553-1234567-801"


def test_bad_phone_has_phone_format_code():
    assert error_code(validate_phone, "12345") == "phone_format"
