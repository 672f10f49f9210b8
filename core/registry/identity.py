"""Turn what a worker typed about a person into the stored columns, validating on the way.

Shared by the single-record services and the bulk import, so both apply exactly the same rules.
Returns plain column values: `*_encrypted` hold plaintext for EncryptedTextField to encrypt on
save; a bulk path that bypasses the ORM must call core.pii.crypto.encrypt itself
(`encrypt_columns`).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from core.api.errors import field_error, invalid_fields
from core.pii import masking
from core.pii.crypto import blind_index, encrypt
from core.pii.validators import (
    validate_id_number,
    validate_landline,
    validate_mobile,
)

ENCRYPTED_COLUMNS = ("document_number_encrypted", "mobile_encrypted", "landline_encrypted")
DOCUMENT_MAX_LENGTH = 32


@lru_cache(maxsize=65_536)
def name_pinyin(name: str) -> tuple[str, str]:
    """("zs", "zhangsan") for 张三; letters and digits in a name pass through lowercased.

    Cached: a register repeats names, and a bulk import converts one name per row."""
    syllables = _syllables(name)
    initials = "".join(s[0] for s in syllables if s and s[0].isalnum()).lower()
    full = "".join(s for s in syllables if s.isalnum()).lower()
    return initials[:50], full[:200]


def _syllables(name: str) -> list[str]:
    """pypinyin's lazy_pinyin of the name, a character at a time where that gives the same answer.

    pypinyin reads a word of its phrase dictionary (such as 重庆) as a phrase; anywhere else it
    reads each character on its own. So a name none of whose parts is such a word is converted
    from a per-character cache, and any other name by pypinyin itself."""
    length = len(name)
    for start in range(length):
        for end in range(start + 1, length + 1):
            if name[start:end] in PHRASES_DICT:
                return _lazy_pinyin(name)
    return [syllable for char in name for syllable in _char_pinyin(char)]


def _lazy_pinyin(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))


@lru_cache(maxsize=16_384)
def _char_pinyin(char: str) -> tuple[str, ...]:
    return tuple(_lazy_pinyin(char))


# A name is shown in lists to everyone who may see the person (minors' masked): an ID number or
# a mobile typed into it would be shown in full, so a name must not hold one.
NAME_HOLDS_PERSONAL_DATA = _("A name cannot hold an ID number or a mobile number.")


def name_holds_personal_data(name: str) -> bool:
    return masking.contains_personal_data(name)


def document_index(document_type: str, number: str) -> str:
    kind = "id_number" if document_type == "id_card" else f"document:{document_type}"
    return blind_index(number, kind=kind)


def mobile_index(mobile: str) -> str:
    return blind_index(mobile, kind="mobile")


def identity_columns(
    document_type: str,
    document_number: str,
    birth_date: date | None = None,
    sex: str = "",
    today: date | None = None,
) -> dict:
    """Validate a document and derive what it implies: birth date and sex for an ID card.
    `today` (default: the current date) bounds the birth date; a bulk import passes it once."""
    number = (document_number or "").strip()
    if document_type == "none":
        if number:
            raise field_error("document_number", _("A person without a document has no document number."))
        return {
            "document_number_encrypted": "",
            "document_number_index": "",
            "document_number_masked": "",
            "birth_date": birth_date,
            "sex": sex,
        }
    if not number:
        raise field_error("document_number", _("Enter the document number."))
    if document_type == "id_card":
        try:
            number = validate_id_number(number, today)
        except ValidationError as error:
            raise invalid_fields({"document_number": error.messages}) from None
        # The number is valid (its birth date a real, past date): read what it implies once.
        derived_birth, derived_sex = _id_birth_date(number), _id_sex(number)
        if birth_date and birth_date != derived_birth:
            raise field_error("birth_date", _("The birth date differs from the one in the ID number."))
        birth_date, sex = derived_birth, derived_sex
    elif len(number) > DOCUMENT_MAX_LENGTH or not number.isprintable():
        raise field_error("document_number", _("The document number is too long or has invalid characters."))
    return {
        "document_number_encrypted": number,
        "document_number_index": document_index(document_type, number),
        "document_number_masked": masking.mask_id_number(number),
        "birth_date": birth_date,
        "sex": sex,
    }


def _id_birth_date(valid_number: str) -> date:
    """Characters 7–14 of an ID number that validate_id_number accepted (so a real date)."""
    return date(int(valid_number[6:10]), int(valid_number[10:12]), int(valid_number[12:14]))


def _id_sex(valid_number: str) -> str:
    """The 17th character of an accepted ID number: odd for men, even for women."""
    return "M" if int(valid_number[16]) % 2 else "F"


def phone_columns(mobile: str = "", landline: str = "") -> dict:
    columns = {
        "mobile_encrypted": "",
        "mobile_index": "",
        "mobile_masked": "",
        "landline_encrypted": "",
        "landline_masked": "",
    }
    errors = {}
    if mobile and mobile.strip():
        try:
            normalised = validate_mobile(mobile)
            columns.update(
                mobile_encrypted=normalised,
                mobile_index=mobile_index(normalised),
                mobile_masked=masking.mask_phone(normalised),
            )
        except ValidationError as error:
            errors["mobile"] = error.messages
    if landline and landline.strip():
        try:
            normalised = validate_landline(landline)
            columns.update(landline_encrypted=normalised, landline_masked=masking.mask_phone(normalised))
        except ValidationError as error:
            errors["landline"] = error.messages
    if errors:
        raise invalid_fields(errors)
    return columns


def check_birth_date(birth_date: date | None, today: date) -> None:
    if birth_date and birth_date > today:
        raise field_error("birth_date", _("The birth date is in the future."))


def encrypt_columns(row: dict) -> dict:
    """For bulk writes that bypass the ORM: encrypt the plaintext columns in place."""
    for column in ENCRYPTED_COLUMNS:
        if row.get(column):
            row[column] = encrypt(row[column])
    return row
