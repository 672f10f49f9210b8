from __future__ import annotations

import sys

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import CommonError, database_unavailable, database_unavailable_response, json_error
from core.api.serializers import ApiRootOutput
from core.extensions.registry import registry


@extend_schema(tags=["portal"], summary="The parts this API serves", responses=ApiRootOutput)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    parts = [
        {
            "prefix": part.prefix,
            "name": part.verbose_name,
            "part": part.part,
            "url": request.build_absolute_uri(f"/api/v1/{part.prefix}/"),
        }
        for part in registry.api_parts()
    ]
    return Response(
        {
            "version": "v1",
            "schema": request.build_absolute_uri("/api/schema/"),
            "docs": request.build_absolute_uri("/api/docs/"),
            "parts": parts,
        }
    )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return json_error(404, CommonError.NOT_FOUND, _("Not found."))


def server_error(request, *args, **kwargs):
    """500 for the API in the one error shape; HTML elsewhere. A database outage met outside a
    view (in a middleware reading the session, say) is a 503 with Retry-After instead."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        return database_unavailable_response()
    if request.path.startswith(("/api/", "/open311/")):
        return json_error(500, CommonError.SERVER_ERROR, _("Something went wrong on our side."))
    from django.views.defaults import server_error as html_server_error

    return html_server_error(request)


def not_found(request, exception=None):
    if request.path.startswith(("/api/", "/open311/")):
        return api_not_found(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
