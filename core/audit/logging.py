"""Keep personal data out of logs: a filter that masks ID numbers and mobiles in every record."""

from __future__ import annotations

import logging

from core.pii.masking import contains_personal_data, mask_free_text, mask_free_text_in

# One rule for free text everywhere (core.pii.masking.mask_free_text): the log, the audit log,
# API outputs, notices and exports mask ID numbers and mobiles the same way.
scrub = mask_free_text
scrub_value = mask_free_text_in
looks_personal = contains_personal_data


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
