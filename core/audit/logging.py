"""Keep personal data out of logs: a filter that masks ID numbers and mobiles in every record."""

from __future__ import annotations

import logging
import re

# An 18-character ID number (17 digits and a digit or X) and a mainland mobile, not inside a
# longer run of digits (so order numbers and timestamps stay readable).
ID_NUMBER_PATTERN = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE_PATTERN = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])")


def scrub(text: str) -> str:
    """Mask every ID number (keeping the first and last 4) and mobile (first 3 and last 4)."""
    text = ID_NUMBER_PATTERN.sub(lambda m: m.group()[:4] + "*" * 10 + m.group()[-4:], text)
    return MOBILE_PATTERN.sub(lambda m: m.group()[:-8] + "****" + m.group()[-4:], text)


def scrub_value(value):
    """Scrub strings inside nested dicts, lists and tuples; other values pass unchanged."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub_value(item) for item in value)
    return value


def looks_personal(value) -> bool:
    """Whether a value (or anything inside it) contains an ID number or a mobile."""
    if isinstance(value, str):
        return bool(ID_NUMBER_PATTERN.search(value) or MOBILE_PATTERN.search(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return looks_personal(str(value))
    if isinstance(value, dict):
        return any(looks_personal(k) or looks_personal(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(looks_personal(item) for item in value)
    return False


class ScrubPersonalDataFilter(logging.Filter):
    """Renders the message once, scrubbed, so neither the format string nor its arguments leak."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we have, scrubbed
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
