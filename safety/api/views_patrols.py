"""Patrols: /api/v1/safety/patrol-routes/, /patrol-shifts/ (+ check-in/, complete/) and
/rough-sleepers/ (people found on extreme-weather patrols)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from core.api.errors import not_found_in_payload
from core.api.viewsets import ResourceViewSet
from safety import patrols, selectors
from safety.api import serializers_patrols as s
from safety.filters import PatrolRouteFilter, PatrolShiftFilter, RoughSleeperFilter
from safety.models import PatrolRoute, PatrolShift, RoughSleeper

VIEW = ("safety.view",)
PLAN = ("safety.plan_patrols",)
PATROL = ("safety.patrol",)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.PatrolRouteOutput),
    retrieve=extend_schema(responses=s.PatrolRouteOutput),
    create=extend_schema(request=s.PatrolRouteInput, responses={201: s.PatrolRouteOutput}),
    partial_update=extend_schema(request=s.PatrolRouteEndInput, responses=s.PatrolRouteOutput),
)
class PatrolRouteViewSet(ResourceViewSet):
    queryset = PatrolRoute.objects.all()
    output_serializer = s.PatrolRouteOutput
    filterset_class = PatrolRouteFilter
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": PLAN, "partial_update": PLAN}

    def get_queryset(self):
        return selectors.patrol_routes_visible_to(self.request.user)

    def create(self, request):
        route = patrols.route_add(actor=request.user, request=request, **self.parse(s.PatrolRouteInput))
        return self.out(self.get_queryset().get(pk=route.pk), status=201)

    def partial_update(self, request, pk=None):
        route = patrols.route_end(
            actor=request.user, route=self.get_object(), request=request, **self.parse(s.PatrolRouteEndInput)
        )
        return self.out(route)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.PatrolShiftOutput),
    retrieve=extend_schema(responses=s.PatrolShiftDetailOutput),
    create=extend_schema(request=s.PatrolShiftInput, responses={201: s.PatrolShiftOutput}),
    check_in=extend_schema(request=s.CheckInInput, responses={201: s.CheckInOutput}),
    complete=extend_schema(request=s.ShiftCompleteInput, responses=s.PatrolShiftDetailOutput),
)
class PatrolShiftViewSet(ResourceViewSet):
    queryset = PatrolShift.objects.all()
    output_serializer = s.PatrolShiftOutput
    filterset_class = PatrolShiftFilter
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": PLAN,
        "check_in": PATROL,
        "complete": PATROL,
    }

    def get_queryset(self):
        return selectors.patrol_shifts_visible_to(self.request.user)

    def retrieve(self, request, pk=None):
        return self.out(self.get_object(), serializer=s.PatrolShiftDetailOutput)

    def create(self, request):
        data = self.parse(s.PatrolShiftInput)
        route = (
            selectors.patrol_routes_visible_to(request.user, "safety.plan_patrols")
            .filter(pk=data.pop("route"))
            .first()
        )
        if route is None:
            raise not_found_in_payload("route")
        shift = patrols.shift_plan(actor=request.user, route=route, request=request, **data)
        return self.out(shift, status=201)

    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        made = patrols.check_in_record(
            actor=request.user, shift=self.get_object(), request=request, **self.parse(s.CheckInInput)
        )
        return self.out(made, serializer=s.CheckInOutput, status=201)

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        shift = patrols.shift_complete(
            actor=request.user, shift=self.get_object(), request=request, **self.parse(s.ShiftCompleteInput)
        )
        return self.out(shift, serializer=s.PatrolShiftDetailOutput)


@extend_schema(tags=["safety"])
@extend_schema_view(
    list=extend_schema(responses=s.RoughSleeperOutput),
    retrieve=extend_schema(responses=s.RoughSleeperOutput),
    create=extend_schema(request=s.RoughSleeperInput, responses={201: s.RoughSleeperOutput}),
)
class RoughSleeperViewSet(ResourceViewSet):
    """People found sleeping rough on extreme-weather patrols (masked)."""

    queryset = RoughSleeper.objects.all()
    output_serializer = s.RoughSleeperOutput
    filterset_class = RoughSleeperFilter
    carries_personal_data = True
    lookup_value_regex = r"\d+"
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": PATROL}

    def get_queryset(self):
        return selectors.rough_sleepers_visible_to(self.request.user)

    def create(self, request):
        data = self.parse(s.RoughSleeperInput)
        shift = (
            selectors.patrol_shifts_visible_to(request.user, "safety.patrol")
            .filter(pk=data.pop("shift"))
            .first()
        )
        if shift is None:
            raise not_found_in_payload("shift")
        found = patrols.rough_sleeper_record(actor=request.user, shift=shift, request=request, **data)
        return self.out(found, status=201)
