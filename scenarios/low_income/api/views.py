from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ResourceViewSet, ScopedViewSet
from core.extensions import signing
from core.extensions.scenario_api import ScenarioResourceMixin
from scenarios.low_income import selectors, services
from scenarios.low_income.api.serializers import (
    OfficeRecordImportInput,
    OfficeRecordOutput,
    OfficeRecordPushInput,
    RecordsOutcomeOutput,
    RiskFlagCloseInput,
    RiskFlagOutput,
)
from scenarios.low_income.filters import OfficeRecordFilter, RiskFlagFilter
from scenarios.low_income.models import OfficeRecord, RiskFlag

TAGS = ["scenarios"]


@extend_schema(tags=TAGS)
class RiskFlagViewSet(ScenarioResourceMixin, ResourceViewSet):
    """Households flagged by the rules, each naming its rule and record (where enabled)."""

    scenario_key = "low_income"
    queryset = RiskFlag.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = RiskFlagOutput
    filterset_class = RiskFlagFilter
    carries_personal_data = True
    action_permissions = {
        "list": ("low_income.view",),
        "retrieve": ("low_income.view",),
        "close": ("low_income.handle",),
    }

    def get_queryset(self):
        return selectors.flags_visible_to(self.request.user).filter(self.enabled_q())

    @extend_schema(request=RiskFlagCloseInput, responses=RiskFlagOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = self.parse(RiskFlagCloseInput)
        flag = services.flag_close(
            actor=request.user, flag=self.get_object(), note=data["note"], request=request
        )
        return self.out(flag)


@extend_schema(tags=TAGS)
class OfficeRecordViewSet(ScenarioResourceMixin, ResourceViewSet):
    scenario_key = "low_income"
    queryset = OfficeRecord.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = OfficeRecordOutput
    filterset_class = OfficeRecordFilter
    carries_personal_data = True
    action_permissions = {"*": ("low_income.view",)}

    def get_queryset(self):
        return selectors.records_visible_to(self.request.user).filter(self.enabled_q())


@extend_schema(tags=TAGS)
class OfficeRecordImportViewSet(ScopedViewSet):
    """POST an office's workbook (.xlsx): records matched to residents by ID number."""

    queryset = OfficeRecord.objects.all()
    parser_classes = [MultiPartParser]
    action_permissions = {"create": ("low_income.import_records",)}

    @extend_schema(request=OfficeRecordImportInput, responses={201: RecordsOutcomeOutput})
    def create(self, request):
        data = self.parse(OfficeRecordImportInput)
        outcome = services.records_import(
            actor=request.user, office=data["office"], upload=data["file"], request=request
        )
        return Response(RecordsOutcomeOutput(outcome).data, status=201)


class OfficeRecordPushView(APIView):
    """POST records from another office's system, signed (core/extensions/signing.py)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, request=OfficeRecordPushInput, responses={200: RecordsOutcomeOutput})
    def post(self, request):
        signing.verify(request, request.body)
        serializer = OfficeRecordPushInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.records_add(
            actor=None,
            office=serializer.validated_data["office"],
            rows=serializer.validated_data["records"],
            via=OfficeRecord.Via.PUSH,
        )
        return Response(RecordsOutcomeOutput(outcome).data)
