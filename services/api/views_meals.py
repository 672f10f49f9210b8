"""Meal assistance: /api/v1/services/{meal-points,meal-rules,meals,settlements}/."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.errors import Forbidden
from core.api.viewsets import ResourceViewSet
from core.regions.scoping import scope_for
from services import meals
from services.api import serializers as s
from services.contributions import CONFIGURE, MANAGE, VIEW
from services.filters import MealRecordFilter, SettlementFilter
from services.models import MealPoint, MealRecord, MealSettlement, MealSubsidyRule

READ = (VIEW,)
WRITE = (MANAGE,)


@extend_schema(tags=["services"])
class MealPointViewSet(ResourceViewSet):
    queryset = MealPoint.objects.all()
    output_serializer = s.MealPointOutput
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return MealPoint.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=s.MealPointInput, responses={201: s.MealPointOutput})
    def create(self, request):
        return self.out(
            meals.meal_point_create(actor=request.user, request=request, **self.parse(s.MealPointInput)),
            status=201,
        )


@extend_schema(tags=["services"])
class MealSubsidyRuleViewSet(ResourceViewSet):
    """The subsidy rules: every rule is readable by staff (they are public policy); district
    staff add their district's and end one by its `effective_to` (never edited otherwise)."""

    queryset = MealSubsidyRule.objects.all()
    output_serializer = s.MealSubsidyRuleOutput
    ordering_fields = {"id": "id", "effective_from": "effective_from"}
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "create": (CONFIGURE,),
        "partial_update": (CONFIGURE,),
    }

    def get_queryset(self):
        return MealSubsidyRule.objects.all()

    def check_object_permissions(self, request, obj):
        if self.action == "partial_update" and not (
            obj.district and scope_for(request.user).covers(obj.district.path, CONFIGURE)
        ):
            raise Forbidden(_("Only the district's staff end its rules."))

    @extend_schema(request=s.MealSubsidyRuleInput, responses={201: s.MealSubsidyRuleOutput})
    def create(self, request):
        return self.out(
            meals.meal_rule_add(actor=request.user, request=request, **self.parse(s.MealSubsidyRuleInput)),
            status=201,
        )

    @extend_schema(request=s.MealSubsidyRuleEndInput, responses=s.MealSubsidyRuleOutput)
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        return self.out(
            meals.meal_rule_end(
                actor=request.user, rule=rule, request=request, **self.parse(s.MealSubsidyRuleEndInput)
            )
        )


@extend_schema(tags=["services"])
class MealRecordViewSet(ResourceViewSet):
    queryset = MealRecord.objects.all()
    output_serializer = s.MealRecordOutput
    filterset_class = MealRecordFilter
    carries_personal_data = True
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE}

    def get_queryset(self):
        return MealRecord.objects.visible_to(self.request.user, VIEW).select_related("resident")

    @extend_schema(request=s.MealRecordInput, responses={201: s.MealRecordOutput})
    def create(self, request):
        return self.out(
            meals.meal_record(actor=request.user, request=request, **self.parse(s.MealRecordInput)),
            status=201,
        )


@extend_schema(tags=["services"])
class MealSettlementViewSet(ResourceViewSet):
    """POST closes a meal point's month; `correct` adds a correction to the next open month."""

    queryset = MealSettlement.objects.all()
    output_serializer = s.MealSettlementOutput
    filterset_class = SettlementFilter
    action_permissions = {"list": READ, "retrieve": READ, "create": WRITE, "correct": WRITE}

    def get_queryset(self):
        return MealSettlement.objects.visible_to(self.request.user, VIEW).prefetch_related("lines")

    @extend_schema(request=s.MealSettlementInput, responses={201: s.MealSettlementOutput})
    def create(self, request):
        settlement = meals.settlement_close(
            actor=request.user, request=request, **self.parse(s.MealSettlementInput)
        )
        return self.out(self.get_queryset().get(pk=settlement.pk), status=201)

    @extend_schema(request=s.SettlementCorrectionInput, responses={201: s.SettlementLineOutput})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        line = meals.settlement_correct(
            actor=request.user,
            settlement=self.get_object(),
            request=request,
            **self.parse(s.SettlementCorrectionInput),
        )
        return self.out(line, serializer=s.SettlementLineOutput, status=201)
