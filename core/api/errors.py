"""One error shape for the whole API, from one handler.

{"error": {"code": "stable_string", "message": "translated", "fields": {"field": ["message"]}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

logger = logging.getLogger("smartcommunity.api")


class ApplicationError(Exception):
    """A rule of the platform refused the request. Services raise it; the handler shapes it."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        fields: dict | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.code
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code


# One message for an id in a payload that does not exist and one outside the caller's area, so
# that the answer does not reveal which it was.
NOT_FOUND_IN_PAYLOAD = _lazy("No record with this id was found.")


def not_found_in_payload(field: str) -> ApplicationError:
    return field_error(field, NOT_FOUND_IN_PAYLOAD)


def field_error(field: str, message: Any, *, code: str = "invalid") -> ApplicationError:
    """A 400 about one field, with the message both as the summary and under the field."""
    return ApplicationError(message, code=code, fields={field: [message]})


class Conflict(ApplicationError):
    """The request is valid but the object's state does not allow it (e.g. a step out of order)."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


def error_body(code: str, message: Any, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": _flatten_fields(fields or {})}}


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
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def exception_handler(exc: Exception, context: dict) -> Response:
    headers: dict[str, str] = {}
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
            error_body("payload_too_large", _("The request is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body("malformed_request", _("The request is malformed.")), status=400)

    if isinstance(exc, exceptions.ValidationError):
        return Response(
            error_body("invalid", _("The submitted data is not valid."), exc.detail),
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
            error_body(code or str(exc.default_code), message),
            status=exc.status_code,
            headers=headers,
        )
    logger.exception("Unhandled error in API view %s", context.get("view").__class__.__name__)
    return Response(error_body("server_error", _("Something went wrong on our side.")), status=500)


def json_error(status_code: int, code: str, message: Any) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)
