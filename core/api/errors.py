"""One error shape for the whole API, from one handler.

{"error": {"code": "stable_string", "message": "translated", "fields": {"field": ["message"]}}}

Every code is declared once: the platform's common ones in `CommonError` below, an app's own in
its `errors.py` (`class AffairsError(ErrorCode)`). `ApplicationError` refuses a code that is not a
member of one of them, and tests/test_error_codes.py finds every raise site that names one.
403 and 404 are `Forbidden` and `NotFound`, 409 is `Conflict`; a 400 about fields is `field_error`
or `invalid_fields`.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

logger = logging.getLogger("smartcommunity.api")


class ErrorCode(StrEnum):
    """The base of every app's error codes (an app subclasses it once, in its `errors.py`)."""


class CommonError(ErrorCode):
    """Codes of the platform as a whole: the generic refusals and what the handler maps."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    MALFORMED_REQUEST = "malformed_request"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    AUTHENTICATION_FAILED = "authentication_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


def declared(code: Any) -> ErrorCode:
    """`code` if it is a declared error code, else TypeError naming it (a code nobody declared)."""
    if not isinstance(code, ErrorCode):
        raise TypeError(
            f"Error code {code!r} is not declared: add it to the app's errors.py (an ErrorCode enum)"
        )
    return code


class ApplicationError(Exception):
    """A rule of the platform refused the request. Services raise it; the handler shapes it."""

    status_code = status.HTTP_400_BAD_REQUEST
    code: ErrorCode = CommonError.INVALID

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        declared(cls.code)

    def __init__(
        self,
        message: Any,
        *,
        code: ErrorCode | None = None,
        fields: dict | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = declared(code) if code is not None else self.code
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code

    @property
    def message_dict(self) -> dict[str, list]:
        """The messages by field, as Django's ValidationError has them (for admin forms and the
        import's row errors); a refusal about no field is under "__all__"."""
        return {f: list(m) if isinstance(m, list | tuple) else [m] for f, m in self.fields.items()} or {
            "__all__": [self.message]
        }

    def __str__(self) -> str:
        return str(self.message)


class Invalid(ApplicationError, DjangoValidationError):
    """400: the input breaks a rule about its fields (`field_error` makes one).

    Also a Django ValidationError, so that one check reads as form errors in the admin and as row
    errors in an import (both read `message_dict`), and a service may gather several at once.
    """

    def __init__(self, message: Any, *, code: ErrorCode | None = None, fields: dict | None = None) -> None:
        ApplicationError.__init__(self, message, code=code, fields=fields)
        DjangoValidationError.__init__(self, self.message_dict)


class Forbidden(ApplicationError):
    """403: the caller's role may not take this action on something it can see."""

    status_code = status.HTTP_403_FORBIDDEN
    code = CommonError.PERMISSION_DENIED


class NotFound(ApplicationError):
    """404: no such object, or one outside the caller's area (the answer does not say which)."""

    status_code = status.HTTP_404_NOT_FOUND
    code = CommonError.NOT_FOUND

    def __init__(self, message: Any = None, **kwargs) -> None:
        super().__init__(message if message is not None else _lazy("Not found."), **kwargs)


# One message for an id in a payload that does not exist and one outside the caller's area, so
# that the answer does not reveal which it was.
NOT_FOUND_IN_PAYLOAD = _lazy("No record with this id was found.")


def not_found_in_payload(field: str) -> ApplicationError:
    return field_error(field, NOT_FOUND_IN_PAYLOAD)


def field_error(field: str, message: Any, *, code: ErrorCode = CommonError.INVALID) -> Invalid:
    """A 400 about one field, with the message both as the summary and under the field."""
    return Invalid(message, code=code, fields={field: [message]})


def invalid_fields(fields: dict, *, code: ErrorCode = CommonError.INVALID) -> Invalid:
    """A 400 about several fields at once ({field: message or [messages]})."""
    return Invalid(_lazy("The submitted data is not valid."), code=code, fields=fields)


class Conflict(ApplicationError):
    """The request is valid but the object's state does not allow it (e.g. a step out of order)."""

    status_code = status.HTTP_409_CONFLICT
    code = CommonError.CONFLICT


