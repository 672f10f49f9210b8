"""A database outage answers 503 with Retry-After in the one error shape, for every view.

DRF views get it from the API's exception handler (core.api.errors); this middleware does the same
for the rest (Open311, the health and admin views), and `handler500` for what a middleware meets
(a session read). Django's request log keeps one line for it, not a traceback per request.
"""

from __future__ import annotations

import logging

from core.api.errors import database_unavailable, database_unavailable_response, log_database_unavailable


class DatabaseUnavailableLogFilter(logging.Filter):
    """On django.request: a database outage is logged as one line, without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and database_unavailable(record.exc_info[1]):
            message = record.getMessage()
            record.msg = "%s (database unavailable: %s)"
            record.args = (message, type(record.exc_info[1]).__name__)
            record.exc_info = None
            record.exc_text = None
        return True


_FILTER = DatabaseUnavailableLogFilter()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_logger = logging.getLogger("django.request")
        if _FILTER not in request_logger.filters:
            request_logger.addFilter(_FILTER)

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        log_database_unavailable(exception, request.path)
        return database_unavailable_response()
