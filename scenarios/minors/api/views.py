import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.throttling import ScopedRateThrottle

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from core.extensions.scenario_api import ScenarioResourceMixin
from core.registry.api.serializers_relations import PhoneRevealOutput
from core.registry.models import Resident
from core.registry.selectors import with_guardians
from scenarios.minors import services
from scenarios.minors.api.serializers import (
    ChildRecordInput,
    ChildRecordOutput,
    ChildReportInput,
    ChildReportOutput,
    GuardianRevealInput,
)
from scenarios.minors.models import ChildRecord, ChildReport

TAGS = ["scenarios"]


class ChildFilter(django_filters.FilterSet):
    # Children with no guardian on record (监护人 or 委托照护人): the rows get_queryset annotates.
    guardian_missing = django_filters.BooleanFilter(method="filter_guardian_missing")

    class Meta:
        model = ChildRecord
        fields = ("category", "state")

    def filter_guardian_missing(self, queryset, name, value):
        return queryset.filter(guardian_on_record=not value)


class ReportFilter(django_filters.FilterSet):
    class Meta:
        model = ChildReport
        fields = ("kind", "level")


class AuditedReadsMixin:
    """Every read of minors' records is audited (未成年人保护法 art. 72: their personal
    information is protected; who read it is on record)."""

    def page_data(self, page):
        services.records_read(actor=self.request.user, rows=page, request=self.request)
        return super().page_data(page)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        services.records_read(actor=request.user, rows=[obj], request=request)
        return self.out(obj)


@extend_schema(tags=TAGS)
class ChildRecordViewSet(AuditedReadsMixin, ScenarioResourceMixin, ResourceViewSet):
    scenario_key = "minors"
    queryset = ChildRecord.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = ChildRecordOutput
    filterset_class = ChildFilter
    carries_personal_data = True
    action_permissions = {
        "list": ("minors.view",),
        "retrieve": ("minors.view",),
        "create": ("minors.handle",),
        "reveal_guardian": ("minors.reveal",),
    }

    def get_queryset(self):
        return with_guardians(
            ChildRecord.objects.visible_to(self.request.user, "minors.view")
            .filter(self.enabled_q())
            .select_related("resident")
        )

    @extend_schema(request=ChildRecordInput, responses={201: ChildRecordOutput})
    def create(self, request):
        data = self.parse(ChildRecordInput)
        resident = (
            Resident.objects.visible_to(request.user, "minors.handle").filter(pk=data["resident"]).first()
        )
        if resident is None:
            raise not_found_in_payload("resident")
        record = services.child_add(
            actor=request.user, resident=resident, category=data["category"], request=request
        )
        return self.out(self.get_queryset().get(pk=record.pk), status=201)

    @extend_schema(request=GuardianRevealInput, responses=PhoneRevealOutput)
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-guardian",
        throttle_classes=[ScopedRateThrottle],
        throttle_scope="reveal",
    )
    def reveal_guardian(self, request, pk=None):
        """A guardian's full phone, for a stated purpose: the register's audited reveal."""
        data = self.parse(GuardianRevealInput)
        values = services.guardian_reveal(
            actor=request.user,
            child=self.get_object(),
            guardian=data["guardian"],
            purpose=data["purpose"],
            request=request,
        )
        return self.out(values, serializer=PhoneRevealOutput)


@extend_schema(tags=TAGS)
class ChildReportViewSet(AuditedReadsMixin, ScenarioResourceMixin, ResourceViewSet):
    scenario_key = "minors"
    queryset = ChildReport.objects.none()  # the model, for the schema; rows: get_queryset
    output_serializer = ChildReportOutput
    filterset_class = ReportFilter
    carries_personal_data = True
    action_permissions = {
        "list": ("minors.view",),
        "retrieve": ("minors.view",),
        "create": ("minors.report",),
        "take": ("minors.handle",),
    }

    def get_queryset(self):
        return ChildReport.objects.visible_to(self.request.user, "minors.view").filter(self.enabled_q())

    @extend_schema(request=ChildReportInput, responses={201: ChildReportOutput})
    def create(self, request):
        data = self.parse(ChildReportInput)
        child = (
            ChildRecord.objects.visible_to(request.user, "minors.report")
            .filter(self.enabled_q(), pk=data["child"], state="active")
            .first()
        )
        if child is None:
            raise not_found_in_payload("child")
        report = services.report_make(
            actor=request.user, child=child, kind=data["kind"], summary=data["summary"], request=request
        )
        return self.out(report, status=201)

    @extend_schema(request=None, responses=ChildReportOutput)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        return self.out(services.report_take(actor=request.user, report=self.get_object(), request=request))
