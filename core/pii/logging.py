"""The one logging filter of the platform: no ID number or phone in any log line (issue 13).

Installed from settings.LOGGING on the one handler every logger writes through and on the
loggers that other configurations give handlers of their own (django.server, django.request,
uvicorn, uvicorn.access, uvicorn.error, celery). It renders the message once, then:
- masks ID numbers and mobiles anywhere in it (core/audit/logging.py scrub, as the audit log);
- masks every value of a query string (`?a=b&c=d`, as access logs print a request line) that
  holds an identity-shaped run of digits (seven or more, separators and percent-encoding
  undone first) or that belongs to an identity parameter, with core/pii/masking.py's masks.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

from core.audit.logging import ScrubPersonalDataFilter, scrub
from core.pii.masking import mask_id_number, mask_phone

# A query string as a request line prints it: from "?" to a space or a quote.
QUERY_STRING = re.compile(r"\?([^\s\"'<>]+)")
# Seven digits or more once separators are gone: a landline, a mobile, an ID number (15 or 18).
IDENTITY_DIGITS = re.compile(r"[0-9]{7,}[0-9Xx]?")
SEPARATORS = re.compile(r"[\s\-+().]")
IDENTITY_PARAMETERS = frozenset(
    {"id_number", "phone", "mobile", "landline", "document_number", "q", "search"}
)


def _mask_value(name: str, value: str) -> str:
    text = unquote_plus(value)
    compact = SEPARATORS.sub("", text)
    if not (IDENTITY_DIGITS.search(compact) or (name in IDENTITY_PARAMETERS and compact[-7:].isdigit())):
        return value
    if compact.isdigit() and (len(compact) in (11, 13) or compact.startswith("0")):
        return mask_phone(text) or ""
    return mask_id_number(compact) or ""


def mask_query_string(query: str) -> str:
    parts = []
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        parts.append(f"{name}{equals}{_mask_value(unquote_plus(name), value)}" if equals else pair)
    return "&".join(parts)


def mask_query_strings(text: str) -> str:
    """Every query string in `text` with its identity-shaped values masked."""
    return QUERY_STRING.sub(lambda m: "?" + mask_query_string(m.group(1)), text)


class PersonalDataLogFilter(ScrubPersonalDataFilter):
    """Scrub the rendered message (and its traceback), query strings included."""

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        record.msg = scrub(mask_query_strings(record.msg))
        if record.exc_text:
            record.exc_text = mask_query_strings(record.exc_text)
        return True
