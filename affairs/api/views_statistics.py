"""Statistics of government affairs: GET /api/v1/affairs/statistics/?region=<id>, figures for a
node in the caller's scope."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from affairs import selectors
from affairs.statistics import affairs_statistics
from core.api.serializers import RegionQueryInput
from core.api.viewsets import ScopedViewSet

VIEW = ("affairs.view",)


@extend_schema(tags=["affairs"])
class StatisticsViewSet(ScopedViewSet):
    """Applications by item and stage, on-time rate, average working days to a decision and
    benefits in force, for one node and each node one level down."""

    action_permissions = {"list": VIEW}

    @extend_schema(
        parameters=[
            OpenApiParameter("region", int, description="a node in your scope (default: your top node)")
        ],
        responses={200: dict},
    )
    def list(self, request):
        query = self.parse(RegionQueryInput, request.query_params)
        region = selectors.statistics_region(request.user, query.get("region"))
        return Response(affairs_statistics(region))
