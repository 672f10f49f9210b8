"""GET /api/v1/dashboards/{region}/ (the node's indicators, their change against the previous
period and each child's), /series/ (a metric by day, week or month) and /export/ (.xlsx)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import NotFound, field_error
from core.api.viewsets import ScopedViewSet
from core.dashboards import export, geometry, selectors
from core.dashboards import metrics as declared_metrics
from core.dashboards.api.serializers import DashboardQueryInput, SeriesQueryInput
from core.dashboards.errors import DashboardsError
from core.imports.api.views import XLSX_RESPONSE, xlsx_response
from core.regions.models import Region
from core.regions.paths import region_in_scope

VIEW = (selectors.VIEW,)
PERIOD = OpenApiParameter(
    "period", str, enum=list(selectors.PERIODS), description="the previous period compared"
)


@extend_schema(tags=["dashboards"])
class DashboardViewSet(ScopedViewSet):
    queryset = Region.objects.all()
    action_permissions = {"retrieve": VIEW, "series": VIEW, "export": VIEW, "map": VIEW}
    lookup_value_regex = r"[0-9]+"

    def get_object(self) -> Region:
        region = region_in_scope(self.request.user, self.kwargs["pk"], selectors.VIEW)
        if region is None:
            raise NotFound()
        return region

    @extend_schema(parameters=[PERIOD], responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, pk=None):
        query = self.parse(DashboardQueryInput, request.query_params)
        region = self.get_object()
        suppress = selectors.suppresses_for(request.user)
        return Response(selectors.dashboard(region, suppress=suppress, period=query["period"]))

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", str, description="one metric's key (default: every metric)"),
            OpenApiParameter("by", str, enum=list(selectors.PERIODS)),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def series(self, request, pk=None):
        query = self.parse(SeriesQueryInput, request.query_params)
        region = self.get_object()
        if "metric" in query:
            metric = declared_metrics.by_key(query["metric"])
            if metric is None:
                raise field_error(
                    "metric", _("No metric with this key is declared."), code=DashboardsError.UNKNOWN_METRIC
                )
            wanted = [metric]
        else:
            wanted = declared_metrics.declared()
        suppress = selectors.suppresses_for(request.user)
        return Response(
            {
                "region": selectors.region_summary(region),
                "by": query["by"],
                "series": selectors.series(region, wanted, by=query["by"], suppress=suppress),
            }
        )

    @extend_schema(parameters=[PERIOD], responses={200: XLSX_RESPONSE})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        query = self.parse(DashboardQueryInput, request.query_params)
        region = self.get_object()
        view = selectors.dashboard(region, suppress=True, period=query["period"])
        return xlsx_response(export.write_dashboard(view), f"dashboard-{region.pk}.xlsx")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def map(self, request, pk=None):
        """The children's boundaries (GeoJSON FeatureCollection) for the dashboard's map."""
        self.parse(DashboardQueryInput, request.query_params)
        return Response(geometry.children_map(self.get_object()))
