"""Hazard inspections: /api/v1/safety/checklist-items/, /rounds/, /findings/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from safety import inspections, selectors
from safety.api import serializers_inspections as s
from safety.filters import FindingFilter
from safety.models import ChecklistItem, Finding, InspectionRound

VIEW = ("safety.view",)
INSPECT = ("safety.inspect",)
CONFIGURE = ("safety.configure",)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.ChecklistItemOutput),
    retrieve=extend_schema(responses=s.ChecklistItemOutput),
    create=extend_schema(request=s.ChecklistItemInput, responses={201: s.ChecklistItemOutput}),
    partial_update=extend_schema(request=s.ChecklistItemEndInput, responses=s.ChecklistItemOutput),
)
class ChecklistItemViewSet(ResourceViewSet):
    """A catalogue with no place: whoever holds safety.view reads it; the district edits it."""

    queryset = ChecklistItem.objects.all()
    output_serializer = s.ChecklistItemOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": CONFIGURE, "partial_update": CONFIGURE}

    def get_queryset(self):
        return ChecklistItem.objects.all()

    def check_object_permissions(self, request, obj):
        # Not placed: the action's permission (has_permission) is the whole rule.
        pass

    def create(self, request):
        item = inspections.checklist_item_add(
            actor=request.user, request=request, **self.parse(s.ChecklistItemInput)
        )
        return self.out(item, status=201)

    def partial_update(self, request, pk=None):
        item = inspections.checklist_item_end(
            actor=request.user, item=self.get_object(), request=request, **self.parse(s.ChecklistItemEndInput)
        )
        return self.out(item)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.InspectionRoundOutput),
    retrieve=extend_schema(responses=s.InspectionRoundOutput),
    create=extend_schema(request=s.InspectionRoundInput, responses={201: s.InspectionRoundOutput}),
)
class InspectionRoundViewSet(ResourceViewSet):
    queryset = InspectionRound.objects.all()
    output_serializer = s.InspectionRoundOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": INSPECT}

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user)

    def create(self, request):
        made = inspections.round_open(
            actor=request.user, request=request, **self.parse(s.InspectionRoundInput)
        )
        return self.out(made, status=201)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.FindingOutput),
    retrieve=extend_schema(responses=s.FindingOutput),
    create=extend_schema(request=s.FindingInput, responses={201: s.FindingOutput}),
    reinspect=extend_schema(request=s.ReinspectionInput, responses=s.FindingOutput),
)
class FindingViewSet(ResourceViewSet):
    queryset = Finding.objects.all()
    output_serializer = s.FindingOutput
    filterset_class = FindingFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": INSPECT, "reinspect": INSPECT}

    def get_queryset(self):
        return selectors.findings_visible_to(self.request.user)

    def create(self, request):
        data = self.parse(s.FindingInput)
        round_ = (
            selectors.rounds_visible_to(request.user, "safety.inspect").filter(pk=data.pop("round")).first()
        )
        if round_ is None:
            raise not_found_in_payload("round")
        finding = inspections.finding_record(actor=request.user, round=round_, request=request, **data)
        return self.out(finding, status=201)

    @action(detail=True, methods=["post"])
    def reinspect(self, request, pk=None):
        finding = inspections.finding_reinspect(
            actor=request.user, finding=self.get_object(), request=request, **self.parse(s.ReinspectionInput)
        )
        return self.out(finding)
