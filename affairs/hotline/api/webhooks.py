"""The hotline centre's signed requests: a ticket pushed in, a return visit's result.

No session or token: the HMAC signature over the raw body (affairs.hotline.signing) is the
authentication, checked before the body is even parsed. Declared public in affairs/hotline/contributions.py.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from affairs.hotline import intake, services, signing
from affairs.hotline.validation import ReturnVisitInput, TicketPushInput, checked
from core.api.errors import ApplicationError, CommonError


def _signed_json(request) -> object:
    body = request.body  # raw bytes, before any parser (bounded by DATA_UPLOAD_MAX_MEMORY_SIZE)
    signing.verify(request, body)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApplicationError(
            _("The request body is not valid JSON."), code=CommonError.MALFORMED_REQUEST
        ) from None


def _answer(ticket, code) -> Response:
    return Response({"id": ticket.pk, "ticket_no": ticket.ticket_no, "status": ticket.status}, status=code)


class SignedView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class TicketPushView(SignedView):
    @extend_schema(tags=["hotline"], request=TicketPushInput, responses={201: dict, 200: dict})
    def post(self, request):
        data = checked(TicketPushInput, _signed_json(request))
        ticket, created = intake.ticket_receive(data=data, request=request)
        return _answer(ticket, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReturnVisitView(SignedView):
    @extend_schema(tags=["hotline"], request=ReturnVisitInput, responses={200: dict})
    def post(self, request):
        data = checked(ReturnVisitInput, _signed_json(request))
        ticket = services.ticket_return_visit(data=data, request=request)
        return _answer(ticket, status.HTTP_200_OK)
