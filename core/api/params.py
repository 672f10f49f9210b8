"""Reading plain numbers from query strings, form fields and bodies without trusting them: every
id and every bounded number is parsed here (and by the fields built on these bounds:
core/api/filters.py IdFilter and BoundedNumberFilter, core/api/serializers.py IdField).

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or the database overflows
on: an id is ASCII digits, at most 18 of them (below a bigint's and SQLite's integer limit, so
no lookup can overflow). A number outside its bounds is refused, never clamped.
"""

from __future__ import annotations

MAX_ID_DIGITS = 18
MAX_ID = 10**MAX_ID_DIGITS - 1
# The widest integer a 64-bit column (PostgreSQL bigint, SQLite INTEGER) holds.
MAX_BIGINT = 2**63 - 1
# Ages in years: a birth year must stay a real year (datetime refuses year 0 and year 10000).
MAX_AGE = 150


def parse_int(raw, *, minimum: int, maximum: int) -> int | None:
    """An integer within [minimum, maximum] from a string of ASCII digits (an optional leading
    minus), or None when it is not one: "1e309", "²", "0x10", "1.5" and 20 digits are all None."""
    text = str(raw if raw is not None else "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > MAX_ID_DIGITS + 1 or not (digits.isascii() and digits.isdecimal()):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(raw) -> int | None:
    """A positive id from a string, or None when it is not one."""
    return parse_int(raw, minimum=1, maximum=MAX_ID)
