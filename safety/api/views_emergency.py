"""Emergency: /api/v1/safety/plans/, /drills/, /incidents/ and the caller's own /receipts/."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from core.api.errors import not_found_in_payload
from core.api.viewsets import ListViewSet, ResourceViewSet
from safety import emergency
from safety.api import serializers_emergency as s
from safety.models import Drill, EmergencyPlan, Incident, IncidentReceipt

VIEW = ("safety.view",)
PLAN = ("safety.plan",)
BROADCAST = ("safety.broadcast",)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.EmergencyPlanOutput),
    retrieve=extend_schema(responses=s.EmergencyPlanOutput),
    create=extend_schema(request=s.EmergencyPlanInput, responses={201: s.EmergencyPlanOutput}),
)
class EmergencyPlanViewSet(ResourceViewSet):
    queryset = EmergencyPlan.objects.all()
    output_serializer = s.EmergencyPlanOutput
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": PLAN}

    def get_queryset(self):
        return EmergencyPlan.objects.visible_to(self.request.user, "safety.view").prefetch_related(
            "resources"
        )

    def create(self, request):
        data = self.parse(s.EmergencyPlanInput)
        plan = emergency.plan_add(actor=request.user, request=request, **data)
        return self.out(self.get_queryset().get(pk=plan.pk), status=201)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.DrillOutput),
    retrieve=extend_schema(responses=s.DrillOutput),
    create=extend_schema(request=s.DrillInput, responses={201: s.DrillOutput}),
)
class DrillViewSet(ResourceViewSet):
    queryset = Drill.objects.all()
    output_serializer = s.DrillOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": PLAN}

    def get_queryset(self):
        return Drill.objects.visible_to(self.request.user, "safety.view")

    def create(self, request):
        data = self.parse(s.DrillInput)
        plan = (
            EmergencyPlan.objects.visible_to(request.user, "safety.plan").filter(pk=data.pop("plan")).first()
        )
        if plan is None:
            raise not_found_in_payload("plan")
        return self.out(
            emergency.drill_record(actor=request.user, plan=plan, request=request, **data), status=201
        )


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.IncidentOutput),
    retrieve=extend_schema(responses=s.IncidentDetailOutput),
    create=extend_schema(request=s.IncidentInput, responses={201: s.IncidentDetailOutput}),
)
class IncidentViewSet(ResourceViewSet):
    queryset = Incident.objects.all()
    output_serializer = s.IncidentOutput
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": BROADCAST}

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user, "safety.view").annotate(
            addressed=Count("receipts"),
            acknowledged=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
        )

    def retrieve(self, request, pk=None):
        return self.out(self.get_object(), serializer=s.IncidentDetailOutput)

    def create(self, request):
        incident = emergency.incident_broadcast(
            actor=request.user, request=request, **self.parse(s.IncidentInput)
        )
        return self.out(
            self.get_queryset().get(pk=incident.pk), serializer=s.IncidentDetailOutput, status=201
        )


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.IncidentReceiptOutput),
    acknowledge=extend_schema(request=None, responses=s.IncidentReceiptOutput),
)
class IncidentReceiptViewSet(ListViewSet):
    """The caller's own receipts: incidents addressed to them, to acknowledge."""

    queryset = IncidentReceipt.objects.all()
    output_serializer = s.IncidentReceiptOutput
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return IncidentReceipt.objects.filter(user=self.request.user).select_related("incident")

    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        receipt = emergency.receipt_acknowledge(
            actor=request.user, receipt=self.get_object(), request=request
        )
        return self.out(receipt)
