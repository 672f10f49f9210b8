"""Validators for Chinese identity data: resident ID numbers and phone numbers.

Every validator returns the normalised value, so services can store exactly what
they validated; used in a model field's ``validators=[...]`` the return value is
simply ignored. Messages are English source strings translated to Chinese via
the project's locale, and every error carries a stable ``code``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 11643-1999, ISO 7064 MOD 11-2.
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARS = "10X98765432"
ID_NUMBER_EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# GB/T 2260 province-level codes (71 Taiwan, 81 Hong Kong, 82 Macao included).
PROVINCE_CODES = frozenset(
    [str(code) for code in range(11, 16)]
    + [str(code) for code in range(21, 24)]
    + [str(code) for code in range(31, 38)]
    + [str(code) for code in range(41, 47)]
    + [str(code) for code in range(50, 55)]
    + [str(code) for code in range(61, 66)]
    + ["71", "81", "82"]
)

# [0-9] rather than \d: \d also matches other scripts' digits.
_ID_NUMBER_RE = re.compile(r"[0-9]{17}[0-9X]")
_FIRST17_RE = re.compile(r"[0-9]{17}")
_MOBILE_SEPARATORS_RE = re.compile(r"[\s-]+")
_MOBILE_RE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
# Beijing (010) and 02x cities have 3-character area codes, everywhere else has 4;
# deciding by the second digit keeps unseparated input like 01012345678 unambiguous.
_LANDLINE_RE = re.compile(
    r"\(?(0[12][0-9]|0[3-9][0-9]{2})\)?[\s-]?"
    r"([0-9]{7,8})"
    r"(?:(?:\s*[-转]\s*|\s+)([0-9]{1,6}))?"
)

MESSAGES = {
    "id_number_format": _("The ID number must have 18 characters: 17 digits followed by a digit or X."),
    "id_number_check_digit": _(
        "The ID number's check digit is wrong. Please compare each digit with the ID card."
    ),
    "id_number_birth_date": _(
        "The birth date in the ID number (characters 7 to 14) is not a real date between 1900 and today."
    ),
    "id_number_region": _("The ID number does not start with a valid province code."),
    "mobile_format": _("Enter an 11-digit mainland mobile number, such as 13812345678."),
    "landline_format": _(
        "Enter a landline number with its area code, such as 0553-1234567 "
        "or 0553-1234567-801 with an extension."
    ),
    "phone_format": _(
        "Enter an 11-digit mobile number or a landline number with its area code, such as 0553-1234567."
    ),
}


def _invalid(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


def _clean_input(value: object, error_code: str) -> str:
    """Strip and fold full-width characters (common with Chinese input methods)."""
    if not isinstance(value, str):
        raise _invalid(error_code)
    return unicodedata.normalize("NFKC", value).strip()


def _today() -> date:
    # localdate() refuses naive datetimes, so fall back when USE_TZ is off.
    return timezone.localdate() if settings.USE_TZ else date.today()


# --- Resident ID number -------------------------------------------------------


def id_number_check_char(first17: str) -> str:
    """Return the check character (0-9 or X) for the first 17 digits of an ID number."""
    if not _FIRST17_RE.fullmatch(first17):
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARS[total % 11]


def _normalise_id_number_format(value: object) -> str:
    normalised = _clean_input(value, "id_number_format").upper()
    if not _ID_NUMBER_RE.fullmatch(normalised):
        raise _invalid("id_number_format")
    return normalised


def id_number_birth_date(value: str, today: date | None = None) -> date:
    """Birth date encoded in characters 7-14, checked to be real, past (up to `today`, by
    default the current date) and >= 1900."""
    digits = _normalise_id_number_format(value)[6:14]
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _invalid("id_number_birth_date") from None
    if not ID_NUMBER_EARLIEST_BIRTH_DATE <= birth_date <= (today or _today()):
        raise _invalid("id_number_birth_date")
    return birth_date


def id_number_sex(value: str) -> str:
    """Return "M" or "F" from the 17th digit (odd for men, even for women)."""
    sequence_digit = int(_normalise_id_number_format(value)[16])
    return "M" if sequence_digit % 2 else "F"


def validate_id_number(value: str, today: date | None = None) -> str:
    """Validate an 18-character resident ID number and return it with an upper-case X.

    The check digit is verified before region and birth date: a typo almost always
    breaks it, and "check digit is wrong" tells the worker to re-read the card.
    """
    normalised = _normalise_id_number_format(value)
    if id_number_check_char(normalised[:17]) != normalised[17]:
        raise _invalid("id_number_check_digit")
    if normalised[:2] not in PROVINCE_CODES:
        raise _invalid("id_number_region")
    id_number_birth_date(normalised, today)
    return normalised


# --- Phone numbers ------------------------------------------------------------


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number; return the bare 11 digits (no +86)."""
    compact = _MOBILE_SEPARATORS_RE.sub("", _clean_input(value, "mobile_format"))
    match = _MOBILE_RE.fullmatch(compact)
    if match is None:
        raise _invalid("mobile_format")
    return match.group(1)


def validate_landline(value: str) -> str:
    """Validate a landline number; return it as ``0553-1234567`` or ``0553-1234567-801``."""
    match = _LANDLINE_RE.fullmatch(_clean_input(value, "landline_format"))
    if match is None:
        raise _invalid("landline_format")
    area_code, local_number, extension = match.groups()
    parts = [area_code, local_number] + ([extension] if extension else [])
    return "-".join(parts)


def validate_phone(value: str) -> str:
    """Validate a mobile or landline number and return its normalised form."""
    for validator in (validate_mobile, validate_landline):
        try:
            return validator(value)
        except ValidationError:
            continue
    raise _invalid("phone_format")