def error_body(code: ErrorCode, message: Any, fields: dict | None = None) -> dict:
    return {
        "error": {
            "code": str(declared(code)),
            "message": str(message),
            "fields": _flatten_fields(fields or {}),
        }
    }


def _flatten_fields(fields: Any) -> dict[str, list[str]]:
    """DRF nests errors (lists of dicts for many=True); flatten to `a.0.b` paths of messages."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list | tuple):
            if all(not isinstance(v, dict | list | tuple) for v in value):
                flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    if sub:
                        walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", fields)
    return flat


_DRF_CODES = {
    exceptions.ParseError: CommonError.MALFORMED_REQUEST,
    exceptions.AuthenticationFailed: CommonError.AUTHENTICATION_FAILED,
    exceptions.NotAuthenticated: CommonError.NOT_AUTHENTICATED,
    exceptions.PermissionDenied: CommonError.PERMISSION_DENIED,
    exceptions.NotFound: CommonError.NOT_FOUND,
    exceptions.MethodNotAllowed: CommonError.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: CommonError.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: CommonError.UNSUPPORTED_MEDIA_TYPE,
    exceptions.Throttled: CommonError.THROTTLED,
}


# The database answering nothing (restarting, unreachable, connection dropped): a moment's outage,
# not a bug. 503 with Retry-After in the one error shape, one log line, no traceback.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE)


def database_unavailable_body() -> tuple[dict, dict[str, str]]:
    """The body and headers of the 503 for a database outage, and the log line saying so."""
    from django.conf import settings

    return (
        error_body(
            CommonError.SERVICE_UNAVAILABLE,
            _("The service is briefly unavailable. Please try again in a moment."),
        ),
        {"Retry-After": str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)},
    )


def database_unavailable_response() -> JsonResponse:
    body, headers = database_unavailable_body()
    return JsonResponse(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)


def log_database_unavailable(exc: BaseException, where: str) -> None:
    logger.warning("Database unavailable during %s: %s", where, type(exc).__name__)


def exception_handler(exc: Exception, context: dict) -> Response:
    headers: dict[str, str] = {}
    if database_unavailable(exc):
        log_database_unavailable(exc, context.get("view").__class__.__name__)
        body, headers = database_unavailable_body()
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            error_body(CommonError.PAYLOAD_TOO_LARGE, _("The request is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body(CommonError.MALFORMED_REQUEST, _("The request is malformed.")), status=400)

    if isinstance(exc, exceptions.ValidationError):
        return Response(
            error_body(CommonError.INVALID, _("The submitted data is not valid."), exc.detail),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), None)
        detail = exc.detail
        message = detail if isinstance(detail, str) else _("The request could not be processed.")
        return Response(
            error_body(code or _api_exception_code(exc), message),
            status=exc.status_code,
            headers=headers,
        )
    logger.exception("Unhandled error in API view %s", context.get("view").__class__.__name__)
    return Response(error_body(CommonError.SERVER_ERROR, _("Something went wrong on our side.")), status=500)


def _api_exception_code(exc: exceptions.APIException) -> ErrorCode:
    """A DRF exception of no kind above: its own code if declared (an APIException raised where
    DRF needs one, during authentication), else the generic code of its status."""
    if isinstance(exc.default_code, ErrorCode):
        return exc.default_code
    return _GENERIC_CODES.get(exc.status_code, CommonError.INVALID)


_GENERIC_CODES = {
    status.HTTP_401_UNAUTHORIZED: CommonError.AUTHENTICATION_FAILED,
    status.HTTP_403_FORBIDDEN: CommonError.PERMISSION_DENIED,
    status.HTTP_404_NOT_FOUND: CommonError.NOT_FOUND,
    status.HTTP_409_CONFLICT: CommonError.CONFLICT,
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: CommonError.PAYLOAD_TOO_LARGE,
    status.HTTP_429_TOO_MANY_REQUESTS: CommonError.THROTTLED,
}


def json_error(status_code: int, code: ErrorCode, message: Any) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)
