"""Display masks for personal data shown to people who do not need the full value.

All functions accept None or "" and return them unchanged, and never raise on
malformed input: a value that does not look like its kind gets the generic mask,
which hides at least half of it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.pii.validators import validate_landline, validate_mobile

MASK_CHAR = "*"
ID_NUMBER_LENGTH = 18


def _mask_keeping(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    return value[:head] + MASK_CHAR * hidden + value[len(value) - tail :]


def _mask_generic(value: str) -> str:
    """Keep at most the first 2 and last 2 characters, never more than half."""
    visible = min(4, len(value) // 2)
    return _mask_keeping(value, head=(visible + 1) // 2, tail=visible // 2)


def mask_id_number(value: str | None) -> str | None:
    """``340202199001011234`` -> ``3402**********1234``; the birth date is always hidden.

    Other identity documents (passports, Hong Kong/Macao permits, old 15-digit IDs)
    keep at most their first 2 and last 2 characters.
    """
    if not value:
        return value
    if len(value) == ID_NUMBER_LENGTH:
        return _mask_keeping(value, head=4, tail=4)
    return _mask_generic(value)


def _mask_landline(normalised: str) -> str:
    area_code, local_number, *extension = normalised.split("-")
    masked_local = _mask_keeping(local_number, head=0, tail=2)
    masked_extension = [MASK_CHAR * len(part) for part in extension]
    return "-".join([area_code, masked_local, *masked_extension])


def mask_phone(value: str | None) -> str | None:
    """Mobile ``13812345678`` -> ``138****5678``; landline keeps the area code and last 2."""
    if not value:
        return value
    try:
        return _mask_keeping(validate_mobile(value), head=3, tail=4)
    except ValidationError:
        pass
    try:
        return _mask_landline(validate_landline(value))
    except ValidationError:
        return _mask_generic(value)


def mask_name(value: str | None) -> str | None:
    """``张三丰`` -> ``张**``, ``张三`` -> ``张*``: the first character, then one mask per character."""
    if not value:
        return value
    name = value.strip()
    return name[:1] + MASK_CHAR * (len(name) - 1)
