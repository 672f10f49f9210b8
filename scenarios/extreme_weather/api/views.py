import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import field_error, not_found_in_payload
from core.api.viewsets import ResourceViewSet
from core.extensions import signing
from core.extensions.scenario_api import ScenarioResourceMixin, require_enabled
from core.regions.models import Region
from core.regions.paths import region_in_scope
from scenarios.extreme_weather import services
from scenarios.extreme_weather.api.serializers import (
    CareVisitOutput,
    CareVisitReachInput,
    WeatherReportOutput,
    WeatherWarningInput,
    WeatherWarningOutput,
    WeatherWarningPushInput,
)
from scenarios.extreme_weather.models import CareVisit, WeatherWarning

TAGS = ["scenarios"]


class WarningFilter(django_filters.FilterSet):
    class Meta:
        model = WeatherWarning
        fields = ("kind", "level", "state")


class VisitFilter(django_filters.FilterSet):
    reached = django_filters.BooleanFilter(field_name="reached_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = CareVisit
        fields = ("warning", "kind")


@extend_schema(tags=TAGS)
class WeatherWarningViewSet(ScenarioResourceMixin, ResourceViewSet):
    """Warnings whose region holds a place where the scenario is enabled."""

    scenario_key = "extreme_weather"
    queryset = WeatherWarning.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = WeatherWarningOutput
    filterset_class = WarningFilter
    action_permissions = {
        "list": ("extreme_weather.view",),
        "retrieve": ("extreme_weather.view",),
        "report": ("extreme_weather.view",),
        "create": ("extreme_weather.issue",),
        "end": ("extreme_weather.issue",),
    }

    def get_queryset(self):
        return WeatherWarning.objects.visible_to(self.request.user, "extreme_weather.view").filter(
            self.enabled_q()
        )

    @extend_schema(request=WeatherWarningInput, responses={201: WeatherWarningOutput})
    def create(self, request):
        data = self.parse(WeatherWarningInput)
        region = region_in_scope(request.user, data["region"], "extreme_weather.issue")
        if region is None:
            raise not_found_in_payload("region")
        require_enabled("extreme_weather", region.path)
        warning = services.warning_issue(
            actor=request.user,
            region=region,
            kind=data["kind"],
            level=data["level"],
            valid_until=data["valid_until"],
            valid_from=data.get("valid_from"),
            request=request,
        )
        return self.out(warning, status=201)

    @extend_schema(request=None, responses=WeatherWarningOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self.out(services.warning_end(actor=request.user, warning=self.get_object(), request=request))

    @extend_schema(responses=WeatherReportOutput)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        warning = self.get_object()
        visits = CareVisit.objects.visible_to(request.user, "extreme_weather.view")
        return Response(WeatherReportOutput(services.warning_report(warning, visits)).data)


@extend_schema(tags=TAGS)
class CareVisitViewSet(ScenarioResourceMixin, ResourceViewSet):
    scenario_key = "extreme_weather"
    queryset = CareVisit.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = CareVisitOutput
    filterset_class = VisitFilter
    action_permissions = {
        "list": ("extreme_weather.view",),
        "retrieve": ("extreme_weather.view",),
        "reach": ("extreme_weather.visit",),
    }

    def get_queryset(self):
        return CareVisit.objects.visible_to(self.request.user, "extreme_weather.view").filter(
            self.enabled_q()
        )

    @extend_schema(request=CareVisitReachInput, responses=CareVisitOutput)
    @action(detail=True, methods=["post"])
    def reach(self, request, pk=None):
        data = self.parse(CareVisitReachInput)
        visit = services.visit_reach(
            actor=request.user, visit=self.get_object(), note=data.get("note", ""), request=request
        )
        return self.out(visit)


class WeatherWarningPushView(APIView):
    """POST a warning from the weather service's feed, signed (core/extensions/signing.py)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, request=WeatherWarningPushInput, responses={200: WeatherWarningOutput})
    def post(self, request):
        signing.verify(request, request.body)
        serializer = WeatherWarningPushInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = Region.objects.filter(code=data["region_code"]).order_by("level").first()
        if region is None:
            raise field_error("region_code", _("No region with this code."))
        warning = services.warning_issue(
            actor=None,
            region=region,
            kind=data["kind"],
            level=data["level"],
            valid_until=data["valid_until"],
            valid_from=data.get("valid_from"),
            source="feed",
            reference=data["reference"],
        )
        return Response(WeatherWarningOutput(warning).data)
