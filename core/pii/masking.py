"""Display masks for personal data shown to people who do not need the full value.

All functions accept None or "" and return them unchanged, and never raise on
malformed input: a value that does not look like its kind gets the generic mask,
which hides at least half of it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError

from core.pii.validators import PROVINCE_CODES, validate_landline, validate_mobile

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


# --- Free text -------------------------------------------------------------------------------
#
# One rule for every piece of free text that leaves the platform (API outputs, notices, pushes,
# exports, admin pages, the audit log and the server log): an ID number or a mobile typed into a
# note or a title is masked the way the structured fields are (ID keeps its first and last 4,
# mobile its first 3 and last 4). Detection works on runs of digits, whatever surrounds them
# (letters, other digits, full-width digits, single spaces or hyphens between groups), so a
# number glued to other digits is found too; a long run that holds no ID-like or mobile-like
# window (an order number, a timestamp) stays readable.

# At least 11 digits of any script (full-width ones from Chinese input methods too), optionally
# split by one space or hyphen between groups, and a check character X closing the run; shorter
# runs (house numbers, dates) never reach Python.
_DIGIT_RUN_RE = re.compile(r"\d(?:[ \t\u3000\-\u2010\u2011\u2012\u2013\u2014\uff0d]?\d){10,}[XxＸｘ]?")
_SEPARATOR_RE = re.compile(r"[ \t\u3000\-\u2010\u2011\u2012\u2013\u2014\uff0d]")
_SEPARATED_PIECE_RE = re.compile(r"[^ \t\u3000\-\u2010\u2011\u2012\u2013\u2014\uff0d]+|.")
_MIN_PERSONAL_DIGITS = 11  # a mobile; an ID has 18
_MOBILE_WINDOW_RE = re.compile(r"1[3-9][0-9]{9}")


def _id_number_like(window: str) -> bool:
    """18 characters shaped like a resident ID: a province code and a real birth date (the
    check digit is not required: a mistyped ID is still someone's ID)."""
    if window[:2] not in PROVINCE_CODES or not window[:17].isdigit():
        return False
    try:
        date(int(window[6:10]), int(window[10:12]), int(window[12:14]))
    except ValueError:
        return False
    return 1900 <= int(window[6:10]) <= 2099


def _personal_positions(digits: str) -> set[int]:
    """Positions in a run of ASCII digits (and a closing X) to hide: the middle 10 of every
    ID-like window, the middle 4 of every mobile-like window not already touched."""
    hidden: set[int] = set()
    for start in range(len(digits) - ID_NUMBER_LENGTH + 1):
        if _id_number_like(digits[start : start + ID_NUMBER_LENGTH]):
            hidden.update(range(start + 4, start + 14))
    for start in range(len(digits) - _MIN_PERSONAL_DIGITS + 1):
        window = range(start, start + _MIN_PERSONAL_DIGITS)
        if _MOBILE_WINDOW_RE.fullmatch(
            digits, start, start + _MIN_PERSONAL_DIGITS
        ) and not hidden.intersection(window):
            hidden.update(range(start + 3, start + 7))
    return hidden


def _mask_digits(run: str) -> str:
    positions = [i for i, char in enumerate(run) if char.isdigit() or char in "XxＸｘ"]
    if len(positions) < _MIN_PERSONAL_DIGITS:
        return run
    digits = "".join("X" if run[i] in "XxＸｘ" else str(unicodedata.decimal(run[i])) for i in positions)
    hidden = _personal_positions(digits)
    if not hidden:
        return run
    chars = list(run)
    for index in hidden:
        chars[positions[index]] = MASK_CHAR
    return "".join(chars)


def _mask_run(match: re.Match) -> str:
    run, text = match.group(), match.string
    glued_to_letters = (
        match.start() > 0 and text[match.start() - 1].isascii() and text[match.start() - 1].isalpha()
    ) or (match.end() < len(text) and text[match.end()].isascii() and text[match.end()].isalpha())
    if glued_to_letters and _SEPARATOR_RE.search(run):
        # Part of a token such as a UUID: its groups are separate numbers, not one split number.
        return "".join(_mask_pieces(run))
    return _mask_digits(run)


def _mask_pieces(run: str):
    for piece in _SEPARATED_PIECE_RE.findall(run):
        yield _mask_digits(piece) if piece[:1].isdigit() else piece


def mask_free_text(text):
    """Mask every ID number (first and last 4 kept) and mobile (first 3 and last 4) in `text`.

    THE masking of free text: outputs, notices, exports, admin pages and logs all call it. The
    result has the same length as the input (one ``*`` per hidden character); None, "" and
    non-strings come back unchanged. Cheap when there is nothing to mask (one regex scan).
    """
    if not text or not isinstance(text, str):
        return text
    return _DIGIT_RUN_RE.sub(_mask_run, text)


def mask_free_text_in(value):
    """`mask_free_text` applied to every string inside nested dicts, lists and tuples."""
    if isinstance(value, str):
        return mask_free_text(value)
    if isinstance(value, dict):
        return {key: mask_free_text_in(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_free_text_in(item) for item in value)
    return value


def contains_personal_data(value) -> bool:
    """Whether a value (or anything inside it) holds an ID number or a mobile, by the same rule."""
    if isinstance(value, str):
        return mask_free_text(value) != value
    if isinstance(value, int) and not isinstance(value, bool):
        return contains_personal_data(str(value))
    if isinstance(value, dict):
        return any(contains_personal_data(k) or contains_personal_data(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(contains_personal_data(item) for item in value)
    return False
