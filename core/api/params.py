"""Reading plain values from query strings and form fields without trusting them.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or the database overflows
on: an id is ASCII digits, at most 18 of them (a bigint)."""

from __future__ import annotations

MAX_ID_DIGITS = 18


def parse_id(raw) -> int | None:
    """A positive id from a string, or None when it is not one."""
    text = str(raw or "").strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value or None
